"""Excel: the template, exporting every sample to it and reading it back, validation, generic workbooks."""
import io

import duckdb
import openpyxl
import pytest

from conftest import DATA, SAMPLES
from cruscotto import db
from cruscotto.template import write_workbook
from loaders.rows import document_rows
from loaders.service import read_input
from loaders.errors import InvalidCells, Refused
from loaders.inputs.workbook import read_workbook

CONTENT = {
    "objectives": ["area", "number", "title", "description", "responsibility_centre", "peg_project"],
    "milestones": ["activity", "planned_raw", "actual_raw", "planned_month", "actual_month", "status",
                   "slippage_months"],
    "indicators": ["name", "description", "unit", "baseline_raw", "expected_raw", "actual_raw",
                   "reported_deviation_raw", "expected_value", "actual_value", "status", "attainment"],
    "budget_lines": ["table_name", "group_name", "line", "year", "amount_eur", "amount_raw"],
    "reported_totals": ["table_name", "label", "year", "value", "as_printed"],
    "scores": ["area", "score", "max_score", "as_printed"],
}


def stored(con, document_id, table):
    columns = ", ".join(f"t.{c}" for c in CONTENT[table])
    if table in ("milestones", "indicators"):
        sql = (f"SELECT {columns} FROM {table} t JOIN objectives o USING (objective_id) WHERE o.document_id = ? "
               "ORDER BY o.position, t.source_line")
    else:
        sql = f"SELECT {columns} FROM {table} t WHERE t.document_id = ? ORDER BY t.source_line" + \
              (", t.position" if table == "objectives" else "") + (", t.year" if "year" in CONTENT[table] else "")
    return [tuple(None if v != v else v for v in row) for row in con.execute(sql, [document_id]).fetchall()]


def reread(rows, table):
    def value(row, column):
        v = row.get(column)
        return float(v) if table in ("budget_lines",) and column == "amount_eur" and v is not None else v
    return [tuple(value(r, c) for c in CONTENT[table]) for r in rows[table]]


@pytest.mark.parametrize("key", SAMPLES)
def test_every_sample_round_trips_through_the_template(sample_db, key):
    con = duckdb.connect(str(sample_db), read_only=True)
    document_id = con.execute("SELECT document_id FROM documents WHERE source_name = ?", [SAMPLES[key]]).fetchall()[0][0]
    workbook = write_workbook(*db.template_rows(con, document_id))
    family, parsed, text = read_workbook(workbook)
    assert family == "modello_excel"
    rows = document_rows(parsed)
    for table in CONTENT:
        expected = stored(con, document_id, table)
        if table == "budget_lines":
            expected = [tuple(float(v) if i == 4 and v is not None else v for i, v in enumerate(r)) for r in expected]
        assert reread(rows, table) == expected, table
    original = con.execute("SELECT issuer, report_year, kind, period_start, period_end FROM documents "
                           "WHERE document_id = ?", [document_id]).fetchall()[0]
    assert (parsed.issuer, parsed.report_year, parsed.kind, parsed.period_start, parsed.period_end) == original
    con.close()


def test_empty_template_has_the_sheets_and_italian_headers():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook()))
    assert book.sheetnames == ["Istruzioni", "Documento", "Obiettivi", "Passi", "Indicatori", "Bilancio", "Totali",
                               "Punteggi"]
    assert [c.value for c in book["Indicatori"][1]][:3] == ["Obiettivo (Rif.)", "Indicatore", "Descrizione"]
    assert book["Documento"].data_validations.dataValidation     # the kinds list


def filled_template(**changes):
    document = {"issuer": "Consorzio Prova", "report_year": 2022, "kind": "relazione_performance"}
    rows = {"Obiettivi": [{"ref": 1, "area": "Anziani", "title": "Domiciliarità"}],
            "Passi": [{"objective": 1, "activity": "Bando", "planned_raw": "Marzo", "actual_raw": "Maggio"}],
            "Indicatori": [{"objective": 1, "name": "Utenti", "expected_raw": "=> 10", "actual_raw": "12"},
                           {"objective": 2, "name": "Orfano", "expected_raw": "3", "actual_raw": "3"}]}
    rows.update(changes)
    return write_workbook(document, rows)


def test_invalid_cells_are_named_by_sheet_row_and_column():
    with pytest.raises(InvalidCells) as refused:
        read_workbook(filled_template())
    assert refused.value.errors == ["foglio Indicatori, riga 3, colonna Obiettivo (Rif.): nessun obiettivo con Rif. «2»"]


def test_valid_rows_load_when_the_user_accepts_them():
    family, parsed, _ = read_workbook(filled_template(), accept_valid=True)
    assert (parsed.issuer, parsed.report_year, len(parsed.indicators)) == ("Consorzio Prova", 2022, 1)
    rows = document_rows(parsed)
    assert rows["indicators"][0]["status"] == "met"                # => 10 against 12: a floor reached
    assert rows["milestones"][0]["slippage_months"] == 2
    assert any("riga 3" in q["raw_text"] for q in rows["quality_issues"])


def test_generic_workbook_with_a_recognisable_table():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Area", "Obiettivo", "Indicatore", "Valore atteso", "Risultato conseguito"])
    sheet.append(["Area anziani", "Teleassistenza", "Utenti serviti", 40, 44])
    sheet.append([None, None, "Reclami", "< 3", "Nessuno"])
    out = io.BytesIO()
    book.save(out)
    read = read_input("risultati.xlsx", out.getvalue())
    family, parsed, text = read.family, read.parsed, read.extracted.text
    assert family == "tabella_obiettivi"
    rows = document_rows(parsed)
    assert [(i["name"], i["status"]) for i in rows["indicators"]] == [("Utenti serviti", "exceeded"), ("Reclami", "met")]
    assert text.splitlines()[rows["indicators"][0]["source_line"] - 1].startswith("Area anziani\tTeleassistenza")


def test_unrecognisable_workbook_is_refused_by_name():
    book = openpyxl.Workbook()
    book.active.append(["Nome", "Telefono"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(Refused, match="not_template"):
        read_input("rubrica.xlsx", out.getvalue())
    with pytest.raises(Refused, match="workbook_damaged"):
        read_workbook(b"PK\x03\x04 not really a zip")


def test_generic_headers_tolerate_accents_case_and_extra_words():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["OBIETTIVO STRATEGICO", "Indicatori di risultato", "valore ATTESO 2023", "Risultato al 31/12"])
    sheet.append(["Sportello unico", "Aperture settimanali", 5, 5])
    out = io.BytesIO()
    book.save(out)
    read = read_input("obiettivi.xlsx", out.getvalue())
    family, parsed = read.family, read.parsed
    assert family == "tabella_obiettivi" and parsed.objectives[0].area is None
    assert document_rows(parsed)["indicators"][0]["status"] == "met"


def test_the_template_kept_in_the_repository_is_current():
    from conftest import ROOT

    kept = openpyxl.load_workbook(ROOT / "templates" / "modello_cruscotto.xlsx")
    fresh = openpyxl.load_workbook(io.BytesIO(write_workbook()))
    assert kept.sheetnames == fresh.sheetnames
    for name in fresh.sheetnames:
        assert [c.value for c in kept[name][1]] == [c.value for c in fresh[name][1]], name

"""Issue 13, readability defects: every Excel export a page offers writes numbers, percentages and months as real
cells with an Italian format, an indicator's parsed expected and actual values beside the text as printed, Italian
headers, a frozen header and an autofilter. The files are built as a click would build them, from the sample
database, and opened with openpyxl."""
import io
import re
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, line_of, sample_text
from cruscotto.export import (EURO_FORMAT, INTEGER_FORMAT, MONTH_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT, Share,
                              csv_bytes, excel_bytes, parsed_beside)

ALBA, IRIS = "000_5219ceada02bc870.txt", "004_ec449bf6d7f73167.txt"
IRIS_ISSUER = "Ente non indicato · Relazione sulla performance · 004_ec449bf6d7f73167.txt"
# a number the tool formatted into text ('67%', '1.234,56 €', '12', 'giugno 2021'), which no file should hold outside
# the columns of the documents' own text
FORMATTED = re.compile(r"-?[\d.,]+\s?[%€]?|(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|"
                       r"ottobre|novembre|dicembre) \d{4}")
AS_PRINTED = ("Atteso", "Consuntivo", "Tempi", "Come stampato", "Punteggio", "Testo originale", "Scostamento stampato",
              "Valore attuale", "Lettura del cruscotto")


def rows_of(data: bytes, header_row: int = 2) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[str], list[dict]]:
    """The first sheet of an .xlsx, its headers and its rows as {header: cell}."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[header_row]]
    rows = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=header_row + 1)]
    return sheet, header, rows


def one(rows: list[dict], **where) -> dict:
    found = [r for r in rows if all(r[k].value == v for k, v in where.items())]
    assert len(found) == 1, (where, len(found))
    return found[0]


# ---------------------------------------------------------------------------- the writer

def test_every_value_gets_a_cell_of_its_kind():
    frame = pd.DataFrame({"Anno": ["2019", "2015-2017"], "Voce": ["a", "b"], "Righe": [1234, 0],
                          "Punti": [8.5, 470.0], "Importo": [1234.56, None], "Quota": [0.293, None],
                          "Mese": [date(2021, 6, 1), None], "riga": [1234, 5]})
    sheet, header, rows = rows_of(excel_bytes(frame, "Prova", euro=("Importo",), percent=("Quota",),
                                              months=("Mese",)))
    first, second = rows
    assert (first["Anno"].value, first["Anno"].data_type, first["Anno"].number_format) == (2019, "n", "0")
    assert (second["Anno"].value, second["Anno"].data_type) == ("2015-2017", "s")        # a plan's years: as printed
    assert (first["Righe"].value, first["Righe"].number_format) == (1234, INTEGER_FORMAT)  # 1.234 in Italian Excel
    assert (first["Punti"].number_format, second["Punti"].number_format) == (NUMBER_FORMAT, INTEGER_FORMAT)
    assert (first["Importo"].value, first["Importo"].number_format) == (1234.56, EURO_FORMAT)
    assert (first["Quota"].value, first["Quota"].number_format) == (0.293, PERCENT_FORMAT)
    assert first["Mese"].is_date and first["Mese"].number_format == MONTH_FORMAT
    assert (first["riga"].value, first["riga"].number_format) == (1234, "0")               # a line, not 1.234
    assert second["Importo"].value is None and second["Quota"].value is None
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:H4"


def test_a_number_read_from_a_percentage_is_a_share_beside_the_text():
    table = pd.DataFrame({"Atteso": ["<=5%", "12 utenti", "Si", "1,09%"]})
    shown = parsed_beside(table, {"Atteso": pd.Series([5.0, 12.0, None, 1.09])})
    assert list(shown.columns) == ["Atteso", "Atteso (numero)"]
    assert list(shown["Atteso"]) == ["<=5%", "12 utenti", "Si", "1,09%"]                  # the text is kept
    values = list(shown["Atteso (numero)"])
    assert isinstance(values[0], Share) and values[0] == pytest.approx(0.05)
    assert values[1] == 12.0 and not isinstance(values[1], Share) and values[2] is None
    _, _, rows = rows_of(excel_bytes(shown, "Prova"))
    assert [(r["Atteso (numero)"].value, r["Atteso (numero)"].number_format) for r in rows] == [
        (pytest.approx(0.05), "0%"), (12, INTEGER_FORMAT), (None, "General"), (pytest.approx(0.0109), "0.0#%")]
    assert csv_bytes(shown).decode("utf-8-sig").splitlines()[1:3] == ["<=5%;0,05", "12 utenti;12,0"]


# ---------------------------------------------------------------------------- the pages' files

@pytest.fixture()
def made(monkeypatch) -> dict:
    """What each download button would build when clicked, by the button's key."""
    from cruscotto import ui

    found, real = {}, ui.download

    def download(where, label, make, file_name, key, mime):
        found[key] = make
        real(where, label, make, file_name, key, mime)
    monkeypatch.setattr(ui, "download", download)
    return found


@pytest.fixture()
def app(sample_db, monkeypatch, made):  # made first: the Panoramica's buttons too
    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception
    return app


def open_page(app, name):
    app.switch_page(f"pages/{name}.py").run()
    assert not app.exception, app.exception
    return app


def test_issue_13_indicator_numbers_beside_the_text_as_printed(app, made):
    """Sample 004, line 148: «Incidenza dello stock di debito residuo», expected «<=5%», actual «1,09%»."""
    assert "<=5%\t" in line_of(sample_text("iris"), 148) and "\t1,09%\t" in line_of(sample_text("iris"), 148)
    open_page(app, "indicatori")
    sheet, header, rows = rows_of(made["xlsx_numerici"]())
    assert header[header.index("Atteso"):header.index("Atteso") + 4] == \
        ["Atteso", "Atteso (numero)", "Consuntivo", "Consuntivo (numero)"]
    debt = one(rows, file=IRIS, riga=148)
    assert (debt["Atteso"].value, debt["Atteso"].data_type) == ("<=5%", "s")                 # never lost
    assert debt["Atteso (numero)"].data_type == "n" and debt["Atteso (numero)"].value == pytest.approx(0.05)
    assert debt["Atteso (numero)"].number_format == "0%"                                   # shown as 5%
    assert debt["Consuntivo"].value == "1,09%"
    assert debt["Consuntivo (numero)"].value == pytest.approx(0.0109)
    assert debt["Consuntivo (numero)"].number_format == "0.0#%"                            # shown as 1,09%
    cda = one(rows, file=ALBA, riga=67)                                                    # «Incontri CdA N 4 14»
    assert line_of(sample_text("alba"), 67) == "Incontri CdA\tN\t4\t14"
    assert (cda["Atteso"].value, cda["Atteso (numero)"].value, cda["Consuntivo (numero)"].value) == ("4", 4, 14)
    assert cda["Atteso (numero)"].data_type == "n" and cda["Atteso (numero)"].number_format == INTEGER_FORMAT
    assert cda["Raggiungimento"].value == pytest.approx(3.5) and cda["Raggiungimento"].number_format == "0%"
    assert (cda["Anno"].value, cda["Anno"].data_type) == (2019, "n")
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:{sheet.cell(2, len(header)).column_letter}" \
                                                                   f"{len(rows) + 2}"
    shown = app.dataframe[0].value                                      # the screen: no new columns
    assert "Atteso (numero)" not in shown.columns and "expected_value" not in shown.columns
    assert one_row(shown, file=ALBA, riga=67)["Atteso"] == "4"
    csv = made["csv_numerici"]().decode("utf-8-sig").splitlines()
    assert "Atteso;Atteso (numero);Consuntivo;Consuntivo (numero)" in csv[0]
    assert any(";<=5%;0,05;1,09%;0,0109;" in line for line in csv)

    descriptive = rows_of(made["xlsx_testuali"]())[2]
    staff = one(descriptive, file=IRIS, Atteso=">=30% dei dipendenti, ove lo richiedano.")
    assert staff["Atteso (numero)"].value == pytest.approx(0.3) and staff["Atteso (numero)"].number_format == "0%"
    assert staff["Consuntivo"].value == "raggiunto" and staff["Consuntivo (numero)"].value is None


def one_row(frame: pd.DataFrame, **where) -> pd.Series:
    found = frame
    for column, value in where.items():
        found = found[found[column] == value]
    assert len(found) == 1
    return found.iloc[0]


def test_issue_13_the_drill_down_file_has_the_numbers_too(app, made):
    open_page(app, "raggiungimento")
    _, header, rows = rows_of(made["xlsx_drill"]())
    assert header[:5] == ["Indicatore", "Atteso", "Atteso (numero)", "Consuntivo", "Consuntivo (numero)"]
    cda = one(rows, Indicatore="Incontri CdA")
    assert (cda["Atteso (numero)"].value, cda["Consuntivo (numero)"].value) == (4, 14)
    _, header, rows = rows_of(made["xlsx_aree"]())
    rate = [r["Tasso di raggiungimento"] for r in rows if r["Tasso di raggiungimento"].value is not None]
    assert rate and {(c.data_type, c.number_format) for c in rate} == {("n", "0%")}
    assert {r["Raggiunti"].number_format for r in rows} == {INTEGER_FORMAT}


def test_issue_13_the_panoramica_percentages_are_numbers(app, made):
    """The issue's «67%»: sample 001's indicators reached, 20 of 30, written as text before."""
    assert one_row(app.dataframe[0].value, File="001_78aa5272353f3b13.txt")["Indicatori raggiunti"] == "67%"
    _, _, rows = rows_of(made["xlsx_documenti"]())
    inrete = one(rows, File="001_78aa5272353f3b13.txt")
    reached = inrete["Indicatori raggiunti"]
    assert reached.data_type == "n" and reached.value == pytest.approx(20 / 30) and reached.number_format == "0%"
    assert inrete["Passi nei tempi"].data_type == "n" and inrete["Passi nei tempi"].number_format == "0%"
    caluso = one(rows, File="002_1cd2a7c4668a1a79.txt")
    assert caluso["Passi nei tempi"].value is None                     # no dated step: empty, never a zero
    assert (inrete["Obiettivi"].value, inrete["Obiettivi"].number_format) == (12, INTEGER_FORMAT)
    crema = one(rows, File="003_6f8e82cecc449fcd.txt")
    assert crema["Anno"].value == "2015-2017"


def test_issue_13_every_excel_file_of_the_pages_is_formatted(app, made):
    """Every Excel file the pages offer on the samples: a frozen header with an autofilter, and no cell that holds
    a number, a percentage or a month as text."""
    for page in ("raggiungimento", "indicatori", "cronoprogramma", "risorse", "punteggi", "qualita", "correzioni"):
        open_page(app, page)
    app.switch_page("dashboard.py").run()
    app.selectbox(key="nostro_ente_scelta").set_value("Ambito Distrettuale di Crema").run()
    open_page(app, "consorzio")
    files = {key: make for key, make in made.items() if key.startswith("xlsx_")}
    assert {"xlsx_documenti", "xlsx_numerici", "xlsx_testuali", "xlsx_ritardi", "xlsx_aree", "xlsx_punteggi",
            "xlsx_righe", "xlsx_consorzio_piani_anni"} <= set(files)
    for key, make in files.items():
        sheet, header, rows = rows_of(make())
        assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:"), key
        assert all(isinstance(h, str) and h for h in header), key
        for row in rows:
            for column, cell in row.items():
                if column in ("Anno", "riga") and cell.value is not None:
                    assert cell.data_type == "n" or cell.value == "2015-2017", (key, column, cell.value)
                if cell.data_type == "n" and cell.value is not None:
                    assert cell.number_format != "General", (key, column, cell.value)
                if isinstance(cell.value, str) and not column.startswith(AS_PRINTED):
                    assert not FORMATTED.fullmatch(cell.value), (key, column, cell.value)
    _, _, rows = rows_of(made["xlsx_ritardi"]())
    assert all(r["Mese previsto"].is_date and r["Mese previsto"].number_format == MONTH_FORMAT for r in rows)
    _, _, rows = rows_of(made["xlsx_consorzio_piani_anni"]())
    assert {r[h].number_format for r in rows for h in r if h not in ("Anno", "Tabella")} == {EURO_FORMAT}


def test_issue_13_year_on_year_file_has_both_years_numbers(tmp_path, monkeypatch, made):
    """Sample 001 and a copy of it as 2020: «Il nostro consorzio» lists the indicators found in both years."""
    from conftest import DATA, SAMPLES
    from loaders.service import load_paths

    folder = tmp_path / "anni"
    folder.mkdir()
    (folder / "inrete_2020.txt").write_text(sample_text("inrete").replace("2019", "2020"), encoding="utf-8")
    (folder / SAMPLES["inrete"]).write_bytes((DATA / SAMPLES["inrete"]).read_bytes())
    database = tmp_path / "anni.duckdb"
    load_paths(database, [folder])
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.selectbox(key="nostro_ente_scelta").set_value("Consorzio IN.RE.TE.").run()
    open_page(app, "consorzio")
    shown = next(d.value for d in app.dataframe if "Legame" in d.value.columns)
    assert not {"actual_value", "previous_value", "Consuntivo 2020 (numero)"} & set(shown.columns)
    _, header, rows = rows_of(made["xlsx_consorzio_anni"]())
    assert header[3:7] == ["Consuntivo 2019", "Consuntivo 2019 (numero)", "Consuntivo 2020",
                           "Consuntivo 2020 (numero)"]
    meetings = one(rows, riga=39)                                       # «n. incontri»: 6 expected, 2 held
    assert (meetings["Consuntivo 2019"].value, meetings["Consuntivo 2019 (numero)"].value) == ("2", 2)
    assert meetings["Consuntivo 2020 (numero)"].data_type == "n"


def test_issue_13_the_register_of_changes_has_date_cells(sample_db, monkeypatch, made):
    """Amministrazione's register: «Quando» was text ('01/12/2026 11:02:48'); on the screen it still is."""
    from test_corrections import start

    app = open_page(start(sample_db, monkeypatch), "amministrazione")
    shown = next(d.value for d in app.dataframe if "Quando" in d.value.columns)
    assert shown["Quando"].str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d").all()
    _, _, rows = rows_of(made["xlsx_registro"]())
    assert len(rows) == len(shown) == 5
    assert all(r["Quando"].is_date and r["Quando"].number_format == "dd/mm/yyyy hh:mm" for r in rows)
    assert rows[0]["Quando"].value.strftime("%d/%m/%Y %H:%M:%S") == shown["Quando"].iloc[0]
    assert made["csv_registro"]().decode("utf-8-sig").splitlines()[1].split(";")[0] == \
        rows[0]["Quando"].value.strftime("%Y-%m-%d %H:%M:%S")                      # the time kept in the CSV too


def test_issue_13_the_list_of_corrections_has_date_cells(database, monkeypatch, made):
    """Correzioni: «Quando» a date cell in the file, the same moment on the screen as text."""
    from test_corrections import correct, start

    app = open_page(start(database, monkeypatch), "indicatori")
    correct(app, "indicatori", "Incontri CdA", "status", "not_met", "Il nucleo conta solo gli incontri deliberati")
    open_page(app, "correzioni")
    shown = next(d.value for d in app.dataframe if "Quando" in d.value.columns)
    assert len(shown) and shown["Quando"].str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d").all()
    _, _, rows = rows_of(made["xlsx_correzioni"]())
    assert len(rows) == len(shown)
    assert all(r["Quando"].is_date and r["Quando"].number_format == "dd/mm/yyyy hh:mm" for r in rows)
    assert {r["Quando"].value.strftime("%d/%m/%Y %H:%M:%S") for r in rows} == set(shown["Quando"])


# ---------------------------------------------------------------------------- the nucleo's working papers

def test_issue_13_working_papers_are_numbers_dates_and_shares(con):
    from cruscotto import scoring, workpapers
    from cruscotto.db import consortium

    items = consortium.commitments(con, IRIS_ISSUER, 2021)
    objectives = scoring.objectives_table(items)
    proposal = scoring.proposal_table(objectives, "weighted_mean", {}, None)
    book = openpyxl.load_workbook(io.BytesIO(workpapers.workbook(IRIS_ISSUER, 2021, "weighted_mean", None, proposal,
                                                                 objectives, items,
                                                                 made=datetime(2026, 12, 1, 9, 30))))
    assert book.sheetnames[0] == "Informazioni"
    about = {row[0].value: row[1] for row in book["Informazioni"].iter_rows() if row[0].value}
    assert about["Ente"].value == IRIS_ISSUER
    assert (about["Anno"].value, about["Anno"].number_format) == (2021, "0")
    assert about["Preparato il"].is_date and about["Preparato il"].value == datetime(2026, 12, 1, 9, 30)
    assert about["Preparato il"].number_format == "dd/mm/yyyy hh:mm"
    sheet = book["Impegni"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:R{len(items) + 1}"
    rows = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]
    debt = one(rows, Riga=148)                                          # «<=5%», «1,09%»
    assert debt["Atteso o previsto (come stampato)"].value == "<=5%"
    assert debt["Atteso (numero)"].value == pytest.approx(0.05) and debt["Atteso (numero)"].number_format == "0%"
    assert debt["Consuntivo (numero)"].value == pytest.approx(0.0109)
    assert debt["Consuntivo (numero)"].number_format == "0.0#%"
    counts = [r for r in rows if r["Atteso (numero)"].value is not None and not r["Atteso (numero)"].number_format
              .endswith("%")]
    assert counts and {r["Atteso (numero)"].number_format for r in counts} <= {INTEGER_FORMAT, NUMBER_FORMAT}
    weights = [cell for (cell,) in book["Obiettivi"].iter_rows(min_row=2, min_col=3, max_col=3)]    # «Peso»
    assert weights and {(c.data_type, c.number_format) for c in weights} == {("n", INTEGER_FORMAT)}   # 1, not 1,0

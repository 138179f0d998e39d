"""Issue 11, column mapping: a table the tool does not recognise, read with the column roles an editor gives
it; the mapping kept as a layout and applied by itself to the next table with the same header, from any
consortium; editors only, audited.

The two documents in tests/files/mapping/ are invented reports whose headers no reader knows:
'Misura | Obiettivo quantitativo | Dato a consuntivo | Note' and 'Azione | Incaricato | Termine fissato |
Termine rispettato' (Consorzio Valle Tanaro, 2022); the same 'Misura' header from another body (Azienda
Consortile Pianura Ovest, 2023), beside a list of offices that is no data at all.
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, sample_text
from cruscotto import db
from cruscotto.records import ParsedDocument
from cruscotto.vocabulary import MAPPING_ROLES
from loaders import parse_text
from loaders.errors import UnknownFamily
from loaders.mapping import Table, apply_layouts, header_key, merge, table_to_records, text_to_tables, Layout
from loaders.rows import document_rows
from loaders.service import load_paths, map_prepared, prepare, save, save_mapping, unread_tables
from test_auth import PASSWORD_HASH

MAPPING = ROOT / "tests" / "files" / "mapping"
FIRST = MAPPING / "misure_valtanaro_2022.txt"           # Consorzio Socio Assistenziale Valle Tanaro, 2022
SECOND = MAPPING / "misure_pianura_ovest_2023.txt"      # Azienda Consortile ... Pianura Ovest, 2023
CHECK_SCHEMA = ROOT.parent / "shared" / "tools" / "check_schema.py"
MEASURES = ["indicator", "expected", "actual", None]        # Misura | Obiettivo quantitativo | Dato a consuntivo | Note
ACTIONS = ["activity", None, "planned", "done"]             # Azione | Incaricato | Termine fissato | Termine rispettato


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def line(path: Path, number: int) -> str:
    return text_of(path).splitlines()[number - 1]


def judged(table: Table, roles, year: int) -> dict:
    fragment = ParsedDocument(kind="relazione_performance", issuer=None, report_year=year)
    return document_rows(merge(fragment, table_to_records(table, roles, year), table, "nota"))


# ---------------------------------------------------------------------------- the documents are really unknown

@pytest.mark.parametrize("path", [FIRST, SECOND])
def test_the_documents_are_not_recognised_by_any_reader(path):
    with pytest.raises(UnknownFamily):
        parse_text(text_of(path))
    prepared = prepare(path.name, path.read_bytes(), db.DocumentIndex(None))
    assert (prepared.status, prepared.family) == ("unrecognised", "non_riconosciuto")
    assert not prepared.rows["indicators"] and not prepared.rows["milestones"]


# ---------------------------------------------------------------------------- the pure mapping

def test_tables_are_consecutive_lines_with_the_same_number_of_cells():
    tables = text_to_tables(text_of(FIRST))
    assert [(t.first_line, t.last_line, t.title) for t in tables] == \
        [(7, 12, "Misure del piano annuale"), (15, 18, "Cronologia delle azioni")]
    assert tables[0].header.cells == ("Misura", "Obiettivo quantitativo", "Dato a consuntivo", "Note")
    only = text_to_tables(text_of(FIRST), only={15, 16, 17, 18})          # only the lines no reader read
    assert [t.first_line for t in only] == [15]
    wider = "A\tB\n1\t2\n3\t4\t5\n6\t7\t8\n"                          # another width starts another table
    assert [t.line_numbers for t in text_to_tables(wider)] == [(1, 2), (3, 4)]


def test_header_key_ignores_case_accents_punctuation_and_years():
    assert header_key(["Misura", "Obiettivo quantitativo", "Dato a consuntivo", "Note"]) == \
        header_key(["MISURA", "Obiettivo  quantitativo", "Dato a consuntivo:", "note"])
    assert header_key(["Voce", "Importo 2022"]) == header_key(["Voce", "Importo 2024"]) == "voc|import anno"
    assert header_key(["Attività", "Esito"]) == header_key(["ATTIVITA'", "esito"])
    assert header_key(["Misura", "Note"]) != header_key(["Misura", "Obiettivo quantitativo"])


def test_indicator_mapping_gives_records_with_their_lines_and_statuses():
    table = text_to_tables(text_of(FIRST))[0]
    rows = judged(table, MEASURES, 2022)
    got = [(r["name"], r["expected_raw"], r["actual_raw"], r["status"], r["source_line"]) for r in rows["indicators"]]
    assert got == [
        ("Colloqui di segretariato sociale", "=> 400", "452", "met", 8),
        ("Nuclei familiari seguiti dal servizio minori", "120", "84", "partly", 9),
        ("Carta dei servizi aggiornata", "Si", "Sì", "met", 10),
        ("Reclami non evasi entro 30 giorni", "< 5", "Nessuno", "met", 11),
        ("Progetti di vita indipendente avviati", "8", "/", "not_reported", 12),
    ]
    for record in rows["indicators"]:
        assert line(FIRST, record["source_line"]).startswith(record["name"])
    assert [o["title"] for o in rows["objectives"]] == ["Misure del piano annuale"]     # the table's title


def test_step_mapping_judges_slippage():
    table = text_to_tables(text_of(FIRST))[1]
    rows = judged(table, ACTIONS, 2022)
    assert [(r["activity"], r["status"], r["slippage_months"], r["source_line"]) for r in rows["milestones"]] == [
        ("Aggiornamento del regolamento ISEE", "done_on_time", 0, 16),
        ("Bando per l'assistenza domiciliare", "done_late", 3, 17),
        ("Mappatura dei servizi per la disabilità", "not_done", None, 18),
    ]


def test_objective_area_budget_and_score_roles():
    text = ("Prospetto\n"
            "Area\tProgetto\tCapitolo\tSpesa 2022\tSpesa 2023\tValutazione\n"
            "Anziani\tDomiciliarità\tAssistenza domiciliare\t€ 120.000,00\t€ -\t38/40\n"
            "\t\tPasti a domicilio\t15.500,50\t16.000,00\t\n"
            "Minori\tAffidi\tContributi affido\t80.000,00\t82.000,00\t\n"
            "Totale\t\tTotale\t215.500,50\t98.000,00\t\n")
    table = text_to_tables(text)[0]
    roles = ["area", "objective", "budget_item", "amount", "amount", "score"]
    rows = judged(table, roles, 2022)
    assert [(o["title"], o["area"], o["source_line"]) for o in rows["objectives"]] == \
        [("Domiciliarità", "Anziani", 3), ("Affidi", "Minori", 5)]
    lines = {(b["line"], b["year"]): (b["amount_eur"], b["group_name"], b["source_line"]) for b in rows["budget_lines"]}
    assert lines[("Assistenza domiciliare", 2022)] == (120000, "Anziani", 3)
    assert lines[("Assistenza domiciliare", 2023)][0] is None               # '€ -' is not reported, never 0
    assert lines[("Pasti a domicilio", 2023)] == (16000, "Anziani", 4)       # the area of the row above
    assert [(t["label"], t["year"], t["value"]) for t in rows["reported_totals"]] == \
        [("Totale", 2022, 215500.5), ("Totale", 2023, 98000)]
    assert [(s["area"], s["score"], s["max_score"]) for s in rows["scores"]] == [("Anziani", 38, 40)]


def test_a_row_that_gives_nothing_is_kept_as_an_issue_and_roles_must_fit():
    table = text_to_tables("Misura\tNote\nColloqui\tDato del gestionale\n\tsolo una nota\n")[0]
    mapped = table_to_records(table, ["indicator", None])
    assert [i.name for i in mapped.indicators] == ["Colloqui"]
    assert [(p.source_line, p.category) for p in mapped.problems] == [(3, "damaged_row")]
    with pytest.raises(ValueError):
        table_to_records(table, ["indicator"])                            # one role per column
    with pytest.raises(ValueError):
        table_to_records(table, ["indicator", "colore"])                  # only the vocabulary's roles


def test_role_names_come_from_the_vocabulary():
    assert list(MAPPING_ROLES.values()) == [
        "obiettivo", "area", "attività", "tempi previsti", "tempi effettivi", "indicatore", "unità", "atteso",
        "consuntivo", "scostamento", "peso", "punteggio", "voce di bilancio", "importo per anno"]


def test_a_layout_reads_an_unread_table_of_a_recognised_document_too():
    base = sample_text("cissac")
    text = base + "\n\n" + text_of(FIRST).split("\n", 5)[5]                # the two unknown tables appended
    family, parsed = parse_text(text)
    first = len(base.splitlines()) + 3                                      # the 'Misura' header
    assert family == "tabella_obiettivi" and first in {p.source_line for p in parsed.problems
                                                        if p.category == "unparsed_table"}
    layouts = {header_key(line(FIRST, 7).split("\t")): Layout(4, header_key(line(FIRST, 7).split("\t")),
                                                              tuple(MEASURES), "Maria Rossi")}
    read, used = apply_layouts(parsed, text, frozenset(), layouts)
    assert [u.layout_id for u in used] == [4]
    added = read.indicators[len(parsed.indicators):]
    assert [(i.name, i.source_line) for i in added][:1] == [("Colloqui di segretariato sociale", first + 1)]
    left = {p.source_line for p in read.problems if p.category == "unparsed_table"}
    assert first not in left and first + 8 in left                         # the 'Azione' table is still unread
    assert any("modello di tabella n. 4" in p.reason for p in read.problems if p.category == "note")


# ---------------------------------------------------------------------------- saved, then applied by itself

@pytest.fixture()
def kept(tmp_path):
    """A database holding the first document, kept as not recognised (as the upload page keeps it)."""
    database = tmp_path / "mapping.duckdb"
    results = load_paths(database, [FIRST], keep_unrecognised=True)
    assert [r.status for r in results] == ["kept"]
    return database, results[0].document_id


def map_first(database, document_id, editor="Maria Rossi"):
    with db.writing(database) as con:
        text = db.original(con, document_id).decode("utf-8")
        tables = unread_tables(text, db.furniture_lines(con, document_id), db.unread_lines(con, document_id))
        assert [t.first_line for t in tables] == [7, 15]
        return [save_mapping(con, document_id, tables[0], MEASURES, editor),
                save_mapping(con, document_id, tables[1], ACTIONS, editor)]


def test_a_mapping_is_saved_with_source_lines_statuses_layout_and_audit(kept):
    database, document_id = kept
    assert map_first(database, document_id) == [1, 2]
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT family FROM documents").fetchone() == ("colonne_assegnate",)
    indicators = con.execute("SELECT i.name, i.status, i.source_line FROM indicators i ORDER BY i.source_line").fetchall()
    assert [(s, n) for _, s, n in indicators] == [("met", 8), ("partly", 9), ("met", 10), ("met", 11),
                                                  ("not_reported", 12)]
    for name, _, number in indicators:
        assert line(FIRST, number).startswith(name)
    steps = con.execute("SELECT status, slippage_months, source_line FROM milestones ORDER BY source_line").fetchall()
    assert steps == [("done_on_time", 0, 16), ("done_late", 3, 17), ("not_done", None, 18)]
    categories = con.execute("SELECT DISTINCT category FROM quality_issues").fetchall()
    assert categories == [("note",)]                       # no line unread, the document no longer unrecognised
    assert con.execute("SELECT count(*) FROM objectives WHERE document_id = ?", [document_id]).fetchone() == (2,)
    layouts = con.execute("SELECT layout_id, header_key, header_text, roles, editor FROM layouts ORDER BY 1").fetchall()
    assert layouts[0][1:] == ("misur|obiettiv quantitativ|dat consuntiv|not", line(FIRST, 7), json.dumps(MEASURES),
                              "Maria Rossi")
    audit = con.execute("SELECT editor, action, document_id, detail FROM changes ORDER BY change_id").fetchall()
    assert [a[1] for a in audit] == ["caricato", "tabella mappata", "tabella mappata"]
    assert audit[1][0] == "Maria Rossi" and audit[1][2] == document_id
    assert audit[1][3] == "righe 7-12: 1 obiettivo, 5 indicatori; modello di tabella n. 1"
    con.close()


def test_the_layout_reads_the_same_header_from_another_issuer_by_itself(kept):
    database, document_id = kept
    before = load_paths(database.with_name("other.duckdb"), [SECOND])
    assert [r.status for r in before] == ["unrecognised"]                  # without a layout: not read
    map_first(database, document_id)
    results = load_paths(database, [SECOND])                              # no person, no keep flag
    assert [(r.status, r.family) for r in results] == [("loaded", "colonne_assegnate")]
    con = duckdb.connect(str(database), read_only=True)
    second = results[0].document_id
    assert con.execute("SELECT issuer, report_year FROM documents WHERE document_id = ?", [second]).fetchone() == \
        ("AZIENDA CONSORTILE SERVIZI SOCIALI PIANURA OVEST", 2023)
    got = con.execute("SELECT i.name, i.expected_raw, i.actual_raw, i.status, i.source_line FROM indicators i "
                      "JOIN objectives o USING (objective_id) WHERE o.document_id = ? ORDER BY i.source_line",
                      [second]).fetchall()
    assert got == [("Affidi familiari attivati", "6", "2", "not_met", 8),
                   ("Incontri di rete con le scuole", "almeno 10", "12", "met", 9),
                   ("Sportello per le famiglie aperto", "Si", "No", "not_met", 10)]
    for name, *_, number in got:
        assert line(SECOND, number).startswith(name)
    issues = con.execute("SELECT category, source_line, reason FROM quality_issues WHERE document_id = ? "
                         "ORDER BY source_line", [second]).fetchall()
    assert ("note", 7) == issues[0][:2] and "modello di tabella n. 1" in issues[0][2]
    assert [(c, n) for c, n, _ in issues[1:]] == [("unparsed_table", 13), ("unparsed_table", 14),
                                                 ("unparsed_table", 15)]    # the offices list stays unread
    con.close()
    if CHECK_SCHEMA.exists():
        check = subprocess.run([sys.executable, str(CHECK_SCHEMA), str(database)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout


def test_a_deleted_layout_is_recorded_and_applies_no_more(kept):
    database, document_id = kept
    map_first(database, document_id)
    with db.writing(database) as con:
        assert db.delete_layout(con, 1, "Luca Bianchi") == line(FIRST, 7)
        assert db.delete_layout(con, 1, "Luca Bianchi") is None            # gone: nothing more recorded
        (editor, action, detail), = con.execute("SELECT editor, action, detail FROM changes "
                                                "WHERE action = 'modello di tabella eliminato'").fetchall()
        assert (editor, detail) == ("Luca Bianchi", "modello n. 1: Misura | Obiettivo quantitativo | "
                                                    "Dato a consuntivo | Note")
        assert con.execute("SELECT count(*) FROM indicators").fetchone() == (5,)     # what was read stays
    assert [r.status for r in load_paths(database, [SECOND])] == ["unrecognised"]


def test_a_mapping_made_on_upload_is_saved_with_the_document_in_one_go(tmp_path):
    database = tmp_path / "upload.duckdb"
    with db.writing(database) as con:
        writer = db.DocumentWriter(con)
        prepared = prepare(FIRST.name, FIRST.read_bytes(), writer)
        assert prepared.status == "unrecognised"
        tables = unread_tables(prepared.extracted.text, prepared.extracted.furniture,
                               [q["source_line"] for q in prepared.rows["quality_issues"]
                                if q["category"] == "unparsed_table"])
        unused = [None] * 4                                                   # a table left as it is
        mapped = map_prepared(prepared, [(tables[0], MEASURES), (tables[1], unused)], "Anna Verdi")
        assert (mapped.status, mapped.family, mapped.counts["indicators"]) == ("new", "colonne_assegnate", 5)
        document_id = save(writer, mapped, editor="Anna Verdi")
        audit = con.execute("SELECT action, detail FROM changes ORDER BY change_id").fetchall()
        assert audit == [("caricato", None),
                         ("tabella mappata", "righe 7-12: 1 obiettivo, 5 indicatori; modello di tabella n. 1")]
        assert con.execute("SELECT header_text, document_id FROM layouts").fetchall() == [(line(FIRST, 7), document_id)]
        assert db.unread_lines(con, document_id) == [15, 16, 17, 18]
        assert con.execute("SELECT family FROM documents").fetchone() == ("colonne_assegnate",)
        again = db.DocumentWriter(con)                                    # the writer's ids stay right
        assert again.next_ids["changes"] == writer.next_ids["changes"] == 3


# ---------------------------------------------------------------------------- the pages

def documento(database, monkeypatch, document_id):
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", PASSWORD_HASH)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("pages/documento.py")
    app.run()
    app.selectbox(key="doc_choice").set_value(document_id).run()
    assert not app.exception, app.exception
    return app


def role_boxes(app):
    """The role choices: one per column (keys map_<document>_<line>_<column>)."""
    return [s for s in app.selectbox if (s.key or "").startswith("map_") and not s.key.startswith("map_table_")]


def test_anonymous_user_sees_the_tables_but_no_mapping_controls(kept, monkeypatch):
    database, document_id = kept
    app = documento(database, monkeypatch, document_id)
    assert "Tabelle non lette: assegna le colonne" in [s.value for s in app.subheader]
    assert "Nessun obiettivo letto" in app.info[0].value                    # no objectives: said, not an empty grid
    shown = app.dataframe[0].value
    assert list(shown.columns) == ["riga", "Misura", "Obiettivo quantitativo", "Dato a consuntivo", "Note"]
    assert shown.riga.tolist() == [8, 9, 10, 11, 12]
    assert "serve l'accesso da editor" in " ".join(w.value for w in app.warning)
    assert not role_boxes(app)
    assert not [b for b in app.button if b.label == "Salva i dati della tabella"]


def test_an_editor_maps_a_table_on_the_page_with_a_live_preview(kept, monkeypatch):
    database, document_id = kept
    app = documento(database, monkeypatch, document_id)
    app.text_input[0].set_value("Maria Rossi")
    app.text_input[1].set_value("segreta")
    [b for b in app.button if b.label == "Accedi"][0].click().run()
    assert not app.exception
    boxes = role_boxes(app)
    assert len(boxes) == 4 and boxes[0].options[0] == "— non usare —"
    for box, role in zip(boxes, MEASURES):
        box.set_value(role)
    app.run()
    preview = [d.value for d in app.dataframe if "Stato" in d.value.columns][0]
    assert preview[["riga", "Indicatore", "Stato"]].values.tolist() == [
        [8, "Colloqui di segretariato sociale", "raggiunto"],
        [9, "Nuclei familiari seguiti dal servizio minori", "parzialmente raggiunto"],
        [10, "Carta dei servizi aggiornata", "raggiunto"],
        [11, "Reclami non evasi entro 30 giorni", "raggiunto"],
        [12, "Progetti di vita indipendente avviati", "non rendicontato"]]
    [b for b in app.button if b.label == "Salva i dati della tabella"][0].click().run()
    assert not app.exception, app.exception
    assert any("Modello di tabella n. 1 conservato" in s.value for s in app.success)
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT count(*) FROM indicators").fetchone() == (5,)
    assert con.execute("SELECT editor, action FROM changes ORDER BY change_id DESC LIMIT 1").fetchone() == \
        ("Maria Rossi (dichiarato)", "tabella mappata")
    con.close()
    shown = app.dataframe[1].value                                          # the 'Azione' table is left
    assert shown.riga.tolist() == [16, 17, 18]


def test_layouts_are_listed_and_deleted_on_amministrazione(kept, monkeypatch):
    database, document_id = kept
    map_first(database, document_id)
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", PASSWORD_HASH)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("pages/amministrazione.py")
    app.run()
    assert not [b for b in app.button if b.label == "Elimina il modello"]   # anonymous: nothing
    app.text_input[0].set_value("Luca Bianchi")
    app.text_input[1].set_value("segreta")
    app.button[0].click().run()
    listed = [d.value for d in app.dataframe if "Intestazione" in d.value.columns][0]
    assert listed["N."].tolist() == [2, 1]
    assert listed.set_index("N.").loc[1, "Colonne"] == \
        "Misura → indicatore; Obiettivo quantitativo → atteso; Dato a consuntivo → consuntivo"
    app.selectbox(key="layout_choice").set_value(1).run()
    [b for b in app.button if b.label == "Elimina il modello"][0].click().run()
    assert not app.exception, app.exception
    assert any("Modello n. 1 eliminato" in s.value for s in app.success)
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT layout_id FROM layouts").fetchall() == [(2,)]
    assert con.execute("SELECT editor, action FROM changes ORDER BY change_id DESC LIMIT 1").fetchone() == \
        ("Luca Bianchi (dichiarato)", "modello di tabella eliminato")
    con.close()


def test_a_broken_stored_layout_is_left_out_and_stops_no_load(tmp_path):
    database = tmp_path / "broken.duckdb"
    key = header_key(line(SECOND, 7).split("\t"))
    with db.writing(database) as con:
        for layout_id, roles in ((1, "non è json"), (2, json.dumps(["colore", None, None, None]))):
            con.execute("INSERT INTO layouts VALUES (?, ?, 'x', ?, 'x', current_timestamp, NULL, NULL)",
                        [layout_id, key if layout_id == 2 else "misur|not", roles])
    results = load_paths(database, [SECOND, ROOT / "data" / "002_1cd2a7c4668a1a79.txt"])
    assert [r.status for r in results] == ["unrecognised", "loaded"]

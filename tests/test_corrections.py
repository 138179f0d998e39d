"""Corrections that leave a trail (issue 11): an editor corrects the tool's reading, every page and export shows
the corrected value marked as such, the correction follows the record across re-loads and formats, and a
correction whose record is gone is listed as orphaned."""
import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import DATA, ROOT, SAMPLES, log_in
from cruscotto import corrections, db
from cruscotto.auth import hash_password

PASSWORD_HASH = hash_password("segreta", salt="sale-di-prova")
OFFICE = ROOT / "tests" / "files" / "office"
ALBA = SAMPLES["alba"]
IRIS = SAMPLES["iris"]


def start(database, monkeypatch, login: bool = True) -> AppTest:
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", PASSWORD_HASH)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    if login:                                       # as a person would: the login form of the Correzioni page
        log_in(open_page(app, "correzioni"))
        assert "Accesso da editor: Maria Rossi" in " ".join(c.value for c in app.caption)
    return app


def open_page(app, name):
    app.switch_page(f"pages/{name}.py")
    app.run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error]
    return app


def correct(app, key: str, record: str, field: str, value, reason: str, widget="selectbox"):
    """Fill the «Correggi un dato» form of a page and press «Salva correzione»."""
    chooser = app.selectbox(key=f"corr_{key}_record")
    index = next(i for i, label in enumerate(chooser.options) if record in label)
    chooser.set_value(index).run()
    app.selectbox(key=f"corr_{key}_field").set_value(field).run()
    widgets = {"selectbox": app.selectbox, "number": app.number_input, "text": app.text_input}[widget]
    [w for w in widgets if (w.key or "").startswith(f"corr_{key}_value_")][0].set_value(value)
    [t for t in app.text_area if (t.key or "").startswith(f"corr_{key}_reason")][0].set_value(reason)
    app.button(key=f"corr_{key}_save").click().run()
    assert not app.exception, app.exception
    return app


def one(frame, **where):
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def reading(database, query, **kwargs):
    with db.reading(database) as con:
        return query(con, **kwargs)


def save(database, table, record_id, field, value, reason="letto male", editor="Maria Rossi"):
    with db.writing(database) as con:
        return db.save_correction(con, table, int(record_id), field, value, reason, editor)


def delete(database, source_name):
    document_id = int(one(reading(database, db.documents), source_name=source_name).document_id)
    with db.writing(database) as con:
        db.delete_document(con, document_id, "Luca Bianchi")


def indicator(database, name, source=ALBA):
    return one(reading(database, db.indicators), name=name, source_name=source)


def test_a_status_correction_is_shown_on_indicatori_and_in_its_exports(database, monkeypatch):
    from cruscotto import ui

    exported = {}
    real_excel, real_csv = ui.excel_bytes, ui.csv_bytes

    def excel(frame, title, *args, **kwargs):
        exported[title] = data = real_excel(frame, title, *args, **kwargs)
        return data

    def csv(frame):
        exported.setdefault("csv", []).append(data := real_csv(frame))
        return data

    made, real_download = {}, ui.download

    def download(where, label, make, file_name, key, mime):       # the files a click on each button would build
        made[key] = make
        real_download(where, label, make, file_name, key, mime)

    monkeypatch.setattr(ui, "excel_bytes", excel)
    monkeypatch.setattr(ui, "csv_bytes", csv)
    monkeypatch.setattr(ui, "download", download)
    app = start(database, monkeypatch)
    open_page(app, "indicatori")
    correct(app, "indicatori", "Incontri CdA", "status", "not_met", "Il nucleo conta solo gli incontri deliberati")
    for make in made.values():                                    # as a person would: click every download
        make()
    assert "Correzione salvata: Incontri CdA — " in app.success[0].value
    numeric = app.dataframe[0].value
    cda = one(numeric, Indicatore="Incontri CdA", file=ALBA)
    assert cda["Stato"] == "non raggiunto (corretto)"
    assert cda["Corretto"] == "sì"
    assert cda["Lettura del cruscotto"] == "stato: superato; atteso: 4; consuntivo: 14"
    assert cda["Perché"] == "Maria Rossi (dichiarato): Il nucleo conta solo gli incontri deliberati"
    assert one(numeric, Indicatore="Incontri Comuni", file=ALBA)["Stato"] == "raggiunto"     # others untouched

    sheet = openpyxl.load_workbook(io.BytesIO(exported["Indicatori numerici"])).active
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=3)]
    cda_row = next(r for r in rows if r["Indicatore"] == "Incontri CdA" and r["file"] == ALBA)
    assert cda_row["Stato"] == "non raggiunto (corretto)" and cda_row["Corretto"] == "sì"
    assert cda_row["Lettura del cruscotto"] == "stato: superato; atteso: 4; consuntivo: 14"
    assert cda_row["riga"] == 67                                                 # a real number cell
    assert any("Incontri CdA;" in b.decode("utf-8-sig") and "non raggiunto (corretto)" in b.decode("utf-8-sig")
               for b in exported["csv"])

    open_page(app, "raggiungimento")                                # the drill-down and the figures follow
    drill = app.dataframe[1].value
    assert one(drill, Indicatore="Incontri CdA")["Stato"] == "non raggiunto (corretto)"
    areas = app.dataframe[0].value
    alba = one(areas, Ente="CONS. SOC. ASSIST. ALBA-LANGHE-ROERO")
    assert (alba["Superati"], alba["Non raggiunti"]) == (3, 1)

    trail = reading(database, db.changes)
    assert (trail.action.iloc[0], trail.editor.iloc[0]) == ("corretto", "Maria Rossi (dichiarato)")
    assert "«superato» → «non raggiunto»" in trail.detail.iloc[0]
    with db.reading(database) as con:                                            # the parse is untouched
        assert con.execute("SELECT status FROM indicators WHERE name = 'Incontri CdA'").fetchall()[0][0] == "exceeded"


def test_an_anonymous_user_sees_no_correction_controls(database, monkeypatch):
    app = start(database, monkeypatch, login=False)
    for page in ("indicatori", "cronoprogramma", "documento", "correzioni"):
        open_page(app, page)
        assert not [b for b in app.button if b.label in ("Salva correzione", "Ritira correzione")]
        assert not [s for s in app.selectbox if s.label in ("Dato da correggere", "Che cosa correggere")]
        assert not [e for e in app.expander if e.label == "Correggi un dato (editor)"]
        if page in ("indicatori", "cronoprogramma"):                              # but is told where to log in
            assert any("dalla pagina «Correzioni»" in c.value for c in app.caption), page
    assert "serve l'accesso da editor" in app.warning[0].value                    # Correzioni offers the login


def test_a_step_correction_on_cronoprogramma_judges_the_step_again(database, monkeypatch):
    app = start(database, monkeypatch)
    open_page(app, "cronoprogramma")
    chooser = app.selectbox(key="corr_crono_record")
    index = next(i for i, label in enumerate(chooser.options) if label.startswith("Attivazione incontri sistematici"))
    chooser.set_value(index).run()
    app.selectbox(key="corr_crono_field").set_value("actual_month").run()
    month = [s for s in app.selectbox if s.label == "Mese"][0]
    month.set_value(3)
    [n for n in app.number_input if n.label == "Anno"][0].set_value(2020)
    [t for t in app.text_area if t.label.startswith("Motivo")][0].set_value("Verbale del 12 marzo 2020")
    app.button(key="corr_crono_save").click().run()
    assert not app.exception
    late = app.dataframe[0].value
    step = late[late["Attività"].str.startswith("Attivazione incontri sistematici")].iloc[0]
    assert (step["Mese svolto"], step["Mesi di ritardo"], step["Stato"]) == ("marzo 2020", 3, "in ritardo (corretto)")
    assert step["Lettura del cruscotto"] == "stato: svolto, senza data; previsto: dicembre 2019; svolto: —"


def test_a_status_correction_changes_the_attainment_figures(database):
    def alba():
        return one(reading(database, db.attainment, by="document"), source_name=ALBA)

    before = alba()
    save(database, "indicators", indicator(database, "Incontri CdA").indicator_id, "status", "not_met")
    after = alba()
    assert (after.exceeded, after.not_met, after.judged) == (before.exceeded - 1, before.not_met + 1, before.judged)
    documents = one(reading(database, db.documents), source_name=ALBA)
    assert documents.reached == before.met + before.exceeded - 1


def test_a_corrected_actual_value_is_judged_again(database):
    save(database, "indicators", indicator(database, "Incontri CdA").indicator_id, "actual_raw", "1")
    cda = indicator(database, "Incontri CdA")                        # 1 of 4 expected: 25%, not met
    assert (cda.actual_raw, cda.actual_value, cda.status, cda.attainment) == ("1", 1.0, "not_met", 0.25)
    assert cda.original_actual_raw == "14" and cda.status_by_person


def test_a_year_correction_puts_the_document_under_that_year(database, monkeypatch):
    with db.writing(database) as con:                        # a report whose year the tool could not read
        con.execute("UPDATE documents SET report_year = NULL WHERE source_name = ?", [IRIS])
    assert 2021 not in reading(database, db.filter_options)["years"] or \
        IRIS not in set(reading(database, db.documents, filters=db.Filters(years=(2021,))).source_name)
    app = start(database, monkeypatch)
    open_page(app, "documento")
    app.selectbox(key="doc_choice").set_value(
        int(one(reading(database, db.documents), source_name=IRIS).document_id)).run()
    correct(app, f"documento_{one(reading(database, db.documents), source_name=IRIS).document_id}", IRIS,
            "report_year", 2021, "Relazione sui risultati 2021 (pag. 1)", widget="number")
    assert "Dati del documento corretti da una persona" in " ".join(c.value for c in app.caption)
    assert 2021 in reading(database, db.filter_options)["years"]
    in_2021 = reading(database, db.documents, filters=db.Filters(years=(2021,)))
    assert IRIS in set(in_2021.source_name)
    anonymous = start(database, monkeypatch, login=False)                      # Panoramica, filtered by year
    anonymous.sidebar.multiselect(key="f_anni").set_value([2021]).run()
    assert IRIS in set(anonymous.dataframe[0].value.File)


def test_an_objective_area_and_the_issuer_are_corrected_on_documento(database, monkeypatch):
    app = start(database, monkeypatch)
    open_page(app, "documento")
    alba_id = int(one(reading(database, db.documents), source_name=ALBA).document_id)
    app.selectbox(key="doc_choice").set_value(alba_id).run()
    correct(app, f"obiettivi_{alba_id}", "1. Progettare", "area", "Governance", "Area del PEG 2019",
            widget="text")
    objectives = app.dataframe[0].value
    assert objectives["Area"].iloc[0] == "Governance (corretto)"
    assert "Governance" in reading(database, db.filter_options)["areas"]
    rows = reading(database, db.indicators, filters=db.Filters(areas=("Governance",)))
    assert set(rows.name) == {"Incontri CdA", "Incontri Comuni"}
    book = openpyxl.load_workbook(io.BytesIO(_template(database, alba_id)))
    assert book["Obiettivi"]["B2"].value == "Governance"


def _template(database, document_id):
    from cruscotto.template import write_workbook

    with db.reading(database) as con:
        return write_workbook(*db.template_rows(con, document_id))


def test_a_correction_survives_reloading_the_same_file_and_its_pdf_twin(database, tmp_path):
    from loaders.service import load_paths

    save(database, "indicators", indicator(database, "Incontri CdA").indicator_id, "status", "not_met")
    step = one(reading(database, db.milestones), activity="Incontri periodici con cda", source_name=ALBA)
    save(database, "milestones", step.milestone_id, "status", "not_done")
    alba_id = int(one(reading(database, db.documents), source_name=ALBA).document_id)
    save(database, "documents", alba_id, "issuer", "Consorzio Socio Assistenziale Alba-Langhe-Roero")

    def corrected(source=ALBA):
        cda = indicator(database, "Incontri CdA", source)
        step = one(reading(database, db.milestones), activity="Incontri periodici con cda")
        return cda.status, cda.issuer, step.status, set(reading(database, db.overrides).status)

    expected = ("not_met", "Consorzio Socio Assistenziale Alba-Langhe-Roero", "not_done", {"active"})
    # 1. a new version of the same file (one unrelated cell edited): it replaces the old one
    edited = (DATA / ALBA).read_text(encoding="utf-8").replace("Riunioni area", "Riunioni di area", 1)
    (tmp_path / ALBA).write_text(edited, encoding="utf-8")
    assert [r.status for r in load_paths(database, [tmp_path / ALBA])] == ["replaced"]
    assert corrected() == expected
    # 2. the same file again after it was deleted: orphaned meanwhile, attached again by the load
    delete(database, ALBA)
    assert set(reading(database, db.overrides).status) == {"orphaned"}
    assert [r.status for r in load_paths(database, [DATA / ALBA])] == ["loaded"]
    assert corrected() == expected
    # 3. its PDF twin, in place of the text
    delete(database, ALBA)
    assert [r.status for r in load_paths(database, [OFFICE / "alba.bordi.pdf"])] == ["loaded"]
    assert corrected("alba.bordi.pdf") == expected
    actions = list(reading(database, db.changes).action)
    assert actions.count("correzione ricollegata") == 9 and actions.count("correzione orfana") == 6


def test_an_orphaned_correction_is_listed_on_correzioni(database, monkeypatch, tmp_path):
    from loaders.service import load_paths

    save(database, "indicators", indicator(database, "Riunioni area").indicator_id, "actual_raw", "12",
         reason="Il verbale ne conta 12")
    edited = (DATA / ALBA).read_text(encoding="utf-8").replace("Riunioni area", "Riunioni del servizio", 1)
    (tmp_path / ALBA).write_text(edited, encoding="utf-8")
    assert [r.status for r in load_paths(database, [tmp_path / ALBA])] == ["replaced"]
    listed = one(reading(database, db.overrides), record_label="Riunioni area")
    assert listed.status == "orphaned"
    app = start(database, monkeypatch)
    assert "1 correzione orfana" in app.warning[0].value
    shown = one(app.dataframe[0].value, Dato="Riunioni area")
    assert (shown["Stato"], shown["Dopo (correzione)"], shown["Motivo"]) == ("orfana", "12", "Il verbale ne conta 12")
    assert shown["Ente"] == "CONS. SOC. ASSIST. ALBA-LANGHE-ROERO" and shown["Anno"] == "2019"


def test_withdrawal_restores_the_tools_reading(database, monkeypatch):
    save(database, "indicators", indicator(database, "Incontri CdA").indicator_id, "status", "not_met")
    app = start(database, monkeypatch)
    judged = one(app.dataframe[1].value, File=ALBA)
    assert judged["Indicatori: di una persona"] == 1
    app.selectbox(key="withdraw_choice").set_value(1)
    [t for t in app.text_area if t.label.startswith("Motivo")][0].set_value("Era giusta la lettura del cruscotto")
    app.button(key="withdraw").click().run()
    assert not app.exception
    assert "Correzione n. 1 ritirata: torna la lettura «superato»" in app.success[0].value
    assert one(app.dataframe[0].value, **{"N.": 1})["Stato"] == "ritirata"
    assert one(app.dataframe[1].value, File=ALBA)["Indicatori: di una persona"] == 0
    cda = indicator(database, "Incontri CdA")
    assert (cda.status, cda.corrected, cda.status_reason) == ("exceeded", False, cda.original_reason)
    trail = reading(database, db.changes)
    assert trail.action.iloc[0] == "correzione ritirata" and "Era giusta" in trail.detail.iloc[0]


def test_a_correction_needs_a_reason_and_a_real_change(database):
    cda = indicator(database, "Incontri CdA")
    with pytest.raises(corrections.InvalidCorrection) as no_reason:
        save(database, "indicators", cda.indicator_id, "status", "not_met", reason="  ")
    with pytest.raises(corrections.InvalidCorrection) as same:
        save(database, "indicators", cda.indicator_id, "status", "exceeded")
    with pytest.raises(corrections.InvalidCorrection) as bad:
        save(database, "indicators", cda.indicator_id, "status", "benissimo")
    assert (no_reason.value.code, same.value.code, bad.value.code) == ("reason", "same", "status")
    assert reading(database, db.overrides).empty


def test_keys_compare_loosely():
    doc = dict(document_id=1, issuer="Consorzio  Alfa.", report_year=2021, period_start=None, period_end=None,
               kind="relazione_performance")
    first = corrections.record_keys(doc, [dict(objective_id=1, number="1", title="Domiciliarità")],
                                    [dict(indicator_id=7, objective_id=1, name="Incontri CdA")], [])
    other = corrections.record_keys({**doc, "document_id": 2, "issuer": "CONSORZIO ALFA"},
                                    [dict(objective_id=5, number="1", title="DOMICILIARITA'")],
                                    [dict(indicator_id=9, objective_id=5, name="incontri  c.d.a.")], [])
    assert corrections.find_record(first["indicators"][7], other["indicators"]) == 9
    assert corrections.find_record(first["objectives"][1], other["objectives"]) == 5
    next_year = corrections.record_keys({**doc, "report_year": 2022}, [dict(objective_id=1, number="1", title="x")],
                                        [dict(indicator_id=3, objective_id=1, name="Incontri CdA")], [])
    assert corrections.find_record(first["indicators"][7], next_year["indicators"]) is None


def test_the_database_keeps_its_contract_with_corrections(database):
    import subprocess
    import sys

    checker = ROOT.parent / "shared" / "tools" / "check_schema.py"
    if not checker.exists():
        pytest.skip("shared/tools/check_schema.py is not beside the project")
    save(database, "indicators", indicator(database, "Incontri CdA").indicator_id, "status", "not_met")
    out = subprocess.run([sys.executable, str(checker), str(database)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_a_database_from_before_corrections_still_shows_every_page(database, monkeypatch):
    import duckdb

    con = duckdb.connect(str(database))
    con.execute("DROP TABLE overrides")                  # as written by the previous version
    con.close()
    assert len(reading(database, db.indicators)) and reading(database, db.overrides).empty
    app = start(database, monkeypatch, login=False)
    for page in ("indicatori", "cronoprogramma", "documento", "correzioni", "raggiungimento"):
        open_page(app, page)
    with db.writing(database) as con:                    # the next write adds the table
        assert con.execute("SELECT count(*) FROM overrides").fetchall() == [(0,)]


def test_a_correction_on_a_full_disk_is_said_in_italian_and_nothing_is_saved(database, monkeypatch):
    """One write helper (ui.write) for every editor's change: a full disk is a message, not a traceback."""
    import duckdb

    def full(*args, **kwargs):
        raise duckdb.IOException('Could not write file "x.duckdb.wal": No space left on device')

    app = start(database, monkeypatch)
    open_page(app, "indicatori")
    monkeypatch.setattr(db, "save_correction", full)
    correct(app, "indicatori", "Incontri CdA", "status", "not_met", "Il nucleo conta solo gli incontri deliberati")
    assert "Correzione non salvata: spazio su disco esaurito" in " ".join(e.value for e in app.error)
    assert reading(database, db.overrides).empty


def test_an_indicator_paired_with_another_objective_moves_there_on_every_page(database, monkeypatch):
    iris = reading(database, db.indicators)
    iris = iris[iris.source_name == IRIS]
    gara = one(iris, name="Capitolato di gara")
    smartworking = int(one(iris, name="% di dipendenti in smartworking dopo la fase emergenziale").objective_id)
    assert (gara.objective_number, gara.area) == ("4", "Funzioni Socio Assistenziali")
    app = start(database, monkeypatch)
    open_page(app, "raggiungimento")
    before = one(app.dataframe[0].value, Area="Funzioni Generali")["Valutabili"]
    app.selectbox(key="drill_area").set_value("Funzioni Socio Assistenziali").run()
    app.selectbox(key="drill_objective").set_value("Esternalizzazione dell'Asilo Nido").run()
    correct(app, "drill", "Capitolato di gara", "objective", smartworking,
            "Il capitolato è un atto dell'ufficio del personale, obiettivo 3 a pag. 9")
    assert "Obiettivo ora «3 · Riorganizzazione degli uffici con lo smartworking a regime»" in app.success[0].value
    assert "(era «4 · Esternalizzazione dell'Asilo Nido»)" in app.success[0].value
    assert one(app.dataframe[0].value, Area="Funzioni Generali")["Valutabili"] == before + 1

    moved = indicator(database, "Capitolato di gara", IRIS)
    assert (moved.objective_number, moved.area, moved.corrected) == ("3", "Funzioni Generali", True)
    open_page(app, "indicatori")
    shown = one(pd.concat([app.dataframe[0].value, app.dataframe[1].value]), Indicatore="Capitolato di gara")
    assert shown["Obiettivo"] == "3. Riorganizzazione degli uffici con lo smartworking a regime"
    assert shown["Lettura del cruscotto"].endswith("obiettivo: 4 · Esternalizzazione dell'Asilo Nido")
    with db.reading(database) as con:                                            # the parse is untouched
        assert con.execute("SELECT objective_id FROM indicators WHERE indicator_id = ?",
                           [int(gara.indicator_id)]).fetchall() == [(int(gara.objective_id),)]


def test_a_pairing_follows_the_document_to_its_pdf_twin_and_stays_inside_its_document(database):
    from loaders.service import load_paths

    cda = indicator(database, "Incontri CdA")
    second = int(indicator(database, "riunioni con equipe-tecnico politica").objective_id)
    elsewhere = int(indicator(database, "Capitolato di gara", IRIS).objective_id)
    with pytest.raises(corrections.InvalidCorrection) as foreign:
        save(database, "indicators", cda.indicator_id, "objective", elsewhere)
    assert foreign.value.code == "objective"
    save(database, "indicators", cda.indicator_id, "objective", second)
    assert indicator(database, "Incontri CdA").objective_number == "2"
    delete(database, ALBA)
    assert [r.status for r in load_paths(database, [OFFICE / "alba.bordi.pdf"])] == ["loaded"]
    twin = indicator(database, "Incontri CdA", "alba.bordi.pdf")
    assert (twin.objective_number, twin.corrected) == ("2", True)
    assert one(reading(database, db.overrides), field="objective").status == "active"


def test_a_database_from_before_pairings_shows_its_corrections(database, monkeypatch):
    import duckdb

    save(database, "indicators", indicator(database, "Incontri CdA").indicator_id, "status", "not_met")
    con = duckdb.connect(str(database))
    con.execute("ALTER TABLE overrides DROP COLUMN new_record_id")          # as written by the previous version
    con.close()
    assert indicator(database, "Incontri CdA").status == "not_met"
    app = start(database, monkeypatch, login=False)
    for page in ("indicatori", "raggiungimento", "correzioni"):
        open_page(app, page)


def test_withdrawing_one_of_two_corrected_values_judges_again_with_what_remains(database):
    def withdraw(override_id):
        with db.writing(database) as con:
            db.withdraw_correction(con, override_id, "Maria Rossi", "ripensamento")

    cda = indicator(database, "Incontri CdA")                          # expected 4, actual 14: exceeded
    expected = save(database, "indicators", cda.indicator_id, "expected_raw", "20")
    save(database, "indicators", cda.indicator_id, "actual_raw", "15")
    assert indicator(database, "Incontri CdA").status == "partly"     # 15 of 20
    withdraw(expected)                                                  # 15 of 4, not 15 of 20
    now = indicator(database, "Incontri CdA")
    assert (now.expected_raw, now.actual_raw, now.status, now.status_by_person) == ("4", "15", "exceeded", True)

    steps = reading(database, db.milestones)
    step = one(steps[steps.activity.str.startswith("Attivazione incontri sistematici")])
    assert (step.planned_month.year, step.planned_month.month) == (2019, 12)
    planned = save(database, "milestones", step.milestone_id, "planned_month", "2020-06-01")
    done = save(database, "milestones", step.milestone_id, "actual_month", "2020-03-01")

    def shown():
        return one(reading(database, db.milestones), milestone_id=step.milestone_id)
    assert (shown().status, shown().slippage_months) == ("done_early", -3)
    assert shown().status_reason == "Previsto entro giugno 2020, svolto a marzo 2020: in anticipo di 3 mesi."
    withdraw(planned)                                                   # December 2019 again: 3 months late
    assert (shown().status, shown().slippage_months) == ("done_late", 3)
    assert shown().status_reason == "Previsto entro dicembre 2019, svolto a marzo 2020: in ritardo di 3 mesi."
    withdraw(done)                                                      # no month done any more: the tool's status
    assert (shown().status, shown().status_by_person) == (step.status, False)

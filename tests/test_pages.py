"""Every page run by Streamlit's AppTest on the sample database, asserting the figures it shows."""
import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

CALUSO = "Consorzio Intercomunale Servizi Socio-Assistenziali Caluso"


@pytest.fixture()
def app(sample_db, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception
    return app


def open_page(app, name):
    app.switch_page(f"pages/{name}.py")
    app.run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error]
    return app


def table(app, title_fragment=None, index=0):
    return app.dataframe[index].value


def texts(app):
    return " ".join([m.value for m in app.markdown] + [c.value for c in app.caption]
                    + [s.value for s in app.subheader] + [h.value for h in app.header])


def figure(app, title):
    """The plotly figure a page drew under `title`, as the browser receives it."""
    import json

    drawn = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    return next(f for f in drawn if f["layout"]["title"]["text"] == title)


def rows_drawn(fig):
    """Each drawn row's position on the y axis with the tick label written there (on a category axis, each
    distinct label is one row)."""
    axis = fig["layout"]["yaxis"]
    if "tickvals" not in axis:
        return {y: y for t in fig["data"] for y in t["y"] if y is not None}
    return dict(zip(axis["tickvals"], axis["ticktext"]))


def test_panoramica_headline_figures(app):
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Documenti": "5", "Obiettivi": "40", "Indicatori raggiunti": "85%",
                       "Passi svolti nei tempi": "67%"}
    documents = table(app).set_index("File")
    assert documents.loc["001_78aa5272353f3b13.txt", "Indicatori raggiunti"] == "67%"
    assert documents.loc["003_6f8e82cecc449fcd.txt", "Anno"] == "2015-2017"
    # 004 names no issuer: it is called by its title, and its file keeps it apart from any other such document
    assert documents.loc["004_ec449bf6d7f73167.txt", "Ente"] == \
        "Ente non indicato · Relazione sulla performance · 004_ec449bf6d7f73167.txt"
    assert "8 indicatori non raggiunti" in texts(app) and "17 passi in ritardo" in texts(app)


def test_filters_apply_and_are_remembered_across_pages(app):
    app.sidebar.multiselect(key="f_enti").set_value([CALUSO]).run()
    assert {m.label: m.value for m in app.metric}["Documenti"] == "1"
    open_page(app, "raggiungimento")
    assert set(table(app).Ente) == {CALUSO}


def test_a_long_list_of_issuers_is_searched_not_sent_whole(sample_db, monkeypatch):
    from cruscotto import ui

    monkeypatch.setattr(ui, "FILTER_CHOICES", 2)                   # as if the samples were a whole region
    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    issuers = app.sidebar.multiselect(key="f_enti")
    assert len(issuers.options) == 2 and "5 su 5: qui i primi 2" in texts(app)
    app.sidebar.text_input(key="f_enti_cerca").set_value("caluso").run()
    assert app.sidebar.multiselect(key="f_enti").options == [CALUSO]
    app.sidebar.multiselect(key="f_enti").set_value([CALUSO]).run()
    app.sidebar.text_input(key="f_enti_cerca").set_value("crema").run()     # the choice stays among the options
    assert app.sidebar.multiselect(key="f_enti").options == [CALUSO, "Ambito Distrettuale di Crema"]
    assert {m.label: m.value for m in app.metric}["Documenti"] == "1"


def test_filters_narrow_each_other_and_keep_what_is_chosen(app):
    app.sidebar.multiselect(key="f_anni").set_value([2021]).run()
    # the samples of 2021: Caluso's report and the unnamed 004 (a report of 2021 too)
    assert app.sidebar.multiselect(key="f_enti").options == [
        CALUSO, "Ente non indicato · Relazione sulla performance · 004_ec449bf6d7f73167.txt"]
    assert app.sidebar.multiselect(key="f_tipi").options == ["Relazione sulla performance"]
    assert "Anziani" not in app.sidebar.multiselect(key="f_aree").options          # IN.RE.TE.'s area, of 2019
    assert app.sidebar.multiselect(key="f_anni").options == ["2015", "2016", "2017", "2019", "2021"]   # not by itself
    app.sidebar.multiselect(key="f_enti").set_value([CALUSO]).run()
    assert app.sidebar.multiselect(key="f_anni").options == ["2021"]
    assert app.sidebar.multiselect(key="f_anni").value == [2021]
    assert {m.label: m.value for m in app.metric}["Documenti"] == "1"
    app.sidebar.multiselect(key="f_anni").set_value([]).run()
    app.sidebar.multiselect(key="f_enti").set_value([]).run()
    app.sidebar.multiselect(key="f_aree").set_value(["Anziani"]).run()
    assert app.sidebar.multiselect(key="f_enti").options == ["Consorzio IN.RE.TE."]
    assert app.sidebar.multiselect(key="f_anni").options == ["2019"]


def test_documento_lists_the_documents_of_the_sidebar_filters(app):
    app.sidebar.multiselect(key="f_enti").set_value([CALUSO, "Consorzio IN.RE.TE."]).run()
    open_page(app, "documento")
    options = app.selectbox(key="doc_choice").options
    assert len(options) == 2 and {o.split(" · ")[0] for o in options} == {CALUSO, "Consorzio IN.RE.TE."}
    assert "documenti dei filtri scelti" in texts(app)


def test_raggiungimento_per_area(app):
    open_page(app, "raggiungimento")
    areas = table(app).set_index(["Ente", "Area"])
    governance = areas.loc[("Consorzio IN.RE.TE.", "Governance, amministrazione e servizi generali")]
    assert (governance["Raggiunti"], governance["Superati"], governance["Non raggiunti"], governance["Valutabili"]) \
        == (2, 3, 7, 13)
    assert governance["Tasso di raggiungimento"] == "38,5%"
    assert areas.loc[("Consorzio IN.RE.TE.", "Anziani"), "Non rendicontati"] == 1   # shown apart, not a zero
    drill = table(app, index=1)
    assert list(drill.Indicatore) == ["Incontri CdA", "Incontri Comuni"]
    assert drill.Stato.tolist() == ["superato", "raggiunto"]


def test_raggiungimento_draws_each_area_on_its_own_row(app):
    """Sample 004 (no issuer) has four areas whose long labels once shortened to the same text: plotly stacked
    them on one row (a bar of 130%, its note drawn over it). Every area is a row of its own, its bar <= 100%."""
    open_page(app, "raggiungimento")
    areas = table(app)
    fig = figure(app, "Indicatori raggiunti per area")
    rows = rows_drawn(fig)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert len(rows) == len(areas) == 15
    assert all(sorted(t["y"]) == sorted(rows) for t in bars)      # every bar trace: one bar on each row
    unnamed = [label for label in rows.values() if label.startswith("Ente non indicato")]
    assert len(unnamed) == 4 and len(set(unnamed)) == 4
    assert sorted(label.replace("<br>", " ").rsplit("· ", 1)[1] for label in unnamed) == \
        ["(area non indicata)", "Funzioni Generali", "Funzioni Socio Assistenziali",
         "Funzioni Socio Assistenziali e Funzioni Generali"]
    assert all(label.count("<br>") <= 2 for label in rows.values())
    for row in rows:                                              # the notes at 102% stay right of every bar
        assert sum(t["x"][t["y"].index(row)] or 0 for t in bars) <= 1 + 1e-9
    notes = next(t for t in fig["data"] if t["type"] == "scatter")
    noted = [n for n in notes["text"] if n.startswith("non rendicontati")]
    assert sorted(noted) == sorted(f"non rendicontati: {n}" for n in areas["Non rendicontati"] if n)
    assert noted and min(notes["x"]) > 1
    assert fig["layout"]["height"] >= 15 * 42


def test_indicatori_expected_vs_actual(app):
    open_page(app, "indicatori")
    numeric = table(app).set_index(["Indicatore", "riga"])
    cda = numeric.loc[("Incontri CdA", 54)] if ("Incontri CdA", 54) in numeric.index else \
        numeric[numeric.index.get_level_values(0) == "Incontri CdA"].iloc[0]
    assert (cda["Atteso"], cda["Consuntivo"], cda["Raggiungimento"], cda["Stato"]) == ("4", "14", "350,0%", "superato")
    stock = numeric[numeric.index.get_level_values(0) == "1. Incidenza dello stock di debito residuo"].iloc[0]
    assert (stock["Atteso"], stock["Consuntivo"], stock["Stato"]) == ("<=5%", "1,09%", "raggiunto")
    textual = table(app, index=1)
    colloqui = textual[textual.Consuntivo == "n. 39 REI n. 375 RDC"].iloc[0]
    assert colloqui["Stato"] == "da verificare" and "39" in colloqui["Perché"]


def test_indicatori_lollipop_labels_fit_their_rows(app):
    """Labels of three or four lines at 34 px a row once printed over each other: each is at most two lines
    (the indicator; its issuer and row), the whole text is in the hover, and the figure grows with its rows."""
    open_page(app, "indicatori")
    chart = next(c for c in app.get("plotly_chart") if "Consuntivo in rapporto" in c.proto.spec)
    assert len(chart.proto.spec) < 1_000_000
    fig = figure(app, "Consuntivo in rapporto al valore atteso")
    rows = rows_drawn(fig)
    expected = next(t for t in fig["data"] if t.get("name") == "atteso")
    assert sorted(expected["y"]) == sorted(rows) and len(rows) == 30
    assert all(label.count("<br>") == 1 for label in rows.values())
    assert all(len(line) <= 60 for label in rows.values() for line in label.split("<br>"))
    front_office = next(r for r, label in rows.items() if label.startswith("Riunioni responsabili front office"))
    assert rows[front_office] == ("Riunioni responsabili front office e back office<br>"
                                  "CONS. SOC. ASSIST. ALBA-LANGHE-ROERO · r. 149")
    assert expected["customdata"][expected["y"].index(front_office)][0] == \
        "Riunioni responsabili front office e back office · CONS. SOC. ASSIST. ALBA-LANGHE-ROERO · r. 149"
    assert fig["layout"]["height"] >= 30 * 48                       # two lines of 18 px and a gap, every row
    assert fig["layout"]["xaxis"]["title"]["text"] == "consuntivo in rapporto al valore atteso (100% = obiettivo)"


def test_a_wide_table_pins_the_column_that_says_what_a_row_is(app):
    import json

    open_page(app, "indicatori")
    config = json.loads(app.dataframe[0].proto.columns)                 # 19 columns: Stato is the 13th
    assert config["Indicatore"]["pinned"] is True
    assert not any(c.get("pinned") for name, c in config.items() if name != "Indicatore")
    open_page(app, "cronoprogramma")
    assert json.loads(app.dataframe[0].proto.columns)["Attività"]["pinned"] is True
    open_page(app, "qualita")                                           # 5 columns: nothing scrolls sideways
    assert not any(c.get("pinned") for c in json.loads(app.dataframe[0].proto.columns).values())


def test_cronoprogramma_late_steps(app):
    open_page(app, "cronoprogramma")
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["In ritardo"], metrics["Non svolti"]) == ("17", "9")
    late = table(app)
    gennaio = late[late["Consuntivo (testo)"] == "Gennaio 2020"].iloc[0]
    assert (gennaio["Mese previsto"], gennaio["Mese svolto"], gennaio["Mesi di ritardo"]) == \
        ("dicembre 2019", "gennaio 2020", 1)


def test_risorse_shares_and_totals(app):
    open_page(app, "risorse")
    lines = table(app)
    gestione = lines[(lines.Voce == "7) Gestione associata") & (lines.Anno == 2015)].iloc[0]
    assert (gestione["Importo"], gestione["Quota"]) == ("3.743.666,23 €", "71,1%")
    checks = pd.concat([d.value for d in app.dataframe if "Verifica" in d.value.columns])
    totals = checks[checks.Riga == "Totale"]
    assert list(totals.Verifica) == ["coincide"] * 3
    assert "Nessuna differenza" in texts(app)
    assert "Le 3 righe «non è un totale delle righe» sono importi stampati accanto alla tabella" in texts(app)


def test_punteggi_beside_attainment(app):
    open_page(app, "punteggi")
    scores = table(app).set_index("Area (nucleo)")
    assert scores.loc["AREA ANZIANI", "Punteggio"] == "460/500"
    direction = scores.loc["DIREZIONE- AMMINISTRATIVA-FINANZIARIA AREA"]
    assert (direction["Area degli obiettivi"], direction["Raggiungimento"]) == \
        ("DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA", "88,9%")


def test_qualita_lists_every_unread_line(app):
    open_page(app, "qualita")
    assert "Righe (108)" in texts(app)
    rows = table(app, index=1)
    damaged = rows[(rows.file == "001_78aa5272353f3b13.txt") & (rows.riga == 246)].iloc[0]
    assert damaged["Tipo"] == "riga danneggiata dall'estrazione"
    assert damaged["Testo originale"].startswith("#### Valore Valore atteso")


def test_documento_shows_the_source_line(app):
    open_page(app, "documento")
    objectives = table(app)
    assert list(objectives.riga) == [35, 76, 116]
    app.number_input[0].set_value(67).run()
    assert "▶    67 | Incontri CdA" in app.code[0].value


def recorded_downloads(monkeypatch) -> dict:
    """What each download button would build when clicked (its deferred callable), by the button's key."""
    from cruscotto import ui

    made, real = {}, ui.download

    def download(where, label, make, file_name, key, mime):
        made[key] = make
        real(where, label, make, file_name, key, mime)
    monkeypatch.setattr(ui, "download", download)
    return made


def test_excel_export_opens_with_italian_headers(app, monkeypatch):
    made = recorded_downloads(monkeypatch)
    open_page(app, "raggiungimento")
    assert app.get("download_button")[0].proto.deferred_file_id    # built on the click, not on every rerun
    book = openpyxl.load_workbook(io.BytesIO(made["xlsx_aree"]()))
    sheet = book.active
    assert sheet["A1"].value == "Raggiungimento per area"
    assert [c.value for c in sheet[2]][:3] == ["Ente", "Anno", "Area"]
    assert sheet.max_row == 2 + len(table(app))


def test_exports_hold_every_row_of_the_filters_not_only_the_page(app, monkeypatch):
    from cruscotto import ui

    made = recorded_downloads(monkeypatch)
    monkeypatch.setattr(ui, "PAGE_SIZE", 5)
    open_page(app, "qualita")
    assert len(table(app, index=1)) == 5
    assert "Righe 1–5 di 108" in texts(app)
    sheet = openpyxl.load_workbook(io.BytesIO(made["xlsx_righe"]())).active
    assert sheet.max_row == 2 + 108 and isinstance(sheet["C3"].value, int)      # 'riga': a real number cell
    app.text_input(key="cerca_righe").set_value("Valore atteso").run()
    found = table(app, index=1)                                  # every word, in any column, any case
    words = found.astype(str).agg(" ".join, axis=1).str.lower()
    assert len(found) < 108 and words.str.contains("valore").all() and words.str.contains("atteso").all()
    assert ((found.file == "001_78aa5272353f3b13.txt") & (found.riga == 246)).any()


def test_empty_database_says_what_to_do(tmp_path, monkeypatch):
    from cruscotto import db

    path = tmp_path / "vuoto.duckdb"
    db.connect(path).close()
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    app.run()
    assert not app.exception
    assert "Nessun documento caricato" in app.info[0].value
    for page in ("raggiungimento", "indicatori", "cronoprogramma", "risorse", "punteggi", "qualita", "documento"):
        open_page(app, page)
        assert app.info, page


def test_first_run_builds_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "nuovo.duckdb"))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception
    assert (tmp_path / "nuovo.duckdb").exists()
    assert {m.label: m.value for m in app.metric}["Documenti"] == "5"


def test_locked_database_gets_an_italian_message(sample_db, tmp_path, monkeypatch):
    """Another process writing the file (a loader) holds DuckDB's lock: the page says so and does not crash."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "occupato.duckdb"
    shutil.copy(sample_db, copy)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ok', flush=True); time.sleep(30)", str(copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        monkeypatch.setenv("CRUSCOTTO_DB", str(copy))
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        app.run()
        assert not app.exception
        assert "occupato" in app.warning[0].value
    finally:
        holder.kill()
        holder.wait()


def test_a_record_opens_in_the_documento_page_at_its_line(app):
    open_page(app, "indicatori")
    app.selectbox(key="src_indicatori").set_value(0).run()
    assert "▶    67 | Incontri CdA" in app.code[0].value        # the original line, in place
    app.button(key="open_indicatori").click().run()
    assert not app.exception
    assert app.title[0].value == "Documento"
    assert app.number_input[0].value == 67
    assert "▶    67 | Incontri CdA" in app.code[0].value


def test_documento_searches_the_documents_and_still_opens_a_record_there(app, monkeypatch):
    from cruscotto import ui

    monkeypatch.setattr(ui, "DOCUMENT_CHOICES", 2)                 # as if the samples were a whole region
    open_page(app, "documento")
    assert len(app.selectbox(key="doc_choice").options) == 2 and "5 documenti: qui i primi 2" in texts(app)
    app.text_input(key="doc_choice_cerca").set_value("caluso").run()
    options = app.selectbox(key="doc_choice").options
    assert len(options) == 1 and options[0].startswith(CALUSO)
    app.text_input(key="doc_choice_cerca").set_value("nessuna parola così").run()
    assert not app.exception and "Nessun documento contiene queste parole" in texts(app)
    app.text_input(key="doc_choice_cerca").set_value("").run()
    open_page(app, "indicatori")                                   # a record outside the first 2 still opens
    app.selectbox(key="src_indicatori").set_value(0).run()
    app.button(key="open_indicatori").click().run()
    assert app.title[0].value == "Documento" and app.number_input[0].value == 67
    assert "▶    67 | Incontri CdA" in app.code[0].value


def test_carica_offers_the_template_to_everyone(app, monkeypatch):
    monkeypatch.delenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", raising=False)
    open_page(app, "carica")
    assert app.get("download_button")[0].proto.label == "Scarica il modello Excel vuoto"
    assert "Le modifiche sono disattivate" in app.info[0].value        # uploading needs an editor


def test_documento_exports_the_document_to_the_template(app):
    open_page(app, "documento")
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Esporta questo documento nel modello Excel" in labels


def test_panoramica_headlines_follow_the_area_filter(app):
    app.sidebar.multiselect(key="f_aree").set_value(["Anziani"]).run()
    documents = table(app).set_index("File")
    assert documents.loc["001_78aa5272353f3b13.txt", "Indicatori"] == 4


def _rows_drawn(figure) -> tuple[int, list[str]]:
    """(distinct y positions the traces draw on, the y axis's row labels) of a horizontal chart."""
    positions = {y for trace in figure.data for y in (trace.y or ()) if y is not None}
    return len(positions), list(figure.layout.yaxis.ticktext or ())


def test_charts_keep_rows_apart_whose_shortened_labels_are_the_same():
    """Two documents, areas or steps whose names differ only past what a label shows must stay two rows: on a
    category axis Plotly drew them as one (their bars stacked: the newcomer's 130% bar on Raggiungimento)."""
    from cruscotto import charts

    same_start = "Consorzio Intercomunale dei Servizi Socio Assistenziali della Valle · Relazione sulla performance"
    documents = pd.DataFrame({"label": [f"{same_start} · 2021 · {name}" for name in ("a.pdf", "b.pdf")],
                              "read": [10, 12], "not_read": [1, 0]})
    areas = pd.DataFrame({"area": [f"Area inclusione sociale, contrasto alla povertà e {tail}" for tail in
                                   ("politiche abitative del distretto nord", "politiche abitative del distretto sud")],
                          "early": [0, 1], "on_time": [2, 2], "one": [1, 0], "two_three": [0, 0], "more": [0, 1],
                          "score": [8, 9], "max_score": [10, 10], "as_printed": ["8", "9"], "attainment": [0.5, 1.0],
                          "reached": [1, 2], "judged": [2, 2], "peer_rate": [0.4, None]})
    steps = pd.DataFrame({"activity": ["Avvio del servizio di assistenza domiciliare integrata nei comuni del "
                                       "distretto " + tail for tail in ("nord", "sud")],
                          "source_line": [40, 40], "planned_month": pd.to_datetime(["2021-03-01", "2021-05-01"]),
                          "actual_month": pd.to_datetime(["2021-04-01", "2021-05-01"]),
                          "status": ["done_late", "done_on_time"]})
    for figure in (charts.quality_by_document(documents, "Qualità"), charts.slippage_by_area(areas, "Ritardi"),
                   charts.scores_and_attainment(areas, "Punteggi"), charts.areas_beside_peers(areas, "Aree"),
                   charts.step_timeline(steps, "Cronoprogramma")):
        assert _rows_drawn(figure)[0] == 2, figure.layout.title.text
        assert len(_rows_drawn(figure)[1]) == 2, figure.layout.title.text
    shown = _rows_drawn(charts.quality_by_document(documents, "Qualità"))[1]
    assert shown[0] != shown[1] and shown[0].endswith("b.pdf") and shown[1].endswith("a.pdf")

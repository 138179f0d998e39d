"""'Il nostro consorzio' (issue 13) run by AppTest as a person uses it: choose the consortium in the sidebar, read
its sentences, switch the scoring rule, download the report."""
import io

import pdfplumber
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


def _choose(app, issuer):
    """Choose «Il nostro ente» in the sidebar of the Panoramica (AppTest runs the sidebar of the entry script on its
    first page only), then open the page «Il nostro consorzio». Returns the year chosen with it."""
    app.selectbox(key="nostro_ente_scelta").set_value(issuer).run()
    assert not app.exception, app.exception
    year = app.selectbox(key="nostro_anno_scelta").value
    app.switch_page("pages/consorzio.py").run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error]
    return year


def _as_editor(database, monkeypatch, issuer):
    """Our consortium chosen on the Panoramica, an editor logged in on Correzioni, then «Il nostro consorzio»."""
    from conftest import log_in
    from test_corrections import start

    app = start(database, monkeypatch, login=False)
    app.selectbox(key="nostro_ente_scelta").set_value(issuer).run()
    app.switch_page("pages/correzioni.py").run()
    log_in(app)
    app.switch_page("pages/consorzio.py").run()
    assert not app.exception, app.exception
    return app


def _texts(app) -> str:
    return " ".join([m.value for m in app.markdown] + [c.value for c in app.caption] + [i.value for i in app.info])


def _frame(app, first_column):
    return next(d.value for d in app.dataframe if d.value.columns[0] == first_column)


def test_the_consortium_chosen_in_the_sidebar_in_sentences(app):
    assert _choose(app, CALUSO) == 2021
    text = _texts(app)
    assert "Nel 2021 l'ente Consorzio Intercomunale Servizi Socio\\-Assistenziali Caluso ha raggiunto 22 indicatori su " \
           "23 valutabili \\(96%\\)" in text
    assert "è caricata solo la relazione del 2021" in text               # one year: the page says so
    peers = _frame(app, "Posto")
    ours = peers[peers["Ente"] == f"● {CALUSO}"].iloc[0]
    assert ours["Indicatori raggiunti"] == "96% (22 su 23)"
    # each table has its copy for paper, every column of it (the grid prints only its window)
    printed = [h.proto.body for h in app.get("html") if "solo-stampa" in h.proto.body]
    assert len(printed) >= 3 and any("96% (22 su 23)" in body and "Posto" in body for body in printed)
    app.switch_page("pages/punteggi.py").run()                             # remembered across pages
    assert (app.session_state["nostro_ente"], app.session_state["nostro_anno"]) == (CALUSO, 2021)


def test_the_panoramica_headline_is_our_consortium(app):
    # by default the latest report of an issuer that names itself (004, loaded last, names none)
    assert app.selectbox(key="nostro_ente_scelta").value == CALUSO
    assert "Il nostro ente: Consorzio Intercomunale Servizi Socio\\-Assistenziali Caluso · 2021" in [s.value for s in app.subheader]
    assert "ha raggiunto 22 indicatori su 23 valutabili \\(96%\\)" in _texts(app)
    assert {m.label: m.value for m in app.metric}["Documenti"] == "5"         # the filters' figures below it
    app.selectbox(key="nostro_ente_scelta").set_value("Consorzio IN.RE.TE.").run()
    assert "Il nostro ente: Consorzio IN\\.RE\\.TE\\. · 2019" in [s.value for s in app.subheader]


def test_the_score_proposal_follows_the_rule_chosen(app):
    _choose(app, CALUSO)
    proposal = _frame(app, "Area").set_index("Area")
    direzione = "DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA"
    # (1 + 0,75 + 1) / 3 of the document's 500; the document printed 470/500
    assert proposal.loc[direzione, "Proposta"] == "458,3 su 500,0"
    assert proposal.loc[direzione, "Punteggio del documento"] == "470/500"
    assert "Differenziazione del documento" in _texts(app) and "quasi lo stesso punteggio" in _texts(app)
    app.radio(key="consorzio_regola").set_value("all_met").run()
    proposal = _frame(app, "Area").set_index("Area")
    assert proposal.loc[direzione, "Proposta"] == "333,3 su 500,0"           # 2 of 3 objectives met in full
    app.number_input(key="consorzio_massimo").set_value(10).run()
    assert _frame(app, "Area").set_index("Area").loc[direzione, "Proposta"] == "6,7 su 10,0"


def test_the_report_downloads_for_the_chosen_year(app, monkeypatch):
    from cruscotto import ui

    made, real = {}, ui.download

    def download(where, label, make, file_name, key, mime):
        made[key] = (make, file_name)
        real(where, label, make, file_name, key, mime)
    monkeypatch.setattr(ui, "download", download)
    _choose(app, "Consorzio IN.RE.TE.")
    make, name = made["consorzio_pdf"]
    assert name == "relazione_sintetica_consorzio_in_re_te_2019.pdf"
    with pdfplumber.open(io.BytesIO(make())) as pdf:
        first = pdf.pages[0].extract_text()
    assert "Consorzio IN.RE.TE." in first and "ha raggiunto 20 indicatori su 30 valutabili (67%)" in first
    assert b"<svg" in made["consorzio_html"][0]()
    assert made["consorzio_carte"][1] == "carte_di_lavoro_consorzio_in_re_te_2019.xlsx"


def test_a_plan_year_shows_its_deadlines(app):
    assert _choose(app, "Ambito Distrettuale di Crema") == 2017              # the plan's latest year
    assert "c'è solo il Piano di Zona" in _texts(app)
    deadlines = _frame(app, "Piano")
    assert len(deadlines) == 8 and set(deadlines["Esito"]) == {"nessuna relazione di quegli anni"}


def test_an_editor_weighs_an_objective_and_the_proposal_follows(database, monkeypatch):
    from test_corrections import correct

    from cruscotto import db

    app = _as_editor(database, monkeypatch, CALUSO)
    # Direzione's three objectives: 100%, 75% (one met, one partly), 100%. Weighing the second 2: (1 + 1,5 + 1) / 4
    correct(app, "consorzio_pesi", "Transizione al digitale", "weight", "2",
            "Il piano della performance 2021 dà peso doppio alla transizione al digitale (pag. 12)", widget="text")
    assert "Peso nella proposta di punteggio ora «2» (era «1»)" in app.success[0].value
    direzione = _frame(app, "Area").set_index("Area").loc["DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA"]
    assert direzione["Proposta"] == "437,5 su 500,0"                       # 500 * (1 + 2 * 0,75 + 1) / 4
    with db.reading(database) as con:
        trail = db.overrides(con)
        changes = db.changes(con)
    weight = trail[trail.field == "weight"].iloc[0]
    assert (weight.old_value, weight.new_value, weight.status) == ("1", "2", "active")
    assert weight.editor.startswith("Maria Rossi")
    assert "Peso nella proposta di punteggio" in " ".join(map(str, changes["detail"]))


def test_an_editor_corrects_a_link_to_the_year_before(tmp_path, monkeypatch):
    """Sample 001 and a copy of it as 2020 (see test_scorecard.two_years): the editor says the 2020 «n. elaborati»
    of the first objective continues nothing of 2019, then that the 2020 «n. documenti» continues it."""
    from conftest import DATA, SAMPLES, sample_text
    from test_corrections import correct

    from cruscotto import db
    from loaders.service import load_paths

    folder = tmp_path / "anni"
    folder.mkdir()
    (folder / "inrete_2020.txt").write_text(sample_text("inrete").replace("2019", "2020"), encoding="utf-8")
    (folder / SAMPLES["inrete"]).write_bytes((DATA / SAMPLES["inrete"]).read_bytes())
    database = tmp_path / "anni.duckdb"
    load_paths(database, [folder])
    app = _as_editor(database, monkeypatch, "Consorzio IN.RE.TE.")
    assert app.session_state["nostro_anno"] == 2020

    def linked():
        frame = next(d.value for d in app.dataframe if "Legame" in d.value.columns)
        return frame[frame["riga"] == 40].iloc[0] if (frame["riga"] == 40).any() else None

    assert linked()["Legame"] == "del cruscotto: parole in comune 100%"          # n. elaborati, line 40
    correct(app, "consorzio_legami", "n. elaborati", "previous", "(nessun legame)",
            "Nel 2020 gli elaborati si contano in un altro modo", widget="selectbox")
    assert linked() is None
    with db.reading(database) as con:
        history = db.indicator_history(con, "Consorzio IN.RE.TE.")
        choices = db.previous_choices(con, int(history.query("year == 2020 and source_line == 40").indicator_id.iloc[0]))
    documents = choices[choices.label.str.endswith("· n. documenti")].indicator_id.iloc[0]
    printed = history.set_index("indicator_id").loc[documents, "actual_raw"]
    correct(app, "consorzio_legami", "n. elaborati", "previous", int(documents),
            "Gli elaborati del 2020 sono i documenti del 2019 (relazione, pag. 3)", widget="selectbox")
    row = linked()
    assert row["Legame"] == "dato da una persona" and row["Consuntivo 2019"] == printed     # n. documenti of 2019


def test_two_plans_side_by_side_in_euros(tmp_path, monkeypatch):
    """Crema's plan (003) and another ambito's: a copy where the observatory gets 25.000,00 € in 2016."""
    from conftest import DATA, SAMPLES, sample_text
    from loaders.service import load_paths

    folder = tmp_path / "piani"
    folder.mkdir()
    text = sample_text("crema").replace("Crema", "Lodi")
    text = text.replace("1) Osservatorio\t€ 15.000,00\t€ 15.000,00\t", "1) Osservatorio\t€ 15.000,00\t€ 25.000,00\t")
    (folder / "lodi.txt").write_text(text, encoding="utf-8")
    (folder / SAMPLES["crema"]).write_bytes((DATA / SAMPLES["crema"]).read_bytes())
    database = tmp_path / "piani.duckdb"
    assert [r.status for r in load_paths(database, [folder])] == ["loaded", "loaded"]
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    _choose(app, "Ambito Distrettuale di Crema")
    other = app.selectbox(key="consorzio_piano_altro")
    lodi = next(o for o in other.options if o.startswith("Ambito Distrettuale di Lodi"))
    other.set_value(lodi).run()                                           # chosen by its label
    years = _frame(app, "Anno").set_index(["Anno", "Tabella"])
    crema, lodi = years.columns
    assert (years.loc[(2016, "Budget"), crema], years.loc[(2016, "Budget"), lodi]) == ("7.065.488,22 €", "7.075.488,22 €")
    assert years.loc[(2012, "Risorse triennio 2012-2014"), crema] == "5.323.683,80 €"


def test_a_database_of_an_older_version_gets_the_new_columns_when_the_dashboard_starts(database, monkeypatch):
    import duckdb

    with duckdb.connect(str(database)) as con:                # as written before objectives had weight_raw
        con.execute("ALTER TABLE objectives DROP COLUMN weight_raw")
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception
    year = _choose(app, CALUSO)                               # its score proposal reads the objectives' weights
    assert year == 2021 and "Proposta di punteggio per area" in [s.value for s in app.subheader]
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'objectives' "
                           "AND column_name = 'weight_raw'").fetchone() == (1,)


def test_the_sidebar_choice_and_the_peer_table_are_worked_out_once_as_at_every_rerun(sample_db):
    """issuer_choices and peers_around (cached once per database) give what the sidebar and the peer table
    computed from the frames at every rerun."""
    import pandas as pd

    from cruscotto import consortium_ui, db

    with db.reading(sample_db) as con:
        years = db.issuer_years(con)
        ranked = db.status_counts(con, ("issuer",), year=2021)
        plans = db.plans(con)
    issuers, default, own = consortium_ui.issuer_choices(years)
    assert issuers == sorted(years["issuer"].unique()) and default == consortium_ui.default_issuer(years)
    for issuer in issuers:
        rows = years[years["issuer"] == issuer].sort_values("year", ascending=False)
        assert own[issuer] == list(zip(rows["year"].astype(int), rows["reports"].astype(int)))
    assert own[CALUSO] == [(2021, 1)]                                   # sample 002: the report on 2021
    table = consortium_ui.peers_around(CALUSO)(ranked).to_pandas()
    expected = consortium_ui.peer_table(consortium_ui.ranked_issuers(ranked), CALUSO).reset_index(drop=True)
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert f"● {CALUSO}" in table["Ente"].tolist()
    labels, plans_of = consortium_ui.plan_index(plans)
    assert labels == consortium_ui.plan_labels(plans)
    assert plans_of == {"Ambito Distrettuale di Crema": [int(plans.iloc[0]["document_id"])]}

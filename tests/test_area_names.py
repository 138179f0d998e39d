"""Area names (issue 11): documents print one area in many ways; an editor gives each printed name a canonical
one (suggested, never applied by itself); charts, filters and comparisons use it, the record keeps the print."""

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SAMPLES, log_in
from cruscotto import areas, backup, db
from cruscotto.auth import hash_password

PASSWORD_HASH = hash_password("segreta", salt="sale-di-prova")
CISSAC = SAMPLES["cissac"]          # prints 'AREA ANZIANI', 'AREA MINORI', 'AREA INCLUSIONE E PROGETTAZIONE'
INRETE = SAMPLES["inrete"]          # prints 'Anziani', 'Minori e famiglie', 'Disabili'
SAMPLE_AREAS = ["Anziani", "Disabili", "Governance, amministrazione e servizi generali", "Minori e famiglie",
                "Rete politiche sociali territoriali", "Soggetti a rischio di esclusione sociale", "AREA ANZIANI",
                "AREA INCLUSIONE E PROGETTAZIONE", "AREA MINORI", "DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA",
                "RICOMPOSIZIONE DEI SERVIZI", "RICOMPOSIZIONE DELLA CONOSCENZA",
                "RICOMPOSIZIONE DELLE RISORSE E DELLE MODALITA' GESTIONALI", "Funzioni Generali",
                "Funzioni Socio Assistenziali", "Funzioni Socio Assistenziali e Funzioni Generali"]


# ---------------------------------------------------------------------------- suggestions (pure)

@pytest.mark.parametrize("printed, canonical", [
    ("AREA ANZIANI", "Anziani"),                                   # capitals and the word 'area'
    ("Area anziani e non autosufficienza", "Anziani"),             # a longer name holding the key word
    ("Settore Anziano", "Anziani"),                                # singular
    ("Area Non Autosufficienza", "Anziani"),
    ("AREA MINORI", "Minori e famiglie"),
    ("Area minori e famiglia", "Minori e famiglie"),
    ("Area Disabilità", "Disabili"),                               # accents
    ("AREA DISABILI - HANDICAP", "Disabili"),                      # punctuation
    ("Soggetti a rischio di esclusione sociale", "Inclusione sociale"),
    ("DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA", "Amministrazione e servizi generali"),
    ("Governance, amministrazione e servizi generali", "Amministrazione e servizi generali"),
])
def test_a_printed_area_gets_the_vocabulary_name(printed, canonical):
    assert areas.suggest([printed]) == {printed: canonical}


def test_the_samples_areas_get_sensible_suggestions():
    found = areas.suggest(SAMPLE_AREAS)
    assert found["AREA ANZIANI"] == "Anziani" and "Anziani" not in found        # already canonical
    assert found["AREA MINORI"] == "Minori e famiglie" and "Minori e famiglie" not in found
    assert found["DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA"] == found[
        "Governance, amministrazione e servizi generali"]
    # names of different areas stay apart: no shared key word, or the key words of two areas
    for apart in ("RICOMPOSIZIONE DEI SERVIZI", "RICOMPOSIZIONE DELLA CONOSCENZA", "Funzioni Generali",
                  "Funzioni Socio Assistenziali", "Funzioni Socio Assistenziali e Funzioni Generali",
                  "Rete politiche sociali territoriali"):
        assert apart not in found


@pytest.mark.parametrize("printed, expected", [
    (["AREA PROGETTI SPECIALI", "Progetti speciali"], {"AREA PROGETTI SPECIALI": "Progetti speciali"}),
    (["AREA PROGETTO SPECIALE", "PROGETTI SPECIALI"],                          # plural/singular, both capitals
     {"AREA PROGETTO SPECIALE": "Progetti speciali", "PROGETTI SPECIALI": "Progetti speciali"}),
    (["Segretariato sociale", "Area segretariato sociale e sportelli"],       # one holds the other's key words
     {"Area segretariato sociale e sportelli": "Segretariato sociale"}),
    (["Anziani e disabili"], {}),                                              # two areas: no guess
    (["Funzioni generali", "Funzioni socio assistenziali", "Funzioni socio assistenziali e funzioni generali"], {}),
    (["Area"], {}),
])
def test_loose_matching_between_printed_names(printed, expected):
    assert areas.suggest(printed) == expected


def test_a_canonical_name_an_editor_chose_comes_first():
    assert areas.suggest(["AREA TERZA ETA'"]) == {"AREA TERZA ETA'": "Anziani"}           # the vocabulary
    assert areas.suggest(["AREA TERZA ETA'"], known=["Terza età"]) == {"AREA TERZA ETA'": "Terza età"}
    assert areas.suggest(["Area terza età e domiciliarità"], known=["Terza età"]) == {
        "Area terza età e domiciliarità": "Terza età"}


# ---------------------------------------------------------------------------- the alias table and the pages

def start(database, monkeypatch, login: bool = True) -> AppTest:
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", PASSWORD_HASH)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    open_page(app)
    if login:
        log_in(app)
    return app


def open_page(app, name="aree"):
    app.switch_page(f"pages/{name}.py")
    app.run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error]
    return app


def query(database, what, *args, **kwargs):
    with db.reading(database) as con:
        return what(con, *args, **kwargs)


def printed_areas(database, source_name):
    con = duckdb.connect(str(database), read_only=True)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT DISTINCT o.area FROM objectives o JOIN documents d USING (document_id) "
            "WHERE d.source_name = ? AND o.area IS NOT NULL", [source_name]).fetchall())
    finally:
        con.close()


def by_area(database, source_name):
    rows = query(database, db.attainment, by="area")
    return rows[rows.source_name == source_name].set_index("area")


def test_an_editor_merges_two_printed_areas_and_the_filters_and_attainment_follow(database, monkeypatch):
    before = by_area(database, CISSAC)
    assert {"AREA MINORI", "AREA INCLUSIONE E PROGETTAZIONE", "AREA ANZIANI"} <= set(before.index)
    app = start(database, monkeypatch)
    # a suggestion, accepted one by one
    app.multiselect(key="aree_scelte").set_value(["AREA ANZIANI"]).run()
    app.button(key="aree_accetta").click().run()
    assert not app.exception, app.exception
    assert "Nomi comuni salvati: 1" in app.success[0].value
    # a canonical name typed by the editor for two printed names of the same document
    for printed in ("AREA MINORI", "AREA INCLUSIONE E PROGETTAZIONE"):
        app.selectbox(key="aree_stampata").set_value(printed).run()
        app.text_input(key=f"aree_nome_{printed}").set_value("Famiglie e inclusione")
        app.button(key="aree_salva").click().run()
        assert not app.exception, app.exception
    listed = app.dataframe[0].value.set_index("Area stampata")
    assert listed.loc["AREA ANZIANI", "Nome comune oggi"] == "Anziani"
    assert listed.loc["AREA MINORI", "Nome comune oggi"] == "Famiglie e inclusione"
    assert listed.loc["Anziani", "Nome comune oggi"] == "(come stampato)"

    options = query(database, db.filter_options)["areas"]
    assert "Anziani" in options and "Famiglie e inclusione" in options
    assert not {"AREA ANZIANI", "AREA MINORI", "AREA INCLUSIONE E PROGETTAZIONE"} & set(options)
    after = by_area(database, CISSAC)
    merged = after.loc["Famiglie e inclusione"]                   # two printed names, one row
    assert merged.judged == before.loc["AREA MINORI"].judged + before.loc["AREA INCLUSIONE E PROGETTAZIONE"].judged
    assert merged.met == before.loc["AREA MINORI"].met + before.loc["AREA INCLUSIONE E PROGETTAZIONE"].met
    assert len(after) == len(before) - 1
    # the comparison across consortia: 'AREA ANZIANI' (002) and 'Anziani' (001) now share a name
    anziani = query(database, db.attainment, db.Filters(areas=("Anziani",)), by="area")
    assert set(anziani.source_name) == {CISSAC, INRETE}
    # the record keeps the printed name, and the pages can trace it
    assert printed_areas(database, CISSAC) == ["AREA ANZIANI", "AREA INCLUSIONE E PROGETTAZIONE", "AREA MINORI",
                                               "DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA"]
    rows = query(database, db.indicators)
    rows = rows[rows.source_name == CISSAC]
    assert set(rows[rows.area == "Famiglie e inclusione"].printed_area) == {"AREA MINORI",
                                                                           "AREA INCLUSIONE E PROGETTAZIONE"}
    trail = query(database, db.changes)
    assert list(trail[trail.action == "area unificata"].detail)[::-1] == [
        "«AREA ANZIANI» → «Anziani»", "«AREA MINORI» → «Famiglie e inclusione»",
        "«AREA INCLUSIONE E PROGETTAZIONE» → «Famiglie e inclusione»"]
    assert set(trail[trail.action == "area unificata"].editor) == {"Maria Rossi (dichiarato)"}
    # the Raggiungimento page shows the canonical names
    open_page(app, "raggiungimento")
    table = app.dataframe[0].value
    assert "Famiglie e inclusione" in set(table.Area) and "AREA MINORI" not in set(table.Area)


def test_accepting_every_suggestion_shown(database, monkeypatch):
    app = start(database, monkeypatch)
    accept = app.button(key="aree_accetta_tutti")
    assert accept.label == "Accetta tutti i suggerimenti mostrati (6)"
    accept.click().run()
    assert not app.exception, app.exception
    aliases = query(database, db.area_names).set_index("printed_area").canonical_area.dropna().to_dict()
    assert aliases == {
        "AREA ANZIANI": "Anziani", "AREA MINORI": "Minori e famiglie",
        "AREA INCLUSIONE E PROGETTAZIONE": "Inclusione sociale",
        "Soggetti a rischio di esclusione sociale": "Inclusione sociale",
        "DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA": "Amministrazione e servizi generali",
        "Governance, amministrazione e servizi generali": "Amministrazione e servizi generali"}
    assert "Nessun suggerimento nuovo" in " ".join(c.value for c in app.caption)


def test_an_anonymous_user_sees_the_list_but_cannot_change_it(database, monkeypatch):
    app = start(database, monkeypatch, login=False)
    listed = app.dataframe[0].value.set_index("Area stampata")
    assert listed.loc["AREA ANZIANI", "Suggerimento"] == "Anziani"
    assert listed.loc["AREA ANZIANI", "Documenti"] == 1
    keys = {b.key for b in app.button}
    assert not keys & {"aree_accetta", "aree_accetta_tutti", "aree_salva", "aree_togli"}
    assert not [w for w in app.text_input if (w.key or "").startswith("aree_nome_")]
    assert "accedi" in " ".join(c.value for c in app.caption).lower()
    assert query(database, db.area_names).canonical_area.isna().all()


def test_removing_an_alias_restores_the_printed_name(database, monkeypatch):
    with db.writing(database) as con:
        db.save_area_aliases(con, {"AREA ANZIANI": "Anziani", "AREA MINORI": "Minori e famiglie"}, "Luca Bianchi")
    assert "AREA ANZIANI" not in query(database, db.filter_options)["areas"]
    app = start(database, monkeypatch)
    app.selectbox(key="aree_da_togliere").set_value("AREA ANZIANI").run()
    app.button(key="aree_togli").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value == "«AREA ANZIANI» torna al nome stampato (era «Anziani»)."
    options = query(database, db.filter_options)["areas"]
    assert "AREA ANZIANI" in options and "AREA MINORI" not in options
    assert "AREA ANZIANI" in set(by_area(database, CISSAC).index)
    trail = query(database, db.changes)
    assert list(trail[trail.action == "area separata"].detail) == [
        "«AREA ANZIANI» non è più «Anziani»: torna il nome stampato"]
    # typing the printed name back is the same as removing the alias
    with db.writing(database) as con:
        assert db.save_area_aliases(con, {"AREA MINORI": "AREA MINORI"}, "Luca Bianchi") == [
            ("AREA MINORI", "Minori e famiglie", None)]
    assert query(database, db.area_names).canonical_area.isna().all()


def test_a_persons_area_correction_wins_and_is_mapped_too(database):
    objectives = query(database, db.indicators)
    objective_id = int(objectives[(objectives.source_name == CISSAC) & (objectives.area == "AREA MINORI")]
                       .objective_id.iloc[0])
    with db.writing(database) as con:
        db.save_correction(con, "objectives", objective_id, "area", "Area Minori e Famiglie", "refuso", "Luca Bianchi")
        db.save_area_aliases(con, {"Area Minori e Famiglie": "Minori e famiglie"}, "Luca Bianchi")
    rows = query(database, db.indicators)
    row = rows[rows.objective_id == objective_id].iloc[0]
    assert (row.area, row.printed_area, row.original_area) == ("Minori e famiglie", "Area Minori e Famiglie",
                                                               "AREA MINORI")
    assert "Area Minori e Famiglie" in set(query(database, db.area_names).printed_area)


def test_invalid_aliases_are_refused(database):
    with db.writing(database) as con:
        with pytest.raises(db.InvalidAlias) as refused:
            db.save_area_aliases(con, {"AREA ANZIANI": "   "}, "Luca Bianchi")
        assert refused.value.code == "empty"
        with pytest.raises(db.InvalidAlias):
            db.save_area_aliases(con, {"AREA ANZIANI": "x" * 201}, "Luca Bianchi")
    assert query(database, db.area_names).canonical_area.isna().all()


def test_a_backup_keeps_the_aliases(database, tmp_path):
    with db.writing(database) as con:
        db.save_area_aliases(con, {"AREA ANZIANI": "Anziani"}, "Luca Bianchi")
    target = tmp_path / "restored.duckdb"
    backup.restore_zip(backup.export_zip(database), target, "Maria Rossi")
    names = query(target, db.area_names).set_index("printed_area")
    assert names.loc["AREA ANZIANI", "canonical_area"] == "Anziani"
    assert names.loc["AREA ANZIANI", "editor"] == "Luca Bianchi"
    assert "AREA ANZIANI" not in query(target, db.filter_options)["areas"]


def test_a_database_written_before_area_names_is_read_with_printed_names(database):
    con = duckdb.connect(str(database))
    con.execute("DROP TABLE area_aliases")
    con.close()
    assert "AREA ANZIANI" in query(database, db.filter_options)["areas"]
    assert query(database, db.area_names).canonical_area.isna().all()


def test_scores_take_the_same_common_name_as_the_objectives(database):
    """Sample 002 prints its scores by area ('AREA ANZIANI 460/500'): an alias names them as it names the
    objectives, so Punteggi compares a score with the attainment of the same area; the printed name stays."""
    with db.writing(database) as con:
        db.save_area_aliases(con, {"AREA ANZIANI": "Anziani"}, "Luca Bianchi")
    scores = query(database, db.scores)
    row = scores[scores.printed_area == "AREA ANZIANI"].iloc[0]
    assert (row.area, row.score, row.max_score) == ("Anziani", 460, 500)


def test_an_area_correction_records_the_printed_name_it_replaces(database):
    objectives = query(database, db.indicators)
    objective_id = int(objectives[(objectives.source_name == CISSAC) & (objectives.area == "AREA MINORI")]
                       .objective_id.iloc[0])
    with db.writing(database) as con:
        db.save_area_aliases(con, {"AREA MINORI": "Minori e famiglie"}, "Luca Bianchi")
        db.save_correction(con, "objectives", objective_id, "area", "Minori e famiglie", "nome del Piano",
                           "Luca Bianchi")
    trail = query(database, db.overrides)
    assert (trail.old_value.iloc[0], trail.new_value.iloc[0]) == ("AREA MINORI", "Minori e famiglie")

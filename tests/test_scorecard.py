"""Our consortium at a glance (issue 13): the scorecard's sentences, the year on year, the peers, the score
proposal under both rules. Numbers come from the samples' own cells, counted in the comments."""
from __future__ import annotations

import duckdb
import pytest

from conftest import DATA, SAMPLES, sample_text
from cruscotto import scorecard, scoring
from cruscotto.db import consortium, queries
from cruscotto.db.views import Filters

CALUSO = "Consorzio Intercomunale Servizi Socio-Assistenziali Caluso"
INRETE = "Consorzio IN.RE.TE."


def _sentence(con, issuer, year):
    figures = consortium.status_counts(con, ("year",), issuer=issuer)
    this = figures[figures["year"] == year].iloc[0]
    earlier = figures[figures["year"] < year]
    previous = (int(earlier.iloc[-1]["year"]), earlier.iloc[-1]) if len(earlier) else None
    return scorecard.attainment_sentence(issuer, year, this, previous), this


def test_the_scorecard_of_caluso_counts_its_wide_table(con):
    # 002 prints 8 objectives of 3 indicators each: 24. One result reads «…tranne…» (partly), one cannot be
    # judged from its text; the other 22 are met. Judged: 22 + 1 = 23.
    sentence, this = _sentence(con, CALUSO, 2021)
    assert sentence.startswith(f"Nel 2021 l'ente {CALUSO} ha raggiunto 22 indicatori su 23 valutabili (96%).")
    assert "È il solo anno caricato per questo ente" in sentence
    assert (this.partly, this.not_met, this.unassessed, this.dated) == (1, 0, 1, 0)
    assert scorecard.unassessed_sentence(this) == ("1 indicatore non è rendicontato o non si può giudicare dal "
                                                  "testo: non conta né come raggiunto né come mancato.")


def test_the_scorecard_of_inrete_names_what_was_missed_and_late(con):
    sentence, this = _sentence(con, INRETE, 2019)
    assert sentence.startswith(f"Nel 2019 l'ente {INRETE} ha raggiunto 20 indicatori su 30 valutabili (67%).")
    # the same indicators the Indicatori page lists with these statuses
    counts = queries.indicator_counts(con, Filters(issuers=(INRETE,)))
    assert this.reached == counts["met"] + counts.get("exceeded", 0)
    assert (this.not_met, this.partly) == (counts["not_met"], counts["partly"]) == (8, 2)
    items = consortium.commitments(con, INRETE, 2019)
    not_met = items[(items.kind == "indicator") & (items.status == "not_met")].name.tolist()
    partly = items[(items.kind == "indicator") & (items.status == "partly")].name.tolist()
    # the first objective's meetings: 6 expected, 2 held (line 39); its papers: 8 expected, 1 written (line 40)
    assert not_met[:2] == ["n. incontri", "n. elaborati"]
    assert scorecard.missed_sentence(not_met, partly, this).startswith(
        "Non raggiunti (8): «n. incontri», «n. elaborati», «n. documenti», «n. giornate di formazione» e altri 4. "
        "Raggiunti in parte (2): ")
    steps = queries.milestone_counts(con, Filters(issuers=(INRETE,)))
    assert (this.on_time, this.late, this.not_done) == (
        steps["done_on_time"] + steps.get("done_early", 0), steps["done_late"], steps["not_done"])
    late = items[items.status == "done_late"].name.tolist()
    assert scorecard.steps_sentence(this, late).startswith(
        f"Del cronoprogramma, {this.on_time} passi su {this.on_time + this.late} con una data sono stati svolti nei "
        f"tempi ({round(100 * this.on_time / (this.on_time + this.late))}%); in ritardo ({this.late}): «Analisi")


def test_peers_are_the_other_issuers_of_the_same_year(con):
    # 2021: Caluso and sample 004 (which names no issuer); 004's 12 judged indicators are all met
    peers = consortium.status_counts(con, ("year",), peers_of=CALUSO, year=2021).iloc[0]
    assert peers.peers == 1
    assert scorecard.peers_sentence(2021, peers) == ("Per il 2021 l'altro ente caricato ha raggiunto nel complesso "
                                                     "12 indicatori su 12 valutabili (100%).")
    assert consortium.status_counts(con, ("year",), peers_of=CALUSO, year=2020).empty


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """Sample 001 and an edited copy of it as another year's report: every 2019 in the text reads 2020, and the
    first objective's two indicators are now met (meetings 6 of 6, papers 8 of 8)."""
    from loaders.service import load_paths

    folder = tmp_path_factory.mktemp("years")
    text = sample_text("inrete")
    edited = text.replace("2019", "2020")
    edited = edited.replace("\tn.\t6\t2\t", "\tn.\t6\t6\t").replace("\tn.\t8\t1\t", "\tn.\t8\t8\t")
    assert edited.count("\tn.\t6\t6\t") == 1 and edited.count("\tn.\t8\t8\t") == 1
    (folder / "inrete_2020.txt").write_text(edited, encoding="utf-8")
    (folder / SAMPLES["inrete"]).write_bytes((DATA / SAMPLES["inrete"]).read_bytes())
    path = folder / "years.duckdb"
    assert [r.status for r in load_paths(path, [folder])] == ["loaded", "loaded"]
    return path


def test_the_next_year_is_compared_with_the_one_before(two_years):
    with duckdb.connect(str(two_years), read_only=True) as con:
        sentence, _ = _sentence(con, INRETE, 2020)
        first, _ = _sentence(con, INRETE, 2019)
    # 2019: 20 of 30 (67%); 2020: the same plus the two indicators now met, 22 of 30 (73%): 6 points more
    assert sentence == (f"Nel 2020 l'ente {INRETE} ha raggiunto 22 indicatori su 30 valutabili (73%); nel 2019 "
                        "erano 20 su 30 (67%): 6 punti percentuali in più.")
    assert "È il solo anno caricato per questo ente fino al 2019" in first


def test_a_score_proposal_for_caluso_under_both_rules(con):
    # Caluso's areas and objectives (002): Anziani 1 objective (3 met); Minori 2 (3 + 3 met); Inclusione 2 (3 met;
    # 2 met + 1 not judgeable, left out); Direzione 3: 4 met / 1 met + 1 partly («tranne», no numbers: 50%) / 3 met.
    items = consortium.commitments(con, CALUSO, 2021)
    objectives = scoring.objectives_table(items)
    areas = objectives["area"].unique().tolist()
    printed = scoring.printed_scores(queries.scores(con, Filters(issuers=(CALUSO,))), areas)
    # the document scores every area out of 500, under its own spelling of the names ('AREA INCLUSIONE PROGETTAZIONE E')
    assert {a: p[1] for a, p in printed.items()} == {a: 500.0 for a in areas}
    maxima = {a: p[1] for a, p in printed.items()}
    mean = {p.area: p.score for p in scoring.propose(objectives, "weighted_mean", maxima)}
    whole = {p.area: p.score for p in scoring.propose(objectives, "all_met", maxima)}
    direzione = "DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA"
    # weighted mean: (1 + (1 + 0.5) / 2 + 1) / 3 = 0.9167 of 500 = 458.3; all met: 2 of 3 objectives = 333.3
    assert mean[direzione] == round(500 * (1 + 0.75 + 1) / 3, 1) == 458.3
    assert whole[direzione] == round(500 * 2 / 3, 1) == 333.3
    for area in ("AREA ANZIANI", "AREA MINORI", "AREA INCLUSIONE E PROGETTAZIONE"):
        assert mean[area] == whole[area] == 500.0
    # the nucleo printed 460 and 470 of 500: 92% to 94%, hardly differentiated
    sentence = scoring.spread_sentence(scoring.spread(p[0] / p[1] for p in printed.values()))
    assert sentence.startswith("Tutte le 4 aree hanno quasi lo stesso punteggio (tra 92% e 94% del massimo)")
    # the proposal under the second rule spreads them from 67% to 100%
    figures = scoring.spread(p.attainment for p in scoring.propose(objectives, "all_met", maxima))
    assert scoring.spread_sentence(figures).startswith("I punteggi delle 4 aree vanno da 67% a 100% del massimo")


def test_weights_change_the_proposal():
    import pandas as pd

    items = pd.DataFrame({
        "area": ["A"] * 4, "objective_id": [1, 1, 2, 2], "objective": ["1 · uno", "1 · uno", "2 · due", "2 · due"],
        "kind": ["indicator", "step", "indicator", "indicator"], "status": ["met", "done_late", "not_met", "partly"],
        "attainment": [1.0, None, 0.2, None], "weight_raw": [None, None, "30%", "70%"]})
    objectives = scoring.objectives_table(items)
    # objective 1: (1 + 0.5) / 2 = 0.75; objective 2 prints weights: 0.2 * 30 + 0.5 * 70 over 100 = 0.41
    assert objectives["mean"].round(4).tolist() == [0.75, 0.41]
    assert objectives["printed_weights"].tolist() == [False, True]
    assert scoring.propose(objectives, "weighted_mean")[0].score == round(100 * (0.75 + 0.41) / 2, 1)
    weighted = scoring.objectives_table(items, weights={1: 3.0, 2: 1.0})
    assert scoring.propose(weighted, "weighted_mean", default_max=10)[0].score == round(10 * (3 * 0.75 + 0.41) / 4, 1)
    assert scoring.propose(weighted, "all_met")[0].score == 0.0


def test_the_working_papers_are_a_workbook_of_numbers(con):
    from datetime import datetime

    from openpyxl import load_workbook

    from cruscotto import workpapers

    items = consortium.commitments(con, INRETE, 2019)
    objectives = scoring.objectives_table(items)
    proposal = scoring.proposal_table(objectives, "all_met", {}, maximum=10)
    data = workpapers.workbook(INRETE, 2019, "all_met", 10, proposal, objectives, items,
                               made=datetime(2026, 12, 1, 9, 30))
    import io

    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Informazioni", "Proposta per area", "Obiettivi", "Impegni"]
    about = {row[0]: row[1] for row in book["Informazioni"].iter_rows(values_only=True) if row[0]}
    assert about["Ente"] == INRETE and about["Anno"] == 2019 and about["Regola"] == "Tutti i target raggiunti"
    assert about["Massimo"] == 10 and about["Preparato il"] == datetime(2026, 12, 1, 9, 30)      # a date cell
    sheet = book["Impegni"]
    header = [c.value for c in sheet[1]]
    assert sheet.auto_filter.ref == f"A1:R{len(items) + 1}"
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    # line 39 of 001: «n. incontri», 6 expected, 2 held: numbers as numbers beside the printed text
    first = next(r for r in rows if r["Riga"] == 39)
    assert (first["Atteso (numero)"], first["Consuntivo (numero)"], first["Esito"]) == (6, 2, "non raggiunto")
    assert abs(first["Raggiungimento (consuntivo / atteso)"] - 2 / 6) < 1e-9
    column = sheet.iter_cols(min_col=header.index("Raggiungimento (consuntivo / atteso)") + 1, min_row=2)
    assert {c.number_format for c in next(column) if c.value is not None} == {"0%"}
    step = next(r for r in rows if r["Tipo"] == "passo" and r["Esito"] == "in ritardo")
    assert isinstance(step["Mese previsto"], datetime) and step["Slittamento (mesi)"] >= 1
    areas = [dict(zip([c.value for c in book["Proposta per area"][1]], r))
             for r in book["Proposta per area"].iter_rows(min_row=2, values_only=True)]
    # 'Soggetti a rischio di esclusione sociale': its one objective met every commitment -> 10 of 10
    assert {a["Area"]: a["Punteggio proposto"] for a in areas}["Soggetti a rischio di esclusione sociale"] == 10


@pytest.fixture(scope="module")
def plan_and_report(tmp_path_factory):
    """The Piano di Zona of Crema (003) and a 2015 report of the same ambito: sample 000 edited to be Crema's,
    with two of its steps now the plan's: the ISEE rules (plan: by June 2015; done in September) and the
    disability fund (plan: within the first year; done in October)."""
    from loaders.service import load_paths

    folder = tmp_path_factory.mktemp("plan")
    text = sample_text("alba").replace("CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", "Ambito Distrettuale di Crema")
    text = text.replace("2019", "2015").replace("2020", "2016")
    text = text.replace("Attivazione incontri sistematici con partner progettuali\tDicembre\tattuato",
                        "Approvazione del nuovo regolamento ISEE\tGiugno\tSettembre")
    text = text.replace("Incontri periodici con cda\tAnnuale\tattuato",
                        "Costituzione del Fondo Solidaristico per la Disabilità\tDicembre\tOttobre")
    (folder / "crema_2015.txt").write_text(text, encoding="utf-8")
    (folder / SAMPLES["crema"]).write_bytes((DATA / SAMPLES["crema"]).read_bytes())
    path = folder / "plan.duckdb"
    assert [r.status for r in load_paths(path, [folder])] == ["loaded", "loaded"]
    return path


def test_a_plans_deadlines_are_checked_against_the_later_reports(plan_and_report):
    from cruscotto import linking

    crema = "Ambito Distrettuale di Crema"
    with duckdb.connect(str(plan_and_report), read_only=True) as con:
        assert consortium.issuer_years(con).query("issuer == @crema")["year"].tolist() == [2015, 2016, 2017]
        checked = linking.plan_deadlines(consortium.plan_steps(con, crema), consortium.report_steps(con, crema))
    verdicts = dict(zip(checked["activity"], checked["verdict"]))
    assert verdicts["Si prevede l'approvazione del nuovo regolamento ISEE"] == "late"          # June -> September
    assert verdicts["Costituzione Fondo Solidaristico Disabilità"] == "on_time"                # December -> October
    # 2015's report is loaded and says nothing of the observatory; nothing of 2016-2018 is loaded
    assert verdicts["la predisposizione dell'impianto complessivo per l'avvio dell'attività dell'osservatorio"] == \
        "not_found"
    assert verdicts["l'analisi della terza tematica"] == "no_report"
    isee = checked[checked["verdict"] == "late"].iloc[0]
    assert isee.found_activity == "Approvazione del nuovo regolamento ISEE" and isee.found_year == 2015
    assert isee.found_source.startswith("crema_2015.txt, riga ")


def test_objectives_and_indicators_recur_year_to_year_under_other_words(two_years):
    from cruscotto import linking

    with duckdb.connect(str(two_years), read_only=True) as con:
        objectives = consortium.objective_history(con, INRETE)
        indicators = consortium.indicator_history(con, INRETE)
    links = linking.link_objectives(objectives)
    # the same twelve objectives in both years, each linked to its own title of the year before
    assert len(links) == 12 and set(links["previous_year"]) == {2019}
    titles = objectives.set_index("objective_id")["objective"]
    assert all(titles[a] == titles[b] for a, b in zip(links["objective_id"], links["previous_id"]))
    indicator_links = linking.link_indicators(indicators, links)
    table = linking.year_on_year(indicators, indicator_links, 2020)
    first = table[table["source_line"] == 39].iloc[0]          # n. incontri: 2 held in 2019, 6 in 2020
    assert (first["name"], first["previous_actual"], first["actual_raw"], first["change"]) == ("n. incontri", "2", "6", 4)
    # loosely: other words for the same thing, and a new objective that links to nothing
    assert linking.similarity("Analisi delle unità organizzative interessate da cessazioni",
                              "Analisi dell'unità organizzativa interessata dalle cessazioni") >= linking.LINKED
    assert linking.similarity("n. incontri", "Spesa sociale pro capite") == 0



def test_a_persons_link_finds_its_indicator_again_after_a_reload():
    import pandas as pd

    from cruscotto import linking
    from cruscotto.corrections import NO_LINK

    history = pd.DataFrame({"indicator_id": [1, 2, 3, 11, 12], "year": [2019, 2019, 2019, 2020, 2020],
                            "objective": ["1 · A"] * 5, "name": ["x", "y", "z", "x", "y"]})
    tool = pd.DataFrame({"indicator_id": [11, 12], "previous_id": [1, 2], "similarity": [1.0, 1.0]})
    # 12 continues 3 (saved when 3 had id 99: the 2019 document was loaded again since), 11 continues nothing
    corrected = pd.DataFrame({"indicator_id": [12, 11], "previous_id": [99, None], "label": ["2019 · 1 · A · z", NO_LINK]})
    links = linking.with_corrections(tool, corrected, history)
    assert links[["indicator_id", "previous_id", "by_person"]].values.tolist() == [[12, 3, True]]
    # a person's link takes the year-before indicator from the tool's link that had it
    taken = linking.with_corrections(tool, pd.DataFrame({"indicator_id": [12], "previous_id": [1], "label": ["…"]}),
                                     history)
    assert sorted(taken[["indicator_id", "previous_id"]].values.tolist()) == [[12, 1]]


def test_weights_printed_in_the_document_weigh_its_objectives(tmp_path):
    from loaders.service import load_paths

    # IN.RE.TE. 2019 whose first three sheets print «Peso dell'obiettivo»; one reads as no number
    weights = iter(["Peso dell'obiettivo\t60%", "Peso dell'obiettivo\t20%", "Peso dell'obiettivo\tda definire"])
    text = sample_text("inrete")
    edited = "\n".join(line + ("\n" + next(weights, "") if line.startswith("Progetto PEG") else "")
                       for line in text.split("\n"))
    (tmp_path / "inrete_pesi.txt").write_text(edited, encoding="utf-8")
    path = tmp_path / "pesi.duckdb"
    assert [r.status for r in load_paths(path, [tmp_path])] == ["loaded"]
    with duckdb.connect(str(path), read_only=True) as con:
        printed = con.execute("SELECT weight_raw FROM objectives ORDER BY position LIMIT 3").fetchall()
        ids = [r[0] for r in con.execute("SELECT objective_id FROM objectives ORDER BY position LIMIT 3").fetchall()]
        weights = consortium.objective_weights(con, INRETE, 2019)
        items = consortium.commitments(con, INRETE, 2019)
    assert printed == [("60%",), ("20%",), ("da definire",)]
    # the printed numbers count; the unreadable one weighs 1 like the objectives that print nothing
    assert {i: weights.get(i) for i in ids} == {ids[0]: 60.0, ids[1]: 20.0, ids[2]: None}
    plain = scoring.objectives_table(items)
    weighted = scoring.weighed(plain, weights)
    area = plain.loc[plain["objective_id"] == ids[0], "area"].iloc[0]
    rows = plain[plain["area"] == area]
    by_hand = sum(weights.get(o, 1.0) * m for o, m in zip(rows["objective_id"], rows["mean"])) / \
        sum(weights.get(o, 1.0) for o in rows["objective_id"])
    proposed = {p.area: p.score for p in scoring.propose(weighted, "weighted_mean")}
    assert proposed[area] == round(100 * by_hand, 1)
    assert proposed[area] != {p.area: p.score for p in scoring.propose(plain, "weighted_mean")}[area]

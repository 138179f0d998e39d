"""Objective sheets: samples 000 (Alba), 001 (IN.RE.TE., damaged tables) and 004 (baseline/scostamento)."""
import pytest

from conftest import line_of, sample_text
from loaders import family_for, schede_obiettivo
from loaders.rows import document_rows

ALBA, INRETE, IRIS = sample_text("alba"), sample_text("inrete"), sample_text("iris")


def find(rows, **match):
    found = [r for r in rows if all(getattr(r, k) == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def test_family_is_detected_from_content():
    for text in (ALBA, INRETE, IRIS):
        assert family_for(text) is schede_obiettivo


# ---------------------------------------------------------------------------- 000

def test_alba_counts_and_metadata():
    doc = schede_obiettivo.parse(ALBA)
    assert (len(doc.objectives), len(doc.milestones), len(doc.indicators)) == (3, 9, 7)
    assert doc.issuer == "CONS. SOC. ASSIST. ALBA-LANGHE-ROERO"
    assert (doc.report_year, doc.kind) == (2019, "rendicontazione_obiettivi")


def test_alba_cda_meetings_cell():
    ind = find(schede_obiettivo.parse(ALBA).indicators, name="Incontri CdA")
    assert (ind.unit, ind.expected_raw, ind.actual_raw) == ("N", "4", "14")
    assert line_of(ALBA, ind.source_line).startswith("Incontri CdA")


def test_alba_narrative_headings_are_not_new_objectives():
    doc = schede_obiettivo.parse(ALBA)
    assert [o.number for o in doc.objectives] == ["1", "2", "3"]
    assert doc.objectives[1].description.startswith("Governare, monitorare e gestire il passaggio dal REI")


def test_alba_statuses():
    rows = document_rows(schede_obiettivo.parse(ALBA))
    assert {m["status"] for m in rows["milestones"]} == {"done_undated"}
    by_name = {i["name"]: i for i in rows["indicators"]}
    assert by_name["Incontri CdA"]["status"] == "exceeded"
    assert by_name["Incontri CdA"]["attainment"] == pytest.approx(3.5)
    assert by_name["Incontri Comuni"]["status"] == "met"


# ---------------------------------------------------------------------------- 001

def test_inrete_counts_and_metadata():
    doc = schede_obiettivo.parse(INRETE)
    assert (len(doc.objectives), len(doc.milestones), len(doc.indicators)) == (12, 52, 35)
    assert (doc.issuer, doc.report_year) == ("Consorzio IN.RE.TE.", 2019)
    assert doc.scores == ()


def test_inrete_areas_come_from_the_sheets():
    areas = [o.area for o in schede_obiettivo.parse(INRETE).objectives]
    assert areas.count("Governance, amministrazione e servizi generali") == 5
    assert "Soggetti a rischio di esclusione sociale" in areas and "Anziani" in areas


def test_inrete_row_split_over_two_lines_is_joined():
    step = find(schede_obiettivo.parse(INRETE).milestones, source_line=241)
    assert (step.planned_raw, step.actual_raw) == ("Giugno/ Dicembre", "Giugno/ Dicembre")
    assert step.activity.endswith("sui temi della disabilità adulta")


def test_inrete_late_and_slipping_steps():
    rows = document_rows(schede_obiettivo.parse(INRETE))
    steps = {m["source_line"]: m for m in rows["milestones"]}
    assert (steps[243]["planned_raw"], steps[243]["actual_raw"]) == ("Dicembre", "Gennaio 2020")
    assert (steps[243]["status"], steps[243]["slippage_months"]) == ("done_late", 1)
    assert (steps[84]["status"], steps[84]["slippage_months"]) == ("done_late", 7)   # Maggio -> Dicembre
    assert steps[308]["slippage_months"] == 1                                        # Giugno/Ottobre -> Novembre
    assert steps[32]["status"] == "not_done"
    assert steps[273]["status"] == "not_reported"                                   # '/' is not a date
    assert sum(m["status"] == "done_late" for m in rows["milestones"]) == 14


def test_inrete_shifted_and_headerless_indicator_rows():
    doc = schede_obiettivo.parse(INRETE)
    first = find(doc.indicators, source_line=39)           # header 'Indicatore Descrizione Unità misura' merged
    assert (first.unit, first.expected_raw, first.actual_raw) == ("n.", "6", "2")
    after_damaged_header = find(doc.indicators, source_line=248)
    assert (after_damaged_header.expected_raw, after_damaged_header.actual_raw) == ("1", "3")
    unnamed = find(doc.indicators, source_line=145)
    assert unnamed.name is None and (unnamed.expected_raw, unnamed.actual_raw) == ("Si", "No")
    damaged = [p for p in doc.problems if p.source_line == 246]
    assert damaged and damaged[0].category == "damaged_row"


def test_inrete_compound_result_is_unknown_and_listed():
    rows = document_rows(schede_obiettivo.parse(INRETE))
    colloqui = next(i for i in rows["indicators"] if i["source_line"] == 346)
    assert (colloqui["expected_raw"], colloqui["actual_raw"], colloqui["status"]) == \
        ("500", "n. 39 REI n. 375 RDC", "unknown")
    assert any(q["source_line"] == 346 and q["category"] == "unjudged" for q in rows["quality_issues"])


def test_inrete_repeated_garbled_heading_is_one_objective():
    doc = schede_obiettivo.parse(INRETE)
    assert sum(o.source_line in (324, 325) for o in doc.objectives) == 1
    assert any(p.source_line == 325 and "ripetuta" in p.reason for p in doc.problems)


# ---------------------------------------------------------------------------- 004

def test_iris_counts_and_metadata():
    doc = schede_obiettivo.parse(IRIS)
    assert (len(doc.objectives), len(doc.milestones), len(doc.indicators)) == (9, 21, 17)
    assert doc.issuer is None                      # the text never names itself: no guessing
    assert (doc.report_year, doc.kind) == (2021, "relazione_performance")


def test_iris_repeated_strategic_objectives_point_to_the_first():
    doc = schede_obiettivo.parse(IRIS)
    by_line = {o.source_line: o for o in doc.objectives}
    assert by_line[295].duplicate_of == by_line[162].ref       # headless repeat of objective 1
    assert by_line[341].duplicate_of == by_line[212].ref       # objective 2 printed twice
    assert sum(o.duplicate_of is not None for o in doc.objectives) == 2
    # the repeat differs in one cell: 'dicembre novembre' vs 'dicembre dicembre'
    assert any(p.source_line == 307 and "176" in p.reason for p in doc.problems)


def test_iris_baseline_expected_actual_deviation():
    doc = schede_obiettivo.parse(IRIS)
    covid = find(doc.indicators, source_line=287)
    assert (covid.expected_raw, covid.actual_raw, covid.reported_deviation_raw) == ("8", "11", "+ 3")
    report = find(doc.indicators, source_line=183)
    assert (report.baseline_raw, report.expected_raw, report.actual_raw) == ("--", "1", "1")


def test_iris_financial_health_table():
    rows = document_rows(schede_obiettivo.parse(IRIS))
    financial = [i for i in rows["indicators"] if 148 <= i["source_line"] <= 150]
    assert [(i["expected_raw"], i["actual_raw"], i["status"]) for i in financial] == [
        ("<=5%", "1,09%", "met"), ("<=90%", "40,92%", "met"), ("<=0", "-20", "met")]
    objective = next(o for o in rows["objectives"] if o["source_line"] == 127)
    assert objective["title"] == "La salute economico finanziaria"


def test_iris_altri_obiettivi_peg_table():
    doc = schede_obiettivo.parse(IRIS)
    peg = find(doc.objectives, source_line=406)
    assert peg.title.startswith("Garantire la sicurezza della persona")
    assert peg.description == "Gestire il contratto di concessione; Monitorare e valutare il perseguimento " \
                              "degli obiettivi contrattuali"
    assert "Telesoccorso" in peg.peg_project
    rows = document_rows(doc)
    satisfaction = next(i for i in rows["indicators"] if i["source_line"] == 406)
    assert (satisfaction["expected_raw"], satisfaction["status"]) == (">= 8 (scala 1:10)", "not_reported")


def test_iris_legend_reads_text_results():
    rows = document_rows(schede_obiettivo.parse(IRIS))
    rues = next(i for i in rows["indicators"] if i["source_line"] == 389)
    assert (rues["actual_raw"], rues["status"]) == ("DD attuative decreto Brunetta", "met")
    steps = {m["source_line"]: m for m in rows["milestones"]}
    assert (steps[225]["status"], steps[225]["slippage_months"]) == ("done_late", 5)   # aprile -> Settembre
    assert steps[384]["status"] == "not_done"


# ---------------------------------------------------------------------------- edited copies

def edited(text, old, new, count=1):
    assert old in text, old
    changed = text.replace(old, new, count)
    assert changed != text
    return changed


def test_variant_other_issuer_year_and_values():
    text = edited(ALBA, "CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", "Consorzio Monviso Solidale")
    text = edited(text, "ASSEGNATI ANNO 2019", "ASSEGNATI ANNO 2023")
    text = edited(text, "Incontri CdA\tN\t4\t14", "Incontri CdA\tN\t12\t3")
    doc = schede_obiettivo.parse(text)
    assert (doc.issuer, doc.report_year) == ("Consorzio Monviso Solidale", 2023)
    rows = document_rows(doc)
    cda = next(i for i in rows["indicators"] if i["name"] == "Incontri CdA")
    assert (cda["expected_value"], cda["actual_value"], cda["status"]) == (12, 3, "not_met")
    assert rows["milestones"][0]["planned_month"].year == 2023


def test_variant_month_spellings_and_late_step():
    text = edited(ALBA, "partner progettuali\tDicembre\tattuato", "partner progettuali\tsett.\tGennaio 2020")
    rows = document_rows(schede_obiettivo.parse(text))
    step = rows["milestones"][0]
    assert (step["planned_raw"], step["actual_raw"]) == ("sett.", "Gennaio 2020")
    assert (step["status"], step["slippage_months"]) == ("done_late", 4)


def test_variant_not_reported_value_is_not_zero():
    text = edited(ALBA, "Incontri CdA\tN\t4\t14", "Incontri CdA\tN\t4\t/")
    cda = next(i for i in document_rows(schede_obiettivo.parse(text))["indicators"] if i["name"] == "Incontri CdA")
    assert (cda["status"], cda["actual_value"]) == ("not_reported", None)


def test_variant_row_split_over_two_lines():
    text = edited(ALBA, "Riunioni di area\tannuale\tattuato", "Riunioni di area\tGiugno/\tGiugno/\n"
                  "e con i comuni\tDicembre\tNovembre")
    steps = schede_obiettivo.parse(text).milestones
    joined = next(s for s in steps if s.activity.startswith("Riunioni di area"))
    assert (joined.activity, joined.planned_raw, joined.actual_raw) == \
        ("Riunioni di area e con i comuni", "Giugno/ Dicembre", "Giugno/ Novembre")
    assert len(steps) == 9


def test_variant_missing_row_and_reordered_blocks():
    text = edited(ALBA, "Incontri Comuni\tN\t6\t6\n", "")
    first, second = text.index("Obiettivo 1\t"), text.index("Obiettivo 2\t")
    third = text.index("Obiettivo 3\t")
    reordered = text[:first] + text[second:third] + text[first:second] + text[third:]
    doc = schede_obiettivo.parse(reordered)
    assert [o.number for o in doc.objectives] == ["2", "1", "3"]
    assert len(doc.indicators) == 6
    assert find(doc.indicators, name="Incontri CdA").objective == 1


def test_variant_repeated_block_elsewhere_is_marked():
    start, end = IRIS.index("Obiettivo strategico n. 4"), IRIS.index("Obiettivo strategico n. 5")
    text = IRIS + "\n" + IRIS[start:end]
    doc = schede_obiettivo.parse(text)
    repeats = [o for o in doc.objectives if o.duplicate_of is not None]
    assert len(repeats) == 3 and repeats[-1].title == "Esternalizzazione dell'Asilo Nido"


def test_variant_other_header_words():
    """Another consortium's words for the same columns: Fasi / Scadenza / Realizzato, Target / Risultato."""
    text = ALBA.replace("Modalità di attuazione\tTempi\tConsuntivo", "Fasi\tScadenza\tRealizzato")
    text = text.replace("Indicatore\tUnità misura\tValore atteso\tValore consuntivo", "INDICATORE\tUnita\tTarget\tRisultato")
    text = text.replace("partner progettuali\tDicembre\tattuato", "partner progettuali\t12/2019\t01/2020")
    assert text.count("Fasi\tScadenza\tRealizzato") == 3 and text.count("\tTarget\tRisultato") == 3
    doc = schede_obiettivo.parse(text)
    assert (len(doc.objectives), len(doc.milestones), len(doc.indicators)) == (3, 9, 7)
    rows = document_rows(doc)
    assert (rows["milestones"][0]["status"], rows["milestones"][0]["slippage_months"]) == ("done_late", 1)
    assert next(i for i in rows["indicators"] if i["name"] == "Incontri CdA")["status"] == "exceeded"


def test_variant_labels_with_colons_and_an_acronym_issuer():
    text = ALBA.replace("CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", "C.I.S.A. Asti Sud")
    text = text.replace("Progetto PEG\t102 Governance", "Progetto PEG:\t102 Governance")
    doc = schede_obiettivo.parse(text)
    assert doc.issuer == "C.I.S.A. Asti Sud"
    assert doc.objectives[0].peg_project == "102 Governance esterna e relazioni con l'utenza"


def test_variant_area_with_servizi_in_its_name_and_a_report_citing_a_plan():
    text = INRETE.replace("Area strategica\tAnziani\tServizi interessati", "Area strategica\tAnziani e Servizi domiciliari\tServizi interessati")
    text = text.replace("# RELAZIONE SULLA PERFORMANCE 2019", "# RELAZIONE SULLA PERFORMANCE 2019\n\nObiettivi coerenti con il Piano di Zona 2018-2020")
    assert family_for(text) is schede_obiettivo
    doc = schede_obiettivo.parse(text)
    assert "Anziani e Servizi domiciliari" in [o.area for o in doc.objectives]
    assert "Governance, amministrazione e servizi generali" in [o.area for o in doc.objectives]


# ---------------------------------------------------------------------------- objective weights

def test_an_objective_sheet_that_prints_its_weight_gives_it_to_the_objective():
    # IN.RE.TE.'s sheets with a weight row under each 'Progetto PEG' row, in three ways people write it
    weights = iter(["Peso dell'obiettivo\t40%", "PESO OBIETTIVO\t35 %", "Peso:\t0,25"])
    lines = [line + ("\n" + next(weights, "") if line.startswith("Progetto PEG") else "")
             for line in INRETE.split("\n")]
    edited = "\n".join(lines)
    doc = schede_obiettivo.parse(edited)
    original = schede_obiettivo.parse(INRETE)
    assert [o.weight_raw for o in doc.objectives][:3] == ["40%", "35 %", "0,25"]
    assert all(o.weight_raw is None for o in original.objectives)
    # nothing else moves: the same objectives, steps and indicators as the unedited sample
    assert [(o.title, o.area) for o in doc.objectives] == [(o.title, o.area) for o in original.objectives]
    assert (len(doc.milestones), len(doc.indicators)) == (len(original.milestones), len(original.indicators))
    rows = document_rows(doc)["objectives"]
    assert [r["weight_raw"] for r in rows][:3] == ["40%", "35 %", "0,25"]

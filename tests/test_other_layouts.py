"""Layouts that are none of the three sample families, and the readings issue 9 made general: a PEG with
phases and weights, target/result tables with a two-line header and key-value sheets, a Piano di Zona with
'Indicatori:' / 'Target:' lists, tables with no heading at all; scores in prose; sample-only shortcuts gone."""
from pathlib import Path

import pytest

from conftest import ROOT, sample_text
from loaders import FALLBACK, family_for, parse_text
from loaders.rows import document_rows

VARIANTS = ROOT / "tests" / "files" / "variants"


def read(name: str):
    family, parsed = parse_text((VARIANTS / name).read_text(encoding="utf-8"))
    return family, parsed, document_rows(parsed)


def by(rows, key, value):
    found = [r for r in rows if r[key] == value]
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------- PEG phases with dates and weights

def test_peg_phases_with_start_end_status_and_weight():
    family, parsed, rows = read("peg_fasi_2023.txt")
    assert (parsed.issuer, parsed.report_year) == ("Azienda Consortile Servizi alla Persona Pianura Est", 2023)
    assert [o["number"] for o in rows["objectives"]] == ["1.1", "1.2", "2.1", "2.2", "3.1", "4.1", "4.2"]
    assert rows["objectives"][5]["area"] == "Area Politiche sociali e Servizi alla persona"     # 'Servizi' kept
    steps = rows["milestones"]
    assert len(steps) == 26
    late = by(steps, "actual_raw", "concluso il 15/07/2023")
    assert (late["planned_raw"], late["start_raw"], late["weight_raw"]) == ("30.06.2023", "01/03/2023", "30%")
    assert (late["status"], late["slippage_months"]) == ("done_late", 1)
    assert {s["planned_month"].isoformat() for s in steps if s["planned_raw"] == "31-mar-23"} == {"2023-03-01"}
    assert {s["status"] for s in steps if s["actual_raw"] == "in corso"} == {"not_done"}
    assert {s["status"] for s in steps if s["actual_raw"] == "non avviato"} == {"not_done"}
    on_time = by(steps, "actual_raw", "15/03/2023")                     # Scadenza prevista / effettiva
    assert (on_time["planned_raw"], on_time["status"]) == ("31/03/2023", "done_on_time")


def test_peg_scores_in_a_table_and_in_sentences():
    _, parsed, rows = read("peg_fasi_2023.txt")
    scores = {(s["area"], s["as_printed"]): (s["score"], s["max_score"]) for s in rows["scores"]}
    assert scores[("Area Anziani", "23/25")] == (23, 25)
    assert scores[("Area Anziani", "8 punti su 10")] == (8, 10)
    assert scores[("Area Disabili", "totalizza il valore massimo di 10 punti")] == (10, 10)
    assert scores[("Valutazione del Nucleo", "Punteggio attribuito: 85/100")] == (85, 100)
    assert not any(area.startswith("Totale") for area, _ in scores)            # the total is not an area
    assert any("Riga del totale" in q["reason"] for q in rows["quality_issues"])


# ---------------------------------------------------------------------------- target / result tables

def test_target_result_tables_two_line_header_and_key_value_sheets():
    _, parsed, rows = read("indicatori_target_2022.txt")
    indicators = rows["indicators"]
    first = by(indicators, "name", "Domande di accesso evase entro 30 giorni")
    assert (first["expected_raw"], first["actual_raw"], first["attainment_raw"], first["status"]) == \
        (">= 90%", "93,4%", "100%", "met")
    home = by(indicators, "name", "Utenti in assistenza domiciliare")        # 'Valore' over 'atteso | consuntivo'
    assert (home["unit"], home["expected_raw"], home["actual_raw"], home["reported_deviation_raw"]) == \
        ("n.", "210", "198", "-12")
    assert home["status"] == "partly"
    sheet = by(indicators, "name", "Tempo medio di presa in carico")         # 'Indicatore: ...' lines
    assert (sheet["unit"], sheet["expected_raw"], sheet["actual_raw"], sheet["status"]) == \
        ("giorni", "minore o uguale a 30", "27", "met")
    cells = by(indicators, "name", "Percentuale di relazioni al Tribunale per i minorenni inviate nei termini")
    assert (cells["expected_raw"], cells["actual_raw"], cells["status"]) == ("maggiore o uguale a 95%", "97,2%", "met")
    foster = by(indicators, "name", "Progetti di affido familiare attivati")  # 'Target primo anno maggiore o ...'
    assert (foster["expected_raw"], foster["status"]) == ("primo anno maggiore o uguale a 90,00%", "partly")
    result = [i for i in indicators if i["expected_raw"] and i["expected_raw"].startswith("Attivazione di almeno 4")]
    assert result and result[0]["status"] == "not_met"                      # 'Risultato atteso | conseguito'


def test_a_table_with_no_heading_at_all_is_read_by_the_general_reader():
    text = ("Report attività 2023\n\n"
            "Indicatore\tTarget\tValore raggiunto\t% raggiungimento\n"
            "Accessi allo sportello\t1.000\t1.120\t112%\n"
            "Tempi medi di risposta (giorni)\t<= 10\t12\t80%\n")
    assert family_for(text) is FALLBACK
    family, parsed = parse_text(text)
    rows = document_rows(parsed)
    assert [(i["name"], i["status"]) for i in rows["indicators"]] == \
        [("Accessi allo sportello", "exceeded"), ("Tempi medi di risposta (giorni)", "not_met")]
    assert rows["objectives"][0]["title"] == "Report attività 2023"


def test_a_phases_table_under_objective_headings():
    text = ("Relazione finale PEG 2022\n\nObiettivo 1 – Nuovo regolamento\n\n"
            "Attività\tScadenza prevista\tScadenza effettiva\tStato\n"
            "Bozza del regolamento\t31/03/2022\t15/04/2022\tconcluso\n"
            "Approvazione in assemblea\t30.06.2022\t/\tin corso\n")
    family, parsed = parse_text(text)
    steps = document_rows(parsed)["milestones"]
    assert [(s["status"], s["slippage_months"]) for s in steps] == [("done_late", 1), ("not_reported", None)]


# ---------------------------------------------------------------------------- Piano di Zona lists

def test_plan_with_indicatori_and_target_lists():
    family, parsed, rows = read("piano_di_zona_2021_2023.txt")
    assert family == "piano_di_zona" and (parsed.period_start, parsed.period_end) == (2021, 2023)
    assert len(rows["indicators"]) == 14 and all(i["name"] and i["expected_raw"] for i in rows["indicators"])
    assert len(rows["milestones"]) == 5
    assert len(rows["budget_lines"]) == 36
    assert not [q for q in rows["quality_issues"] if q["category"] != "note"]


def test_plan_lists_written_as_indicatori_and_target():
    text = sample_text("crema").replace("Indicatori di esito:", "Indicatori:").replace("Range di valutazione:",
                                                                                         "Target:")
    assert text != sample_text("crema")
    rows = document_rows(parse_text(text)[1])
    original = document_rows(parse_text(sample_text("crema"))[1])
    assert [(i["name"], i["expected_raw"]) for i in rows["indicators"]] == \
        [(i["name"], i["expected_raw"]) for i in original["indicators"]]
    assert len(rows["indicators"]) == 33


def test_a_page_footer_copied_into_a_plan_is_not_a_budget_line():
    lines = sample_text("crema").splitlines()
    budget = next(n for n, line in enumerate(lines) if line.startswith("Budget\t"))
    footer = ["Piano di Zona 2015-2017\t12", "Piano di Zona 2015-2017\t13", "Piano di Zona 2015-2017\t14"]
    edited = lines[:budget + 3] + [footer[0]] + lines[budget + 3:budget + 6] + [footer[1]] + lines[budget + 6:] + \
        [footer[2]]
    from loaders.inputs.text import extract
    extracted = extract("\n".join(edited).encode())
    assert len(extracted.furniture) == 3
    rows = document_rows(parse_text(extracted.text, extracted.furniture)[1])
    assert not any("Piano di Zona" in b["line"] for b in rows["budget_lines"])
    assert len(rows["budget_lines"]) == len(document_rows(parse_text(sample_text("crema"))[1])["budget_lines"])


# ---------------------------------------------------------------------------- shortcuts that were sample-only

def test_issue_9_an_area_with_servizi_in_its_name_is_kept_whole():
    text = sample_text("alba").replace("Progetto PEG\t102 Governance", "Area strategica\tPolitiche sociali e "
                                       "Servizi alla persona\nProgetto PEG\t102 Governance", 1)
    objective = document_rows(parse_text(text)[1])["objectives"][0]
    assert objective["area"] == "Politiche sociali e Servizi alla persona"


def test_issue_9_the_deviation_legend_applies_only_where_it_is_printed():
    with_legend = document_rows(parse_text(sample_text("iris"))[1])
    text = "\n".join(line for line in sample_text("iris").splitlines() if "colonna “Scostamento”" not in line)
    assert text.count("\n") < sample_text("iris").count("\n")        # the legend (printed twice) is gone
    without = document_rows(parse_text(text)[1])
    decided = [i for i in with_legend["indicators"] if "per la sua legenda" in i["status_reason"]]
    assert decided                                         # sample 004 prints its legend: the legend decides
    undecided = {i["name"]: i["status"] for i in without["indicators"]}
    assert all(undecided[i["name"]] == "unknown" for i in decided)


def test_issue_9_the_004_score_sentence_is_read():
    scores = document_rows(parse_text(sample_text("iris"))[1])["scores"]
    assert [(s["score"], s["max_score"], s["area"]) for s in scores] == [(10, 10, "La salute economico finanziaria")]


@pytest.mark.parametrize("first_line", ["C.I.S.A. Asti Sud", "C.S.S. del Pinerolese", "Azienda Speciale Consortile Alfa",
                                        "Unione Montana Valle Susa", "Società della Salute Fiorentina Nord-Ovest"])
def test_issuer_forms_from_the_vocabulary(first_line):
    text = first_line + "\n\n" + sample_text("alba").split("\n", 12)[-1]
    assert parse_text(text)[1].issuer == first_line

"""The evaluator's rules of ../shared/DOMAIN.md, one by one."""
from datetime import date

import pytest

from cruscotto.evaluation import judge_indicator, judge_milestone, read_result


@pytest.mark.parametrize("expected, actual, status", [
    ("6", "2", "not_met"),            # 33%
    ("4", "3", "partly"),             # 75%
    ("4", "4", "met"),
    ("4", "14", "exceeded"),
    ("< 5", "Nessuno", "met"),        # lower is better, Nessuno = 0
    ("< 3", "N° 1 reclamo orale di una dipendente", "met"),
    ("<=5%", "1,09%", "met"),
    ("<=0", "-20", "met"),
    ("<=90%", "95%", "not_met"),
    ("Si", "Sì", "met"),
    ("Si", "No", "not_met"),
    ("Sì", "Sì, è stata redatta la relazione finale", "met"),
    ("tutti gli operatori formati entro gennaio 2022",
     "Sì, tutti gli operatori tranne la collega C.S. sono stati formati", "partly"),
    ("entro il 31/12/2021", "Il progetto si è concluso entro il 31/12/2021.", "met"),
    ("entro il 31/12/2021", "Il progetto si è concluso a marzo 2022.", "not_met"),
    ("Almeno al 90%", "Tutti i tutoraggi previsti sono stati realizzati.", "met"),
    ("almeno n°1", "Sì, è stata presentata una domanda di finanziamento", "met"),
    ("=>N° 6", "visionate le commissioni del 2021 (12 sedute)", "met"),
    ("2", "/", "not_reported"),
    ("2", "", "not_reported"),
    (">= 8 (scala 1:10)", "Il questionario sarà somministrato nel mese di aprile 2022", "not_reported"),
    ("500", "n. 39 REI n. 375 RDC", "unknown"),
    ("6", "<b>2019</b>", "unknown"),
])
def test_indicator_status(expected, actual, status):
    assert judge_indicator(expected, actual, report_year=2021).status == status


def test_attainment_is_actual_over_expected():
    judged = judge_indicator("6", "2")
    assert judged.attainment == pytest.approx(1 / 3)
    assert (judged.expected_value, judged.actual_value, judged.computed_deviation) == (6, 2, -4)


def test_not_reported_is_never_a_zero():
    judged = judge_indicator("2", "/")
    assert judged.actual_value is None and judged.attainment is None


def test_compound_result_says_why_it_is_unknown():
    reason = judge_indicator("500", "n. 39 REI n. 375 RDC").reason
    assert "39" in reason and "375" in reason


def test_document_legend_decides_when_the_result_is_text():
    judged = judge_indicator("1", "DD attuative decreto Brunetta", reported_deviation_raw="0", deviation_legend=True)
    assert judged.status == "met" and "legenda" in judged.reason
    assert judge_indicator("1", "testo", reported_deviation_raw="-1", deviation_legend=True).status == "partly"


def test_issue_9_deviation_column_without_a_printed_legend_decides_nothing():
    judged = judge_indicator("1", "DD attuative decreto Brunetta", reported_deviation_raw="0")
    assert judged.status == "unknown"
    assert judge_indicator("1", "testo", reported_deviation_raw="-1").status == "unknown"


def test_plan_indicators_wait_for_results():
    assert judge_indicator("Produzione di almeno n. 3 report", None, is_plan=True).status == "not_reported"


def test_read_result_kinds():
    assert read_result("Nessuno").value == 0
    assert read_result("n. 12").value == 12 and read_result("n. 12").from_text
    assert read_result("/").kind == "missing"


@pytest.mark.parametrize("planned, actual, status, slip", [
    ("Giugno/Ottobre", "Giugno/ Novembre", "done_late", 1),
    ("Dicembre", "Gennaio 2020", "done_late", 1),
    ("Settembre", "Aprile", "done_early", -5),
    ("Aprile", "Aprile", "done_on_time", 0),
    ("Settembre", "no", "not_done", None),
    ("Annuale", "attuato", "done_undated", None),
    ("Giugno", "/", "not_reported", None),
    ("Ottobre", None, "not_reported", None),
    ("dicembre", "La regolamentazione non è stata possibile", "not_done", None),
])
def test_milestone_status(planned, actual, status, slip):
    judged = judge_milestone(planned, actual, 2019)
    assert (judged.status, judged.slippage_months) == (status, slip)


def test_milestone_months_are_first_days():
    judged = judge_milestone("Giugno/Ottobre", "Giugno/ Novembre", 2019)
    assert (judged.planned_month, judged.actual_month) == (date(2019, 10, 1), date(2019, 11, 1))


def test_plan_steps_are_planned():
    judged = judge_milestone("entro settembre 2015", None, None, plan_start=2015, is_plan=True)
    assert (judged.status, judged.planned_month) == ("planned", date(2015, 9, 1))


@pytest.mark.parametrize("expected, actual, status", [
    ("entro il 31/12/2021", "Realizzato a marzo 2022", "not_met"),            # a yes-word, but late
    ("entro giugno 2021", "Concluso il 15/09/2021", "not_met"),
    ("entro il 31/12/2021", "Sì, concluso a novembre 2021", "met"),
    ("=> 6", "Si sono svolti 2 incontri", "not_met"),                        # the number decides, not the 'Si'
    ("=> 6", "Sono stati attivati 5 progetti, altri 3 verranno avviati", "unknown"),   # not hidden as future
    ("3", "Tutti i servizi previsti sono stati attivati", "met"),
    ("Almeno al 90%", "coinvolte 18 persone", "unknown"),                     # a count against a percentage
    ("No", "No", "met"),
    ("No", "Sì", "not_met"),
    ("0", "0", "met"),
    ("0", "2", "not_met"),
])
def test_indicator_status_review_cases(expected, actual, status):
    assert judge_indicator(expected, actual, report_year=2021).status == status


@pytest.mark.parametrize("planned, actual, status", [
    ("Dicembre", "Non svolto; rinviato a marzo 2020", "not_done"),
    ("Dicembre", "Svolto regolarmente, non sono emerse criticità", "done_undated"),
    ("Dicembre", "attuato, anche se non in tutti i comuni", "done_undated"),
    ("Dicembre", "Predisposto un set di indicatori condivisi", "done_undated"),      # 'set' is not September
    ("Settembre", "sett. 2019", "done_on_time"),
])
def test_milestone_status_review_cases(planned, actual, status):
    assert judge_milestone(planned, actual, 2019).status == status

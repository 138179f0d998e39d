from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from cruscotto.italian import (Month, clean_cell, format_eur, format_moment, format_month, format_percent,
                               months_in, numbers_in, parse_amount, parse_deadline, parse_number, parse_target, parse_yes_no)


@pytest.mark.parametrize("raw, value", [
    ("14", 14.0), ("1,09%", 1.09), ("-20", -20.0), ("+ 3", 3.0), ("18.000.000,00", 18_000_000.0),
    ("€ 188.305,60", 188305.6), ("Si", None), ("", None), ("3 servizi", None),
])
def test_parse_number(raw, value):
    assert parse_number(raw) == value


def test_parse_amount_keeps_cents_and_treats_dash_as_not_reported():
    assert parse_amount("€ 1.813.811,61") == Decimal("1813811.61")
    assert parse_amount("€ -") is None
    assert parse_amount("") is None
    with pytest.raises(ValueError):
        parse_amount("€")
    with pytest.raises(ValueError):
        parse_amount("circa mille euro")


@pytest.mark.parametrize("raw, year, expected", [
    ("Aprile", 2019, Month(2019, 4)),
    ("dicembre", 2019, Month(2019, 12)),
    ("Giugno/Ottobre", 2019, Month(2019, 10)),
    ("Maggio-Giugno", 2019, Month(2019, 6)),
    ("Settembre- Ottobre", 2019, Month(2019, 10)),
    ("Novembre/ Dicembre", 2019, Month(2019, 12)),
    ("Annuale", 2019, Month(2019, 12)),
    ("entro giugno 2015", None, Month(2015, 6)),
    ("sett.", 2020, Month(2020, 9)),
    ("entro il 31/12/2021", None, Month(2021, 12)),
    ("Gennaio 2020", 2019, Month(2020, 1)),
    ("", 2019, None),
    ("no", 2019, None),
])
def test_parse_deadline(raw, year, expected):
    assert parse_deadline(raw, year) == expected


def test_plan_deadline_in_years_of_the_plan():
    assert parse_deadline("entro terzo anno", None, plan_start=2015) == Month(2017, 12)
    assert parse_deadline("entro il primo anno", None, plan_start=2015) == Month(2015, 12)


def test_months_in_keeps_order_and_explicit_years():
    assert months_in("Giugno/ Novembre", 2019) == [Month(2019, 6), Month(2019, 11)]
    assert months_in("rientro in presenza (15.10.2021)", 2021) == [Month(2021, 10)]


def test_numbers_in_skips_years_dates_and_law_numbers():
    assert numbers_in("commissioni ordinarie del 2021 (12 sedute)") == [12.0]
    assert numbers_in("n. 39 REI n. 375 RDC") == [39.0, 375.0]
    assert numbers_in("D.P.C.M. 159/2013 entro il 31/12/2021") == []


@pytest.mark.parametrize("raw, answer", [
    ("Sì", True), ("Si", True), ("Sì, è stata redatta la relazione", True), ("S', per tutti i Comuni", True),
    ("Sì . E' stata costituita", True), ("No", False), ("no", False), ("Non superata", False),
    ("Nessuno", None), ("14", None), ("Sicuramente", None),
])
def test_parse_yes_no(raw, answer):
    assert parse_yes_no(raw) is answer


@pytest.mark.parametrize("raw, op, value, high, percent", [
    ("4", "eq", 4, None, False), ("3 servizi", "eq", 3, None, False), ("=>N° 6", "ge", 6, None, False),
    ("=> 10", "ge", 10, None, False), ("almeno n°1", "ge", 1, None, False), ("Almeno al 90%", "ge", 90, None, True),
    ("< 5", "lt", 5, None, False), ("<=5%", "le", 5, None, True), ("<=0", "le", 0, None, False),
    (r"$\leq 5\%$", "le", 5, None, True), (">= 8 (scala 1:10)", "ge", 8, None, False),
    (">=30% dei dipendenti, ove lo richiedano.", "ge", 30, None, True), ("da 4/8 servizi", "range", 4, 8, False),
    ("50-75%", "range", 50, 75, True), ("Si/No", "yes", None, None, False), ("Sì", "yes", None, None, False),
])
def test_parse_target(raw, op, value, high, percent):
    target = parse_target(raw)
    assert (target.op, target.value, target.high, target.percent) == (op, value, high, percent)


def test_parse_target_deadlines():
    assert parse_target("entro il 31/12/2021").deadline == date(2021, 12, 31)
    assert parse_target("tutti gli operatori formati entro gennaio 2022").deadline == date(2022, 1, 31)
    assert parse_target("Piena attuazione delle azioni previste entro il 2017").deadline == date(2017, 12, 31)
    assert parse_target("/") is None and parse_target("") is None


def test_clean_cell_strips_markup():
    assert clean_cell("<i>Funzioni Socio Assistenziali</i>") == "Funzioni Socio Assistenziali"
    assert clean_cell("**Progettazione**  operativa ") == "Progettazione operativa"
    assert clean_cell("   ") is None


def test_italian_formats():
    assert format_eur(1234.56) == "1.234,56 €"
    assert format_eur(Decimal("18000000")) == "18.000.000,00 €"
    assert format_percent(0.2925) == "29%"
    assert format_month(date(2021, 6, 1)) == "giugno 2021"
    assert format_eur(None) == "—"


def test_numeric_month_year_cells():
    assert parse_deadline("12/2019", 2019) == Month(2019, 12)
    assert parse_deadline("entro 03-2020", 2019) == Month(2020, 3)
    assert months_in("Delibera n. 12/2021 approvata", 2021) == []     # a number in a sentence is not a month


def test_register_times_are_written_the_italian_way():
    assert format_moment(datetime(2026, 12, 1, 11, 2, 48, 465673)) == "01/12/2026 11:02:48"
    assert format_moment(pd.Timestamp("2026-03-05 09:00:01.5")) == "05/03/2026 09:00:01"
    assert format_moment(pd.NaT) == "" and format_moment(None) == ""

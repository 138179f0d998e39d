"""Every Italian value the documents print, read and written back: numbers, money, months, Sì/No, targets.

No other module holds a month name or turns "1.234,56" into a number.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .vocabulary import COMPARISON_WORDS, MONTH_ABBREVIATIONS, MONTHS, PARTS_OF_YEAR, YES_STEMS

MONTH_NAMES = {number: name for name, number in MONTHS.items()}

_MONTH_WORDS = sorted([*MONTHS, *MONTH_ABBREVIATIONS], key=len, reverse=True)
# A month name, optionally followed by a year ("Gennaio 2020"); abbreviations may end with a dot ("sett.").
# A month name, optionally followed by a year ("Gennaio 2020", "giu-22", "dic. '22").
_MONTH_RE = re.compile(r"\b(" + "|".join(_MONTH_WORDS) + r")\b\.?(?:\s*((?:19|20)\d{2})\b|\s?[-/'’]\s?(\d{2})\b)?",
                       re.IGNORECASE)
# A day: '31/12/2021', '30.06.2022', '01-03-2022', '31-mar-23', '31/12/22'.
_DATE_RE = re.compile(r"\b(\d{1,2})\s?([/.\-])\s?(\d{1,2}|[a-z]{3,9})\.?\s?[/.\-]\s?((?:19|20)\d{2}|\d{2})(?![\d.,]\d)",
                      re.IGNORECASE)


def _full_year(token: str) -> int:
    return int(token) if len(token) == 4 else 2000 + int(token)


def _day_of(match: re.Match) -> date | None:
    """The day a _DATE_RE match names, or None when it is not a real day ('45/13/2020', '1.234.56')."""
    day, month, year = match.group(1), match.group(3), match.group(4)
    if month.isdigit():
        number = int(month)
    else:
        number = MONTHS.get(month.lower()) or MONTH_ABBREVIATIONS.get(month.lower())
        if number is None:
            return None
    try:
        return date(_full_year(year), number, int(day))
    except ValueError:
        return None


def days_in(text: str) -> list[tuple[int, int, date]]:
    """(start, end, day) of every date a text writes: 'dal 01-mar-23 al 30.06.2023' -> March 1 and June 30."""
    return [(m.start(), m.end(), day) for m in _DATE_RE.finditer(text) if (day := _day_of(m)) is not None]


def _without_days(text: str) -> str:
    out = text
    for start, end, _ in reversed(days_in(text)):
        out = out[:start] + " " * (end - start) + out[end:]
    return out
_YEAR_ROUND = re.compile(r"\b(annuale|annuali|intero anno|tutto l'anno|nel corso dell'anno)\b", re.IGNORECASE)

_TAG_RE = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[<>&$*\\]")
_LATEX = [(r"\leq", "<="), (r"\le ", "<= "), (r"\geq", ">="), (r"\ge ", ">= "), (r"\%", "%"), ("$", "")]


@lru_cache(maxsize=65536)
def clean_cell(raw: str | None) -> str | None:
    """'<i>Funzioni Generali</i> ' -> 'Funzioni Generali'; '' -> None. Strips HTML tags, LaTeX and extra spaces.

    Kept for the cells asked about again: the readers clean the same cell several times."""
    if raw is None:
        return None
    if not _MARKUP.search(raw):                           # the common case: plain text
        return " ".join(raw.split()) or None
    text = _TAG_RE.sub(" ", raw)
    for old, new in _LATEX:
        text = text.replace(old, new)
    text = html.unescape(text).replace("**", "")
    text = " ".join(text.split())
    return text or None


# ---------------------------------------------------------------------------- numbers and money

_NUMBER_RE = re.compile(r"(?<![\w.,/])([-+]\s?)?(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/])(\s?%)?")


def parse_number(raw: str | None) -> float | None:
    """'1.234,56' -> 1234.56; '1,09%' -> 1.09; '+ 3' -> 3.0; '-20' -> -20.0; 'Si' -> None."""
    text = clean_cell(raw)
    if text is None:
        return None
    text = text.replace("€", "").replace("%", "").replace(" ", "")
    if not re.fullmatch(r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?", text):
        return None
    return float(text.replace(".", "").replace(",", "."))


def parse_amount(raw: str | None) -> Decimal | None:
    """'€ 188.305,60' -> Decimal('188305.60'); '€ -' and '' -> None (not reported); '€' raises ValueError."""
    text = clean_cell(raw)
    if text is None or re.fullmatch(r"€?\s*-+", text):
        return None
    digits = text.replace("€", "").replace(" ", "")
    if not re.fullmatch(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?", digits):
        raise ValueError(f"not an amount: {raw!r}")
    try:
        return Decimal(digits.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already guards this
        raise ValueError(f"not an amount: {raw!r}") from exc


def parse_percent(raw: str | None) -> float | None:
    """'29%' -> 29.0; '29' -> None (a share must say it is one)."""
    text = clean_cell(raw)
    if text is None or not text.endswith("%"):
        return None
    return parse_number(text)


def numbers_in(text: str) -> list[float]:
    """Numbers a sentence states, without dates, years and law references.

    'Sono state analizzate 10 situazioni nel 2021' -> [10.0]; 'n. 39 REI n. 375 RDC' -> [39.0, 375.0].
    """
    text = _without_days(clean_cell(text) or "")
    text = re.sub(r"\b\d+/\d{4}\b", " ", text)             # "159/2013", "0004783/2020"
    text = _MONTH_RE.sub(" ", text)                       # "gennaio 2022"
    found = []
    for match in _NUMBER_RE.finditer(text):
        sign = (match.group(1) or "").replace(" ", "")
        token = match.group(2)
        value = float(token.replace(".", "").replace(",", "."))
        if "," not in token and "." not in token and 1900 <= value <= 2100 and not match.group(3):
            continue                                      # a year, not a quantity
        found.append(-value if sign == "-" else value)
    return found


# ---------------------------------------------------------------------------- months

@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def index(self) -> int:
        return self.year * 12 + self.month - 1


def months_in(raw: str | None, default_year: int | None) -> list[Month]:
    """Months a cell names, in order. 'Giugno/ Ottobre' -> [6, 10]; 'Gennaio 2020' -> [2020-01];
    'entro il 31/12/2021' -> [2021-12]. Months without a year take default_year (None: skipped)."""
    return list(_months_in(raw, default_year))


_SHORT_MONTH = re.compile(r"(?:entro\s+(?:il\s+)?)?(\d{1,2})\s*[/.-]\s*(\d{4})", re.IGNORECASE)


# Kept for the cells asked about again ('Dicembre', '31/12/2021' come back in a document and across them);
# typed, as a year 2019.0 would give other months than 2019.
@lru_cache(maxsize=16384, typed=True)
def _months_in(raw: str | None, default_year: int | None) -> tuple[Month, ...]:
    text = clean_cell(raw) or ""
    found: list[tuple[int, Month]] = []
    short = _SHORT_MONTH.fullmatch(text)
    if short and 1 <= int(short.group(1)) <= 12:          # a cell that is just '12/2019' or 'entro 03-2020'
        return (Month(int(short.group(2)), int(short.group(1))),)
    for start, _, day in days_in(text):
        found.append((start, Month(day.year, day.month)))
    for match in _MONTH_RE.finditer(_without_days(text)):
        word = match.group(1).lower()
        dated = match.group(2) or match.group(3)
        if word not in MONTHS and len(text) > 15 and not dated and not match.group().endswith("."):
            continue                              # 'un set di indicatori' is not September
        number = MONTHS.get(word) or MONTH_ABBREVIATIONS[word]
        year = _full_year(dated) if dated else default_year
        if year is not None:
            found.append((match.start(), Month(year, number)))
    return tuple([m for _, m in sorted(found, key=lambda pair: pair[0])])


_ORDINAL_YEAR = re.compile(r"\b(primo|secondo|terzo|quarto|quinto)\s+anno\b", re.IGNORECASE)
_ORDINALS = {"primo": 0, "secondo": 1, "terzo": 2, "quarto": 3, "quinto": 4}


def parse_deadline(raw: str | None, report_year: int | None, plan_start: int | None = None) -> Month | None:
    """The month a Tempi cell sets as deadline: the latest month it names.

    'Aprile' -> April of the report year; 'Giugno/Ottobre' -> October; 'Annuale' -> December;
    'entro giugno 2015' -> June 2015; 'Maggio-Giugno' -> June; '' -> None;
    in a plan starting 2015, 'entro il terzo anno' -> December 2017."""
    months = months_in(raw, report_year)
    if months:
        return max(months, key=Month.index)
    if report_year is not None and raw and _YEAR_ROUND.search(raw):
        return Month(report_year, 12)
    ordinal = _ORDINAL_YEAR.search(raw or "")
    if ordinal and plan_start is not None:
        return Month(plan_start + _ORDINALS[ordinal.group(1).lower()], 12)
    part = _PART_OF_YEAR.search(raw or "")
    if part:
        year = int(part.group(3)) if part.group(3) else report_year
        months = PARTS_OF_YEAR[part.group(2).lower()]
        index = _ORDINAL_NUMBER.get(part.group(1).lower().rstrip("°º"), 0)
        if year is not None and 1 <= index <= 12 // months:
            return Month(year, index * months)
    return None


# '1° semestre 2024' -> June 2024, 'II trimestre' -> June of the report year, 'terzo quadrimestre' -> December.
_ORDINAL_NUMBER = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4, "primo": 1, "secondo": 2,
                   "terzo": 3, "quarto": 4}
_PART_OF_YEAR = re.compile(r"\b(\d[°º]?|i{1,3}|iv|primo|secondo|terzo|quarto)\s+(" + "|".join(PARTS_OF_YEAR) +
                           r")\b(?:\s+((?:19|20)\d{2}))?", re.IGNORECASE)


def format_day(day: date) -> str:
    """date(2021, 12, 31) -> '31/12/2021'."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_moment(moment) -> str:
    """datetime(2026, 12, 1, 11, 2, 48, 465673) -> '01/12/2026 11:02:48' (the register's times)."""
    return f"{format_day(moment)} {moment:%H:%M:%S}" if _present(moment) else ""


def format_month_short(month: date | Month) -> str:
    """date(2019, 3, 1) -> 'mar 2019'."""
    return f"{MONTH_NAMES[month.month][:3]} {month.year}"


def format_month(month: date | Month | None) -> str:
    """date(2021, 6, 1) -> 'giugno 2021'."""
    if month is None:
        return "—"
    number = month.month
    return f"{MONTH_NAMES[number]} {month.year}"


# ---------------------------------------------------------------------------- Sì / No

_YES = re.compile(r"^(s[iìí]['’`]?|s['’`]|yes|(?:" + "|".join(YES_STEMS) + r")[oaie])(?![a-zà-ù])", re.IGNORECASE)
_NO = re.compile(r"^(no|non\b)(?![a-zà-ù])", re.IGNORECASE)


def parse_yes_no(raw: str | None) -> bool | None:
    """'Sì, è stata redatta...' -> True; 'Si' -> True; "S', per tutti" -> True; 'No' -> False; '14' -> None."""
    text = clean_cell(raw)
    if text is None:
        return None
    if _YES.match(text):
        return True
    if _NO.match(text):
        return False
    return None


# ---------------------------------------------------------------------------- targets

@dataclass(frozen=True)
class Target:
    """Our reading of an expected-value cell. op: eq, ge, gt, le, lt, range, yes, no, deadline, text."""
    op: str
    value: float | None = None
    high: float | None = None
    percent: bool = False
    deadline: date | None = None


def _phrase(phrase: str) -> str:
    """'inferiore a' -> a pattern that also matches 'inferiore al', 'alla', 'agli', 'all'' (articled a)."""
    pattern = re.escape(phrase).replace(r"\ ", r"\s+")
    if phrase.endswith(" a"):
        return r"\b" + pattern + r"(?:l|lla|lle|i|gli|ll['’]\s*)?(?![a-zà-ù])"
    return r"\b" + pattern + r"\b"


def _signs(sign: str, symbols: str) -> re.Pattern:
    phrases = sorted((p for p, s in COMPARISON_WORDS if s == sign), key=len, reverse=True)
    return re.compile("(" + "|".join([symbols] + [_phrase(p) for p in phrases]) + ")", re.IGNORECASE)


# 'maggiore o uguale a 90%' reads as '>= 90%' (the phrases live in vocabulary.COMPARISON_WORDS).
_GE = _signs(">=", r"=>|>=|≥|\bnon meno di\b|\bminimo\b")
_LE = _signs("<=", r"<=|=<|≤|\bmassimo\b|\bmax\b\.?")
_LT = _signs("<", r"<")
_GT = _signs(">", r">")
_RANGE = re.compile(r"(\d+(?:,\d+)?)\s*(%?)\s*[-–/]\s*(\d+(?:,\d+)?)\s*(%?)")
_NUMBER_IN_TARGET = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def _to_float(token: str) -> float:
    return float(token.replace(".", "").replace(",", "."))


def parse_target(raw: str | None, report_year: int | None = None) -> Target | None:
    """'=>N° 6' -> ge 6; 'almeno n°1' -> ge 1; '<=5%' -> le 5 %; 'Si/No' -> yes;
    'entro il 31/12/2021' -> deadline 2021-12-31; '50-75%' -> range 50..75 %; '' -> None."""
    text = clean_cell(raw)
    if text is None or re.fullmatch(r"[-–/]+", text):
        return None
    percent = "%" in text
    if parse_yes_no(text) is True or re.fullmatch(r"s[iì]\s*/\s*no", text, re.IGNORECASE):
        return Target("yes")
    if re.fullmatch(r"no\.?", text, re.IGNORECASE):
        return Target("no")
    if re.search(r"\bentro\b", text, re.IGNORECASE) and (days_in(text) or _MONTH_RE.search(text)
                                                         or _YEAR.search(text)):
        return Target("deadline", deadline=_deadline_day(text, report_year))
    body = re.sub(r"\(scala [^)]*\)|\bn[°.]\s*|\bN°\s*", " ", text, flags=re.IGNORECASE)
    body = _YEAR.sub(" ", _MONTH_RE.sub(" ", body))          # 'da settembre 2015' dates the target
    for pattern, op in ((_GE, "ge"), (_LE, "le"), (_LT, "lt"), (_GT, "gt")):
        if pattern.search(body):
            after = body[pattern.search(body).end():]
            bounds = _RANGE.search(after)
            number = _NUMBER_IN_TARGET.search(after)
            if number is None:
                break
            if bounds and bounds.start() == number.start():
                return Target("range", _to_float(bounds.group(1)), _to_float(bounds.group(3)), percent)
            return Target(op, _to_float(number.group()), percent=percent)
    bounds = _RANGE.search(body)
    if bounds and not days_in(body):
        return Target("range", _to_float(bounds.group(1)), _to_float(bounds.group(3)), percent)
    numbers = _NUMBER_IN_TARGET.findall(body)
    if len(numbers) == 1 and not days_in(body):
        return Target("eq", _to_float(numbers[0]), percent=percent)
    return Target("text", percent=percent)


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _deadline_day(text: str, report_year: int | None) -> date | None:
    found = days_in(text)
    if found:
        return found[0][2]
    months = months_in(text, report_year)
    if not months:
        year = _YEAR.search(text)
        return date(int(year.group()), 12, 31) if year else None
    last = months[-1]
    following = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# ---------------------------------------------------------------------------- formatting for the pages

def format_number(value: float | Decimal | None, decimals: int = 0) -> str:
    """1234.5 -> '1.235'; with decimals=2 -> '1.234,50'."""
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_eur(value: float | Decimal | None) -> str:
    """1234.56 -> '1.234,56 €'; None -> '—'."""
    if value is None:
        return "—"
    return f"{format_number(value, 2)} €"


def format_percent(ratio: float | None, decimals: int = 0) -> str:
    """0.453 -> '45%'; None -> '—'."""
    if ratio is None:
        return "—"
    return f"{format_number(ratio * 100, decimals)}%"


def _present(value) -> bool:
    """False for None, NaN and pandas' NA."""
    try:
        return value is not None and value == value and bool(value == value)
    except TypeError:
        return False


def format_period(report_year=None, period_start=None, period_end=None) -> str:
    """2019 -> '2019'; a plan 2015-2017 -> '2015-2017'; nothing -> '—'."""
    if _present(report_year):
        return str(int(report_year))
    if _present(period_start) and _present(period_end):
        return f"{int(period_start)}-{int(period_end)}"
    return "—"

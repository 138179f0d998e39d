"""Corrections a person makes to the tool's reading (issue 11): which fields may be corrected, how a new value
is checked and shown, how a corrected indicator is judged again, and the stable key that finds the same record
in a new version or another format of the document. Pure: no connection, no Streamlit.

A record's key is what identifies it to a person, compared loosely (case, spaces, punctuation and accents do
not count): the document's issuer, year or period and kind, the objective's number and title, the indicator's
or activity's name, and which occurrence of that name it is inside its objective. Row ids change at every
load; the key does not.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

from .evaluation import MILESTONE_LABELS, STATUS_LABELS, judge_indicator, judge_months
from .italian import format_month, format_number, parse_number

# record_table -> field -> kind of value
FIELDS = {
    "indicators": {"status": "indicator_status", "expected_raw": "text", "actual_raw": "text",
                   "objective": "objective", "previous": "previous"},
    "milestones": {"planned_month": "month", "actual_month": "month", "status": "step_status"},
    "documents": {"issuer": "text", "report_year": "year", "period_start": "year", "period_end": "year"},
    "objectives": {"area": "text", "weight": "weight"},
}
# the fields whose correction makes the tool judge the record again
VALUE_FIELDS = {"indicators": ("expected_raw", "actual_raw"), "milestones": ("planned_month", "actual_month")}
STATUSES = ("active", "orphaned", "withdrawn")
STEP_STATUSES = tuple(s for s in MILESTONE_LABELS if s != "planned")
FIRST_YEAR, LAST_YEAR = 1950, 2100
MAX_VALUE = 500            # characters of a corrected text value
NO_LINK = "(nessun legame)"  # an indicator a person says continues none of the year before
MAX_WEIGHT = 1_000_000     # an objective's weight in a score proposal (its unit is the editor's: 1, 30, 0,3)
KEY_TEXT = 160             # characters of a loose title or name that take part in a key


class InvalidCorrection(ValueError):
    """A correction that cannot be saved; `code` names why (messages.CORRECTIONS['invalid_<code>'])."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def loose(text) -> str:
    """How keys compare: 'Incontri  CdA.' -> 'incontricda'; 'Attività' -> 'attivita'; None -> ''."""
    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", plain)[:KEY_TEXT]


# ---------------------------------------------------------------------------- stable keys

def document_part(issuer, report_year, period_start, period_end, kind) -> dict:
    """('CONS. SOC. ASSIST. ALBA-LANGHE-ROERO', 2019, None, None, 'rendicontazione_obiettivi') ->
    {'issuer': 'conssocassistalbalangheroero', 'year': '2019', 'period': '', 'kind': 'rendicontazione_obiettivi'}"""
    period = f"{period_start}-{period_end}" if period_start is not None or period_end is not None else ""
    return {"issuer": loose(issuer), "year": "" if report_year is None else str(int(report_year)),
            "period": period, "kind": kind or ""}


def same_document(first: dict, second: dict) -> bool:
    """Same year or period and kind; issuers equal loosely, or one within the other (a PDF may cut a long
    name where the title wraps); two documents that name no issuer match."""
    if (first["year"], first["period"], first["kind"]) != (second["year"], second["period"], second["kind"]):
        return False
    a, b = first["issuer"], second["issuer"]
    return a == b or bool(a and b and (a in b or b in a))


def record_keys(document: dict, objectives: list[dict], indicators: list[dict], milestones: list[dict]) -> dict:
    """{table: {record_id: key}} for one document's records (objectives repeated verbatim left out: pages
    never show them). objectives: dicts with objective_id, number, title; indicators: indicator_id,
    objective_id, name; milestones: milestone_id, objective_id, activity; each list in document order."""
    doc = document_part(document["issuer"], document["report_year"], document["period_start"],
                        document["period_end"], document["kind"])
    keys = {"documents": {document["document_id"]: _key(doc)}, "objectives": {}, "indicators": {},
            "milestones": {}}
    parts = {}
    seen: dict[tuple, int] = {}
    for o in objectives:
        part = {"objective_number": loose(o["number"]), "objective": loose(o["title"])}
        parts[o["objective_id"]] = part
        n = _count(seen, ("o", part["objective_number"], part["objective"]))
        keys["objectives"][o["objective_id"]] = _key({**doc, **part, "n": n})
    for table, id_column, name_column, rows in (("indicators", "indicator_id", "name", indicators),
                                                 ("milestones", "milestone_id", "activity", milestones)):
        for row in rows:
            part = parts.get(row["objective_id"])
            if part is None:
                continue
            name = loose(row[name_column])
            n = _count(seen, (table, row["objective_id"], name))
            keys[table][row[id_column]] = _key({**doc, **part, "name": name, "n": n})
    return keys


def _count(seen: dict, what: tuple) -> int:
    seen[what] = seen.get(what, -1) + 1
    return seen[what]


def _key(parts: dict) -> str:
    return json.dumps(parts, ensure_ascii=True, sort_keys=True)


def read_key(key: str) -> dict:
    try:
        parts = json.loads(key)
    except (TypeError, ValueError):
        return {}
    return parts if isinstance(parts, dict) else {}


def find_record(key: str, candidates: dict[int, str]) -> int | None:
    """The record_id among one table's candidate keys that is the record `key` names, or None.

    Same document (loosely) and the same objective, name and occurrence; failing that, the only record of the
    document with that name and occurrence (a PDF may read an objective's title a little differently)."""
    wanted = read_key(key)
    if not wanted or "kind" not in wanted:
        return None
    found = {record: read_key(other) for record, other in candidates.items()}
    found = {record: parts for record, parts in found.items() if parts and same_document(wanted, parts)}
    rest = ("objective_number", "objective", "name", "n")
    exact = [record for record, parts in found.items() if all(parts.get(k) == wanted.get(k) for k in rest)]
    if exact:
        return exact[0]
    if wanted.get("name"):
        named = [record for record, parts in found.items()
                 if parts.get("name") == wanted["name"] and parts.get("n") == wanted.get("n")]
        if len(named) == 1:
            return named[0]
    return None


def find_objective(label: str, choices: dict[int, str]) -> int | None:
    """The objective a pairing names ('2 · Governare il passaggio…'), among a document's objectives
    {objective_id: label}: the same label loosely; failing that (a PDF reads a wrapped title a little
    differently) the only objective with that number, or the only one whose title begins the same way."""
    wanted = loose(label)
    exact = [o for o, text in choices.items() if loose(text) == wanted]
    if exact:
        return exact[0]
    number, _, title = label.partition(" · ")
    split = {o: text.partition(" · ") for o, text in choices.items()}
    if loose(number):
        numbered = [o for o, (n, _, _) in split.items() if loose(n) == loose(number)]
        if len(numbered) == 1:
            return numbered[0]
    start = loose(title)[:40]
    begun = [o for o, (_, _, t) in split.items() if start and loose(t).startswith(start)]
    return begun[0] if len(begun) == 1 else None


# ---------------------------------------------------------------------------- values

def check_value(table: str, field: str, value) -> str:
    """The value as stored (text): ('milestones', 'actual_month', date(2021, 6, 15)) -> '2021-06-01';
    ('documents', 'report_year', 2021) -> '2021'; ('indicators', 'status', 'met') -> 'met'.
    Raises InvalidCorrection when the field or the value cannot be saved."""
    kind = FIELDS.get(table, {}).get(field)
    if kind is None:
        raise InvalidCorrection("field")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidCorrection("empty")
    if kind == "indicator_status" and value not in STATUS_LABELS:
        raise InvalidCorrection("status")
    if kind == "step_status" and value not in STEP_STATUSES:
        raise InvalidCorrection("status")
    if kind == "previous":                    # the indicator of the year before it continues, or none
        if value == NO_LINK:
            return NO_LINK
        try:
            return str(int(value))
        except (TypeError, ValueError):
            raise InvalidCorrection("previous") from None
    if kind == "objective":                   # the chosen objective's id; the database stores its label
        try:
            return str(int(value))
        except (TypeError, ValueError):
            raise InvalidCorrection("objective") from None
    if kind == "weight":
        weight = value if isinstance(value, (int, float)) else parse_number(str(value))
        if weight is None or not 0 <= weight <= MAX_WEIGHT:
            raise InvalidCorrection("weight")
        return format(float(weight), "g")
    if kind == "year":
        try:
            year = int(value)
        except (TypeError, ValueError):
            raise InvalidCorrection("year") from None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidCorrection("year")
        return str(year)
    if kind == "month":
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value[:10] if len(value) > 7 else value + "-01")
            except ValueError:
                raise InvalidCorrection("month") from None
        if not isinstance(value, date) or not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise InvalidCorrection("month")
        return value.replace(day=1).isoformat()
    text = " ".join(str(value).split())
    if len(text) > MAX_VALUE:
        raise InvalidCorrection("long")
    return text


def format_value(table: str, field: str, value) -> str:
    """A stored value as a person reads it: 'not_met' -> 'non raggiunto'; '2021-06-01' -> 'giugno 2021';
    None -> '—'."""
    if value is None or value != value or value == "":
        return "—"
    kind = FIELDS.get(table, {}).get(field)
    if kind == "indicator_status":
        return STATUS_LABELS.get(value, str(value))
    if kind == "step_status":
        return MILESTONE_LABELS.get(value, str(value))
    if kind == "month":
        try:
            return format_month(date.fromisoformat(str(value)[:10]))
        except ValueError:
            return str(value)
    if kind == "weight":
        try:
            weight = float(value)
        except ValueError:
            return str(value)
        return format_number(weight, 0 if weight.is_integer() else 2)
    return str(value)


def read_number(record: dict, field: str, value: str) -> float | None:
    """The number a corrected expected or actual value holds, read as the tool reads the document's cells
    ('14 incontri' -> 14.0); None for other fields or a value that holds no number."""
    if field not in VALUE_FIELDS["indicators"]:
        return None
    cells = {"expected_raw": record.get("expected_raw"), "actual_raw": record.get("actual_raw"), field: value}
    judged = _judge_indicator(record, cells["expected_raw"], cells["actual_raw"])
    return judged.expected_value if field == "expected_raw" else judged.actual_value


def judgement(table: str, record: dict) -> dict:
    """The tool's judgement of a record whose values a person corrected, with its values as they stand now
    (record: as the pages show it, every correction applied) -> judged_status, judged_reason,
    judged_attainment. A step with no month done keeps the tool's status (all None)."""
    if table == "indicators":
        judged = _judge_indicator(record, record.get("expected_raw"), record.get("actual_raw"))
        return {"judged_status": judged.status, "judged_reason": judged.reason,
                "judged_attainment": judged.attainment}
    done = record.get("actual_month")
    if table != "milestones" or done is None:
        return {"judged_status": None, "judged_reason": None, "judged_attainment": None}
    step = judge_months(record.get("planned_month"), done)
    return {"judged_status": step.status, "judged_reason": step.reason, "judged_attainment": None}


def _judge_indicator(record: dict, expected_raw, actual_raw):
    return judge_indicator(expected_raw, actual_raw, record.get("reported_deviation_raw"),
                           record.get("report_year"), record.get("kind") == "piano_di_zona",
                           deviation_legend=bool(record.get("deviation_legend")))

"""The corrected reading: DOCS, OBJECTIVES, INDICATORS and MILESTONES are the record tables with a person's
active corrections and the areas' common names applied. Every page query reads through them; the record
tables themselves always keep the tool's reading."""
from __future__ import annotations

from dataclasses import dataclass

from .. import corrections
from .connection import session_memo


@dataclass(frozen=True)
class Filters:
    """What the pages filter on; an empty tuple means 'all'."""
    issuers: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


# How a document is named on screen: its issuer, or the file when the document never names itself.
# A document that names no issuer is called by its title and its file: the title says what it is, the file keeps
# two such documents apart (each is its own 'issuer' until a person types the real one).
UNNAMED_ISSUER = "Ente non indicato · "     # how a document that names no issuer is called, before its title
ISSUER = (f"coalesce(d.issuer, '{UNNAMED_ISSUER}' || coalesce(nullif(trim(d.title), '') || ' · ', '') "
          "|| d.source_name)")
YEAR = "coalesce(CAST(d.report_year AS VARCHAR), d.period_start || '-' || d.period_end, '—')"


# ---------------------------------------------------------------------------- the corrected reading
# Every page query reads these four in place of the tables: each is its table with a person's active
# corrections (overrides) applied, a flag saying which rows were corrected, and the tool's own reading beside.

def _corrections(table: str, fields: tuple[str, ...], extra: str = "") -> str:
    """Active corrections of one table, one row per record: the latest new value of each field as c_<field>,
    and the latest correction's editor and reason as c_reason."""
    columns = ", ".join(f"arg_max(new_value, override_id) FILTER (WHERE field = '{f}') AS c_{f}" for f in fields)
    return (f"(SELECT record_id, {columns}{extra}, "
            "arg_max(editor || ': ' || reason, override_id) AS c_reason FROM overrides "
            f"WHERE status = 'active' AND record_table = '{table}' GROUP BY record_id)")


DOCS = f"""(SELECT d.* REPLACE (
        coalesce(c.c_issuer, d.issuer) AS issuer,
        coalesce(TRY_CAST(c.c_report_year AS INTEGER), d.report_year) AS report_year,
        coalesce(TRY_CAST(c.c_period_start AS INTEGER), d.period_start) AS period_start,
        coalesce(TRY_CAST(c.c_period_end AS INTEGER), d.period_end) AS period_end),
    c.record_id IS NOT NULL AS document_corrected, d.issuer AS original_issuer, d.report_year AS original_year,
    d.period_start AS original_period_start, d.period_end AS original_period_end
  FROM documents d LEFT JOIN {_corrections('documents', ('issuer', 'report_year', 'period_start', 'period_end'))} c
    ON c.record_id = d.document_id)"""

# The one place an area gets its canonical name (issue 11): `area` is the alias an editor gave the printed
# name (a person's correction first, then the alias of the corrected name), `printed_area` the name before
# the alias and `original_area` the tool's reading; objectives.area itself is never changed.
OBJECTIVES = f"""(SELECT o.* REPLACE (coalesce(a.canonical_area, o.area) AS area), o.area AS printed_area
  FROM (SELECT o.* REPLACE (coalesce(c.c_area, o.area) AS area),
          c.record_id IS NOT NULL AS area_corrected, o.area AS original_area
        FROM objectives o LEFT JOIN {_corrections('objectives', ('area',))} c ON c.record_id = o.objective_id) o
  LEFT JOIN area_aliases a ON a.printed_area = o.area)"""

def _judged(fields: tuple[str, ...]) -> str:
    """The tool's judgement stored with a record's corrected values (j_*) and the reason of a status a person
    gave (s_reason): extra columns for _corrections."""
    values = "field IN (" + ", ".join(f"'{f}'" for f in fields) + ")"
    return (f", arg_max_null(judged_status, override_id) FILTER (WHERE {values}) AS j_status"
            f", arg_max_null(judged_reason, override_id) FILTER (WHERE {values}) AS j_reason"
            f", arg_max_null(judged_attainment, override_id) FILTER (WHERE {values}) AS j_attainment"
            ", arg_max(editor || ': ' || reason, override_id) FILTER (WHERE field = 'status') AS s_reason")


_INDICATOR_EXTRA = (
    ", arg_max_null(new_number, override_id) FILTER (WHERE field = 'expected_raw') AS n_expected"
    ", arg_max_null(new_number, override_id) FILTER (WHERE field = 'actual_raw') AS n_actual"
    ", arg_max(new_record_id, override_id) FILTER (WHERE field = 'objective') AS c_objective_id"
    + _judged(corrections.VALUE_FIELDS["indicators"]))
# A corrected expected or actual value carries the tool's judgement of it (judged_*); a status a person gave wins.
INDICATORS = f"""(SELECT i.* REPLACE (
        coalesce(c.c_objective_id, i.objective_id) AS objective_id,
        coalesce(c.c_expected_raw, i.expected_raw) AS expected_raw,
        coalesce(c.c_actual_raw, i.actual_raw) AS actual_raw,
        CASE WHEN c.c_expected_raw IS NOT NULL THEN c.n_expected ELSE i.expected_value END AS expected_value,
        CASE WHEN c.c_actual_raw IS NOT NULL THEN c.n_actual ELSE i.actual_value END AS actual_value,
        coalesce(c.c_status, c.j_status, i.status) AS status,
        CASE WHEN c.c_status IS NOT NULL THEN c.s_reason WHEN c.j_status IS NOT NULL THEN c.j_reason
             ELSE i.status_reason END AS status_reason,
        CASE WHEN c.j_status IS NOT NULL THEN c.j_attainment ELSE i.attainment END AS attainment,
        CASE WHEN c.j_status IS NULL THEN i.computed_deviation WHEN c.j_attainment IS NOT NULL THEN
             CASE WHEN c.c_actual_raw IS NOT NULL THEN c.n_actual ELSE i.actual_value END -
             CASE WHEN c.c_expected_raw IS NOT NULL THEN c.n_expected ELSE i.expected_value END
             END AS computed_deviation),
    c.record_id IS NOT NULL AS indicator_corrected,
    coalesce(c.c_status, c.j_status) IS NOT NULL AS status_by_person,
    i.status AS original_status, i.expected_raw AS original_expected_raw, i.actual_raw AS original_actual_raw,
    i.status_reason AS original_reason, i.objective_id AS original_objective_id
  FROM indicators i LEFT JOIN {_corrections('indicators', ('status', 'expected_raw', 'actual_raw'), _INDICATOR_EXTRA)} c
    ON c.record_id = i.indicator_id)"""

# A corrected month carries the tool's judgement of the step with it (judged_*, evaluation.judge_months); a
# status a person gave wins. The slippage is the shown months' difference.
MILESTONES = f"""(SELECT m.* EXCLUDE (months_corrected, c_status, j_status, j_reason, s_reason) REPLACE (
        coalesce(m.c_status, m.j_status, m.status) AS status,
        CASE WHEN m.months_corrected THEN date_diff('month', m.planned_month, m.actual_month)
             ELSE m.slippage_months END AS slippage_months,
        CASE WHEN m.c_status IS NOT NULL THEN m.s_reason WHEN m.j_status IS NOT NULL THEN m.j_reason
             ELSE m.status_reason END AS status_reason),
    coalesce(m.c_status, m.j_status) IS NOT NULL AS status_by_person
  FROM (SELECT m.* REPLACE (
            coalesce(TRY_CAST(c.c_planned_month AS DATE), m.planned_month) AS planned_month,
            coalesce(TRY_CAST(c.c_actual_month AS DATE), m.actual_month) AS actual_month),
        coalesce(c.c_planned_month, c.c_actual_month) IS NOT NULL AS months_corrected, c.c_status, c.j_status,
        c.j_reason, c.s_reason, c.record_id IS NOT NULL AS step_corrected, m.planned_month AS original_planned_month,
        m.actual_month AS original_actual_month, m.status AS original_status, m.status_reason AS original_reason
        FROM milestones m LEFT JOIN {_corrections('milestones', ('planned_month', 'actual_month', 'status'),
                                                  _judged(corrections.VALUE_FIELDS['milestones']))} c
          ON c.record_id = m.milestone_id) m)"""


# An objective as a pairing names it (the objective's number and title as printed); a pairing finds its
# objective again by this label, compared loosely (corrections.find_objective), in any version of the document.
def objective_label(alias: str = "o") -> str:
    return f"coalesce({alias}.number, '—') || ' · ' || coalesce({alias}.title, {alias}.description, '')"


OBJECTIVE_LABEL = objective_label()


# ---------------------------------------------------------------------------- the same reading, planned cheaply
# With no active correction of a table (and no common area names) the views above give that table's own rows
# with constant flags; DuckDB still binds and optimises their GROUP BY of overrides and their joins, tens of
# milliseconds a query. views_for(con) gives each view in full only when it has something to apply.

@dataclass(frozen=True)
class Reading:
    docs: str
    objectives: str
    indicators: str
    milestones: str


FULL = Reading(DOCS, OBJECTIVES, INDICATORS, MILESTONES)

_PLAIN_DOCS = """(SELECT d.*, false AS document_corrected, d.issuer AS original_issuer, d.report_year AS original_year,
    d.period_start AS original_period_start, d.period_end AS original_period_end FROM documents d)"""
_PLAIN_OBJECTIVES = """(SELECT o.*, false AS area_corrected, o.area AS original_area, o.area AS printed_area
  FROM objectives o)"""
_ALIASED_OBJECTIVES = """(SELECT o.* REPLACE (coalesce(a.canonical_area, o.area) AS area), false AS area_corrected,
    o.area AS original_area, o.area AS printed_area
  FROM objectives o LEFT JOIN area_aliases a ON a.printed_area = o.area)"""
_PLAIN_INDICATORS = """(SELECT i.*, false AS indicator_corrected, false AS status_by_person,
    i.status AS original_status, i.expected_raw AS original_expected_raw, i.actual_raw AS original_actual_raw, i.status_reason AS original_reason,
    i.objective_id AS original_objective_id FROM indicators i)"""
_PLAIN_MILESTONES = """(SELECT m.* REPLACE (CAST(m.slippage_months AS BIGINT) AS slippage_months),
    false AS step_corrected, m.planned_month AS original_planned_month, m.actual_month AS original_actual_month, m.status AS original_status,
    m.status_reason AS original_reason, false AS status_by_person FROM milestones m)"""


def views_for(con) -> Reading:
    """The four views of the corrected reading for this database as it is now: in full for a table with active
    corrections (objectives: also when there are common area names), else the plain table with the same
    columns and values. Worked out once per read session (connection.session_memo)."""
    memo = session_memo(con)
    if memo is not None and "views" in memo:
        return memo["views"]
    found = _views_of(con)
    if memo is not None:
        memo["views"] = found
    return found


def _views_of(con) -> Reading:
    corrected, aliases = con.execute(
        "SELECT (SELECT coalesce(list(DISTINCT record_table), []) FROM overrides WHERE status = 'active'), "
        "(SELECT count(*) FROM area_aliases)").fetchone()
    corrected = set(corrected or ())
    if corrected >= {"documents", "objectives", "indicators", "milestones"}:
        return FULL
    return Reading(
        docs=DOCS if "documents" in corrected else _PLAIN_DOCS,
        objectives=(OBJECTIVES if "objectives" in corrected else _ALIASED_OBJECTIVES if aliases
                    else _PLAIN_OBJECTIVES),
        indicators=INDICATORS if "indicators" in corrected else _PLAIN_INDICATORS,
        milestones=MILESTONES if "milestones" in corrected else _PLAIN_MILESTONES)

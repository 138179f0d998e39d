"""What the pages show: one function per table or figure, filtered in SQL, read through the corrected views."""
from __future__ import annotations

import pandas as pd

from ..italian import format_month
from .connection import first_row
from .views import DOCS, INDICATORS, ISSUER, MILESTONES, OBJECTIVES, YEAR, Filters, objective_label


def _where(filters: Filters, with_area: bool = True) -> tuple[str, list]:
    """SQL conditions on d (documents) and o (objectives) for the filters, with bound parameters."""
    clauses, params = ["TRUE"], []
    if filters.issuers:
        clauses.append(f"list_contains(?, {ISSUER})")
        params.append(list(filters.issuers))
    if filters.years:
        clauses.append("(list_contains(?, d.report_year) OR (d.report_year IS NULL AND "
                       "list_has_any(?, range(d.period_start, d.period_end + 1))))")
        params += [list(filters.years), list(filters.years)]
    if filters.kinds:
        clauses.append("list_contains(?, d.kind)")
        params.append(list(filters.kinds))
    if with_area and filters.areas:
        clauses.append("list_contains(?, o.area)")
        params.append(list(filters.areas))
    return " AND ".join(clauses), params


def filter_options(con) -> dict[str, list]:
    """The values each filter can take."""
    years = sorted({y for (y,) in con.execute(
        "SELECT unnest(CASE WHEN report_year IS NOT NULL THEN [report_year] "
        f"ELSE range(period_start, period_end + 1) END) FROM {DOCS} d").fetchall() if y is not None})
    return {
        "issuers": [r[0] for r in con.execute(f"SELECT DISTINCT {ISSUER} FROM {DOCS} d ORDER BY 1").fetchall()],
        "years": years,
        "areas": [r[0] for r in con.execute(f"SELECT DISTINCT area FROM {OBJECTIVES} o WHERE area IS NOT NULL "
                                            "ORDER BY 1").fetchall()],
        "kinds": [r[0] for r in con.execute("SELECT DISTINCT kind FROM documents ORDER BY 1").fetchall()],
    }


def documents(con, filters: Filters = Filters()) -> pd.DataFrame:
    """One row per document with what was read from it and its headline figures."""
    where, params = _where(filters, with_area=False)
    area = "AND list_contains(?, o.area)" if filters.areas else ""
    area_params = [list(filters.areas)] * 3 if filters.areas else []
    return con.execute(f"""
        WITH ind AS (
            SELECT o.document_id,
                   count(*) AS indicators,
                   count(*) FILTER (WHERE i.status IN ('met', 'exceeded')) AS reached,
                   count(*) FILTER (WHERE i.status NOT IN ('not_reported', 'unknown')) AS judged
            FROM {INDICATORS} i JOIN {OBJECTIVES} o USING (objective_id)
            WHERE o.duplicate_of IS NULL {area} GROUP BY ALL),
        steps AS (
            SELECT o.document_id, count(*) AS milestones,
                   count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early')) AS on_time,
                   count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early', 'done_late')) AS dated,
                   count(*) FILTER (WHERE m.status = 'done_late') AS late
            FROM {MILESTONES} m JOIN {OBJECTIVES} o USING (objective_id)
            WHERE o.duplicate_of IS NULL {area} GROUP BY ALL)
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, d.issuer IS NULL AS issuer_missing,
               {YEAR} AS year, d.report_year, d.period_start, d.period_end, d.kind, d.family, d.loaded_at,
               d.document_corrected, d.original_issuer, d.original_year, d.original_period_start,
               d.original_period_end,
               (SELECT count(*) FROM {OBJECTIVES} o WHERE o.document_id = d.document_id
                  AND o.duplicate_of IS NULL {area}) AS objectives,
               coalesce(steps.milestones, 0) AS milestones, coalesce(ind.indicators, 0) AS indicators,
               coalesce(ind.reached, 0) AS reached, coalesce(ind.judged, 0) AS judged,
               coalesce(steps.on_time, 0) AS on_time, coalesce(steps.dated, 0) AS dated,
               coalesce(steps.late, 0) AS late,
               (SELECT count(*) FROM budget_lines b WHERE b.document_id = d.document_id) AS budget_lines,
               (SELECT count(*) FROM scores s WHERE s.document_id = d.document_id) AS scores,
               (SELECT count(*) FROM quality_issues q WHERE q.document_id = d.document_id
                  AND q.category <> 'note') AS issues
        FROM {DOCS} d LEFT JOIN ind USING (document_id) LEFT JOIN steps USING (document_id)
        WHERE {where}
        ORDER BY d.source_name
    """, area_params[:2] + area_params[2:] + params).df()


def indicators(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Every indicator with its objective and document, repeated objective blocks left out."""
    where, params = _where(filters)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year, d.kind,
               o.objective_id, coalesce(o.area, '(area non indicata)') AS area, o.number AS objective_number,
               coalesce(o.title, o.description) AS objective, o.source_line AS objective_line,
               i.indicator_id, coalesce(i.name, i.description, '(indicatore senza nome)') AS name, i.description,
               i.unit, i.baseline_raw, i.expected_raw, i.actual_raw, i.reported_deviation_raw,
               i.expected_value, i.actual_value, i.computed_deviation, i.status, i.attainment, i.status_reason,
               i.source_line, i.indicator_corrected OR o.area_corrected OR d.document_corrected AS corrected,
               i.indicator_corrected, i.status_by_person, i.original_status, i.original_expected_raw,
               i.original_actual_raw, i.original_reason, o.original_area, o.printed_area, d.document_corrected,
               d.original_issuer,
               d.original_year, CASE WHEN i.objective_id <> i.original_objective_id THEN
                   (SELECT {objective_label('p')} FROM objectives p WHERE p.objective_id = i.original_objective_id)
               END AS original_objective
        FROM {INDICATORS} i JOIN {OBJECTIVES} o USING (objective_id) JOIN {DOCS} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND {where}
        ORDER BY d.source_name, o.position, i.source_line
    """, params).df()


def attainment(con, filters: Filters = Filters(), by: str = "area") -> pd.DataFrame:
    """Indicator statuses counted per document and area (by='area') or per document (by='document')."""
    where, params = _where(filters)
    group = "coalesce(o.area, '(area non indicata)') AS area," if by == "area" else ""
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year, {group}
               count(*) FILTER (WHERE i.status = 'met') AS met,
               count(*) FILTER (WHERE i.status = 'exceeded') AS exceeded,
               count(*) FILTER (WHERE i.status = 'partly') AS partly,
               count(*) FILTER (WHERE i.status = 'not_met') AS not_met,
               count(*) FILTER (WHERE i.status = 'not_reported') AS not_reported,
               count(*) FILTER (WHERE i.status = 'unknown') AS unknown,
               count(*) FILTER (WHERE i.status IN ('met', 'exceeded', 'partly', 'not_met')) AS judged
        FROM {INDICATORS} i JOIN {OBJECTIVES} o USING (objective_id) JOIN {DOCS} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND d.kind <> 'piano_di_zona' AND {where}
        GROUP BY ALL ORDER BY issuer, year{', area' if by == 'area' else ''}
    """, params).df()


def milestones(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Every schedule step with its objective and document, repeated objective blocks left out."""
    where, params = _where(filters)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year, d.kind,
               coalesce(o.area, '(area non indicata)') AS area, o.number AS objective_number,
               coalesce(o.title, o.description) AS objective, m.milestone_id, m.activity, m.planned_raw,
               m.actual_raw, m.planned_month, m.actual_month, m.status, m.slippage_months, m.status_reason,
               m.source_line, m.step_corrected OR o.area_corrected OR d.document_corrected AS corrected,
               m.step_corrected, m.status_by_person, m.original_planned_month, m.original_actual_month,
               m.original_status, m.original_reason, o.original_area, o.printed_area, d.document_corrected,
               d.original_issuer,
               d.original_year
        FROM {MILESTONES} m JOIN {OBJECTIVES} o USING (objective_id) JOIN {DOCS} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND {where}
        ORDER BY d.source_name, o.position, m.source_line
    """, params).df()


def budget_shares(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Budget lines with their share of the table's yearly sum of lines."""
    where, params = _where(filters, with_area=False)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS period, b.table_name,
               b.group_name, b.line, b.year, b.amount_eur, b.amount_raw, b.source_line,
               b.amount_eur / sum(b.amount_eur) OVER (PARTITION BY b.document_id, b.table_name, b.year) AS share
        FROM budget_lines b JOIN {DOCS} d USING (document_id)
        WHERE {where}
        ORDER BY d.source_name, b.table_name, b.source_line, b.year
    """, params).df()


def totals_check(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Each total the document prints beside the sum of the lines of its table and year."""
    where, params = _where(filters, with_area=False)
    return con.execute(f"""
        SELECT d.document_id, {ISSUER} AS issuer, t.table_name, t.label, t.year, t.value AS printed,
               t.as_printed, t.unit, t.source_line,
               (SELECT sum(b.amount_eur) FROM budget_lines b WHERE b.document_id = t.document_id
                  AND b.table_name = t.table_name AND b.year = t.year) AS sum_of_lines
        FROM reported_totals t JOIN {DOCS} d USING (document_id)
        WHERE {where}
        ORDER BY d.source_name, t.source_line, t.year
    """, params).df()


def scores(con, filters: Filters = Filters()) -> pd.DataFrame:
    where, params = _where(filters, with_area=False)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year,
               coalesce(a.canonical_area, s.area) AS area, s.area AS printed_area, s.score, s.max_score,
               s.as_printed, s.source_line
        FROM scores s JOIN {DOCS} d USING (document_id)
        LEFT JOIN area_aliases a ON a.printed_area = s.area      -- the same common name as the objectives'
        WHERE {where} ORDER BY d.source_name, s.source_line
    """, params).df()


def quality_issues(con, filters: Filters = Filters(), document_id: int | None = None) -> pd.DataFrame:
    where, params = _where(filters, with_area=False)
    if document_id is not None:
        where += " AND d.document_id = ?"
        params.append(document_id)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, q.source_line, q.category, q.reason, q.raw_text
        FROM quality_issues q JOIN {DOCS} d USING (document_id)
        WHERE {where} ORDER BY d.source_name, q.source_line
    """, params).df()


def objectives(con, document_id: int) -> pd.DataFrame:
    return con.execute(f"""
        SELECT o.objective_id, o.number, o.area, coalesce(o.title, o.description) AS title, o.description,
               o.duplicate_of, o.source_line, o.area_corrected, o.original_area, o.printed_area,
               (SELECT count(*) FROM milestones m WHERE m.objective_id = o.objective_id) AS milestones,
               (SELECT count(*) FROM indicators i WHERE i.objective_id = o.objective_id) AS indicators
        FROM {OBJECTIVES} o WHERE o.document_id = ? ORDER BY o.position
    """, [document_id]).df()


def document_text(con, document_id: int) -> tuple[str | None, list[int] | None]:
    """The text source_line points into: the extracted text of a PDF/workbook, else None (the file itself)."""
    row = first_row(con, "SELECT text, line_pages FROM documents WHERE document_id = ?", [document_id])
    return (row[0], row[1]) if row else (None, None)


def furniture_lines(con, document_id: int) -> list[int]:
    """Lines of the extracted text that are page furniture (running headers, footers, page numbers)."""
    row = first_row(con, "SELECT furniture_lines FROM documents WHERE document_id = ?", [document_id])
    return list(row[0] or []) if row else []


def original(con, document_id: int) -> bytes | None:
    row = first_row(con, "SELECT original FROM documents WHERE document_id = ?", [document_id])
    return bytes(row[0]) if row else None


def template_rows(con, document_id: int) -> tuple[dict, dict[str, list[dict]]]:
    """One document's raw cells, shaped for the Excel template (cruscotto/template.py), with a person's
    corrections applied: a corrected month is written as a month ('giugno 2021') in place of the printed
    times, so that the template read back gives the corrected step."""
    columns = ["issuer", "report_year", "kind", "period_start", "period_end", "title", "deviation_legend"]
    found = first_row(con, f"SELECT {', '.join(columns)} FROM {DOCS} d WHERE document_id = ?", [document_id])
    document = dict(zip(columns, found or [None] * len(columns)))

    def records(sql: str) -> list[dict]:
        frame = con.execute(sql, [document_id]).df()
        return [{k: (None if v is None or v != v else v) for k, v in row.items()} for row in frame.to_dict("records")]

    objectives = records("SELECT objective_id, position + 1 AS ref, printed_area AS area, number, title, description, "
                         f"responsibility_centre, peg_project, duplicate_of FROM {OBJECTIVES} o WHERE document_id = ? "
                         "ORDER BY position")
    ref = {o["objective_id"]: o["ref"] for o in objectives}
    for objective in objectives:
        objective["duplicate_of"] = ref.get(objective["duplicate_of"])
    steps = records("SELECT m.objective_id, activity, CASE WHEN m.planned_month IS DISTINCT FROM "
                    "m.original_planned_month THEN m.planned_month END AS planned_fix, planned_raw, "
                    "CASE WHEN m.actual_month IS DISTINCT FROM m.original_actual_month THEN m.actual_month END "
                    f"AS actual_fix, actual_raw FROM {MILESTONES} m JOIN objectives o "
                    "USING (objective_id) WHERE o.document_id = ? ORDER BY o.position, m.source_line, m.milestone_id")
    for step in steps:
        for fix, raw in (("planned_fix", "planned_raw"), ("actual_fix", "actual_raw")):
            month = step.pop(fix)
            if month is not None:
                step[raw] = format_month(month)
    indicators = records("SELECT i.objective_id, name, i.description, unit, baseline_raw, expected_raw, actual_raw, "
                         f"reported_deviation_raw, measurement_source FROM {INDICATORS} i JOIN objectives o "
                         "USING (objective_id) WHERE o.document_id = ? "
                         "ORDER BY o.position, i.source_line, i.indicator_id")
    for row in steps + indicators:
        row["objective"] = ref[row.pop("objective_id")]
    return document, {
        "Obiettivi": objectives, "Passi": steps, "Indicatori": indicators,
        "Bilancio": records("SELECT table_name, group_name, line, year, amount_raw FROM budget_lines "
                            "WHERE document_id = ? ORDER BY source_line, year"),
        "Totali": records("SELECT table_name, label, year, as_printed FROM reported_totals WHERE document_id = ? "
                          "ORDER BY source_line, year"),
        "Punteggi": records("SELECT area, score, max_score, as_printed FROM scores WHERE document_id = ? "
                            "ORDER BY source_line"),
    }

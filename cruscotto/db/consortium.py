"""One consortium at a glance: its results year by year, beside its peers', and the commitments a score
proposal is made of. Reports only (a Piano di Zona promises, it does not report), repeated objective blocks
left out, read through the corrected views like every page query."""
from __future__ import annotations

import pandas as pd

from ..italian import parse_number
from .connection import session_memo
from .queries import kept_rows, stored, tallies_of
from .views import INDICATORS, ISSUER, views_for

REPORTS = "d.kind <> 'piano_di_zona' AND d.report_year IS NOT NULL AND o.duplicate_of IS NULL"
REPORT_DOCUMENTS = "d.kind <> 'piano_di_zona' AND d.report_year IS NOT NULL"
# An objective as a person reads it in a list: '3 · title', or the title alone when the document numbers none.
OBJECTIVE = ("CASE WHEN o.number IS NULL THEN coalesce(o.title, o.description, '(obiettivo senza titolo)') "
             "ELSE o.number || ' · ' || coalesce(o.title, o.description, '') END")
GROUPS = {"issuer": ISSUER, "year": "d.report_year", "area": "coalesce(o.area, '(area non indicata)')"}


def issuer_years(con) -> pd.DataFrame:
    """Every issuer with the years its documents speak of: issuer, year, reports (how many report on that year),
    plans (how many Piani di Zona cover it), loaded (when the latest of them was loaded)."""
    v = views_for(con)
    return con.execute(f"""
        SELECT issuer, year, count(*) FILTER (WHERE kind <> 'piano_di_zona') AS reports,
               count(*) FILTER (WHERE kind = 'piano_di_zona') AS plans, max(loaded_at) AS loaded
        FROM (SELECT {ISSUER} AS issuer, d.kind, d.loaded_at,
                     unnest(CASE WHEN d.report_year IS NOT NULL THEN [d.report_year]
                                 ELSE range(d.period_start, d.period_end + 1) END) AS year
              FROM {v.docs} d)
        WHERE year IS NOT NULL GROUP BY ALL ORDER BY issuer, year""").df()


def status_counts(con, by: tuple[str, ...] = ("issuer", "year"), *, issuer: str | None = None, year: int | None = None,
            peers_of: str | None = None, area: str | None = None) -> pd.DataFrame:
    """Indicators and schedule steps counted by status, grouped `by` issuer, year and/or area; of one issuer, or
    of everyone but `peers_of` (then `peers`: how many other issuers); of one year.

    Indicators: reached (met or exceeded), partly, not_met, judged (those three), unassessed (not reported or
    not judged). Steps: on_time (on time or early), late, not_done, dated (on time or late). `area`: one area's
    only."""
    v = views_for(con)
    if year is not None and session_memo(con) is not None:
        # a page run asks for one year's counts several ways (ours by area, the others' by year and by area, every
        # issuer ranked): the year's counts per issuer and area are made once (kept for the read session) and
        # summed from there, the same sums of the same rows
        rows, params = kept_rows(con, *_status_rows(con, ("issuer", "year", "area"), ["d.report_year = ?"],
                                                    [int(year)]))
        outer, outer_params = [], []
        for column, test, value in (("issuer", "=", issuer), ("issuer", "<>", peers_of), ("area", "=", area)):
            if value is not None:
                outer.append(f"{column} {test} ?")
                outer_params.append(value)
        rows, params = f"SELECT * FROM ({rows}) WHERE {' AND '.join(outer) or 'TRUE'}", params + outer_params
    else:
        where, params = [], []
        if issuer is not None:
            where.append(f"{ISSUER} = ?")
            params.append(issuer)
        if peers_of is not None:
            where.append(f"{ISSUER} <> ?")
            params.append(peers_of)
        if year is not None:
            where.append("d.report_year = ?")
            params.append(int(year))
        rows, params = _status_rows(con, by, where, params, area, narrowed=issuer is not None or year is not None)
    group = ", ".join(by)
    frame = con.execute(f"""
        SELECT {group}, count(DISTINCT who) AS issuers,
               sum(reached)::INT AS reached, sum(partly)::INT AS partly, sum(not_met)::INT AS not_met,
               sum(reached + partly + not_met)::INT AS judged, sum(unassessed)::INT AS unassessed,
               sum(on_time)::INT AS on_time, sum(late)::INT AS late, sum(not_done)::INT AS not_done,
               sum(on_time + late)::INT AS dated
        FROM ({rows}) GROUP BY {group} ORDER BY {group}""", params).df()
    return frame.rename(columns={"issuers": "peers"}) if peers_of is not None else frame.drop(columns="issuers")


def _status_rows(con, keys: tuple[str, ...], where: list[str], params: list, area: str | None = None,
                 narrowed: bool = True) -> tuple[str, list]:
    """The indicators' and the steps' counts by status per `keys` and issuer (who), of the reports' documents
    where every condition (on d, the document) holds, of one area or all; and its parameters. One row per
    document (and area) that has indicators or steps: the caller sums them per `keys`. narrowed: the conditions
    leave a few documents (one issuer's, one year's), whose rows this query counts (_narrowed_counts) unless the
    file's summaries are current (queries.stored); else every document's counts kept for the state of the file
    are read (queries.tallies_of)."""
    v = views_for(con)
    documents = " AND ".join([REPORT_DOCUMENTS, *where])
    area_key = ", coalesce(t.area, '(area non indicata)') AS area" if "area" in keys else ""
    if narrowed and not stored(con, "document_area_tallies"):
        inner, inner_params = _narrowed_counts(v, documents, "area" in keys, area)
        inner_params = inner_params + params
    else:
        # summed per document id (and area) from the counts per document and area, before the documents' names
        # are joined: grouping 10^5 rows by the issuer's text cost twice as much
        areas = "coalesce(t.area, '(area non indicata)') = ?" if area is not None else "TRUE"
        inner = f"""SELECT t.document_id{area_key},
                     sum(t.i_met + t.i_exceeded) AS reached, sum(t.i_partly) AS partly, sum(t.i_not_met) AS not_met,
                     sum(t.i_not_reported + t.i_unknown) AS unassessed,
                     sum(t.s_done_on_time + t.s_done_early) AS on_time, sum(t.s_done_late) AS late,
                     sum(t.s_not_done) AS not_done
              FROM {tallies_of(con, None)} t
              WHERE (t.indicators > 0 OR t.steps > 0) AND {areas}
                AND t.document_id IN (SELECT d.document_id FROM {v.docs} d WHERE {documents})
              GROUP BY ALL"""
        inner_params = ([area] if area is not None else []) + params
    counts = f"""
        SELECT {", ".join(f"{'o.area' if g == 'area' else GROUPS[g]} AS {g}" for g in keys)}, {ISSUER} AS who,
               o.* EXCLUDE (document_id{', area' if area_key else ''})
        FROM ({inner}) o JOIN {v.docs} d USING (document_id)"""
    return counts, inner_params


def _narrowed_counts(v, documents: str, by_area: bool, area: str | None) -> tuple[str, list]:
    """The counts of _status_rows per document id (and area, by_area) of the documents where `documents` holds
    (its parameters, once, are the caller's), counted from their indicators and steps themselves: only the
    seven counts read, and the area grouped only when asked (the counts per document and area of every column,
    queries.tallies_of, cost twice as much for a year's documents)."""
    area_text = "coalesce(o.area, '(area non indicata)')"
    group = f", {area_text} AS area" if by_area else ""
    one_area, area_params = (f" AND {area_text} = ?", [area]) if area is not None else ("", [])
    objectives = (f"SELECT o.objective_id, o.document_id, o.area FROM {v.objectives} o WHERE o.duplicate_of IS NULL"
                  f"{one_area} AND o.document_id IN (SELECT d.document_id FROM {v.docs} d WHERE {documents})")
    return f"""
        WITH o AS ({objectives})
        SELECT document_id{', area' if by_area else ''}, sum(reached) AS reached, sum(partly) AS partly,
               sum(not_met) AS not_met, sum(unassessed) AS unassessed, sum(on_time) AS on_time, sum(late) AS late,
               sum(not_done) AS not_done
        FROM (SELECT o.document_id{group}, count(*) FILTER (WHERE i.status IN ('met', 'exceeded')) AS reached,
                     count(*) FILTER (WHERE i.status = 'partly') AS partly,
                     count(*) FILTER (WHERE i.status = 'not_met') AS not_met,
                     count(*) FILTER (WHERE i.status IN ('not_reported', 'unknown')) AS unassessed,
                     0 AS on_time, 0 AS late, 0 AS not_done
              FROM {v.indicators} i JOIN o USING (objective_id) GROUP BY ALL
              UNION ALL
              SELECT o.document_id{group}, 0, 0, 0, 0,
                     count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early')),
                     count(*) FILTER (WHERE m.status = 'done_late'), count(*) FILTER (WHERE m.status = 'not_done')
              FROM {v.milestones} m JOIN o USING (objective_id) GROUP BY ALL)
        GROUP BY ALL""", area_params


def commitments(con, issuer: str, year: int) -> pd.DataFrame:
    """Every indicator and schedule step of one issuer's reports of one year, one row each, in document order:
    what a score proposal and the report's lists are made of. Columns: document_id, source_name, area,
    objective_id, objective, position, kind ('indicator' or 'step'), name, status, attainment, weight_raw,
    expected (expected value or planned month, as printed), actual, expected_value and actual_value (numbers read
    from them), planned_month and actual_month (a step's), slippage_months, status_reason, source_line."""
    v = views_for(con)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, coalesce(o.area, '(area non indicata)') AS area, o.objective_id,
               {OBJECTIVE} AS objective, o.position, 'indicator' AS kind,
               coalesce(i.name, i.description, '(indicatore senza nome)') AS name, i.status, i.attainment,
               i.weight_raw, i.expected_raw AS expected, i.actual_raw AS actual, i.expected_value, i.actual_value,
               NULL::DATE AS planned_month, NULL::DATE AS actual_month, NULL AS slippage_months,
               i.status_reason, i.source_line
        FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE {REPORTS} AND {ISSUER} = ? AND d.report_year = ?
        UNION ALL
        SELECT d.document_id, d.source_name, coalesce(o.area, '(area non indicata)'), o.objective_id,
               {OBJECTIVE}, o.position, 'step', coalesce(m.activity, '(attività senza nome)'), m.status,
               NULL, m.weight_raw, m.planned_raw, m.actual_raw, NULL, NULL, m.planned_month, m.actual_month,
               m.slippage_months, m.status_reason, m.source_line
        FROM {v.milestones} m JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE {REPORTS} AND {ISSUER} = ? AND d.report_year = ?
        ORDER BY source_name, document_id, position, source_line, kind""",
                       [issuer, int(year), issuer, int(year)]).df()


def objective_blocks(con, issuer: str, year: int) -> pd.DataFrame:
    """The lines each objective of one issuer's reports of one year spans: document_id, source_name, objective_id,
    objective,
    first (its source_line) and end (the next objective's source_line, NULL for the last)."""
    v = views_for(con)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, o.objective_id, {OBJECTIVE} AS objective, o.source_line AS first,
               lead(o.source_line) OVER (PARTITION BY o.document_id ORDER BY o.source_line) AS "end"
        FROM {v.objectives} o JOIN {v.docs} d USING (document_id)
        WHERE d.kind <> 'piano_di_zona' AND {ISSUER} = ? AND d.report_year = ?
        ORDER BY d.document_id, o.source_line""", [issuer, int(year)]).df()


def sources(con, issuer: str, year: int) -> pd.DataFrame:
    """The documents a consortium's year is read from, its plans covering the year included: document_id,
    source_name, title, kind, input_format, loaded_at, line_count, corrections (active ones)."""
    v = views_for(con)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, d.title, d.kind, d.input_format, d.loaded_at, d.line_count,
               (SELECT count(*) FROM overrides v WHERE v.document_id = d.document_id AND v.status = 'active')
                   AS corrections
        FROM {v.docs} d
        WHERE {ISSUER} = ? AND (d.report_year = ? OR (d.report_year IS NULL AND ? BETWEEN d.period_start AND d.period_end))
        ORDER BY d.kind, d.source_name""", [issuer, int(year), int(year)]).df()


def objective_history(con, issuer: str) -> pd.DataFrame:
    """Every objective of one issuer's reports, every year: objective_id, year, area, objective, document_id,
    position (what cruscotto.linking links year to year)."""
    v = views_for(con)
    return con.execute(f"""
        SELECT o.objective_id, d.report_year AS year, coalesce(o.area, '(area non indicata)') AS area,
               {OBJECTIVE} AS objective, d.document_id, o.position
        FROM {v.objectives} o JOIN {v.docs} d USING (document_id)
        WHERE {REPORTS} AND {ISSUER} = ?
        ORDER BY year, d.source_name, o.position""", [issuer]).df()


def indicator_history(con, issuer: str) -> pd.DataFrame:
    """Every indicator of one issuer's reports, every year, in document order: indicator_id, objective_id,
    document_id, year,
    area, objective, name, unit, expected_raw, actual_raw, expected_value, actual_value, status, source_name,
    source_line."""
    v = views_for(con)
    return con.execute(f"""
        SELECT i.indicator_id, i.objective_id, d.document_id, d.report_year AS year,
               coalesce(o.area, '(area non indicata)') AS area,
               {OBJECTIVE} AS objective, coalesce(i.name, i.description, '(indicatore senza nome)') AS name, i.unit,
               i.expected_raw, i.actual_raw, i.expected_value, i.actual_value, i.status, d.source_name, i.source_line
        FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE {REPORTS} AND {ISSUER} = ?
        ORDER BY year, d.source_name, o.position, i.source_line""", [issuer]).df()


def plan_steps(con, issuer: str) -> pd.DataFrame:
    """The deadlines of one issuer's Piani di Zona: milestone_id, document_id, period, objective, activity,
    planned_raw, planned_month, source_name, source_line."""
    v = views_for(con)
    return con.execute(f"""
        SELECT m.milestone_id, d.document_id, d.period_start || '-' || d.period_end AS period, {OBJECTIVE} AS objective,
               coalesce(m.activity, '(attività senza nome)') AS activity, m.planned_raw, m.planned_month,
               d.source_name, m.source_line
        FROM {v.milestones} m JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE d.kind = 'piano_di_zona' AND o.duplicate_of IS NULL AND {ISSUER} = ?
        ORDER BY d.period_start, d.source_name, o.position, m.source_line""", [issuer]).df()


def report_steps(con, issuer: str) -> pd.DataFrame:
    """The schedule steps and indicators of one issuer's reports, every year, as steps a plan's deadline can be
    found in: milestone_id, year, activity, status, actual_month, source_name, source_line (an indicator's
    status 'met'/'exceeded' reads as done, 'not_met' as not done, with no month)."""
    v = views_for(con)
    return con.execute(f"""
        SELECT m.milestone_id, d.report_year AS year, m.activity, m.status, m.actual_month, d.source_name,
               m.source_line
        FROM {v.milestones} m JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE {REPORTS} AND {ISSUER} = ? AND m.activity IS NOT NULL
        UNION ALL
        SELECT NULL, d.report_year, coalesce(i.name, i.description),
               CASE WHEN i.status IN ('met', 'exceeded') THEN 'done_undated' WHEN i.status = 'not_met' THEN 'not_done'
                    ELSE 'not_reported' END, NULL, d.source_name, i.source_line
        FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE {REPORTS} AND {ISSUER} = ?
        ORDER BY year, source_name, source_line""", [issuer, issuer]).df()


def objective_weights(con, issuer: str, year: int) -> dict[int, float]:
    """The weight of each objective of one issuer's reports of one year in the score proposal: an editor's
    (active corrections, field 'weight'), else the document's own printed Peso when it reads as a number
    ('40%' -> 40: weights only count against each other); {objective_id: weight}, the others weigh 1."""
    v = views_for(con)
    rows = con.execute(f"""
        SELECT o.objective_id, (SELECT arg_max(w.new_value, w.override_id) FROM overrides w
                                WHERE w.status = 'active' AND w.record_table = 'objectives' AND w.field = 'weight'
                                  AND w.record_id = o.objective_id), o.weight_raw
        FROM {v.objectives} o JOIN {v.docs} d ON d.document_id = o.document_id
        WHERE {ISSUER} = ? AND d.report_year = ?""", [issuer, int(year)]).fetchall()
    weights = {int(objective): float(edited) if edited is not None else parse_number(printed)
               for objective, edited, printed in rows}
    return {objective: weight for objective, weight in weights.items() if weight is not None and weight >= 0}


def _indicator_label(alias_o: str = "o", alias_i: str = "i", alias_d: str = "d") -> str:
    """How a link to the year before names an indicator: '2019 · 1 · Partecipare al percorso… · n. incontri'."""
    objective = OBJECTIVE.replace("o.", f"{alias_o}.")
    return (f"{alias_d}.report_year || ' · ' || {objective} || ' · ' || "
            f"coalesce({alias_i}.name, {alias_i}.description, '(indicatore senza nome)')")


def previous_choices(con, indicator_id: int) -> pd.DataFrame:
    """The indicators a person may say this one continues: the same issuer's, of its latest report year before
    this one's. Columns indicator_id, label, source_line."""
    v = views_for(con)
    return con.execute(f"""
        WITH me AS (SELECT {ISSUER} AS issuer, d.report_year AS year
                    FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
                    WHERE i.indicator_id = ?),
             earlier AS (SELECT max(d.report_year) AS year FROM {v.docs} d, me
                         WHERE {ISSUER} = me.issuer AND d.kind <> 'piano_di_zona' AND d.report_year < me.year)
        SELECT i.indicator_id, {_indicator_label()} AS label, i.source_line
        FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id),
             me, earlier
        WHERE {REPORTS} AND {ISSUER} = me.issuer AND d.report_year = earlier.year
        ORDER BY d.source_name, o.position, i.source_line""", [int(indicator_id)]).df()


def link_corrections(con, issuer: str) -> pd.DataFrame:
    """The links to the year before a person gave the issuer's indicators (active corrections, field
    'previous'): indicator_id, previous_id (as saved: may be stale after a re-load), label (the indicator it
    names, or corrections.NO_LINK)."""
    v = views_for(con)
    if v.indicators != INDICATORS:
        # no active correction of an indicator (views_for), so no link: the same empty frame, without planning
        # the joins of the views for nothing
        return con.execute("SELECT NULL::INTEGER AS indicator_id, NULL::INTEGER AS previous_id, NULL::VARCHAR AS label "
                           "WHERE FALSE").df()
    return con.execute(f"""
        SELECT v.record_id AS indicator_id, arg_max(v.new_record_id, v.override_id) AS previous_id,
               arg_max(v.new_value, v.override_id) AS label
        FROM overrides v JOIN {v.indicators} i ON i.indicator_id = v.record_id
        JOIN {v.objectives} o USING (objective_id)
        JOIN {v.docs} d ON d.document_id = o.document_id
        WHERE v.status = 'active' AND v.record_table = 'indicators' AND v.field = 'previous' AND {ISSUER} = ?
        GROUP BY v.record_id""", [issuer]).df()


def year_on_year(con, issuer: str, year: int) -> pd.DataFrame:
    """The issuer's indicators of `year` beside the one each continues of the year before
    (cruscotto.linking.year_on_year: the tool's links by words in common, a person's links in their place):
    what the page shows, worked out once per database."""
    from .. import linking

    history = indicator_history(con, issuer)
    links = linking.with_corrections(
        linking.link_indicators(history, linking.link_objectives(objective_history(con, issuer))),
        link_corrections(con, issuer), history)
    return linking.year_on_year(history, links, year)


def plans(con) -> pd.DataFrame:
    """Every Piano di Zona: document_id, issuer, period ('2015-2017'), period_start, source_name, in order of issuer
    and period."""
    v = views_for(con)
    return con.execute(f"""
        SELECT d.document_id, {ISSUER} AS issuer, d.period_start || '-' || d.period_end AS period, d.period_start,
               d.source_name
        FROM {v.docs} d WHERE d.kind = 'piano_di_zona'
        ORDER BY issuer, d.period_start, d.source_name""").df()


def plan_budget(con, document_id: int) -> pd.DataFrame:
    """One plan's budget per table, item (its group, else its line) and year, in euros: table_name, item, year,
    amount, lines, first_line (the source_line of its first line)."""
    return con.execute("""
        SELECT table_name, coalesce(group_name, line) AS item, year, sum(amount_eur) AS amount, count(*) AS lines,
               min(source_line) AS first_line
        FROM budget_lines WHERE document_id = ? AND amount_eur IS NOT NULL
        GROUP BY ALL ORDER BY table_name, first_line, year""", [int(document_id)]).df()


def area_comparison(con, issuer: str, year: int) -> pd.DataFrame:
    """One issuer's areas of one year with indicators to judge (reached, judged) and, per area, the share the
    other issuers of that year reached (peer_rate; NaN where none has that area)."""
    ours = status_counts(con, ("area",), issuer=issuer, year=year)
    others = status_counts(con, ("area",), peers_of=issuer, year=year)
    peers = others[others["judged"] > 0].assign(peer_rate=lambda f: f["reached"] / f["judged"])[["area", "peer_rate"]]
    return ours[ours["judged"] > 0].merge(peers, on="area", how="left")


def plan_deadline_checks(con, issuer: str) -> pd.DataFrame:
    """The deadlines of the issuer's Piani di Zona checked against its reports (cruscotto.linking.plan_deadlines):
    what the page shows, computed once per database."""
    from ..linking import plan_deadlines

    steps = plan_steps(con, issuer)
    return plan_deadlines(steps, report_steps(con, issuer)) if len(steps) else steps

"""Records -> the rows the database stores: every indicator and step judged, every amount and score read.

Pure: nothing is written here. Whatever cannot be read becomes a quality issue beside the row that keeps
its original text.
"""
from __future__ import annotations

from functools import lru_cache

from cruscotto.evaluation import judge_indicator, judge_milestone
from cruscotto.italian import parse_amount, parse_number
from cruscotto.records import ParsedDocument

from .scores import split_score

# The judgements are pure functions of cell texts and the year, and the same cells come back ('Si', '/',
# 'Dicembre', '100%') in a document and across the documents a worker reads: each is worked out once.
# typed: a year 2019 and 2019.0 are kept apart, as the functions would tell them apart.
_judge_indicator = lru_cache(maxsize=16384, typed=True)(judge_indicator)
_judge_milestone = lru_cache(maxsize=16384, typed=True)(judge_milestone)


def document_rows(parsed: ParsedDocument) -> dict[str, list[dict]]:
    """Judge every indicator and step, read every amount; unreadable values become quality issues."""
    is_plan = parsed.kind == "piano_di_zona"
    year = parsed.report_year
    issues = [dict(source_line=p.source_line, raw_text=p.raw_text, reason=p.reason, category=p.category)
              for p in parsed.problems]
    objectives = [dict(ref=o.ref, area=o.area, number=o.number, title=o.title, description=o.description,
                       duplicate_of=o.duplicate_of, source_line=o.source_line,
                       responsibility_centre=o.responsibility_centre, peg_project=o.peg_project,
                       weight_raw=o.weight_raw)
                  for o in parsed.objectives]
    milestones = []
    for m in parsed.milestones:
        judged = _judge_milestone(m.planned_raw, m.actual_raw, year, parsed.period_start, is_plan)
        milestones.append(dict(objective=m.objective, activity=m.activity, planned_raw=m.planned_raw,
                               actual_raw=m.actual_raw, planned_month=judged.planned_month,
                               actual_month=judged.actual_month, status=judged.status,
                               slippage_months=judged.slippage_months, source_line=m.source_line,
                               status_reason=judged.reason, start_raw=m.start_raw, weight_raw=m.weight_raw))
        if m.planned_raw and judged.planned_month is None and not is_plan:
            issues.append(dict(source_line=m.source_line, raw_text=m.planned_raw, category="unreadable",
                               reason="Tempi previsti senza un mese leggibile: scadenza non calcolabile."))
    indicators = []
    for i in parsed.indicators:
        judged = _judge_indicator(i.expected_raw, i.actual_raw, i.reported_deviation_raw, year, is_plan,
                                 deviation_legend=parsed.deviation_legend)
        indicators.append(dict(objective=i.objective, name=i.name, description=i.description, unit=i.unit,
                               baseline_raw=i.baseline_raw, expected_raw=i.expected_raw, actual_raw=i.actual_raw,
                               reported_deviation_raw=i.reported_deviation_raw,
                               expected_value=judged.expected_value, actual_value=judged.actual_value,
                               status=judged.status, attainment=judged.attainment,
                               status_reason=judged.reason, source_line=i.source_line,
                               computed_deviation=judged.computed_deviation,
                               measurement_source=i.measurement_source, weight_raw=i.weight_raw,
                               attainment_raw=i.attainment_raw))
        if judged.status == "unknown":
            issues.append(dict(source_line=i.source_line, category="unjudged", reason=judged.reason,
                               raw_text=f"{i.name or ''} | atteso: {i.expected_raw or ''} | "
                                        f"consuntivo: {i.actual_raw or ''}"))
    budget = []
    for b in parsed.budget_lines:
        try:
            amount = parse_amount(b.amount_raw)
        except ValueError:
            amount = None
            issues.append(dict(source_line=b.source_line, raw_text=b.amount_raw, category="unreadable",
                               reason=f"Importo non leggibile per '{b.line}' ({b.year})."))
        budget.append(dict(table_name=b.table_name, group_name=b.group_name, line=b.line, year=b.year,
                           amount_eur=amount, amount_raw=b.amount_raw, source_line=b.source_line))
    totals = []
    for t in parsed.reported_totals:
        value = parse_number(t.as_printed)
        if value is None:
            issues.append(dict(source_line=t.source_line, raw_text=t.as_printed, category="unreadable",
                               reason=f"Totale stampato non leggibile ('{t.label}', {t.year})."))
        totals.append(dict(table_name=t.table_name, label=t.label, year=t.year, value=value,
                           as_printed=t.as_printed, source_line=t.source_line,
                           unit="%" if "%" in t.as_printed else "EUR"))
    scores = []
    for s in parsed.scores:
        score, top = (s.score, s.max_score) if s.score is not None else split_score(s.as_printed, parsed.score_max)
        if top is None:
            top = parsed.score_max
        if top is None:
            issues.append(dict(source_line=s.source_line, raw_text=s.as_printed, category="note",
                               reason=f"Punteggio '{s.as_printed}' senza il massimo: il documento non lo stampa."))
        scores.append(dict(area=s.area, score=score, max_score=top, as_printed=s.as_printed,
                           source_line=s.source_line))
    return dict(objectives=objectives, milestones=milestones, indicators=indicators, budget_lines=budget,
                reported_totals=totals, scores=scores, quality_issues=issues)

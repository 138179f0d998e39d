"""Year on year: the objectives and indicators of one issuer that recur from one report to the next.

An objective of a year is linked to one of the issuer's previous loaded year when both sit in the same area
(its common name, issue 11) and their titles share most of their words, compared loosely (case, accents,
punctuation, filler words, plural/singular: areas.name_words). An indicator is linked inside a linked objective,
by its name the same way; names that repeat inside one objective ('n. incontri') pair in the order printed.
Each link is one-to-one and carries its similarity, so a page can show it and a person can judge it.
Pure: frames in, frames out."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .areas import name_words
from .corrections import NO_LINK, loose

LINKED = 0.5             # share of words in common (of all the words of both) from which two titles are one


@lru_cache(maxsize=65536)
def _words(text: str | None) -> frozenset[str]:
    return frozenset(name_words(text))


def similarity(a: str | None, b: str | None) -> float:
    """Words in common over the words of both: 'n. incontri' / 'N. incontri' -> 1.0; unrelated -> 0.0."""
    left, right = _words(a), _words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def _groups(rows: list[tuple]) -> dict:
    """(group, key, text) rows as {group: [(key, text), ...]} in the order first met (the order printed inside
    each group); rows of no group left out, as pandas' groupby does."""
    found: dict = {}
    for group, key, text in rows:
        if group is None or group != group:          # None or NaN
            continue
        found.setdefault(group, []).append((key, text))
    return found


def _rows(frame: pd.DataFrame, group: str, key: str, text: str) -> list[tuple]:
    """A frame's (group, key, text) rows as Python values, read once: a frame masked per group and year cost
    more than the comparisons (pandas' overhead per call, on a few dozen rows)."""
    return list(zip(frame[group].tolist(), frame[key].tolist(), frame[text].tolist()))


def _pairs(earlier: list[tuple], later: list[tuple]) -> list[tuple]:
    """One-to-one pairs (later key, earlier key, similarity) of (group, key, text) rows of the same group, best
    first, each at least LINKED; equal similarities pair in the order printed."""
    candidates = []
    theirs_by_group = _groups(earlier)
    for g, mine in _groups(later).items():
        theirs = theirs_by_group.get(g, [])
        for i, (k_later, t_later) in enumerate(mine):
            for j, (k_earlier, t_earlier) in enumerate(theirs):
                score = similarity(t_later, t_earlier)
                if score >= LINKED:
                    candidates.append((-score, abs(i - j), i, k_later, k_earlier, score))
    taken_later, taken_earlier, pairs = set(), set(), []
    for *_, k_later, k_earlier, score in sorted(candidates, key=lambda c: c[:3]):
        if k_later not in taken_later and k_earlier not in taken_earlier:
            taken_later.add(k_later)
            taken_earlier.add(k_earlier)
            pairs.append((k_later, k_earlier, score))
    return pairs


def link_objectives(objectives: pd.DataFrame) -> pd.DataFrame:
    """objectives: objective_id, year, area, objective (one issuer's). Returns objective_id, previous_id,
    previous_year, similarity: each objective linked to one of the previous loaded year."""
    years = sorted(objectives["year"].unique())
    by_year: dict = {}
    for year, row in zip(objectives["year"].tolist(), _rows(objectives, "area", "objective_id", "objective")):
        by_year.setdefault(year, []).append(row)
    rows = []
    for before, year in zip(years, years[1:]):
        pairs = _pairs(by_year.get(before, []), by_year.get(year, []))
        rows += [(later, earlier, int(before), score) for later, earlier, score in pairs]
    return pd.DataFrame(rows, columns=["objective_id", "previous_id", "previous_year", "similarity"])


def link_indicators(indicators: pd.DataFrame, objective_links: pd.DataFrame) -> pd.DataFrame:
    """indicators: indicator_id, objective_id, name (one issuer's, in document order). Returns indicator_id,
    previous_id, similarity: inside each linked pair of objectives, indicators paired by name."""
    rows = []
    by_objective: dict = {}
    for objective, key, name in _rows(indicators, "objective_id", "indicator_id", "name"):
        by_objective.setdefault(objective, []).append((0, key, name))
    for later_id, earlier_id in zip(objective_links["objective_id"].tolist(), objective_links["previous_id"].tolist()):
        later, earlier = by_objective.get(later_id), by_objective.get(earlier_id)
        if later is None or earlier is None:
            continue
        rows += _pairs(earlier, later)
    return pd.DataFrame(rows, columns=["indicator_id", "previous_id", "similarity"])


def indicator_label(row) -> str:
    """As a link a person gave names an indicator (db.consortium.previous_choices): 'year · objective · name'."""
    return f"{row.year} · {row.objective} · {row.name}"


def with_corrections(links: pd.DataFrame, corrected: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The tool's links with the ones a person gave in their place (corrected: indicator_id, previous_id, label).
    A person's link finds its indicator by id, or, when that document was loaded again since, by its label
    compared loosely; 'no link' removes the tool's. Each indicator of the year before stays linked once: a
    person's link takes it from the tool's. Adds by_person (True for a person's links)."""
    links = links.assign(by_person=False)
    if corrected.empty:
        return links
    ids = set(indicators["indicator_id"])
    by_label = {loose(indicator_label(r)): r.indicator_id for r in indicators.itertuples()}
    given = []
    for row in corrected.itertuples():
        if row.label == NO_LINK:
            previous = None
        elif pd.notna(row.previous_id) and int(row.previous_id) in ids:
            previous = int(row.previous_id)
        else:
            previous = by_label.get(loose(row.label))
        given.append((int(row.indicator_id), previous))
    mine = {i for i, _ in given}
    taken = {p for _, p in given if p is not None}
    kept = links[~links["indicator_id"].isin(mine) & ~links["previous_id"].isin(taken)]
    added = pd.DataFrame([(i, p, None, True) for i, p in given if p is not None],
                         columns=["indicator_id", "previous_id", "similarity", "by_person"])
    return pd.concat([kept, added], ignore_index=True) if len(added) else kept


def year_on_year(indicators: pd.DataFrame, links: pd.DataFrame, year: int) -> pd.DataFrame:
    """The indicators of `year` beside their linked indicator of the year before: every column of `indicators`
    for this year, and previous_year, previous_expected, previous_actual, previous_value, previous_status,
    similarity and change (actual_value minus the previous one, where both are numbers)."""
    now = indicators[indicators["year"] == year].merge(links, on="indicator_id", how="left")
    before = indicators[["indicator_id", "year", "expected_raw", "actual_raw", "actual_value", "status"]].rename(
        columns={"indicator_id": "previous_id", "year": "previous_year", "expected_raw": "previous_expected",
                 "actual_raw": "previous_actual", "actual_value": "previous_value", "status": "previous_status"})
    joined = now.merge(before, on="previous_id", how="left")
    joined["change"] = joined["actual_value"] - joined["previous_value"]
    return joined


def plan_deadlines(plan_steps: pd.DataFrame, report_steps: pd.DataFrame) -> pd.DataFrame:
    """A Piano di Zona's deadlines checked against the later reports of the same issuer. plan_steps: milestone_id,
    activity, planned_month; report_steps: milestone_id, year, activity, status, actual_month, source_name,
    source_line. Each plan step gets the report step of the deadline's year or later whose activity is most alike
    (at least LINKED): found_year, found_activity, found_status, found_month, found_source, similarity; and
    `verdict`: 'on_time', 'late', 'not_done', 'reported' (done, no month), 'not_found' (reports of those years
    are loaded, none names it) or 'no_report' (no report of those years is loaded)."""
    rows = []
    reports = list(report_steps.itertuples())    # read once: a plan's steps times its reports' steps
    for step in plan_steps.itertuples():
        deadline = pd.Timestamp(step.planned_month) if pd.notna(step.planned_month) else None
        later = reports if deadline is None else [r for r in reports if r.year >= deadline.year]
        best = max(((similarity(step.activity, r.activity), r) for r in later),
                   key=lambda pair: pair[0], default=(0.0, None))
        found = best[1] if best[0] >= LINKED else None
        rows.append({"milestone_id": step.milestone_id, "verdict": _verdict(deadline, later, found),
                     "similarity": best[0] if found is not None else None,
                     "found_year": found.year if found is not None else None,
                     "found_activity": found.activity if found is not None else None,
                     "found_status": found.status if found is not None else None,
                     "found_month": found.actual_month if found is not None else None,
                     "found_source": f"{found.source_name}, riga {found.source_line}" if found is not None else None})
    return plan_steps.merge(pd.DataFrame(rows, columns=[
        "milestone_id", "verdict", "similarity", "found_year", "found_activity", "found_status", "found_month",
        "found_source"]), on="milestone_id", how="left")


def _verdict(deadline, later: list, found) -> str:
    if not later:
        return "no_report"
    if found is None:
        return "not_found"
    if found.status == "not_done":
        return "not_done"
    if deadline is None or pd.isna(found.actual_month):
        return "reported" if found.status != "not_reported" else "not_found"
    return "on_time" if pd.Timestamp(found.actual_month) <= deadline else "late"

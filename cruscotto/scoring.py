"""A score proposal per area from the statuses of its indicators and schedule steps, under one of the two rules a
nucleo di valutazione uses, and how differentiated a set of scores is. Pure functions on the rows of
cruscotto.db.consortium.commitments; the rules are written out in RULE_TEXT, for the page and the report."""
from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .evaluation import match_area
from .italian import format_number, format_percent, parse_number

RULES = {"weighted_mean": "Media pesata del raggiungimento", "all_met": "Tutti i target raggiunti"}
DEFAULT_MAX = 100.0
REACHED = frozenset({"met", "exceeded", "done_on_time", "done_early", "done_undated"})
# Worth of a commitment that is judged but not reached, under the weighted mean (a ratio read from the document wins).
PARTLY, LATE = 0.5, 0.5
ASSESSABLE = REACHED | {"partly", "not_met", "done_late", "not_done"}

RULE_TEXT = {
    "weighted_mean": (
        "Ogni obiettivo vale la media dei suoi impegni valutabili: un indicatore raggiunto o superato vale 100%, "
        "uno raggiunto in parte o non raggiunto vale il rapporto tra consuntivo e atteso quando il documento dà i "
        "numeri (al massimo 100%), altrimenti 50% se raggiunto in parte e 0% se non raggiunto; un passo del "
        "cronoprogramma svolto nei tempi, in anticipo o senza data vale 100%, in ritardo 50%, non svolto 0%. "
        "Il punteggio dell'area è la media degli obiettivi pesata con i loro pesi, per il massimo."),
    "all_met": (
        "Un obiettivo conta solo se tutti i suoi impegni valutabili sono raggiunti (indicatori raggiunti o "
        "superati, passi svolti nei tempi, in anticipo o senza data); altrimenti vale zero. Il punteggio "
        "dell'area è la quota pesata degli obiettivi raggiunti per intero, per il massimo."),
}
COMMON_TEXT = ("Gli indicatori non rendicontati o non giudicabili dal testo non entrano nel calcolo; un obiettivo "
               "senza impegni valutabili non conta. Dentro un obiettivo gli impegni pesano come stampa il documento "
               "(colonna Peso) quando la stampa per tutti, altrimenti allo stesso modo; un obiettivo pesa quanto gli dà "
               "un editor, altrimenti il peso che il documento stampa nella sua scheda, altrimenti 1.")


def commitment_value(kind: str, status: str, attainment: float | None) -> float | None:
    """The worth (0 to 1) of one indicator or step under the weighted mean; None when it cannot be judged."""
    if status not in ASSESSABLE:
        return None
    if status in REACHED:
        return 1.0
    if kind == "indicator":
        if attainment is not None and not math.isnan(attainment):
            return min(max(float(attainment), 0.0), 1.0)
        return PARTLY if status == "partly" else 0.0
    return LATE if status == "done_late" else 0.0


def objectives_table(commitments: pd.DataFrame, weights: Mapping[int, float] | None = None) -> pd.DataFrame:
    """One row per objective with at least one commitment: area, objective_id, objective, weight (the objective's,
    default 1), commitments, assessable, reached, printed_weights (its commitments weighed as the document prints),
    mean (weighted-mean worth, 0-1) and whole (1 when every assessable commitment is reached)."""
    weights = weights or {}
    rows = []
    for (area, objective_id, objective), items in commitments.groupby(["area", "objective_id", "objective"],
                                                                         sort=False):
        judged = [(value, printed_weight(w)) for k, s, a, w in zip(items["kind"], items["status"],
                                                                    items["attainment"], items["weight_raw"])
                  if (value := commitment_value(k, s, None if pd.isna(a) else a)) is not None]
        printed = all(w for _, w in judged)
        total = sum(w if printed else 1.0 for _, w in judged)
        reached = sum(1 for s in items["status"] if s in REACHED)
        rows.append({"area": area, "objective_id": int(objective_id), "objective": objective,
                     "weight": float(weights.get(int(objective_id), 1.0)), "commitments": len(items),
                     "assessable": len(judged), "reached": reached, "printed_weights": bool(judged) and printed,
                     "mean": sum(v * (w if printed else 1.0) for v, w in judged) / total if judged else None,
                     "whole": (1.0 if reached == len(judged) else 0.0) if judged else None})
    return pd.DataFrame(rows, columns=["area", "objective_id", "objective", "weight", "commitments", "assessable",
                                       "reached", "printed_weights", "mean", "whole"])


def printed_weight(raw) -> float | None:
    """A Peso cell as a positive number ('30%' -> 30, '0,3' -> 0.3); None when empty or unreadable."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    value = parse_number(str(raw))
    return value if value is not None and value > 0 else None


def weighed(objectives: pd.DataFrame, weights: Mapping[int, float]) -> pd.DataFrame:
    """objectives_table's rows with the weights an editor gave (the others weigh 1)."""
    if not weights:
        return objectives
    return objectives.assign(weight=[float(weights.get(int(o), 1.0)) for o in objectives["objective_id"]])


@dataclass(frozen=True)
class AreaProposal:
    area: str
    objectives: int              # objectives with something to judge
    attainment: float | None     # weighted, 0-1
    maximum: float
    score: float | None


def propose(objectives: pd.DataFrame, rule: str, maxima: Mapping[str, float] | None = None,
            default_max: float = DEFAULT_MAX) -> list[AreaProposal]:
    """Per area, the weighted mean of its objectives' worth under `rule` ('weighted_mean' or 'all_met'), times
    the area's maximum (maxima[area], else default_max)."""
    column = {"weighted_mean": "mean", "all_met": "whole"}[rule]
    maxima = maxima or {}
    proposals = []
    for area, rows in objectives.groupby("area", sort=False):
        judged = rows[rows[column].notna() & (rows["weight"] > 0)]
        total = float(judged["weight"].sum())
        attainment = float((judged["weight"] * judged[column]).sum() / total) if total else None
        maximum = float(maxima.get(area, default_max))
        proposals.append(AreaProposal(area, len(judged), attainment, maximum,
                                      None if attainment is None else round(attainment * maximum, 1)))
    return proposals


def spread(shares: Iterable[float]) -> dict | None:
    """How differentiated scores are, each as a share of its maximum (0-1): lowest, highest, range and standard
    deviation in percentage points; None with fewer than two."""
    values = [float(v) for v in shares if v is not None and not math.isnan(v)]
    if len(values) < 2:
        return None
    return {"count": len(values), "lowest": min(values), "highest": max(values),
            "range_points": 100 * (max(values) - min(values)), "stdev_points": 100 * statistics.pstdev(values)}


FLAT_POINTS = 10         # a range narrower than this many percentage points is "nearly the same mark"


def spread_sentence(figures: dict | None, what: str = "aree") -> str | None:
    """'Tutte le 4 aree hanno quasi lo stesso punteggio (tra 92% e 94% del massimo): …' when the range is under
    FLAT_POINTS, else the range and standard deviation."""
    if figures is None:
        return None
    low, high = format_percent(figures["lowest"]), format_percent(figures["highest"])
    if figures["range_points"] < FLAT_POINTS:
        between = f"tutte al {low}" if low == high else f"tra {low} e {high}"
        return (f"Tutte le {figures['count']} {what} hanno quasi lo stesso punteggio ({between} del massimo): una "
                "valutazione così poco differenziata non distingue chi ha fatto di più da chi ha fatto di meno, "
                "come invece chiede la legge sulla valutazione della performance.")
    return (f"I punteggi delle {figures['count']} {what} vanno da {low} a {high} del massimo (scarto tipo "
            f"{format_number(figures['stdev_points'], 1)} punti percentuali).")


def printed_scores(scores: pd.DataFrame, areas: list[str]) -> dict[str, tuple[float | None, float | None, str]]:
    """The document's own score of each area, its areas named as the objectives name them (evaluation.match_area):
    {area: (score, max_score, as_printed)}; areas the document scores under another name are left out."""
    found = {}
    for row in scores.itertuples():
        area = match_area(row.area, areas)
        if area is not None and area not in found:
            found[area] = (None if pd.isna(row.score) else float(row.score),
                           None if pd.isna(row.max_score) else float(row.max_score), row.as_printed)
    return found


def proposal_table(objectives: pd.DataFrame, rule: str, printed: Mapping[str, tuple], maximum: float | None = None
                   ) -> pd.DataFrame:
    """Per area, the proposal beside the document's own score: area, objectives, attainment (0-1), maximum,
    proposal, printed_score, printed_max, as_printed. The maximum is `maximum` when a person set one, else the
    document's own for that area, else DEFAULT_MAX."""
    maxima = {area: maximum or (printed.get(area, (None, None, None))[1] or DEFAULT_MAX)
              for area in objectives["area"].unique()}
    rows = []
    for p in propose(objectives, rule, maxima):
        score, printed_max, as_printed = printed.get(p.area, (None, None, None))
        rows.append({"area": p.area, "objectives": p.objectives, "attainment": p.attainment, "maximum": p.maximum,
                     "proposal": p.score, "printed_score": score, "printed_max": printed_max, "as_printed": as_printed})
    return pd.DataFrame(rows, columns=["area", "objectives", "attainment", "maximum", "proposal", "printed_score",
                                       "printed_max", "as_printed"])

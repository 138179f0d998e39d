"""A consortium's year in plain Italian sentences, built from cruscotto.db.consortium.status_counts:
what a mayor reads in a minute. Pure functions: numbers in, sentences out (plain text, no markup)."""
from __future__ import annotations

from collections.abc import Mapping

from .italian import format_percent

NAMES_SHOWN = 4          # commitments named in a sentence; the rest are counted


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _rate(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else "—"


def _names(names: list[str], total: int | None = None) -> str:
    """['a', 'b', 'c'] -> '«a», «b» e «c»'; past NAMES_SHOWN, '… e altri N'."""
    total = len(names) if total is None else total
    shown = [f"«{_short(n)}»" for n in names[:NAMES_SHOWN]]
    rest = total - len(shown)
    if rest > 0:
        return ", ".join(shown) + f" e {'un altro' if rest == 1 else f'altri {rest}'}"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " e " + shown[-1]


def _short(text: str, most: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[:most - 1].rsplit(" ", 1)[0] + "…"


def attainment_sentence(issuer: str, year: int, this: Mapping, previous: tuple[int, Mapping] | None) -> str:
    """'Nel 2021 l'ente X ha raggiunto 22 indicatori su 23 valutabili (96%); nel 2020 erano 11 su 12 (92%): 4 punti
    percentuali in più.'"""
    reached, judged = int(this["reached"]), int(this["judged"])
    if not judged:
        sentence = f"Nel {year} l'ente {issuer} non ha indicatori che si possano valutare"
    else:
        sentence = (f"Nel {year} l'ente {issuer} ha raggiunto {reached} "
                    f"{'indicatore' if reached == 1 else 'indicatori'} su {judged} "
                    f"{'valutabile' if judged == 1 else 'valutabili'} ({_rate(reached, judged)})")
    if previous is None:
        return sentence + ". È il solo anno caricato per questo ente fino al " + str(year) + \
            ": non c'è un anno precedente con cui confrontarlo."
    before_year, before = previous
    before_reached, before_judged = int(before["reached"]), int(before["judged"])
    if not before_judged:
        return sentence + f"; nel {before_year} non c'erano indicatori valutabili."
    sentence += f"; nel {before_year} erano {before_reached} su {before_judged} ({_rate(before_reached, before_judged)})"
    if not judged:
        return sentence + "."
    points = round(100 * reached / judged) - round(100 * before_reached / before_judged)
    if points == 0:
        return sentence + ": la stessa quota."
    return sentence + f": {_counted(abs(points), 'punto percentuale', 'punti percentuali')} in " \
                      f"{'più' if points > 0 else 'meno'}."


def missed_sentence(not_met: list[str], partly: list[str], totals: Mapping) -> str | None:
    """'Non raggiunti: «a» e «b». Raggiunti in parte: «c».'; None when every judged indicator was reached."""
    parts = []
    if int(totals["not_met"]):
        parts.append(f"Non raggiunti ({totals['not_met']}): {_names(not_met, int(totals['not_met']))}.")
    if int(totals["partly"]):
        parts.append(f"Raggiunti in parte ({totals['partly']}): {_names(partly, int(totals['partly']))}.")
    return " ".join(parts) or None


def steps_sentence(totals: Mapping, late: list[str]) -> str | None:
    """'Del cronoprogramma, 25 passi su 39 con una data sono stati svolti nei tempi (64%); in ritardo (14): «a» …;
    non svolti: 7.'; None when the year has no dated or undone step."""
    on_time, dated, not_done = int(totals["on_time"]), int(totals["dated"]), int(totals["not_done"])
    if not dated and not not_done:
        return None
    parts = []
    if dated:
        parts.append(f"Del cronoprogramma, {on_time} {'passo' if on_time == 1 else 'passi'} su {dated} con una data "
                     f"{'è stato svolto' if on_time == 1 else 'sono stati svolti'} nei tempi ({_rate(on_time, dated)})")
        if int(totals["late"]):
            parts.append(f"in ritardo ({totals['late']}): {_names(late, int(totals['late']))}")
    else:
        parts.append("Nessun passo del cronoprogramma ha una data di realizzazione")
    if not_done:
        parts.append(f"non {'svolto' if not_done == 1 else 'svolti'}: {not_done}")
    return "; ".join(parts) + "."


def unassessed_sentence(totals: Mapping) -> str | None:
    count = int(totals["unassessed"])
    if not count:
        return None
    return (f"{_counted(count, 'indicatore non è rendicontato', 'indicatori non sono rendicontati')} o non si "
            f"{'può' if count == 1 else 'possono'} giudicare dal testo: "
            f"{'non conta né come raggiunto né come mancato' if count == 1 else 'non contano né come raggiunti né come mancati'}.")


def peers_sentence(year: int, peers: Mapping | None) -> str | None:
    """How the other issuers loaded for the same year did, pooled: None when there are none."""
    if peers is None or not int(peers["peers"]):
        return None
    count, reached, judged = int(peers["peers"]), int(peers["reached"]), int(peers["judged"])
    who = "l'altro ente caricato" if count == 1 else f"gli altri {count} enti caricati"
    if not judged:
        return f"Per il {year} {who} non {'ha' if count == 1 else 'hanno'} indicatori valutabili."
    return (f"Per il {year} {who} {'ha' if count == 1 else 'hanno'} raggiunto nel complesso {reached} indicatori su "
            f"{judged} valutabili ({_rate(reached, judged)}).")


def year_summary(issuer: str, year: int, by_year, commitments, peers) -> list[str]:
    """Every sentence of a consortium's year, in reading order. by_year: status counts per year of the issuer
    (db.status_counts by year), commitments: its indicators and steps of the year (db.commitments), peers: the
    other issuers' counts for the year (one row, or an empty frame)."""
    this = by_year[by_year["year"] == year].iloc[0]
    earlier = by_year[by_year["year"] < year]
    previous = (int(earlier.iloc[-1]["year"]), earlier.iloc[-1]) if len(earlier) else None
    indicators = commitments[commitments["kind"] == "indicator"]
    steps = commitments[commitments["kind"] == "step"]

    def named(items, status):
        return items.loc[items["status"] == status, "name"].tolist()

    sentences = [attainment_sentence(issuer, year, this, previous),
                 missed_sentence(named(indicators, "not_met"), named(indicators, "partly"), this),
                 steps_sentence(this, named(steps, "done_late")),
                 unassessed_sentence(this),
                 peers_sentence(year, peers.iloc[0] if len(peers) else None)]
    return [s for s in sentences if s]

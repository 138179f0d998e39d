"""How a careful evaluator judges an indicator and a schedule step (../shared/DOMAIN.md), as pure functions.

Each judgement carries its reason: one Italian sentence the pages show beside the status.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .vocabulary import IN_PROGRESS_WORDS, NOT_REPORTED, NOT_STARTED_WORDS
from .italian import (Month, clean_cell, format_day, format_month, format_number, months_in, numbers_in,
                      parse_deadline, parse_number, parse_target, parse_yes_no)

STATUS_LABELS = {
    "met": "raggiunto", "exceeded": "superato", "partly": "parzialmente raggiunto", "not_met": "non raggiunto",
    "not_reported": "non rendicontato", "unknown": "da verificare",
}
MILESTONE_LABELS = {
    "done_on_time": "nei tempi", "done_late": "in ritardo", "done_early": "in anticipo",
    "done_undated": "svolto, senza data", "not_done": "non svolto", "not_reported": "non rendicontato",
    "planned": "programmato",
}
MISSING = set(NOT_REPORTED)
# A step reported as not done, wherever the sentence says so ('La regolamentazione non è stata possibile').
_NOT_DONE = re.compile(r"\bnon\s+(?:(?:è|e'|sono)\s+stat[oaie]\s+)?(?:svolt|realizzat|attuat|effettuat|avviat|"
                       r"possibil|complet|conclus|fatt)", re.IGNORECASE)


# ---------------------------------------------------------------------------- results

@dataclass(frozen=True)
class Result:
    """Our reading of a result cell. kind: missing, future, yes, partial_yes, no, all, number, numbers,
    year, text."""
    kind: str
    value: float | None = None
    values: tuple[float, ...] = ()
    percent: bool = False
    word: str = ""
    from_text: bool = False           # the number was picked out of a sentence


_EXCEPTION = re.compile(r"\b(tranne|eccetto|salvo|ad eccezione)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(sarà|saranno|verrà|verranno|si prevede)\b", re.IGNORECASE)


def read_result(raw: str | None) -> Result:
    """'14' -> number 14; '/' -> missing; 'Sì, è stata redatta' -> yes; 'Nessuno' -> number 0;
    'n. 39 REI n. 375 RDC' -> numbers (39, 375); 'Tutti i tutoraggi ... realizzati' -> all."""
    text = clean_cell(raw)
    if text is None or text.lower() in MISSING:
        return Result("missing")
    lowered = text.lower()
    answer = parse_yes_no(text)
    exception = bool(_EXCEPTION.search(text))
    values = tuple(numbers_in(text))
    if answer is True:                          # 'Sì, 12 incontri' keeps its number for a numeric target
        return Result("partial_yes" if exception else "yes", values[0] if len(values) == 1 else None, values,
                      "%" in text, word=text.split()[0], from_text=True)
    if answer is False:
        return Result("no", word=text.split()[0])
    if _FUTURE.search(text) and not values:
        return Result("future")
    if re.match(r"^(nessun[oa]?|zero)\b", lowered):
        return Result("number", 0.0)
    if re.match(r"^(tutti|tutte)\b", lowered):
        return Result("partial_yes" if exception else "all", 100.0, percent=True)
    if re.fullmatch(r"\(?\d{4}\)?", text):
        return Result("year", float(text.strip("()")))
    percent = "%" in text
    if len(values) == 1:
        return Result("number", values[0], values, percent, from_text=parse_number(text) is None)
    if len(values) > 1:
        return Result("numbers", None, values, percent)
    return Result("text")


# ---------------------------------------------------------------------------- indicators

@dataclass(frozen=True)
class Judgement:
    status: str
    reason: str
    attainment: float | None = None
    expected_value: float | None = None
    actual_value: float | None = None
    computed_deviation: float | None = None


def _ratio_status(ratio: float) -> str:
    """6 expected, 2 done -> 0.33 -> not_met; 4 expected, 3 done -> 0.75 -> partly."""
    if ratio > 1:
        return "exceeded"
    if ratio == 1:
        return "met"
    return "partly" if ratio >= 0.5 else "not_met"


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return format_number(value, 0 if float(value).is_integer() else 2)


def judge_indicator(expected_raw: str | None, actual_raw: str | None, reported_deviation_raw: str | None = None,
                    report_year: int | None = None, is_plan: bool = False,
                    deviation_legend: bool = False) -> Judgement:
    """'4' vs '14' -> exceeded (350%); '< 5' vs 'Nessuno' -> met; 'Si' vs 'No' -> not_met;
    '500' vs 'n. 39 REI n. 375 RDC' -> unknown; '2' vs '/' -> not_reported.

    deviation_legend: the document prints how to read its Scostamento column (sample 004); only then does
    the printed deviation decide an indicator the rules cannot judge."""
    target = parse_target(expected_raw, report_year)
    result = read_result(actual_raw)
    expected_value = target.value if target and target.op not in ("yes", "deadline", "text") else None
    actual_value = result.value if result.kind in ("number", "all") else None
    if is_plan:
        return Judgement("not_reported", "Piano di Zona: valore atteso per il triennio, consuntivo non ancora "
                         "disponibile.", expected_value=expected_value)
    judged = _judge(target, result, expected_raw, actual_raw)
    status, reason, attainment = judged
    if status == "unknown" and deviation_legend:
        status, reason = _by_reported_deviation(reported_deviation_raw, status, reason)
    deviation = None
    if target and target.op in ("eq", "ge", "gt") and actual_value is not None and expected_value is not None:
        deviation = actual_value - expected_value
    return Judgement(status, reason, attainment, expected_value, actual_value, deviation)


def _judge(target, result: Result, expected_raw, actual_raw) -> tuple[str, str, float | None]:
    if result.kind == "missing":
        return "not_reported", f"Consuntivo non indicato ('{clean_cell(actual_raw) or 'cella vuota'}').", None
    if result.kind == "future":
        return "not_reported", "Il consuntivo annuncia una rilevazione futura: nessun risultato ancora.", None
    if result.kind == "year":
        return "unknown", (f"Il consuntivo è solo un anno ({int(result.value)}): probabilmente l'intestazione "
                           "della colonna rimasta nella cella, non un risultato."), None
    if target is None:
        return "unknown", "Valore atteso non indicato: il risultato non si può confrontare.", None
    garbled = " ('S'' letto come 'Sì')" if result.word.startswith(("S'", "S’")) else ""
    if result.kind == "yes" and result.word.lower().startswith("raggiunt"):
        return "met", "Il consuntivo dichiara l'obiettivo raggiunto.", None
    if target.op == "no":
        return {
            "no": ("met", "Atteso No, consuntivo No.", None),
            "yes": ("not_met", "Atteso No, consuntivo affermativo.", None),
        }.get(result.kind, ("unknown", "Atteso No, ma il consuntivo non risponde né sì né no.", None))
    if target.op == "yes":
        return {
            "yes": ("met", f"Atteso Sì, consuntivo affermativo{garbled}.", None),
            "partial_yes": ("partly", "Atteso Sì: consuntivo affermativo ma con un'eccezione dichiarata.", None),
            "all": ("met", "Atteso Sì: il consuntivo dichiara tutto realizzato.", None),
            "no": ("not_met", "Atteso Sì, consuntivo No.", None),
        }.get(result.kind, ("unknown", "Atteso Sì/No, ma il consuntivo non risponde né sì né no.", None))
    if target.op == "deadline":
        return _judge_deadline(target, result, actual_raw)
    if target.op == "text":
        if result.kind in ("yes", "all"):
            return "met", f"Obiettivo descrittivo, consuntivo affermativo{garbled}.", None
        if result.kind == "partial_yes":
            return "partly", "Obiettivo descrittivo: consuntivo affermativo con un'eccezione dichiarata.", None
        if result.kind == "no":
            return "not_met", "Obiettivo descrittivo, consuntivo negativo.", None
        return "unknown", "Né il valore atteso né il consuntivo hanno una forma confrontabile.", None
    return _judge_number(target, result)


def _judge_deadline(target, result: Result, actual_raw) -> tuple[str, str, float | None]:
    due = target.deadline
    due_text = format_day(due) if due else "la scadenza"
    if result.kind == "no":
        return "not_met", f"Scadenza {due_text}: il consuntivo dichiara l'attività non svolta.", None
    text = clean_cell(actual_raw) or ""
    done = result.kind in ("yes", "all", "partial_yes") or \
        re.search(r"conclus|complet|realizzat|approvat|svolt|effettuat|attuat|termin", text, re.IGNORECASE)
    dates = months_in(text, None)
    if due and done and dates:                  # the date the result states decides, even after a 'Sì'
        last = max(dates, key=Month.index)
        if last.index() > Month(due.year, due.month).index():
            return "not_met", f"Scadenza {due_text}: completamento dichiarato solo a {format_month(last)}.", None
        if result.kind == "partial_yes":
            return "partly", f"Scadenza {due_text}: svolto entro {format_month(last)}, ma con un'eccezione.", None
        return "met", f"Scadenza {due_text}: il consuntivo dichiara il completamento entro {format_month(last)}.", None
    if result.kind in ("yes", "all"):
        return "met", f"Scadenza {due_text}: il consuntivo dichiara l'attività svolta, senza altra data.", None
    if result.kind == "partial_yes":
        return "partly", f"Scadenza {due_text}: svolto, ma con un'eccezione dichiarata nel testo.", None
    return "unknown", f"Scadenza {due_text}: il consuntivo non dice con certezza se è stata rispettata.", None


def _judge_number(target, result: Result) -> tuple[str, str, float | None]:
    sign = {"ge": "≥ ", "gt": "> ", "le": "≤ ", "lt": "< ", "eq": "", "range": ""}[target.op]
    bound = sign + _num(target.value) + (f"-{_num(target.high)}" if target.op == "range" and target.high else "") + \
        ("%" if target.percent else "")
    if result.kind == "yes" and result.value is not None:
        result = Result("number", result.value, result.values, result.percent, from_text=True)
    if result.kind == "yes" and target.op in ("ge", "eq", "range") and target.value == 1:
        return "met", "Atteso almeno 1, il consuntivo risponde sì.", None
    if result.kind == "no":
        return "not_met", f"Atteso {bound}, consuntivo negativo.", None
    if result.kind == "all" and not target.percent:
        return "met", f"Atteso {bound}: il consuntivo dichiara realizzato tutto il previsto.", None
    if result.kind == "number" and result.from_text and result.percent != target.percent:
        return "unknown", (f"Atteso {bound}, ma il numero letto dal testo ({_num(result.value)}"
                           f"{'%' if result.percent else ''}) non è nella stessa unità."), None
    if result.kind == "numbers":
        listed = ", ".join(_num(v) for v in result.values)
        return "unknown", (f"Il consuntivo riporta più numeri ({listed}) per un solo valore atteso ({bound}): "
                           "l'abbinamento non è certo, da verificare."), None
    if result.kind not in ("number", "all"):
        return "unknown", f"Atteso {bound}: il consuntivo non contiene un numero confrontabile.", None
    actual = result.value
    shown = _num(actual) + ("%" if result.percent else "") + (" (letto dal testo)" if result.from_text else "")
    if target.op in ("le", "lt"):
        within = actual <= target.value if target.op == "le" else actual < target.value
        return ("met" if within else "not_met",
                f"Limite {bound} (più basso è meglio): consuntivo {shown}, "
                f"{'entro' if within else 'oltre'} il limite.", None)
    floor = target.value
    if floor == 0:
        met = actual == 0 if target.op == "eq" else actual >= 0
        return ("met" if met else "not_met"), f"Atteso {bound}, consuntivo {shown}.", None
    ratio = actual / floor
    if target.op in ("ge", "gt", "range"):
        reached = actual >= floor if target.op != "gt" else actual > floor
        if target.op == "range" and target.high is not None and actual > target.high:
            return "exceeded", f"Intervallo {bound}: consuntivo {shown}, oltre il massimo.", ratio
        if reached:
            return "met", f"Atteso {bound}: consuntivo {shown}, soglia raggiunta.", ratio
        status = _ratio_status(ratio)
        return status, f"Atteso {bound}: consuntivo {shown}, pari al {_num(ratio * 100)}% della soglia.", ratio
    status = _ratio_status(ratio)
    return status, f"Atteso {bound}, consuntivo {shown}: {_num(ratio * 100)}% del valore atteso.", ratio


def _by_reported_deviation(raw: str | None, status: str, reason: str) -> tuple[str, str]:
    """The document's own legend (sample 004): scostamento 0 -> met, positive -> exceeded, negative -> partly."""
    deviation = parse_number(raw)
    if deviation is None:
        return status, reason
    if deviation == 0:
        return "met", reason + " Il documento stampa scostamento 0: per la sua legenda, obiettivo raggiunto."
    if deviation > 0:
        return "exceeded", reason + f" Il documento stampa scostamento {raw}: per la sua legenda, superato."
    return "partly", reason + f" Il documento stampa scostamento {raw}: per la sua legenda, non completamente raggiunto."


# ---------------------------------------------------------------------------- schedule steps

@dataclass(frozen=True)
class StepJudgement:
    status: str
    reason: str
    planned_month: date | None = None
    actual_month: date | None = None
    slippage_months: int | None = None


def judge_months(planned: date | None, done: date) -> StepJudgement:
    """A step done in a month, against its deadline: date(2021, 6, 1) vs date(2021, 7, 1) -> done_late, 1 month;
    no deadline month -> done_undated. The one rule for a month read from the document or corrected by a person."""
    if planned is None:
        return StepJudgement("done_undated", f"Svolto a {format_month(done)}, ma i tempi previsti non "
                             "indicano un mese: puntualità non valutabile.", None, done)
    slip = (done.year - planned.year) * 12 + done.month - planned.month
    status = "done_late" if slip > 0 else "done_on_time" if slip == 0 else "done_early"
    words = {"done_late": f"in ritardo di {slip} mesi" if slip != 1 else "in ritardo di 1 mese",
             "done_on_time": "nel mese previsto",
             "done_early": f"in anticipo di {-slip} mesi" if slip != -1 else "in anticipo di 1 mese"}
    return StepJudgement(status, f"Previsto entro {format_month(planned)}, svolto a {format_month(done)}: "
                         f"{words[status]}.", planned, done, slip)


def judge_milestone(planned_raw: str | None, actual_raw: str | None, report_year: int | None,
                    plan_start: int | None = None, is_plan: bool = False) -> StepJudgement:
    """'Giugno/Ottobre' vs 'Giugno/ Novembre' -> done_late, 1 month; 'Dicembre' vs 'Gennaio 2020' in a 2019
    report -> done_late, 1; 'Settembre' vs 'no' -> not_done; 'Annuale' vs 'attuato' -> done_undated."""
    deadline = parse_deadline(planned_raw, report_year if not is_plan else None, plan_start)
    planned = deadline.first_day() if deadline else None
    if is_plan:
        when = format_month(deadline) if deadline else "scadenza senza mese"
        return StepJudgement("planned", f"Piano: passo programmato ({when}).", planned)
    text = clean_cell(actual_raw)
    if text is None or text.lower() in MISSING:
        return StepJudgement("not_reported", f"Consuntivo non indicato ('{text or 'cella vuota'}').", planned)
    answer = parse_yes_no(text)
    lowered = text.lower()
    if answer is False or _NOT_DONE.search(text) or lowered.startswith(NOT_STARTED_WORDS):
        # 'Non svolto; rinviato a marzo 2020' is not a late step
        return StepJudgement("not_done", f"Il consuntivo dice che il passo non è stato svolto ('{text[:60]}').",
                             planned)
    if lowered.startswith(IN_PROGRESS_WORDS):
        return StepJudgement("not_done", f"Il consuntivo dice che il passo è ancora in corso ('{text[:60]}'): "
                             "non concluso alla data della rendicontazione.", planned)
    months = months_in(text, report_year)
    if months:
        return judge_months(planned, max(months, key=Month.index).first_day())
    if answer is True or len(text.split()) > 3:
        return StepJudgement("done_undated", f"Svolto senza indicare il mese ('{text[:60]}').", planned)
    return StepJudgement("not_reported", f"Consuntivo non leggibile come data o esito ('{text}').", planned)


# ---------------------------------------------------------------------------- across records

def joint_management_shares(totals) -> "pd.DataFrame":
    """Per table and year: the share the document prints ('(%) gestione associativa' 29%) beside the share
    computed from its own printed figures (Totale / the other printed amount, e.g. the district spending)."""
    import pandas as pd

    rows = []
    for (table, year), group in totals.groupby(["table_name", "year"]):
        printed = group[group["unit"] == "%"]
        money = group[group["unit"] == "EUR"]
        total = money[money["label"].str.lower().str.startswith("totale")]
        others = money[~money["label"].str.lower().str.startswith(("totale", "("))]
        if printed.empty or total.empty or others.empty:
            continue
        rows.append(dict(table_name=table, year=int(year), printed=float(printed["printed"].iloc[0]),
                         computed=float(total["printed"].iloc[0]) / float(others["printed"].iloc[0]),
                         total=float(total["printed"].iloc[0]), base=float(others["printed"].iloc[0]),
                         base_label=others["label"].iloc[0], source_line=int(printed["source_line"].iloc[0])))
    return pd.DataFrame(rows)


_AREA_NOISE = {"area", "e", "di", "del", "della", "-", "settore", "servizio", "servizi"}


def _area_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[\s\-–/,.]+", (text or "").lower()) if w and w not in _AREA_NOISE)


def match_area(score_area: str, areas) -> str | None:
    """The objectives' area a score line refers to, by the words they share:
    'AREA INCLUSIONE PROGETTAZIONE E' -> 'AREA INCLUSIONE E PROGETTAZIONE'; None when no area matches alone."""
    wanted = _area_words(score_area)
    found = [a for a in areas if _area_words(a) == wanted] or \
            [a for a in areas if wanted and (_area_words(a) <= wanted or wanted <= _area_words(a))]
    return found[0] if len(found) == 1 else None


def totals_against_lines(totals) -> "pd.DataFrame":
    """Each printed amount beside the sum of its table's lines for the year: 'coincide', 'differenza …', or
    'non è un totale delle righe' for printed amounts that are not totals (the district spending)."""
    money = totals[totals["unit"] == "EUR"].copy()
    money["difference"] = money["sum_of_lines"].astype(float) - money["printed"]
    is_total = money["label"].str.lower().str.startswith(("totale", "(totale"))
    money["check"] = [("coincide" if abs(d) < 0.005 else f"differenza {format_number(d, 2)} €") if t
                      else "non è un totale delle righe" for d, t in zip(money["difference"], is_total)]
    return money


def scores_beside_attainment(scores, attainment) -> "pd.DataFrame":
    """Each score of the nucleo with the indicators reached in the objectives' area it refers to."""
    import pandas as pd

    rows = []
    for score in scores.itertuples():
        mine = attainment[attainment["document_id"] == score.document_id]
        area = match_area(score.area, list(mine["area"]))
        counts = mine[mine["area"] == area]
        reached, judged = int(counts["met"].sum() + counts["exceeded"].sum()), int(counts["judged"].sum())
        rows.append(dict(document_id=score.document_id, file=score.source_name, issuer=score.issuer, year=score.year,
                         area=score.area, score=score.score, max_score=score.max_score, as_printed=score.as_printed,
                         matched=area or "(nessuna area corrispondente)", reached=reached, judged=judged,
                         attainment=reached / judged if judged else None, source_line=score.source_line))
    return pd.DataFrame(rows)

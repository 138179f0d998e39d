"""What the Relazione sintetica says, gathered from the database as plain data: paragraphs, charts, tables and
quotes in reading order, every figure already in Italian. The PDF and the HTML lay out the same blocks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .. import evaluation, linking, scorecard
from ..evaluation import MILESTONE_LABELS, STATUS_LABELS
from ..db import consortium, queries
from ..db.views import Filters
from ..template import KINDS
from ..italian import format_day, format_eur, format_month, format_percent

QUOTE_CHARS = 600          # a quoted report paragraph is cut at a word past this many characters
LISTED = 25                # rows of a list of commitments; the rest are counted


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Quote:
    """The document's own words, with where they stand."""
    about: str
    text: str
    source: str


@dataclass(frozen=True)
class Bars:
    """Horizontal bars of shares (0-1), one per label, with an optional marker per bar (the peers' share)."""
    title: str
    labels: list[str]
    shares: list[float]
    notes: list[str]                       # printed at the end of each bar ('3 su 4')
    markers: list[float | None] | None = None
    marker_label: str = ""


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # columns aligned right
    note: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    issuer: str
    year: int
    made_on: date
    sections: list[Section]

    @property
    def title(self) -> str:
        return "Relazione sintetica per l'assemblea"

    @property
    def running_head(self) -> str:
        return f"{self.title} · {self.issuer} · {self.year}"


class NothingToReport(LookupError):
    """No report or plan of this issuer covers this year."""


def gather(con, issuer: str, year: int, today: date | None = None) -> Report:
    documents = consortium.sources(con, issuer, year)
    if documents.empty:
        raise NothingToReport(f"Nessuna relazione o piano di «{issuer}» per il {year}.")
    figures = consortium.status_counts(con, ("year",), issuer=issuer)
    sections = []
    if (figures["year"] == year).any():
        sections += _results(con, issuer, year, figures)
    plans = documents[documents["kind"] == "piano_di_zona"]
    if not plans.empty:
        sections.append(_plan(con, issuer, year, plans))
    sections.append(_sources(documents))
    return Report(issuer, year, today or date.today(), sections)


# ---------------------------------------------------------------------------- results of the year

def _results(con, issuer: str, year: int, figures: pd.DataFrame) -> list[Section]:
    items = consortium.commitments(con, issuer, year)
    indicators, steps = items[items["kind"] == "indicator"], items[items["kind"] == "step"]
    peers = consortium.status_counts(con, ("year",), peers_of=issuer, year=year)
    summary = scorecard.year_summary(issuer, year, figures, items, peers)
    overview = Section("In sintesi", [Paragraph(s) for s in summary])

    areas = consortium.status_counts(con, ("area",), issuer=issuer, year=year)
    peer_areas = consortium.status_counts(con, ("area",), peers_of=issuer, year=year)
    promised = Section("Che cosa era stato promesso e che cosa è stato fatto", [Paragraph(
        "Per ogni area: gli indicatori raggiunti o superati sugli indicatori che si possono valutare, e i passi del "
        "cronoprogramma svolti entro il mese previsto sui passi con una data. Le aree sono in ordine dalla quota "
        "più bassa.")])
    judged = areas[areas["judged"] > 0].assign(rate=lambda f: f["reached"] / f["judged"]).sort_values(["rate", "area"])
    if not judged.empty:
        peer_rate = {r.area: r.reached / r.judged for r in peer_areas.itertuples() if r.judged}
        promised.blocks.append(Bars(
            "Indicatori raggiunti per area", judged["area"].tolist(), judged["rate"].tolist(),
            [f"{r.reached} su {r.judged}" for r in judged.itertuples()],
            [peer_rate.get(a) for a in judged["area"]] if peer_rate else None,
            "altri enti, stesso anno e area"))
    promised.blocks.append(Table(
        "Aree", ["Area", "Indicatori raggiunti", "In parte", "Non raggiunti", "Non valutabili", "Passi nei tempi",
                 "In ritardo", "Non svolti"],
        [[r.area, f"{r.reached} su {r.judged} ({format_percent(r.reached / r.judged) if r.judged else '—'})",
          str(r.partly), str(r.not_met), str(r.unassessed),
          f"{r.on_time} su {r.dated}" if r.dated else "—", str(r.late), str(r.not_done)]
         for r in areas.itertuples()], numeric=frozenset(range(1, 8))))

    slipped = Section("Che cosa non è andato come previsto, e perché")
    missed = indicators[indicators["status"].isin(["not_met", "partly"])]
    late = steps[steps["status"].isin(["done_late", "not_done"])]
    if missed.empty and late.empty:
        slipped.blocks.append(Paragraph("Ogni indicatore valutabile è stato raggiunto e ogni passo con una data è stato "
                                        "svolto nei tempi."))
    if not missed.empty:
        slipped.blocks.append(_listing(
            "Indicatori non raggiunti o raggiunti in parte", ["Area", "Indicatore", "Atteso", "Consuntivo", "Esito"],
            [[r.area, r.name, _cell(r.expected), _cell(r.actual), STATUS_LABELS.get(r.status, r.status)]
             for r in missed.itertuples()]))
    if not late.empty:
        slipped.blocks.append(_listing(
            "Passi in ritardo o non svolti", ["Area", "Attività", "Previsto", "Svolto", "Esito"],
            [[r.area, r.name, _cell(r.expected), _cell(r.actual),
              MILESTONE_LABELS.get(r.status, r.status) + (f" ({_months(r.slippage_months)})"
                                                         if pd.notna(r.slippage_months) else "")]
             for r in late.itertuples()]))
    missed_objectives = set(missed["objective_id"]) | set(late["objective_id"])
    slipped.blocks.extend(_quotes(con, issuer, year, items, missed_objectives))
    return [overview, promised, slipped]


def _cell(value) -> str:
    return "—" if value is None or pd.isna(value) or not str(value).strip() else " ".join(str(value).split())


def _months(count) -> str:
    count = int(count)
    return f"{count} {'mese' if abs(count) == 1 else 'mesi'}"


def _listing(title: str, header: list[str], rows: list[list[str]]) -> Table:
    note = f"Sono elencati i primi {LISTED} su {len(rows)}: l'elenco intero è nel cruscotto." if len(rows) > LISTED else None
    return Table(title, header, rows[:LISTED], note=note)


def _quotes(con, issuer: str, year: int, items: pd.DataFrame, objective_ids: set) -> list:
    """For each objective that missed something, the first paragraph of prose the document prints after the
    objective's last table row (its 'Report al 31/12'), quoted with its line. items: the year's commitments."""
    if not objective_ids:
        return []
    blocks = consortium.objective_blocks(con, issuer, year)
    last_row = items.groupby("objective_id")["source_line"].max().to_dict()
    quotes, texts = [], {}
    for block in blocks[blocks["objective_id"].isin(objective_ids)].itertuples():
        if block.document_id not in texts:
            texts[block.document_id] = _document_lines(con, int(block.document_id))
        lines, name = texts[block.document_id], block.source_name
        end = int(block.end) - 1 if pd.notna(block.end) else len(lines)
        found = report_paragraph(lines, int(last_row.get(block.objective_id, block.first)), end)
        if found:
            number, text = found
            quotes.append(Quote(block.objective, text, f"{name}, riga {number}"))
    if not quotes:
        return []
    return [Paragraph("Che cosa scrive il documento stesso, obiettivo per obiettivo:"), *quotes]


def _document_lines(con, document_id: int) -> list[str]:
    text, _ = queries.document_text(con, document_id)
    if text is None:
        text = queries.original(con, document_id).decode("utf-8", errors="replace")
    return text.splitlines()


def report_paragraph(lines: list[str], after: int, end: int, shortest: int = 120) -> tuple[int, str] | None:
    """The first line of prose (no table cells, at least `shortest` characters) after line `after` and up to
    line `end` (1-based, inclusive), cut at a word past QUOTE_CHARS: (its line number, its text)."""
    for number in range(after + 1, min(end, len(lines)) + 1):
        line = lines[number - 1].strip().lstrip("#").strip()
        if "\t" in lines[number - 1].strip() or len(line) < shortest:
            continue
        if len(line) > QUOTE_CHARS:
            line = line[:QUOTE_CHARS].rsplit(" ", 1)[0] + " […]"
        return number, line
    return None


# ---------------------------------------------------------------------------- the plan

def _plan(con, issuer: str, year: int, plans: pd.DataFrame) -> Section:
    section = Section(f"Piano di Zona: le risorse del {year}")
    filters = Filters(issuers=(issuer,), years=(year,), kinds=("piano_di_zona",))
    lines = queries.budget_shares(con, filters)
    lines = lines[(lines["year"] == year) & lines["amount_eur"].notna()]
    if lines.empty:
        section.blocks.append(Paragraph(f"Il Piano di Zona non stampa importi per il {year}."))
        return section
    for table_name, rows in lines.groupby("table_name", sort=False):
        total = float(rows["amount_eur"].sum())
        by_group = rows.assign(label=rows["group_name"].fillna(rows["line"])).groupby("label", sort=False)[
            "amount_eur"].sum().sort_values(ascending=False)
        section.blocks.append(Paragraph(f"«{table_name}»: {format_eur(total)} nel {year}, somma di "
                                        f"{len(rows)} righe del piano."))
        section.blocks.append(Bars(f"{table_name}: quota di ogni voce nel {year}",
                                   [str(label) for label in by_group.index],
                                   [float(v) / total for v in by_group.values],
                                   [format_eur(float(v)) for v in by_group.values]))
    section.blocks.extend(_deadlines(con, issuer, year))
    shares = evaluation.joint_management_shares(queries.totals_check(con, filters))
    for row in shares[shares["year"] == year].itertuples() if not shares.empty else ():
        section.blocks.append(Paragraph(
            f"Gestione associata nel {year}: il piano stampa {format_percent(row.printed / 100)}; dai suoi importi "
            f"risulta {format_percent(row.computed)} ({format_eur(row.total)} su {format_eur(row.base)}, "
            f"«{row.base_label}», riga {row.source_line})."))
    return section


DEADLINE_WORDS = {"on_time": "svolto nei tempi", "late": "svolto in ritardo", "not_done": "non svolto",
                  "reported": "rendicontato, senza data", "not_found": "non ritrovato nelle relazioni",
                  "no_report": "nessuna relazione di quegli anni"}


def _deadlines(con, issuer: str, year: int) -> list:
    """The plan's deadlines that fall in the year, checked against the same issuer's reports."""
    steps = consortium.plan_steps(con, issuer)
    steps = steps[pd.to_datetime(steps["planned_month"]).dt.year == year]
    if steps.empty:
        return []
    checked = linking.plan_deadlines(steps, consortium.report_steps(con, issuer))
    return [_listing(f"Le scadenze del piano nel {year}", ["Scadenza", "Entro", "Esito", "Nella relazione"],
                     [[r.activity, format_month(r.planned_month) if pd.notna(r.planned_month) else "—",
                       DEADLINE_WORDS[r.verdict], _cell(r.found_source)] for r in checked.itertuples()])]


# ---------------------------------------------------------------------------- where the numbers come from

def _sources(documents: pd.DataFrame) -> Section:
    section = Section("Da dove vengono i numeri", [Paragraph(
        "Ogni numero di questa relazione è letto dai documenti qui sotto dal Cruscotto Performance; nel cruscotto "
        "ogni riga rimanda alla riga del documento da cui viene. Un indicatore è raggiunto quando il consuntivo "
        "arriva al valore atteso (per i limiti massimi, quando resta entro il limite); i non rendicontati non "
        "contano né come raggiunti né come mancati. Un passo è nei tempi quando è svolto entro il mese previsto.")])
    section.blocks.append(Table(
        "Documenti", ["File", "Titolo", "Tipo", "Caricato il", "Righe", "Correzioni di una persona"],
        [[r.source_name, _cell(r.title), KINDS.get(r.kind, r.kind), format_day(r.loaded_at.date()),
          str(int(r.line_count or 0)), str(int(r.corrections))] for r in documents.itertuples()],
        numeric=frozenset({4, 5})))
    return section


"""Column mapping: a table the tool does not recognise, read with the column roles a person gave it.

A document no family reads, or a table left unread inside one, is kept with its lines as `unparsed_table`
quality issues. `text_to_tables` finds its tables again (consecutive TAB-separated lines with the same
number of cells, the first one the header); an editor gives each column a role of
cruscotto.vocabulary.MAPPING_ROLES; `table_to_records` turns the table into the same records a family
builds, each with its source line. The roles are kept as a `Layout` keyed by `header_key` (the header's
normalised words), and `apply_layouts` reads any later table with the same header by itself.

Pure: the loading service reads the stored layouts from the database and passes them in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from cruscotto import vocabulary as words
from cruscotto.italian import clean_cell
from cruscotto.records import BudgetLine, Indicator, Milestone, Objective, ParsedDocument, ReportedTotal, Score, \
    Unreadable

from .lines import Line, all_lines, is_separator, starts_with_any
from .tables import SETTINGS, cell_roles, header_words, row_to_indicator, row_to_milestone, row_to_score

ROLES = tuple(words.MAPPING_ROLES)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


# ---------------------------------------------------------------------------- tables in a text

@dataclass(frozen=True)
class Table:
    """A header line and the rows under it, all with the same number of cells; `title`: the short line of
    text just above the header, if any ('Misure del piano annuale')."""
    lines: tuple[Line, ...]
    title: str | None = None

    @property
    def header(self) -> Line:
        return self.lines[0]

    @property
    def rows(self) -> tuple[Line, ...]:
        return self.lines[1:]

    @property
    def width(self) -> int:
        return len(self.header.cells)

    @property
    def first_line(self) -> int:
        return self.header.number

    @property
    def last_line(self) -> int:
        return self.lines[-1].number

    @property
    def key(self) -> str:
        return header_key(self.header.cells)

    @property
    def line_numbers(self) -> tuple[int, ...]:
        return tuple(line.number for line in self.lines)


def text_to_tables(text: str, furniture: frozenset[int] = frozenset(), only: set[int] | None = None) -> list[Table]:
    """The tables of a text: 'Misura\\tAtteso\\nColloqui\\t400\\nVisite\\t12' -> one Table of 3 lines.

    only: the line numbers that may belong to a table (the lines no reader read); page furniture and
    markdown rules inside a table are stepped over, a blank line or a line of another width ends it."""
    tables: list[Table] = []
    current: list[Line] = []
    title: str | None = None
    last_text: str | None = None

    def close() -> None:
        if len(current) >= 2:
            tables.append(Table(tuple(current), title))
        current.clear()

    for line in all_lines(text, furniture):
        if line.furniture or (line.is_table_row and is_separator(line)):
            continue
        usable = line.is_table_row and (only is None or line.number in only)
        if usable and current and len(line.cells) == len(current[0].cells):
            current.append(line)
            continue
        close()
        if usable:
            current.append(line)
            title = last_text
            continue
        if not line.is_blank:
            plain = line.text
            last_text = plain.rstrip(":") if plain and len(plain) <= SETTINGS.max_heading and \
                not line.is_table_row else None
    close()
    return tables


def header_key(cells) -> str:
    """The header's normalised words, one group per column: ['Misura', 'Obiettivo quantitativo',
    'Dato a consuntivo 2022'] -> 'misur|obiettiv quantitativ|dat consuntiv anno'. Case, accents,
    punctuation, filler words and the year itself do not count (next year's table has the same key)."""
    out = []
    for cell in cells:
        part = " ".join(header_words(cell or ""))
        if _YEAR.search(cell or ""):
            part = f"{part} anno".strip()
        out.append(part)
    return "|".join(out)


# What the readers' own header words suggest for a column (shown to the editor, never applied unseen).
_GUESSES = (("indicators", {"objective": "objective", "area": "area", "indicator": "indicator", "unit": "unit",
                            "expected": "expected", "actual": "actual", "deviation": "deviation",
                            "weight": "weight", "score": "score"}),
            ("steps", {"activity": "activity", "planned": "planned", "actual": "done"}))


def guess_roles(cells) -> tuple[str | None, ...]:
    """A first guess from the vocabulary, each role at most once: ['Misura', 'Valore atteso', 'Note'] ->
    (None, 'expected', None); a year ('2022') under a money header reads as an amount only when named."""
    out: list[str | None] = []
    for cell in cells:
        found = None
        for kind, translate in _GUESSES:
            named = [translate[r] for r in cell_roles(cell or "", kind) if r in translate]
            if len(named) == 1 and named[0] not in out:
                found = named[0]
                break
        if found is None and re.search(r"(?i)\bimport|\bspesa|\bstanziament", cell or "") and _YEAR.search(cell or ""):
            found = "amount"
        out.append(found)
    return tuple(out)


# ---------------------------------------------------------------------------- a table -> records

@dataclass
class Mapped:
    """What one table gave, refs local to the table (merge() renumbers them into a document)."""
    objectives: list[Objective] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    reported_totals: list[ReportedTotal] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    problems: list[Unreadable] = field(default_factory=list)

    @property
    def records(self) -> int:
        return len(self.objectives) + len(self.milestones) + len(self.indicators) + len(self.budget_lines) + \
            len(self.reported_totals) + len(self.scores)


def _check_roles(table: Table, roles) -> tuple[str | None, ...]:
    roles = tuple(r or None for r in roles)
    if len(roles) != table.width:
        raise ValueError(f"{len(roles)} roles for a table of {table.width} columns")
    unknown = [r for r in roles if r is not None and r not in words.MAPPING_ROLES]
    if unknown:
        raise ValueError(f"unknown roles: {unknown}")
    return roles


def table_to_records(table: Table, roles, report_year: int | None = None) -> Mapped:
    """Each row of the table read with the roles of its columns (None: a column left out).

    Misura | Obiettivo quantitativo | Dato a consuntivo with roles (indicator, expected, actual) -> one
    Indicator per row, source_line the row's line. Two columns with the same role are joined ('Fase',
    'Descrizione' both attività). An empty objective or area cell keeps the one of the row above; without an
    objective column the rows go under one objective titled with the table's title. Every 'amount' column is
    a year (printed in its header, else the report's year) of the row's budget item; a 'Totale' item is a
    printed total. A row that gives nothing is a quality issue, with its text."""
    roles = _check_roles(table, roles)
    out = Mapped()
    amounts = [(index, _YEAR.search(table.header.cells[index] or "")) for index, r in enumerate(roles) if r == "amount"]
    amount_years = [(index, int(found.group(1)) if found else report_year) for index, found in amounts]
    area: str | None = None
    objective: int | None = None
    by_area: dict[str | None, int] = {}
    has_objective_column = "objective" in roles

    def objective_for(line: Line) -> int:
        nonlocal objective
        if objective is None or (not has_objective_column and out.objectives[objective].area != area):
            if not has_objective_column and area in by_area:
                objective = by_area[area]
            else:
                objective = len(out.objectives)
                out.objectives.append(Objective(objective, table.first_line, table.title, area=area))
                by_area[area] = objective
        return objective

    for line in table.rows:
        values: dict[str, str] = {}
        for role, cell in zip(roles, line.cells):
            text = clean_cell(cell)
            if role and role != "amount" and text:
                values[role] = f"{values[role]} – {text}" if role in values else text
        if values.get("area"):
            area = values["area"]
        made = 0
        if values.get("objective"):
            objective = len(out.objectives)
            out.objectives.append(Objective(objective, line.number, values["objective"], area=area))
            made += 1
        is_step = any(values.get(r) for r in ("activity", "planned", "done"))
        is_indicator = any(values.get(r) for r in ("indicator", "expected", "actual"))
        if is_step:
            step = {"activity": values.get("activity"), "planned": values.get("planned"),
                    "actual": values.get("done"), "weight": None if is_indicator else values.get("weight")}
            out.milestones.append(row_to_milestone(step, objective_for(line), line.number))
            made += 1
        if is_indicator:
            out.indicators.append(row_to_indicator(values, objective_for(line), line.number))
            made += 1
        if values.get("score"):
            name = area or values.get("indicator") or values.get("activity") or \
                (out.objectives[objective].title if objective is not None else None)
            score = row_to_score({"area": name, "score": values["score"]}, line.number)
            if score is None:
                out.problems.append(Unreadable(line.number, line.raw.strip(), "Punteggio senza un valore leggibile "
                                               "o senza l'area a cui si riferisce: conservato, non interpretato.",
                                               "damaged_row"))
            else:
                out.scores.append(score)
                made += 1
        if amount_years:
            made += _budget_row(out, table, line, values, area, amount_years)
        if not made and re.search(r"\w", line.raw):
            out.problems.append(Unreadable(line.number, line.raw.strip(), "Riga della tabella senza valori nelle "
                                           "colonne assegnate: conservata, non interpretata.", "damaged_row"))
    return out


def _budget_row(out: Mapped, table: Table, line: Line, values: dict, area: str | None,
                amount_years: list[tuple[int, int | None]]) -> int:
    item = values.get("budget_item") or values.get("objective") or values.get("indicator") or values.get("activity")
    if not item:
        return 0
    name = table.title or f"Tabella alla riga {table.first_line}"
    made = 0
    for index, year in amount_years:
        raw = clean_cell(line.cells[index]) if index < len(line.cells) else None
        if year is None:
            out.problems.append(Unreadable(line.number, raw or "", f"Importo di '{item}' senza anno: né "
                                           "l'intestazione della colonna né il documento lo indicano.", "unreadable"))
            continue
        if starts_with_any(item, words.TOTAL_WORDS):
            if raw:
                out.reported_totals.append(ReportedTotal(line.number, name, item, year, raw))
                made += 1
            continue
        out.budget_lines.append(BudgetLine(line.number, name, area, item, year, raw))
        made += 1
    return made


# ---------------------------------------------------------------------------- into a document

@dataclass(frozen=True)
class Layout:
    """A mapping kept for later: the roles of the columns of any table whose header has this key."""
    layout_id: int
    header_key: str
    roles: tuple[str | None, ...]
    editor: str = ""


def merge(parsed: ParsedDocument, mapped: Mapped, table: Table, note: str) -> ParsedDocument:
    """The document with the table's records added (refs after its own objectives); the table's lines are no
    longer 'unparsed_table' issues and the document is no longer 'unrecognised'; `note` says how it was read."""
    offset = len(parsed.objectives)
    consumed = set(table.line_numbers)
    problems = [p for p in parsed.problems if p.category != "unrecognised" and
                not (p.category == "unparsed_table" and p.source_line in consumed)]
    problems.append(Unreadable(table.first_line, table.header.raw.strip(), note, "note"))
    return replace(
        parsed,
        objectives=parsed.objectives + tuple(replace(o, ref=o.ref + offset) for o in mapped.objectives),
        milestones=parsed.milestones + tuple(replace(m, objective=m.objective + offset) for m in mapped.milestones),
        indicators=parsed.indicators + tuple(replace(i, objective=i.objective + offset) for i in mapped.indicators),
        budget_lines=parsed.budget_lines + tuple(mapped.budget_lines),
        reported_totals=parsed.reported_totals + tuple(mapped.reported_totals),
        scores=parsed.scores + tuple(mapped.scores),
        problems=tuple(problems + mapped.problems))


def layout_note(layout: Layout) -> str:
    """The note a table read with a stored layout carries (quality_issues, category 'note')."""
    who = f", creato da {layout.editor}" if layout.editor else ""
    return f"Tabella letta con il modello di tabella n. {layout.layout_id}{who}: colonne assegnate a mano."


def unread_lines(parsed: ParsedDocument) -> set[int]:
    return {p.source_line for p in parsed.problems if p.category == "unparsed_table"}


def apply_layouts(parsed: ParsedDocument, text: str, furniture: frozenset[int],
                  layouts: dict[str, Layout]) -> tuple[ParsedDocument, list[Layout]]:
    """Read with a stored layout every unread table whose header has a layout's key:
    (the document with their records, the layouts used); (the same document, []) when none applies."""
    if not layouts:
        return parsed, []
    used = []
    for table in text_to_tables(text, furniture, unread_lines(parsed)):
        layout = layouts.get(table.key)
        if layout is None or len(layout.roles) != table.width:
            continue
        mapped = table_to_records(table, layout.roles, parsed.report_year)
        if not mapped.records:
            continue
        parsed = merge(parsed, mapped, table, layout_note(layout))
        used.append(layout)
    return parsed, used

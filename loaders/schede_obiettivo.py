"""Objective sheets (schede obiettivo): the Relazione sulla performance / rendicontazione obiettivi layout.

Each objective is a block: a heading ('Obiettivo 1<TAB>title', 'Obiettivo strategico n. 2: title'),
context rows ('Area strategica<TAB>...', 'Progetto PEG<TAB>...'), a steps table (Attività | Tempi |
Consuntivo, or Fase | Inizio | Fine | Stato, ...), an indicators table (Indicatore | [Descrizione] | Unità |
[Valore attuale] | Valore atteso | Valore consuntivo | [Scostamento], or Indicatore | Target | Valore
raggiunto, ...) and a report. Headers are read by loaders/tables.py with the shared vocabulary.

What is special here: tables damaged by PDF extraction (rows split over two lines, cells merged or
shifted, headers repeated or garbled), headings repeated by narrative sections, blocks repeated verbatim,
a table with its own 'Obiettivo' column ('Altri Obiettivi PEG'), indicator tables outside any objective.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from cruscotto import vocabulary as words
from cruscotto.italian import clean_cell, months_in
from cruscotto.records import Indicator, Milestone, Objective, ParsedDocument, Unreadable

from . import scores as score_reader
from .identity import document_kind, find_issuer, prints_deviation_legend, title_and_year
from .lines import (Line, all_lines, first_text, glue_cells, is_separator, kept_per_line_text, plain_words,
                    starts_with_any, text_to_lines)
from .tables import (Columns, aligned, area_heading, area_label, combine_header_lines, header_to_columns, key_value,
                     objective_heading, read_header, row_to_indicator, row_to_milestone, row_to_score, row_values)

NAME = "schede_obiettivo"


@dataclass(frozen=True)
class SheetSettings:
    """The thresholds that decide what a line of an objective sheet is."""
    max_indicator_header_cell: int = 60   # 'Indicatore ...' longer than this is a sentence, not a header
    context_lookahead: int = 8            # lines looked at to tell a block of context rows from a stray label
    context_rows_needed: int = 2          # context rows among the next non-blank lines that make a headless sheet
    context_rows_seen: int = 4
    marker_max_cells: int = 3             # a section marker ('Indicatori di risultato') is a short line
    marker_max_length: int = 40
    area_heading_max: int = 80            # 'Area strategica Anziani', '# 2. Minori e famiglie'
    description_min: int = 60             # a plain line this long under a heading is the description
    heading_max: int = 90                 # a shorter line without final punctuation may title a loose table
    schedule_cell_max: int = 25           # 'Giugno/Ottobre', 'Annuale': a cell holding only a time
    year_row_other_cell_max: int = 12     # a year sub-header may hold short junk ('misura') besides the years
    loose_row_min_values: int = 4         # a table row after a garbled header is read with the previous columns


SETTINGS = SheetSettings()
CONTEXT_LABELS = words.CONTEXT_LABELS
SECTION_MARKERS = words.SECTION_MARKERS
_CONTEXT_HINT = re.compile("|".join(CONTEXT_LABELS), re.IGNORECASE)
_LABELS = tuple(CONTEXT_LABELS)
_LABEL_OPENINGS = frozenset(label[:end] for label in CONTEXT_LABELS for end in range(1, len(label)))   # 'a', 'ar', ...
_SCHEDULE_WORDS = {"annuale", "attuato", "attuata", "no", "/", "si", "sì", "non attuato"}
_LABEL_WORDS = {plain_words(label).split()[0] for label in CONTEXT_LABELS}     # 'servizi', 'progetto', ...


def identify(text: str, furniture: frozenset[int] = frozenset()) -> bool:
    """A schede document has objective headings and a steps or indicators table."""
    lines = text_to_lines(text, furniture)
    has_heading = any(objective_heading(ln) and not is_steps_header(ln) for ln in lines)
    return has_heading and any(is_steps_header(ln) or is_indicator_header(ln) for ln in lines)


def parse(text: str, furniture: frozenset[int] = frozenset()) -> ParsedDocument:
    lines = text_to_lines(text, furniture)
    title, year, year_note = title_and_year(list(all_lines(text, furniture)))
    sheet = _SheetReader(lines)
    sheet.read()
    objectives, problems = mark_duplicates(sheet.objectives, sheet.milestones, sheet.indicators)
    read_scores = {s.source_line for s in sheet.scores}
    table_scores = sheet.scores + [s for s in score_reader.table_scores(lines) if s.source_line not in read_scores]
    prose = score_reader.prose_scores(lines, sheet.section_of, [o.area for o in objectives])
    notes = [year_note] if year_note else []
    return ParsedDocument(
        kind=document_kind(title), issuer=find_issuer(list(all_lines(text, furniture))), report_year=year, title=title,
        objectives=tuple(objectives), milestones=tuple(sheet.milestones), indicators=tuple(sheet.indicators),
        scores=tuple(table_scores + prose), problems=tuple(notes + sheet.problems + problems),
        deviation_legend=prints_deviation_legend(lines), score_max=score_reader.document_maximum(lines))


# ---------------------------------------------------------------------------- table headers

def _cells(line: Line) -> tuple[str, ...]:
    return line.clean_cells


def is_steps_header(line: Line) -> bool:
    """'Attività<TAB>Tempi<TAB>Consuntivo', 'Fase<TAB>Inizio<TAB>Fine<TAB>Stato', a garbled
    'Attività<TAB><TAB>Гетрі<TAB>Consuntivo' (what was done is named, what was planned may be lost)."""
    return line.is_table_row and _row_header(line.cells) == "steps"


@lru_cache(maxsize=16384)
def _row_header(cells: tuple[str, ...]) -> str | None:
    """'steps' for a steps header, 'indicators' for an indicators header, None for any other row: identify,
    the reader and its look-ahead ask both questions of every table row, one look answers them (a steps
    header is never an indicators header: it names no indicator)."""
    if sum(1 for cell in cells if cell) < 2:
        return None
    cleaned = tuple([clean_cell(cell) or "" for cell in cells])
    if _is_steps_header(cleaned):
        return "steps"
    if _is_indicator_header(cleaned):
        return "indicators"
    return None


@lru_cache(maxsize=16384)
def _is_steps_header(cells: tuple[str, ...]) -> bool:
    steps = header_to_columns(cells, "steps")
    indicators = header_to_columns(cells, "indicators")
    done = "actual" in steps or "status" in steps
    planned = "planned" in steps or "activity" in steps or "start" in steps
    return done and planned and "indicator" not in indicators


def is_indicator_header(line: Line) -> bool:
    """'Indicatore<TAB>Unità misura<TAB>Valore atteso<TAB>Valore consuntivo', or a garbled one that names
    the indicator and at least a description, unit or value column."""
    return line.is_table_row and _row_header(line.cells) == "indicators"


def _is_indicator_header(cells: tuple[str, ...]) -> bool:
    if any(len(c) > SETTINGS.max_indicator_header_cell for c in cells if "indicator" in plain_words(c)):
        return False
    columns = header_to_columns(cells, "indicators")
    if "expected" in columns and "actual" in columns and not _is_steps_header(cells):
        return True                                   # 'Risultato atteso | Risultato conseguito'
    return "indicator" in columns and any(r in columns for r in ("expected", "actual", "description", "unit",
                                                                  "baseline"))


def milestone_columns(line: Line) -> Columns:
    """'Attività<TAB>Tempi<TAB>Consuntivo' -> activity 0, planned 1, actual 2; a garbled Tempi is the cell
    before the actual one."""
    columns = header_to_columns(_cells(line), "steps")
    roles = dict(columns.roles)
    done = roles.get("actual", roles.get("status"))
    if "planned" not in roles and "start" not in roles and done:
        roles["planned"] = done - 1
    return Columns(roles, columns.merged)


def year_positions(line: Line) -> list[int]:
    """A sub-header row such as '<TAB><TAB>2019<TAB>2019' (possibly with 'misura' or junk beside)."""
    years = [i for i, c in enumerate(line.clean_cells) if _YEAR_CELL.fullmatch(c)]
    if not years:
        return []
    others = [c for i, c in enumerate(line.cells) if c and i not in years]
    if not any(_DIGIT.search(c) for c in others) and \
            all(len(c) <= SETTINGS.year_row_other_cell_max for c in others):
        return years
    return []


def _looks_like_schedule(cell: str) -> bool:
    lowered = cell.lower().strip()
    return len(lowered) <= SETTINGS.schedule_cell_max and (
        lowered in _SCHEDULE_WORDS or lowered.startswith("entro") or bool(months_in(cell, 2000))
        or lowered.rstrip("/-– ") == "annuale")


def context_label(line: Line) -> str | None:
    """'Area strategica<TAB>Anziani' -> 'area strategica'; a label glued to its value in one damaged cell too."""
    if "\t" not in line.raw:
        return None
    head = first_text(line).lower()
    if not head.startswith(_LABELS):
        # Glued cells start with the first filled cell: it opens with a label or is the beginning of one.
        first = (line.values[0] if line.values else "").lower()
        if not (first in _LABEL_OPENINGS or first.startswith(_LABELS)) or not line.glued.lower().startswith(_LABELS):
            return None                               # what opens the line first: cheaper than the search
    if not _CONTEXT_HINT.search(line.raw):
        return None
    glued = line.glued.lower()
    for label in CONTEXT_LABELS:
        if (head.startswith(label) or glued.startswith(label)) and len(line.values) >= 2 or \
                (head.startswith(label) and len(head) > len(label) + 3):
            return label
    return None


def section_marker(line: Line) -> str | None:
    """'Indicatori di risultato' -> 'indicators'; 'Modalità di attuazione' -> 'milestones'."""
    text = first_text(line)
    if len(text) >= SETTINGS.marker_max_length or len(line.values) > SETTINGS.marker_max_cells:
        return None                                   # asked first: most lines are longer
    return SECTION_MARKERS.get(text.lower().rstrip(":"))


def is_structure(line: Line) -> bool:
    """Lines an objective sheet reads as structure rather than values (headers, headings, labels)."""
    return bool(is_steps_header(line) or is_indicator_header(line) or objective_heading(line)
                or context_label(line) or year_positions(line) or section_marker(line)
                or _is_centre(line) or _is_caption(line) or _PEG_LINE.match(line.raw.strip()))


def _is_centre(line: Line) -> bool:
    return "responsabilit" in line.lower and \
        plain_words(line.glued).replace(" ", "").startswith("centrodiresponsabilit")


def _is_caption(line: Line) -> bool:
    return "obiettivi" in line.lower and line.glued.lower().startswith("obiettivi di perf")


_PEG_LINE = re.compile(r"(?i)^(macro\s*servizio|servizio)\s*:")
_REPORT_MARKER = re.compile(r"^[#*\s]*(?:" + "|".join(words.REPORT_MARKERS) + r")\b", re.IGNORECASE)
_NUMBERED_SECTION = re.compile(r"^#+\s*\d+\.\s*(.+)$")
_YEAR_CELL = re.compile(r"\(?\d{4}\)?")
_DIGIT = re.compile(r"\d")
_INDICATORE = re.compile(r"(?i)indicatore")
_VALUE_WORD = re.compile(r"(?i)valore|atteso")
_OPEN_END = re.compile(r"[^\W\d]\s*[/\-–]$")         # 'Giugno/': the cell goes on in the next row
_NON_WORDS = re.compile(r"\W+")


# ---------------------------------------------------------------------------- what a line is

_TABLE_HEADERS = frozenset({"steps", "indicators", "scores"})
_STRUCTURE = frozenset({"heading", "centre", "caption", "peg"})
_FACTS_KEPT = 16384


@kept_per_line_text(_FACTS_KEPT)
def _line_facts(line: Line) -> tuple:
    """What a line of an objective sheet is, whatever surrounds it: (step, found, context label, key-value pair).
    step is the first that reads the line whatever the reader's state: 'steps', 'indicators' or 'scores' (a
    header; found: the scores' columns), 'heading' (found: number and title), 'centre', 'caption', 'peg'
    (found: its first word), 'marker' or 'report' (found: the section they open), or None. The context label
    (table rows only) and the key-value pair are looked at only where no earlier step reads the line: whether
    they read it depends on the reader's state.

    Kept for each distinct line text (a line's cells are its text split at TABs)."""
    table = line.is_table_row
    if table:
        kind = _row_header(line.cells)
        if kind is not None:
            return kind, None, None, None
        header = read_header(line)                  # 'Area<TAB>Peso<TAB>Punteggio': the nucleo's scores
        if header is not None and header.kind == "scores":
            return "scores", header.columns, None, None
    heading = objective_heading(line)
    if heading:
        return "heading", heading, None, None
    if _is_centre(line):
        return "centre", None, None, None
    if _is_caption(line):
        return "caption", None, None, None
    peg = _PEG_LINE.match(line.raw.strip()) if ":" in line.raw else None
    if peg:
        return "peg", peg.group(1), None, None
    label = context_label(line) if table else None
    marker = section_marker(line)
    if marker:
        return "marker", marker, label, None
    if _REPORT_MARKER.match(line.raw):
        return "report", "report", label, None
    return None, None, label, key_value(line)


@kept_per_line_text(_FACTS_KEPT)
def _text_facts(line: Line) -> tuple:
    """What a text line (no cells) says whatever surrounds it: (text, area label, opens an area, that area,
    a '#' title, fused indicator header, heading-like), kept for each distinct line text as _line_facts."""
    text = line.text
    labelled = area_label(line)
    area = labelled or area_heading(line)
    numbered = _NUMBERED_SECTION.match(line.raw.strip())
    if numbered:
        area = numbered.group(1)
    short = len(text) < SETTINGS.area_heading_max
    opens_area = bool(area) and short
    titled = line.raw.lstrip().startswith("#") and short
    fused = bool(_INDICATORE.search(text) and _VALUE_WORD.search(text))
    heading_like = len(text) < SETTINGS.heading_max and not text.endswith((".", ":", ";", ",")) and \
        not text.startswith(("-", "•"))
    return text, labelled, opens_area, clean_cell(area) if opens_area else None, titled, fused, heading_like


# ---------------------------------------------------------------------------- the reader

@dataclass
class _Draft:
    ref: int
    source_line: int
    number: str | None = None
    title: str | None = None
    area: str | None = None
    description: str | None = None
    responsibility_centre: str | None = None
    peg_project: str | None = None
    weight_raw: str | None = None
    has_content: bool = False

    def freeze(self) -> Objective:
        return Objective(self.ref, self.source_line, self.title, self.number, self.area, self.description,
                         self.responsibility_centre, self.peg_project, weight_raw=self.weight_raw)


@dataclass
class _SheetReader:
    lines: list[Line]
    drafts: list[_Draft] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    problems: list[Unreadable] = field(default_factory=list)
    current: _Draft | None = None
    table: str | None = None             # milestones, indicators, peg
    section: str | None = None           # description, indicators, report, narrative, context
    milestone_cols: Columns | None = None
    indicator_cols: Columns | None = None
    last_indicator_cols: Columns | None = None
    section_area: str | None = None
    known_areas: list[str] = field(default_factory=list)
    centre: str | None = None
    peg_context: list[str] = field(default_factory=list)
    last_heading: tuple[int, str] | None = None
    pending: Milestone | None = None     # a row whose Tempi ends with '/': its second half follows
    sheet: dict | None = None            # a key-value indicator sheet being read ('Indicatore: ...')
    skip: set[int] = field(default_factory=set)      # second lines of headers printed on two lines
    score_cols: Columns | None = None
    scores: list = field(default_factory=list)
    sections: list[tuple[int, str]] = field(default_factory=list)   # (line, title) for prose scores

    @property
    def objectives(self) -> list[Objective]:
        return [d.freeze() for d in self.drafts]

    def problem(self, line: Line, reason: str, category: str = "unreadable") -> None:
        self.problems.append(Unreadable(line.number, line.raw.strip(), reason, category))

    def section_of(self, line: Line) -> str | None:
        """The heading a line sits under: the area of a prose score."""
        before = [title for number, title in self.sections if number < line.number]
        return before[-1] if before else None

    def read(self) -> None:
        """Each line goes to the first step that reads it, in the order of _line_facts: a header, a heading, a
        centre line, the caption, a PEG line, a context row, a section or report marker, a key-value line, else
        a table row or a text line. What the line is (_line_facts) is worked out once for each distinct line;
        what is done with it depends on where the reader stands."""
        skip = self.skip
        for index, line in enumerate(self.lines):
            if line.is_blank or is_separator(line) or line.number in skip:
                continue
            step, found, label, pair = _line_facts(line)
            if step is not None and step in _TABLE_HEADERS:
                self.table_header(index, line, step, found)
            elif step is not None and step in _STRUCTURE:
                self.structure(index, line, step, found)
            elif label and self.context_row(index, line, label):
                pass
            elif step is not None:                        # a section marker (found: the section) or a report one
                self.flush_pending()
                self.table, self.section = None, found
            elif pair is not None and self.key_value_line(line, pair):
                pass
            elif line.is_table_row:
                self.table_row(index, line)
            else:
                self.text_line(index, line)
        self.flush_pending()
        self.flush_sheet()

    # -- the steps

    def table_header(self, index: int, line: Line, kind: str, score_columns: Columns | None) -> None:
        """A header row opens a table of steps, of indicators or of scores (the nucleo's 'Area | Peso | Punteggio')."""
        if kind == "steps":
            self.steps_header(line)
        elif kind == "indicators":
            self.indicator_header(index, line)
        else:
            self.flush_pending()
            self.flush_sheet()
            self.score_cols = score_columns
            self.table, self.section = "scores", None

    def steps_header(self, line: Line) -> None:
        self.flush_pending()
        self.flush_sheet()
        if self.current is None:
            self.open_objective(line)
            self.problem(line, "Tabella delle fasi fuori da ogni obiettivo: attribuita a una scheda senza "
                               "intestazione.", "note")
        self.milestone_cols = milestone_columns(line)
        self.table, self.section = "milestones", None

    def indicator_header(self, index: int, line: Line) -> None:
        self.flush_pending()
        self.flush_sheet()
        cols = header_to_columns(_cells(line), "indicators")
        following = self.lines[index + 1] if index + 1 < len(self.lines) else None
        if following is not None and following.is_table_row:    # 'Valore' over 'atteso' and 'consuntivo'
            combined = combine_header_lines(line, following)
            if combined is not None:
                two = header_to_columns(combined, "indicators")
                if len(two.roles) > len(cols.roles):
                    cols = two
                    self.skip.add(following.number)
        self.indicator_cols = self.last_indicator_cols = cols
        self.section = "indicators"
        if "objective" in cols:
            self.table, self.current = "peg", None
            return
        if self.current is None:
            title = self.last_heading[1] if self.last_heading else None
            draft = self.open_objective(line, title=title)
            draft.source_line = self.last_heading[0] if self.last_heading else line.number
            self.section = "indicators"
            self.problem(line, f"Tabella di indicatori fuori dalle schede obiettivo: raccolta sotto il titolo "
                               f"della sezione ('{title or 'senza titolo'}').", "note")
        self.table = "indicators"

    def structure(self, index: int, line: Line, step: str, found) -> None:
        """A heading, a centre of responsibility, the sheet's caption or a PEG line."""
        if step == "heading":
            self.heading(index, line, found)
        elif step == "centre":
            self.centre_line(line)
        elif step == "peg":
            if found.lower().startswith("macro"):
                self.peg_context = []
            self.peg_context.append(clean_cell(line.raw.replace("\t", " ")))
        # the caption ('Obiettivi di performance'): nothing to read

    def heading(self, index: int, line: Line, found: tuple[str, str | None]) -> None:
        number, title = found
        self.flush_pending()
        if not self.block_has_structure(index, number):
            self.table, self.section = None, "narrative"     # a report section repeating the heading
            return
        if self.current and self.current.number == number and not self.current.has_content:
            self.problem(line, "Intestazione dell'obiettivo ripetuta dall'estrazione del PDF: tenuta la prima.",
                         "note")
            return
        self.open_objective(line, number=number, title=title)

    def centre_line(self, line: Line) -> None:
        self.flush_pending()
        value = re.sub(r"(?i)^.*?responsabilit\S*\s*:?\s*", "", glue_cells(line.cells)).strip(" .")
        if self.current is not None and not self.current.has_content and len(line.values) >= 2:
            self.current.responsibility_centre = value or None    # a context row of the sheet just opened
            return
        self.centre = value or None                 # a heading over the sheets that follow
        self.table, self.section, self.current = None, None, None

    def context_row(self, index: int, line: Line, label: str) -> bool:
        if not (self.current is not None and not self.current.has_content or self.context_block_follows(index)):
            return False
        self.flush_pending()
        if self.current is None or self.current.has_content:
            draft = self.open_objective(line)
            self.problem(line, "Scheda obiettivo senza intestazione (numero e titolo non stampati): "
                               "letta dalle righe di contesto che seguono.", "note")
            draft.title = None
        self.table, self.section = None, None
        field_name = CONTEXT_LABELS[label]
        if field_name is None:
            return True
        values = line.values
        if first_text(line).lower().rstrip(": ") == label:
            value = values[1] if len(values) > 1 else ""
        else:                                              # label and value glued in one damaged cell
            value = re.sub(rf"(?i)^{label}\s*:?\s*", "", glue_cells(line.cells))
        value = clean_cell(value) or ""
        if field_name == "area":
            value = self.known_area(value)
        if value:
            setattr(self.current, field_name, value)
        return True

    def known_area(self, value: str) -> str:
        """An area cell that runs into the next label (the extraction lost the cell border) is cut back to
        an area the document names elsewhere: 'Disabili Servizi 8' -> 'Disabili' when a section is titled
        'Disabili' and 'Servizi' opens another label ('Servizi interessati'). Anything else is kept whole:
        'Politiche sociali e Servizi alla persona', 'Funzioni Socio Assistenziali e Funzioni Generali'."""
        plain = plain_words(value)
        for area in sorted(self.known_areas, key=len, reverse=True):
            key = plain_words(area)
            rest = plain[len(key):].split()
            if plain.startswith(key) and rest and not plain[len(key)].isalnum() and rest[0] in _LABEL_WORDS:
                return area
        return value

    def key_value_line(self, line: Line, found: tuple[str, str]) -> bool:
        """'Indicatore: Tempo medio di presa in carico', 'Target 2022: minore o uguale a 30',
        'Valore rilevato al 31/12/2022: 27' (or the same as two-cell rows): one indicator."""
        if found[0] != "indicator" and self.sheet is None:
            return False
        role, value = found
        if role == "indicator":
            self.flush_pending()
            self.flush_sheet()
            self.table = None
            self.sheet = {"indicator": value, "line": line.number, "raw": line.raw.strip()}
        else:
            self.sheet.setdefault(role, value)
        return True

    def flush_sheet(self) -> None:
        sheet, self.sheet = self.sheet, None
        if sheet is None:
            return
        if self.current is None:
            title = self.last_heading[1] if self.last_heading else None
            self.open_objective(Line(sheet["line"], sheet["raw"], (sheet["raw"],)), title=title)
        if not (sheet.get("expected") or sheet.get("actual")):
            self.problems.append(Unreadable(sheet["line"], sheet["raw"], "Scheda indicatore senza valore atteso "
                                            "né rilevato: registrata senza valori.", "damaged_row"))
        self.current.has_content = True
        self.indicators.append(row_to_indicator(sheet, self.current.ref, sheet["line"]))

    def table_row(self, index: int, line: Line) -> bool:
        if not line.is_table_row:
            return False
        if self.table == "scores":
            self.score_row(line)
        elif self.table == "milestones":
            self.milestone_row(line)
        elif self.table in ("indicators", "peg"):
            self.indicator_row(line)
        elif self.section == "indicators" and self.last_indicator_cols and \
                len(line.values) >= SETTINGS.loose_row_min_values and self.current is not None:
            self.indicator_cols = self.last_indicator_cols
            self.table = "indicators"
            self.problem(line, "Intestazione della tabella indicatori illeggibile: colonne lette come nella "
                               "tabella precedente.", "note")
            self.indicator_row(line)
        else:
            self.problem(line, "Riga di tabella fuori dalle tabelle riconosciute (obiettivi, tempi, indicatori): "
                               "conservata, non interpretata.", "unparsed_table")
        return True

    def text_line(self, index: int, line: Line) -> bool:
        text, labelled, opens_area, area, titled, fused, heading_like = _text_facts(line)
        if labelled and self.current is not None:         # 'Area: Anziani e non autosufficienza.'
            self.current.area = labelled
            return True
        if opens_area:
            self.set_section_area(line, area)
            return True
        if titled:
            self.sections.append((line.number, text))
        if fused and self.section == "indicators":
            self.problem(line, "Intestazione e righe della tabella indicatori fuse in una riga dall'estrazione "
                               "del PDF: non interpretata.", "damaged_row")
            return True
        if self.current and not self.current.description and self.table is None \
                and self.section in (None, "description") and len(text) > SETTINGS.description_min:
            self.current.description = text
            return True
        if heading_like:
            self.last_heading = (line.number, text)
            self.sections.append((line.number, text))
        return True

    # -- structure

    def set_section_area(self, line: Line, area: str | None) -> None:
        self.section_area = area
        if area:
            self.known_areas.append(area)
            self.sections.append((line.number, area))
        self.flush_pending()
        self.table, self.section, self.current = None, None, None

    def block_has_structure(self, index: int, number: str) -> bool:
        """True when tables or context rows follow before the next heading: a real objective sheet."""
        for line in self.lines[index + 1:]:
            heading = objective_heading(line)
            if heading and heading[0] != number and not is_steps_header(line):
                return False
            if is_steps_header(line) or is_indicator_header(line) or context_label(line):
                return True
            if first_text(line).lower() in SECTION_MARKERS and line.raw.strip():
                return True
        return False

    def open_objective(self, line: Line, number: str | None = None, title: str | None = None) -> _Draft:
        self.flush_pending()
        if self.sheet is not None and self.sheet["line"] < line.number:
            self.flush_sheet()
        draft = _Draft(len(self.drafts), line.number, number, title, self.section_area,
                       responsibility_centre=self.centre)
        self.drafts.append(draft)
        self.current, self.table, self.section = draft, None, None
        return draft

    def context_block_follows(self, index: int) -> bool:
        """A headless sheet starts with a block of context rows, not with one stray label row."""
        following = [ln for ln in self.lines[index:index + SETTINGS.context_lookahead]
                     if not ln.is_blank][:SETTINGS.context_rows_seen]
        return sum(1 for ln in following if context_label(ln)) >= SETTINGS.context_rows_needed

    # -- rows

    def milestone_row(self, line: Line) -> None:
        cols = self.milestone_cols
        cells = list(line.cells)
        objective_at = cols.get("objective")
        if objective_at is not None and objective_at < len(cells) and cells[objective_at]:
            if self.current and not self.current.description:
                self.current.description = clean_cell(cells[objective_at])
            cells[objective_at] = ""
        row_line = Line(line.number, line.raw, tuple(cells), line.furniture)     # replace(), without its cost
        if not any(cells):
            return
        activity_at = cols.get("activity")
        if activity_at is not None and activity_at < len(cells) and cells[activity_at] and \
                len(row_line.values) >= 2 and aligned(row_line, cols):
            row = row_to_milestone(row_values(row_line, cols), self.current.ref, line.number)
        else:
            row = self.damaged_milestone(line, cells, cols)
            if row is None:
                return
        self.current.has_content = True
        if self.pending is not None:
            row = Milestone(self.pending.objective, self.pending.source_line,
                            clean_cell(f"{self.pending.activity or ''} {row.activity or ''}"),
                            _join(self.pending.planned_raw, row.planned_raw),
                            _join(self.pending.actual_raw, row.actual_raw))
            self.pending = None
            self.problem(line, "Riga spezzata su due righe dall'estrazione del PDF: unita alla precedente.", "note")
        elif any(v and _OPEN_END.search(v) for v in (row.planned_raw, row.actual_raw)):
            self.pending = row                                    # 'Giugno/' continues on the next line
            return
        self.milestones.append(row)

    def damaged_milestone(self, line: Line, cells: list[str], cols: Columns) -> Milestone | None:
        """A row whose cells do not sit under the header (merged or shifted by the extraction): the last two
        values are the times, the rest the activity."""
        values = [(i, c) for i, c in enumerate(cells) if c]
        if len(values) >= 3:
            activity = " ".join(c for _, c in values[:-2])
            planned, actual = values[-2][1], values[-1][1]
        elif len(values) == 2:
            (_, first), (position, second) = values
            activity = first
            planned, actual = (None, second) if position == cols.get("actual") else (second, None)
        else:
            activity, planned, actual = values[0][1], None, None
            if _looks_like_schedule(activity):
                self.problem(line, "Riga dei tempi senza attività: conservata, non interpretata.", "damaged_row")
                return None
            self.problem(line, "Tempi e consuntivo non trovati nella riga (celle fuse dall'estrazione del PDF): "
                               "passo registrato senza date.", "damaged_row")
        return Milestone(self.current.ref, line.number, clean_cell(activity), planned, actual)

    def score_row(self, line: Line) -> None:
        values = row_values(line, self.score_cols)
        if starts_with_any(values.get("area") or "", words.TOTAL_WORDS):
            self.problem(line, "Riga del totale nella tabella dei punteggi: non è il punteggio di un'area.", "note")
            return
        score = row_to_score(values, line.number)
        if score is None:
            self.problem(line, "Riga della tabella dei punteggi senza un punteggio leggibile: conservata, non "
                               "interpretata.", "damaged_row")
            return
        self.scores.append(score)

    def flush_pending(self) -> None:
        if self.pending is not None:
            self.milestones.append(self.pending)
            self.pending = None

    def indicator_row(self, line: Line) -> None:
        cols = self.indicator_cols
        years = year_positions(line)
        if years:
            # The year sub-header fixes the value columns when the header words could not.
            if len(years) >= 2 and ("expected" not in cols or "actual" not in cols or "expected" in cols.merged):
                self.indicator_cols = Columns({**cols.roles, "expected": years[-2], "actual": years[-1]},
                                              cols.merged - {"expected", "actual"})
            return
        values = row_values(line, cols)
        if self.table == "peg" and values.get("objective"):
            draft = self.open_objective(line, title=values["objective"])
            draft.description = values.get("actions")
            draft.peg_project = "; ".join(self.peg_context) or None
            self.table, self.section = "peg", "indicators"
        if self.current is None:
            self.problem(line, "Riga di indicatore senza obiettivo: conservata, non interpretata.", "unparsed_table")
            return
        name, expected, actual = values.get("indicator"), values.get("expected"), values.get("actual")
        others = [values.get(r) for r in ("description", "unit", "baseline", "deviation")]
        if not (name or expected or actual or any(others)):
            action = values.get("actions")
            if action:                                         # one more 'Azioni' cell of the same objective
                self.current.description = "; ".join(filter(None, [self.current.description, action]))
                self.problem(line, "Altra azione dello stesso obiettivo: aggiunta alla sua descrizione.", "note")
            else:
                self.problem(line, "Riga di indicatore senza nome né valori: conservata, non interpretata.",
                             "damaged_row")
            return
        if name and expected is None and actual is None and not any(others):
            if len(line.values) == 1:
                self.problem(line, "Sottotitolo nella tabella indicatori (nessun valore).", "note")
            else:
                self.problem(line, "Riga di indicatore con celle fuori colonna: conservata, non interpretata.",
                             "damaged_row")
            return
        self.current.has_content = True
        self.indicators.append(row_to_indicator(values, self.current.ref, line.number))


def _join(first: str | None, second: str | None) -> str | None:
    parts = [p for p in (first, second) if p]
    return " ".join(parts) if parts else None


# ---------------------------------------------------------------------------- repeated blocks

def _signature(objective: Objective, milestones, indicators) -> tuple:
    key = lambda s: _plain_key(s or "")
    return (key(objective.description or objective.title),
            tuple(key(m.activity) for m in milestones), tuple(key(i.name) for i in indicators))


def _by_objective(rows) -> dict[int, list]:
    """The rows of each objective, in the order given (one pass, not one per objective)."""
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.objective, []).append(row)
    return grouped


@lru_cache(maxsize=4096)
def _plain_key(text: str) -> str:
    """'Incontri  CdA.' -> 'incontri cda': how repeated blocks are compared."""
    return _NON_WORDS.sub(" ", text.lower()).strip()


def mark_duplicates(objectives, milestones, indicators):
    """An objective block the document prints again (same description, steps and indicators) points
    to the first one with duplicate_of; differing cells between the two copies become a note."""
    steps_of, indicators_of = _by_objective(milestones), _by_objective(indicators)
    seen: dict[tuple, Objective] = {}
    out, problems = [], []
    for objective in objectives:
        steps, inds = steps_of.get(objective.ref, []), indicators_of.get(objective.ref, [])
        signature = _signature(objective, steps, inds)
        first = seen.get(signature) if (steps or inds) and signature[0] else None
        if first is None:
            seen.setdefault(signature, objective)
            out.append(objective)
            continue
        out.append(replace(objective, duplicate_of=first.ref))
        first_rows = steps_of.get(first.ref, []) + indicators_of.get(first.ref, [])
        for mine, theirs in zip(steps + inds, first_rows):
            if _row_cells(mine) != _row_cells(theirs):
                problems.append(Unreadable(
                    mine.source_line, " | ".join(v or "" for v in _row_cells(mine)),
                    f"Blocco ripetuto dell'obiettivo alla riga {first.source_line}, ma questa riga differisce "
                    f"dalla riga {theirs.source_line} ({' | '.join(v or '' for v in _row_cells(theirs))}): "
                    f"conteggiato una sola volta, vale la prima.", "note"))
    return out, problems


def _row_cells(row) -> tuple:
    if isinstance(row, Milestone):
        return (row.activity, row.planned_raw, row.actual_raw)
    return (row.name, row.expected_raw, row.actual_raw)

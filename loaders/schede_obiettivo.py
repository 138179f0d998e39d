"""Objective sheets (schede obiettivo): the Relazione sulla performance / rendicontazione obiettivi layout.

Each objective is a block: a heading ('Obiettivo 1<TAB>title', 'Obiettivo strategico n. 2: title'),
context rows ('Area strategica<TAB>...', 'Progetto PEG<TAB>...'), a *Modalità di attuazione* table
(Attività | Tempi | Consuntivo), an *Indicatori* table (Indicatore | [Descrizione] | Unità | [Valore
attuale] | Valore atteso | Valore consuntivo | [Scostamento]) and a report. Variants handled: tables
damaged by PDF extraction (rows split over two lines, cells merged or shifted, headers repeated or
garbled), headings repeated by narrative sections, blocks repeated verbatim, a table with its own
'Obiettivo' column ('Altri Obiettivi PEG'), indicator tables outside any objective (financial health).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from cruscotto.italian import clean_cell, months_in
from cruscotto.records import Indicator, Milestone, Objective, ParsedDocument, Unreadable

from .common import (Line, document_kind, document_title, find_issuer, find_report_year, find_scores,
                     first_text, glue_cells, is_separator, plain_words, text_to_lines)

NAME = "schede_obiettivo"

HEADING = re.compile(r"^[#*\s]*obiettivo(?:\s+(?:strategico|operativo|gestionale|specifico|di performance))?"
                     r"\s*(?:n\.?\s*|nr\.?\s*|n°\s*)?(\d{1,2})(?!\d)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
CONTEXT_LABELS = {
    "area strategica": "area", "progetto peg": "peg_project", "descrizione obiettivo": "description",
    "programma rpp": None, "servizi interessati": None, "obiettivo operativo": None, "utenti finali": None,
    "reti di collaborazione": None, "unità organizzativa": None, "responsabile": None, "finalità": None,
    "stakeholder finali": None, "stakeholder intermedi": None, "servizi peg coinvolti": None,
    "macroservizi peg coinvolti": None, "macro servizi peg coinvolti": None, "criticità da presidiare": None,
    "impatto atteso": None,
}
SECTION_MARKERS = {
    "modalità di attuazione": "milestones", "indicatori di risultato": "indicators",
    "indicatori": "indicators", "descrizione obiettivo": "description", "finalità": "context",
    "stakeholder finali": "context", "stakeholder intermedi": "context",
}
_CONTEXT_HINT = re.compile("|".join(CONTEXT_LABELS), re.IGNORECASE)
_CENTRE_HINT = re.compile(r"(?i)responsabilit")
_CAPTION_HINT = re.compile(r"(?i)obiettivi")
SCHEDULE_WORDS = {"annuale", "attuato", "attuata", "no", "/", "si", "sì", "non attuato"}


def identify(text: str) -> bool:
    """A schede document has objective headings and a Tempi/Consuntivo or Indicatore/atteso table."""
    lines = text_to_lines(text)
    has_heading = any(HEADING.match(ln.raw) and not _is_milestone_header(ln) for ln in lines)
    has_table = any(_is_milestone_header(ln) or _is_indicator_header(ln) for ln in lines)
    return has_heading and has_table


def parse(text: str) -> ParsedDocument:
    lines = text_to_lines(text)
    title = document_title(lines)
    year, year_note = find_report_year(lines)
    sheet = _SheetReader(lines)
    sheet.read()
    objectives, problems = mark_duplicates(sheet.objectives, sheet.milestones, sheet.indicators)
    notes = [year_note] if year_note else []
    return ParsedDocument(
        kind=document_kind(title), issuer=find_issuer(lines), report_year=year, title=title,
        objectives=tuple(objectives), milestones=tuple(sheet.milestones), indicators=tuple(sheet.indicators),
        scores=tuple(find_scores(lines)), problems=tuple(notes + sheet.problems + problems))


# ---------------------------------------------------------------------------- table headers

@dataclass
class IndicatorColumns:
    """Where each field sits in an indicator table row (cell positions)."""
    name: int | None = 0
    description: int | None = None
    unit: int | None = None
    baseline: int | None = None
    expected: int | None = None
    actual: int | None = None
    deviation: int | None = None
    objective: int | None = None      # 'Altri Obiettivi PEG': Obiettivo | Azioni | Indicatore | ...
    actions: int | None = None
    expected_merged: bool = False     # 'Unità Valore atteso' in one cell: its position is not reliable


@dataclass
class MilestoneColumns:
    planned: int
    actual: int
    objective: int | None = None      # 'Obiettivo 2021 | Modalità di attuazione | Tempi | Consuntivo'


def _lower_cells(line: Line) -> list[str]:
    return [plain_words(clean_cell(c) or "") for c in line.cells]


_HEADER_HINT = re.compile(r"(?i)consuntiv|indicator|realizzat|effettiv|attuazione")
# Header words, accents and case ignored: what one consortium calls Tempi / Consuntivo another calls
# Scadenza / Realizzato.
_ACTUAL_STEP = re.compile(r"^(consuntiv|realizzat|effettiv|tempi effettivi|data effettiva|stato di attuazione|svolt)")
_PLANNED_STEP = re.compile(r"tempi|^scadenz|^previst|^data prevista|^tempistica")
_STEP = re.compile(r"^attivita|^fasi|modalita di attuazione")
_EXPECTED = re.compile(r"atteso|attesi|^target|^valore previst|^previst")
_ACTUAL_VALUE = re.compile(r"consuntiv|^valore al\b|^risultat|^valore raggiunt|^valore rilevat|^valore effettiv")


def _is_milestone_header(line: Line) -> bool:
    if "\t" not in line.raw or not _HEADER_HINT.search(line.raw):
        return False
    cells = _lower_cells(line)
    has_actual = any(_ACTUAL_STEP.search(c) for c in cells)
    has_step = any(_PLANNED_STEP.search(c) or _STEP.search(c) for c in cells)
    return line.is_table_row and has_actual and has_step and not any("indicatore" in c or "valore" in c for c in cells)


def _is_indicator_header(line: Line) -> bool:
    if "\t" not in line.raw or not _HEADER_HINT.search(line.raw):
        return False
    cells = _lower_cells(line)
    if not line.is_table_row or not any((c.startswith("indicatore") and len(c) < 60) or c == "indicatori"
                                        for c in cells):
        return False
    return any(_EXPECTED.search(c) or _ACTUAL_VALUE.search(c) or "descrizione" in c or "unita" in c or "valore" in c
               for c in cells)


def milestone_columns(line: Line) -> MilestoneColumns:
    """'Attività<TAB>Tempi<TAB>Consuntivo' -> planned 1, actual 2; a garbled Tempi is the cell before Consuntivo."""
    cells = _lower_cells(line)
    actual = next(i for i, c in enumerate(cells) if _ACTUAL_STEP.search(c))
    planned = next((i for i, c in enumerate(cells) if _PLANNED_STEP.search(c) and i != actual), actual - 1)
    objective = 0 if re.match(r"obiettivo\b", cells[0]) else None
    return MilestoneColumns(planned, actual, objective)


def indicator_columns(line: Line) -> IndicatorColumns:
    """Column roles from the header words; merged headers ('Indicatore Descrizione Unità misura') spread
    over the empty cell that follows them."""
    cells = _lower_cells(line)
    cols = IndicatorColumns(name=None)
    for i, c in enumerate(cells):
        if not c:
            continue
        if c.startswith("obiettivo") and "indicatore" not in c:
            cols.objective = i
        elif c.startswith("azion"):
            cols.actions = i
        if "indicatore" in c and cols.name is None:
            cols.name = i
            if c.strip() == "indicatore":
                continue
        if _EXPECTED.search(c):
            cols.expected = i
            cols.expected_merged = "unita" in c or "descrizione" in c
        elif _ACTUAL_VALUE.search(c) and "indicator" not in c:
            cols.actual = i
        if "attuale" in c:
            cols.baseline = i
        if "scostamento" in c:
            cols.deviation = i
        if "descrizione" in c or "modalita di calcolo" in c:
            cols.description = i
            if "unita" in c and i + 1 < len(cells) and not cells[i + 1]:
                cols.unit = i + 1
        elif "unita" in c and cols.unit is None:
            cols.unit = i
    if cols.name is None:
        cols.name = 0
    return cols


def _year_positions(line: Line) -> list[int]:
    """A sub-header row such as '<TAB><TAB>2019<TAB>2019' (possibly with 'misura' or junk beside)."""
    years = [i for i, c in enumerate(line.cells) if re.fullmatch(r"\(?\d{4}\)?", clean_cell(c) or "")]
    others = [c for i, c in enumerate(line.cells) if c and i not in years]
    if years and not any(re.search(r"\d", c) for c in others) and all(len(c) <= 12 for c in others):
        return years
    return []


def _looks_like_schedule(cell: str) -> bool:
    lowered = cell.lower().strip()
    return len(lowered) <= 25 and (lowered in SCHEDULE_WORDS or lowered.startswith("entro") or bool(months_in(cell, 2000))
            or lowered.rstrip("/-– ") == "annuale")


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
    has_content: bool = False

    def freeze(self) -> Objective:
        return Objective(self.ref, self.source_line, self.title, self.number, self.area, self.description,
                         self.responsibility_centre, self.peg_project)


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
    milestone_cols: MilestoneColumns | None = None
    indicator_cols: IndicatorColumns | None = None
    last_indicator_cols: IndicatorColumns | None = None
    section_area: str | None = None
    centre: str | None = None
    peg_context: list[str] = field(default_factory=list)
    last_heading: tuple[int, str] | None = None
    pending: Milestone | None = None     # a row whose Tempi ends with '/': its second half follows

    @property
    def objectives(self) -> list[Objective]:
        return [d.freeze() for d in self.drafts]

    def problem(self, line: Line, reason: str, category: str = "unreadable") -> None:
        self.problems.append(Unreadable(line.number, line.raw.strip(), reason, category))

    def read(self) -> None:
        for index, line in enumerate(self.lines):
            if line.is_blank or is_separator(line):
                continue
            self.read_line(index, line)
        self.flush_pending()

    # -- dispatch

    def read_line(self, index: int, line: Line) -> None:
        if _is_milestone_header(line):
            return self.start_milestones(line)
        if _is_indicator_header(line):
            return self.start_indicators(line)
        heading = HEADING.match(line.raw)
        if heading:
            return self.heading(index, line, heading)
        if _CENTRE_HINT.search(line.raw):
            glued = glue_cells(line.cells)
            if glued.lower().replace(" ", "").startswith("centrodiresponsabilit"):
                return self.centre_line(line, glued)
        if _CAPTION_HINT.search(line.raw) and glue_cells(line.cells).lower().startswith("obiettivi di perf"):
            return None                                          # the sheet's own caption
        peg = re.match(r"(?i)^(macro\s*servizio|servizio)\s*:", line.raw.strip())
        if peg:
            return self.peg_line(line, peg.group(1))
        label = self.context_label(line)
        if label and (self.current is not None and not self.current.has_content
                      or self.context_block_follows(index)):
            return self.context_row(line, label)
        marker = SECTION_MARKERS.get(first_text(line).lower().rstrip(":"))
        if marker and len(line.values) <= 3 and len(first_text(line)) < 40:
            return self.section_marker(marker)
        if re.match(r"^[#*\s]*report\b", line.raw, re.IGNORECASE):
            self.flush_pending()
            self.table, self.section = None, "report"
            return None
        if line.is_table_row:
            return self.table_row(line)
        return self.text_line(line)

    # -- structure

    def heading(self, index: int, line: Line, match: re.Match) -> None:
        self.flush_pending()
        if not self.block_has_structure(index, match.group(1)):
            self.table, self.section = None, "narrative"     # a report section repeating the heading
            return
        number = match.group(1)
        title = clean_cell(re.sub(rf"^\s*obiettivo\s+{number}\b", "", match.group(2).replace("\t", " "),
                                  flags=re.IGNORECASE))
        if self.current and self.current.number == number and not self.current.has_content:
            self.problem(line, "Intestazione dell'obiettivo ripetuta dall'estrazione del PDF: tenuta la prima.",
                         "note")
            return
        self.open_objective(line, number=number, title=title)

    def block_has_structure(self, index: int, number: str) -> bool:
        """True when tables or context rows follow before the next heading: a real objective sheet."""
        for line in self.lines[index + 1:]:
            heading = HEADING.match(line.raw)
            if heading and heading.group(1) != number and not _is_milestone_header(line):
                return False
            if _is_milestone_header(line) or _is_indicator_header(line) or self.context_label(line):
                return True
            if first_text(line).lower() in SECTION_MARKERS and line.raw.strip():
                return True
        return False

    def open_objective(self, line: Line, number: str | None = None, title: str | None = None) -> _Draft:
        self.flush_pending()
        draft = _Draft(len(self.drafts), line.number, number, title, self.section_area,
                       responsibility_centre=self.centre)
        self.drafts.append(draft)
        self.current, self.table, self.section = draft, None, None
        return draft

    def centre_line(self, line: Line, glued: str) -> None:
        self.flush_pending()
        value = re.sub(r"(?i)^.*?responsabilit\S*\s*:?\s*", "", glued).strip(" .")
        self.centre = value or None
        self.table, self.section, self.current = None, None, None

    def context_label(self, line: Line) -> str | None:
        if "\t" not in line.raw or not _CONTEXT_HINT.search(line.raw):
            return None
        head = first_text(line).lower()
        glued = glue_cells(line.cells).lower()
        for label in CONTEXT_LABELS:
            if (head.startswith(label) or glued.startswith(label)) and len(line.values) >= 2 or \
                    (head.startswith(label) and len(head) > len(label) + 3):
                return label
        return None

    def context_block_follows(self, index: int) -> bool:
        """A headless sheet starts with a block of context rows, not with one stray label row."""
        following = [ln for ln in self.lines[index:index + 8] if not ln.is_blank][:4]
        return sum(1 for ln in following if self.context_label(ln)) >= 2

    def peg_line(self, line: Line, kind: str) -> None:
        """'Macro servizio: 101<TAB>Domiciliarità Anziani' labels the PEG objectives that follow."""
        if kind.lower().startswith("macro"):
            self.peg_context = []
        self.peg_context.append(clean_cell(line.raw.replace("\t", " ")))

    def context_row(self, line: Line, label: str) -> None:
        self.flush_pending()
        if self.current is None or self.current.has_content:
            draft = self.open_objective(line)
            self.problem(line, "Scheda obiettivo senza intestazione (numero e titolo non stampati): "
                               "letta dalle righe di contesto che seguono.", "note")
            draft.title = None
        self.table, self.section = None, None
        field_name = CONTEXT_LABELS[label]
        if field_name is None:
            return
        values = line.values
        if first_text(line).lower().rstrip(": ") == label:
            value = values[1] if len(values) > 1 else ""
        else:                                              # label and value glued in one damaged cell
            value = re.sub(rf"(?i)^{label}\s*:?\s*", "", glue_cells(line.cells))
        value = clean_cell(value) or ""
        if field_name == "area":                          # the next label glued on: 'generali Servizi interessati'
            value = re.split(r"\s+Servizi(?=\s+(?:interessati|[A-Z0-9])|$)", value)[0].strip()
        if value:
            setattr(self.current, field_name, value)

    def section_marker(self, marker: str) -> None:
        self.flush_pending()
        self.table = None
        self.section = marker

    def start_milestones(self, line: Line) -> None:
        self.flush_pending()
        if self.current is None:
            self.open_objective(line)
            self.problem(line, "Tabella 'Modalità di attuazione' fuori da ogni obiettivo: attribuita a una "
                               "scheda senza intestazione.", "note")
        self.milestone_cols = milestone_columns(line)
        self.table, self.section = "milestones", None

    def start_indicators(self, line: Line) -> None:
        self.flush_pending()
        cols = indicator_columns(line)
        self.indicator_cols = self.last_indicator_cols = cols
        self.section = "indicators"
        if cols.objective is not None:
            self.table = "peg"
            self.current = None
            return
        if self.current is None:
            title = self.last_heading[1] if self.last_heading else None
            draft = self.open_objective(line, title=title)
            draft.source_line = self.last_heading[0] if self.last_heading else line.number
            self.section = "indicators"
            self.problem(line, f"Tabella di indicatori fuori dalle schede obiettivo: raccolta sotto il titolo "
                               f"della sezione ('{title or 'senza titolo'}').", "note")
        self.table = "indicators"

    # -- rows

    def table_row(self, line: Line) -> None:
        if self.table == "milestones":
            return self.milestone_row(line)
        if self.table in ("indicators", "peg"):
            return self.indicator_row(line)
        if self.section == "indicators" and self.last_indicator_cols and len(line.values) >= 4 \
                and self.current is not None:
            self.indicator_cols = self.last_indicator_cols
            self.table = "indicators"
            self.problem(line, "Intestazione della tabella indicatori illeggibile: colonne lette come nella "
                               "tabella precedente.", "note")
            return self.indicator_row(line)
        self.problem(line, "Riga di tabella fuori dalle tabelle riconosciute (obiettivi, tempi, indicatori): "
                           "conservata, non interpretata.", "unparsed_table")

    def milestone_row(self, line: Line) -> None:
        cols = self.milestone_cols
        cells = list(line.cells)
        if cols.objective is not None and cols.objective < len(cells) and cells[cols.objective]:
            if self.current and not self.current.description:
                self.current.description = clean_cell(cells[cols.objective])
            cells[cols.objective] = ""
        values = [(i, c) for i, c in enumerate(cells) if c]
        if not values:
            return
        if len(values) >= 3:
            activity = " ".join(c for _, c in values[:-2])
            planned, actual = values[-2][1], values[-1][1]
        elif len(values) == 2:
            (_, first), (position, second) = values
            activity = first
            planned, actual = (None, second) if position == cols.actual else (second, None)
        else:
            activity, planned, actual = values[0][1], None, None
            if _looks_like_schedule(activity):
                self.problem(line, "Riga dei tempi senza attività: conservata, non interpretata.", "damaged_row")
                return
            self.problem(line, "Tempi e consuntivo non trovati nella riga (celle fuse dall'estrazione del PDF): "
                               "passo registrato senza date.", "damaged_row")
        row = Milestone(self.current.ref, line.number, clean_cell(activity), planned, actual)
        self.current.has_content = True
        if self.pending is not None:
            row = Milestone(self.pending.objective, self.pending.source_line,
                            clean_cell(f"{self.pending.activity or ''} {row.activity or ''}"),
                            _join(self.pending.planned_raw, row.planned_raw),
                            _join(self.pending.actual_raw, row.actual_raw))
            self.pending = None
            self.problem(line, "Riga spezzata su due righe dall'estrazione del PDF: unita alla precedente.", "note")
        elif any(v and re.search(r"[^\W\d]\s*[/\-–]$", v) for v in (row.planned_raw, row.actual_raw)):
            self.pending = row                                    # 'Giugno/' continues on the next line
            return
        self.milestones.append(row)

    def flush_pending(self) -> None:
        if self.pending is not None:
            self.milestones.append(self.pending)
            self.pending = None

    def indicator_row(self, line: Line) -> None:
        cols = self.indicator_cols
        years = _year_positions(line)
        if years:
            # The year sub-header fixes the value columns when the header words could not.
            if len(years) >= 2 and (cols.expected is None or cols.actual is None or cols.expected_merged):
                cols.expected, cols.actual = years[-2], years[-1]
            return
        get = (lambda i: line.cells[i] if i is not None and i < len(line.cells) and line.cells[i] else None)
        if self.table == "peg" and get(cols.objective):
            draft = self.open_objective(line, title=clean_cell(get(cols.objective)))
            draft.description = clean_cell(get(cols.actions))
            draft.peg_project = "; ".join(self.peg_context) or None
            self.table, self.section = "peg", "indicators"
        if self.current is None:
            self.problem(line, "Riga di indicatore senza obiettivo: conservata, non interpretata.", "unparsed_table")
            return
        name, expected, actual = get(cols.name), get(cols.expected), get(cols.actual)
        others = [get(cols.description), get(cols.unit), get(cols.baseline), get(cols.deviation)]
        if not (name or expected or actual or any(others)):
            action = clean_cell(get(cols.actions))
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
        self.indicators.append(Indicator(
            self.current.ref, line.number, clean_cell(name), clean_cell(expected), clean_cell(actual),
            description=clean_cell(get(cols.description)), unit=clean_cell(get(cols.unit)),
            baseline_raw=clean_cell(get(cols.baseline)), reported_deviation_raw=clean_cell(get(cols.deviation))))

    def text_line(self, line: Line) -> None:
        text = line.text
        if re.match(r"(?i)^area strategica\s+\S", text) and len(text) < 80:
            self.section_area = clean_cell(text[len("area strategica"):])
            self.flush_pending()
            self.table, self.section, self.current = None, None, None
            return
        numbered = re.match(r"^#+\s*\d+\.\s*(.+)$", line.raw.strip())
        if numbered and len(text) < 80:
            self.section_area = clean_cell(numbered.group(1))
            self.flush_pending()
            self.table, self.section, self.current = None, None, None
            return
        if self.section == "indicators" and re.search(r"(?i)indicatore", text) and re.search(r"(?i)valore|atteso", text):
            self.problem(line, "Intestazione e righe della tabella indicatori fuse in una riga dall'estrazione "
                               "del PDF: non interpretata.", "damaged_row")
            return
        if self.current and not self.current.description and self.table is None \
                and self.section in (None, "description") and len(text) > 60:
            self.current.description = text
            return
        if len(text) < 90 and not text.endswith((".", ":", ";", ",")) and not text.startswith(("-", "•")):
            self.last_heading = (line.number, text)


def _join(first: str | None, second: str | None) -> str | None:
    parts = [p for p in (first, second) if p]
    return " ".join(parts) if parts else None


# ---------------------------------------------------------------------------- repeated blocks

def _signature(objective: Objective, milestones, indicators) -> tuple:
    key = lambda s: re.sub(r"\W+", " ", (s or "").lower()).strip()
    return (key(objective.description or objective.title),
            tuple(key(m.activity) for m in milestones), tuple(key(i.name) for i in indicators))


def mark_duplicates(objectives, milestones, indicators):
    """An objective block the document prints again (same description, steps and indicators) points
    to the first one with duplicate_of; differing cells between the two copies become a note."""
    by_objective = lambda rows, ref: [r for r in rows if r.objective == ref]
    seen: dict[tuple, Objective] = {}
    out, problems = [], []
    for objective in objectives:
        steps, inds = by_objective(milestones, objective.ref), by_objective(indicators, objective.ref)
        signature = _signature(objective, steps, inds)
        first = seen.get(signature) if (steps or inds) and signature[0] else None
        if first is None:
            seen.setdefault(signature, objective)
            out.append(objective)
            continue
        out.append(replace(objective, duplicate_of=first.ref))
        first_rows = by_objective(milestones, first.ref) + by_objective(indicators, first.ref)
        for mine, theirs in zip(steps + inds, first_rows):
            if _cells(mine) != _cells(theirs):
                problems.append(Unreadable(
                    mine.source_line, " | ".join(v or "" for v in _cells(mine)),
                    f"Blocco ripetuto dell'obiettivo alla riga {first.source_line}, ma questa riga differisce "
                    f"dalla riga {theirs.source_line} ({' | '.join(v or '' for v in _cells(theirs))}): "
                    f"conteggiato una sola volta, vale la prima.", "note"))
    return out, problems


def _cells(row) -> tuple:
    if isinstance(row, Milestone):
        return (row.activity, row.planned_raw, row.actual_raw)
    return (row.name, row.expected_raw, row.actual_raw)

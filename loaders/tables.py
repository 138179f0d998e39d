"""Tables, whoever prints them: header words -> column roles, rows -> records.

`header_to_columns` is the one function every family uses to read a header, with the words of
cruscotto.vocabulary. `read_header` decides what a table holds (indicators, steps or scores); the row
functions turn a row into an Indicator, a Milestone or a Score. `GeneralReader` reads a whole document
made of headings and such tables, and key-value indicator sheets ('Indicatore: ...', 'Target: ...').
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from cruscotto import vocabulary as words
from cruscotto.italian import clean_cell
from cruscotto.records import Indicator, Milestone, Objective, Score, Unreadable

from .lines import Line, is_separator, plain_words, starts_with_any
from .scores import is_score

ROLE_SETS = {"indicators": words.INDICATOR_ROLES, "steps": words.STEP_ROLES, "scores": words.SCORE_ROLES}


@dataclass(frozen=True)
class Settings:
    """Thresholds that decide what a line is (pdfplumber's table settings are the model)."""
    max_header_cell: int = 80           # characters: a longer cell is text, not a header word
    header_share: float = 0.7           # share of a header's cells that must name a column role
    prose_ends_table: int = 60          # characters: a plain line this long after a table ends it
    max_heading: int = 120              # characters: a longer line is prose, not a heading
    max_heading_words: int = 10         # an area heading ('Area Minori e Famiglie') is short


SETTINGS = Settings()


# ---------------------------------------------------------------------------- header words

def _stem(word: str) -> str:
    """Light Italian stemming, so that singular and plural meet: 'indicatori' -> 'indicator'."""
    return word[:-1] if len(word) > 3 and word[-1] in "aeiou" else word


_FILLER = frozenset(words.HEADER_FILLER)
_HEADER_YEAR = re.compile(r"(?:19|20)\d{2}")
_HEADER_LETTER = re.compile(r"\(\s*[a-z]?\s*(?:=[^)]*)?\)")
_HEADER_UM = re.compile(r"\bu\s*\.\s*m\b\.?")
_HEADER_TOKEN = re.compile(r"%|[a-z]+\.?")


@lru_cache(maxsize=8192)
def header_words(cell: str) -> tuple[str, ...]:
    """The words of a header cell that can decide its role, stemmed:
    'Valore atteso 2021 (b)' -> ('valor', 'attes'); 'U.M.' -> ('unit', 'misur'); 'Val. cons.' -> ('valor', 'consuntiv')."""
    text = plain_words(clean_cell(cell) or "")
    text = _HEADER_YEAR.sub(" ", text)
    text = _HEADER_LETTER.sub(" ", text)          # '(b)', '(d=c-b)', '()' left by a year
    text = _HEADER_UM.sub(" unita di misura ", text)
    out: list[str] = []
    for token in _HEADER_TOKEN.findall(text):
        base = token.rstrip(".")
        expanded = words.HEADER_ABBREVIATIONS.get(base)
        for word in (expanded.split() if expanded else [base]):
            if word not in _FILLER:
                out.append(_stem(word))
    return tuple(out)


@lru_cache(maxsize=16)
def _phrases(kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((role, header_words(phrase)) for role, phrases in ROLE_SETS[kind].items() for phrase in phrases)


@lru_cache(maxsize=16)
def _phrases_by_word(kind: str) -> dict[str, tuple[tuple[int, str, tuple[str, ...]], ...]]:
    """The phrases of a kind under the word that opens them, each with its place in _phrases(kind)."""
    index: dict[str, list] = {}
    for order, (role, phrase) in enumerate(_phrases(kind)):
        if phrase:
            index.setdefault(phrase[0], []).append((order, role, phrase))
    return {word: tuple(found) for word, found in index.items()}


@lru_cache(maxsize=8192)
def cell_roles(cell: str, kind: str) -> tuple[str, ...]:
    """The roles a header cell names, in the order it names them. The longest phrase wins where phrases
    overlap: 'Risultato atteso' -> ('expected',); 'Tolleranza Scostamento' -> ('tolerance', 'deviation');
    'Indicatore Descrizione Unità misura' -> ('indicator', 'description', 'unit')."""
    if not cell or len(cell) > SETTINGS.max_header_cell:
        return ()
    tokens = header_words(cell)
    index = _phrases_by_word(kind)
    # Only the phrases that open with a word of the cell can match; taken in their order in _phrases.
    candidates = sorted(found for token in set(tokens) for found in index.get(token, ()))
    if not candidates:                                       # a data cell: most cells of a document
        return ()
    matches = []
    for _, role, phrase in candidates:
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if tokens[start:start + size] == phrase:
                matches.append((size, start, role))
    chosen: list[tuple[int, str]] = []
    used: set[int] = set()
    for size, start, role in sorted(matches, key=lambda m: (-m[0], m[1])):
        span = set(range(start, start + size))
        if span & used or any(role == r for _, r in chosen):
            continue
        used |= span
        chosen.append((start, role))
    return tuple(role for _, role in sorted(chosen))


@dataclass(frozen=True)
class Columns:
    """Where each role sits in a header row; `merged`: roles read from a header cell that named several
    (their position is a guess a year sub-header may correct)."""
    roles: dict[str, int]
    merged: frozenset[str] = frozenset()

    def __contains__(self, role: str) -> bool:
        return role in self.roles

    def get(self, role: str) -> int | None:
        return self.roles.get(role)


def header_to_columns(cells, kind: str = "indicators") -> Columns:
    """['Indicatore', 'Target', 'Valore raggiunto'] -> {'indicator': 0, 'expected': 1, 'actual': 2}.

    Each column takes the first role it names that no column before took; a merged header cell
    ('Indicatore Descrizione Unità misura' followed by an empty cell) gives its other roles to the empty
    cells after it."""
    return _header_to_columns(tuple([c or "" for c in cells]), kind)


@lru_cache(maxsize=16384)
def _header_to_columns(cells: tuple[str, ...], kind: str) -> Columns:
    """header_to_columns, kept for the rows asked about again (every reader and family asks of each row).
    The Columns it gives are shared: nobody changes them."""
    if not any(cell_roles(cell, kind) for cell in cells):         # a data row: most rows
        return Columns({})
    roles: dict[str, int] = {}
    merged: set[str] = set()
    for index, cell in enumerate(cells):
        named = [r for r in cell_roles(cell, kind) if r not in roles]
        if not named:
            continue
        roles[named[0]] = index
        if len(named) > 1:
            merged.update(named)
        spill = index + 1
        for role in named[1:]:
            if spill < len(cells) and not cells[spill].strip() and any(c.strip() for c in cells[spill + 1:]):
                roles[role] = spill
                spill += 1
            else:
                break
    return Columns(roles, frozenset(merged))


# ---------------------------------------------------------------------------- what a table holds

@dataclass(frozen=True)
class TableHeader:
    kind: str                 # indicators, steps, scores
    columns: Columns
    source_line: int
    lines_used: int = 1       # 2 for a header printed on two lines


def _header_kind(cells) -> TableHeader | None:
    return _cells_header_kind(tuple(cells))


@lru_cache(maxsize=16384)
def _cells_header_kind(cells: tuple[str, ...]) -> TableHeader | None:
    filled = [c for c in cells if c and c.strip()]
    if len(filled) < 2 or any(len(c) > SETTINGS.max_header_cell for c in filled):
        return None
    named = sum(1 for c in filled if any(cell_roles(c, kind) for kind in ROLE_SETS))
    if named < SETTINGS.header_share * len(filled):      # a data row names a role here and there, a header everywhere
        return None
    indicator = header_to_columns(cells, "indicators")
    steps = header_to_columns(cells, "steps")
    if "activity" in steps and ("planned" in steps or "start" in steps) and ("actual" in steps or "status" in steps) \
            and "indicator" not in indicator:                  # 'Fase | Scadenza prevista | Scadenza effettiva'
        return TableHeader("steps", steps, 0)
    if "expected" in indicator and "actual" in indicator:        # 'Risultato atteso | Risultato conseguito' too
        return TableHeader("indicators", indicator, 0)
    scores = header_to_columns(cells, "scores")
    if "area" in scores and "score" in scores:
        return TableHeader("scores", scores, 0)
    return None


def read_header(line: Line, following: Line | None = None) -> TableHeader | None:
    """The table a header row opens, or None. A header printed on two lines (a merged 'Valore' cell over
    'atteso' and 'consuntivo') is read with the line that follows it."""
    if not line.is_table_row:
        return None
    found = _header_kind(line.cells)
    if following is not None and following.is_table_row:
        combined = combine_header_lines(line, following)
        if combined is not None:
            two = _header_kind(combined)
            if two is not None and (found is None or len(two.columns.roles) > len(found.columns.roles)):
                return TableHeader(two.kind, two.columns, line.number, 2)
    if found is None:
        return None
    return TableHeader(found.kind, found.columns, line.number)


def combine_header_lines(first: Line, second: Line) -> list[str] | None:
    """['Indicatore', 'Unità', 'Valore', '', 'Scostamento'] over ['', '', 'atteso', 'consuntivo', ''] ->
    ['Indicatore', 'Unità', 'Valore atteso', 'Valore consuntivo', 'Scostamento']; None when the second line
    is not made of header words."""
    lower = [c for c in second.cells if c]
    if not lower or second.cells[0] or any(len(c) > 30 or re.search(r"[\d:]", c) for c in lower):
        return None                                  # under the first header cell a data row has its name
    if not all(cell_roles(f"valore {c}", "indicators") or cell_roles(c, "steps") or cell_roles(c, "indicators")
               for c in lower):
        return None
    width = max(len(first.cells), len(second.cells))
    top = list(first.cells) + [""] * (width - len(first.cells))
    bottom = list(second.cells) + [""] * (width - len(second.cells))
    out, spanning = [], ""
    for upper, under in zip(top, bottom):
        if upper:
            spanning = upper if under else ""
        elif not under:
            spanning = ""
        out.append(" ".join(p for p in ((upper or spanning), under) if p))
    return out


# ---------------------------------------------------------------------------- rows -> records

def row_values(line: Line, columns: Columns) -> dict[str, str | None]:
    """role -> the cleaned cell of that column: {'indicator': 'Incontri CdA', 'expected': '4', ...}."""
    out = {}
    for role, index in columns.roles.items():
        out[role] = clean_cell(line.cells[index]) if index < len(line.cells) else None
    return out


def aligned(line: Line, columns: Columns) -> bool:
    """True when every filled cell of the row sits under a header column (the row is not damaged)."""
    positions = set(columns.roles.values())
    return all(i in positions for i, c in enumerate(line.cells) if c)


def row_to_indicator(values: dict, objective: int, source_line: int) -> Indicator:
    return Indicator(objective, source_line, values.get("indicator"), values.get("expected"), values.get("actual"),
                     description=values.get("description"), unit=values.get("unit"),
                     baseline_raw=values.get("baseline"), reported_deviation_raw=values.get("deviation"),
                     measurement_source=values.get("source"), weight_raw=values.get("weight"),
                     attainment_raw=values.get("attainment"))


def row_to_milestone(values: dict, objective: int, source_line: int) -> Milestone:
    """A step: its planned deadline is the planned end ('Fine') or the Tempi cell; what was done is the actual
    cell, else the status ('concluso il 15/07/2023', 'in corso')."""
    activity, description = values.get("activity"), values.get("description")
    if activity and description and re.fullmatch(r"[\w.]{1,4}", activity):    # 'Fase 1': the words are the step
        activity = f"{activity}. {description}"
    else:
        activity = " – ".join(v for v in (activity, description) if v) or None
    actual = values.get("actual") or values.get("status")
    return Milestone(objective, source_line, activity, values.get("planned"), actual,
                     start_raw=values.get("start"), weight_raw=values.get("weight"))


def row_to_score(values: dict, source_line: int) -> Score | None:
    """'Area Anziani | 40% | 38/40' -> Score('Area Anziani', '38/40'); None without a readable score."""
    printed = (values.get("score") or "").replace(" ", "")
    top = values.get("max_score")
    area = values.get("area") or values.get("objective")
    if not printed or not area:
        return None
    if is_score(printed):
        return Score(source_line, area, printed)
    if re.fullmatch(r"\d{1,4}(?:,\d{1,2})?", printed):
        maximum = float(top.replace(",", ".")) if top and re.fullmatch(r"\d{1,4}(?:,\d{1,2})?", top) else None
        return Score(source_line, area, printed, float(printed.replace(",", ".")), maximum)
    return None


# ---------------------------------------------------------------------------- headings

HEADING = re.compile(r"^[#*\s]*(?:obiettivo|ob\.)(?:\s+(?:" + "|".join(words.OBJECTIVE_KINDS) + r"))?"
                     r"\s*(?:n\.?\s*|nr\.?\s*|n°\s*)?(\d{1,2}(?:\.\d{1,2}){0,2})(?!\d)\.?\s*[:.\-–)]?\s*(.*)$",
                     re.IGNORECASE | re.DOTALL)


_AREA_LABEL = re.compile(r"(?i)^[#*\s-]*(" + "|".join(re.escape(w).replace("à", "[aà]") for w in
                                                       sorted(words.AREA_LABELS, key=len, reverse=True))
                         + r")\s*:\s*(.+?)[.;]?\s*$")


def area_label(line: Line) -> str | None:
    """'Area: Anziani e non autosufficienza.' -> 'Anziani e non autosufficienza'; anything else -> None."""
    if line.is_table_row:
        return None
    found = _AREA_LABEL.match(line.raw)
    if not found:
        return None
    value = re.split(r"[.;]\s+(?=[A-ZÀ-Ü])", found.group(2))[0]    # 'Anziani. Responsabile: ...' -> 'Anziani'
    return clean_cell(value) if len(value) <= SETTINGS.max_heading else None


def objective_heading(line: Line) -> tuple[str, str | None] | None:
    """'Obiettivo 1 – Ridurre i tempi' -> ('1', 'Ridurre i tempi'); 'Obiettivo strategico n. 2:' -> ('2', None)."""
    found = HEADING.match(line.raw)
    if not found:
        return None
    title = clean_cell(re.sub(rf"(?i)^\s*obiettivo\s+{re.escape(found.group(1))}\b", "", found.group(2).replace("\t", " ")))
    if title and title[0].islower() and line.raw.rstrip().endswith("."):
        return None                                   # 'Obiettivo 3 è stato raggiunto pienamente.' is a sentence
    return found.group(1), title


def area_heading(line: Line) -> str | None:
    """'Area Anziani' -> 'Area Anziani'; 'AREA DI PRIORITA' MINORI' -> the same; a sentence -> None."""
    if line.is_table_row:
        return None
    text = clean_cell(line.raw.replace("#", " ")) or ""
    if not text or len(text) > SETTINGS.max_heading or text.endswith((".", ";", ",", ":")):
        return None
    word = starts_with_any(text, words.AREA_HEADINGS)
    if not word or len(text.split()) < 2 or len(text.split()) > SETTINGS.max_heading_words or ": " in text:
        return None
    if " " in word:                                          # 'Area strategica Anziani' -> 'Anziani'
        return clean_cell(re.sub(r"^\W*" + r"\S*\s+".join(re.escape(w[:-1]) for w in word.split()) + r"\S*\s*", "",
                                 text, flags=re.IGNORECASE)) or text
    return text


# ---------------------------------------------------------------------------- key-value indicator sheets

_KEY_VALUE = re.compile(r"^\s*[-•]?\s*([^:\t]{3,60}?)\s*:\s*(.*)$")
_TARGET_LINE = re.compile(r"(?i)^\s*[-•]?\s*(target|valore atteso)\b\s*(.+)$")


def key_value(line: Line) -> tuple[str, str] | None:
    """('indicator', 'Tempo medio') for 'Indicatore: Tempo medio' or 'Indicatore\\tTempo medio';
    ('expected', 'maggiore o uguale a 90%') for 'Target 2022: maggiore o uguale a 90%' and for
    'Target primo anno maggiore o uguale a 90%'; None for any other line."""
    if line.is_table_row:
        if len(line.values) != 2:
            return None
        label, value = line.values
    else:
        found = _KEY_VALUE.match(line.raw) if ":" in line.raw else None
        if not found:
            target = _TARGET_LINE.match(line.raw)
            return ("expected", clean_cell(target.group(2)) or "") if target else None
        label, value = found.group(1), found.group(2)
    plain = header_words(label.rstrip(": "))
    if plain[-1:] == ("al",):                        # 'Valore rilevato al 31/12/2022'
        plain = plain[:-1]
    role = _key_value_roles().get(plain)
    return (role, clean_cell(value) or "") if role else None


@lru_cache(maxsize=1)
def _key_value_roles() -> dict[tuple[str, ...], str]:
    """The words of every key-value label -> its role; where two roles share a label, the first listed."""
    roles: dict[tuple[str, ...], str] = {}
    for role, labels in words.KEY_VALUE_LABELS.items():
        for label in labels:
            roles.setdefault(header_words(label), role)
    return roles


# ---------------------------------------------------------------------------- a whole document of tables

@dataclass
class GeneralReader:
    """Reads headings, tables with recognisable headers and key-value indicator sheets.

    Objectives come from headings ('Obiettivo 1 – ...') or from an objective column (rows inherit the area
    and objective of the row above when those cells are empty); a row holding only a result continues the
    result of the row above (a page break split the sentence); a header repeated after a page break goes
    on with the same table."""
    lines: list[Line]
    objectives: list[Objective] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    problems: list[Unreadable] = field(default_factory=list)
    header: TableHeader | None = None
    area: str | None = None
    objective: int | None = None
    last_text: tuple[int, str] | None = None        # the last heading-like line: a title for loose tables
    sheet: dict | None = None                       # a key-value indicator sheet being read
    row_area: str | None = None
    sections: list[tuple[int, str]] = field(default_factory=list)    # (line, heading) for prose scores

    def section_of(self, line: Line) -> str | None:
        """The heading a line sits under: the area of a score written in a sentence."""
        before = [title for number, title in self.sections if number < line.number]
        return before[-1] if before else None

    def problem(self, line: Line, reason: str, category: str = "unparsed_table") -> None:
        self.problems.append(Unreadable(line.number, line.raw.strip(), reason, category))

    def read(self) -> "GeneralReader":
        skip = 0
        for index, line in enumerate(self.lines):
            if skip:
                skip -= 1
                continue
            if line.is_blank or is_separator(line):
                continue
            following = self.lines[index + 1] if index + 1 < len(self.lines) else None
            header = read_header(line, following)
            if header is not None:
                self.start_table(header)
                skip = header.lines_used - 1
                continue
            if line.is_table_row and self.header is not None:
                self.table_row(line)
                continue
            if self.sheet_line(line):
                continue
            heading = objective_heading(line)
            if heading and not line.is_table_row:
                self.flush_sheet()
                self.header = None
                self.open_objective(line.number, heading[1], heading[0])
                self.sections.append((line.number, line.text))
                continue
            labelled = area_label(line)
            if labelled:
                self.label_area(labelled)
                continue
            area = area_heading(line)
            if area:
                self.flush_sheet()
                self.header, self.area, self.objective = None, area, None
                self.last_text = (line.number, area)
                self.sections.append((line.number, area))
                continue
            if line.is_table_row:
                self.problem(line, "Riga di tabella fuori dalle tabelle riconosciute (obiettivi, indicatori, "
                                   "fasi, punteggi): conservata, non interpretata.")
                continue
            self.text_line(line)
        self.flush_sheet()
        return self

    # -- structure

    def open_objective(self, source_line: int, title: str | None, number: str | None = None,
                       area: str | None = None) -> int:
        ref = len(self.objectives)
        self.objectives.append(Objective(ref, source_line, title, number, area or self.area))
        self.objective = ref
        return ref

    def label_area(self, area: str) -> None:
        """'Area: Anziani' inside an objective names its area; before any objective, the section's."""
        if self.objective is not None and self.objectives[self.objective].area in (None, self.area):
            self.objectives[self.objective] = replace(self.objectives[self.objective], area=area)
        else:
            self.area = area

    def start_table(self, header: TableHeader) -> None:
        self.flush_sheet()
        if self.header is not None and self.header.kind == header.kind and \
                self.header.columns.roles == header.columns.roles:
            return                                             # the header repeated after a page break
        self.header = header
        self.row_area = None

    def text_line(self, line: Line) -> None:
        text = line.text
        if self.header is not None and len(text) > SETTINGS.prose_ends_table:
            self.header = None                                 # prose after a table ends it
        if len(text) < SETTINGS.max_heading and not text.endswith((".", ";", ",")) and not text.startswith(("-", "•")):
            self.last_text = (line.number, text.rstrip(":"))
            if not text.endswith(":"):
                self.sections.append((line.number, text))

    def objective_for_loose_table(self, line: Line) -> int:
        """A table outside any objective heading: its objective is titled with the section it sits in."""
        if self.objective is not None:
            return self.objective
        number, title = self.last_text if self.last_text else (line.number, None)
        ref = self.open_objective(number, title)
        self.problems.append(Unreadable(line.number, line.raw.strip(), "Tabella fuori da ogni obiettivo: raccolta "
                                        f"sotto il titolo della sezione ('{title or 'senza titolo'}').", "note"))
        return ref

    # -- rows

    def table_row(self, line: Line) -> None:
        values = row_values(line, self.header.columns)
        kind = self.header.kind
        if kind == "scores":
            if starts_with_any(values.get("area") or "", words.TOTAL_WORDS):
                self.problem(line, "Riga del totale nella tabella dei punteggi: non è il punteggio di un'area.",
                             "note")
                return
            score = row_to_score(values, line.number)
            if score is None:
                self.problem(line, "Riga della tabella dei punteggi senza un punteggio leggibile: conservata, "
                                   "non interpretata.", "damaged_row")
            else:
                self.scores.append(score)
            return
        if values.get("area"):
            self.row_area = values["area"]
        if values.get("objective"):
            self.open_objective(line.number, values["objective"], area=self.row_area or self.area)
        if kind == "steps":
            return self.step_row(line, values)
        return self.indicator_row(line, values)

    def step_row(self, line: Line, values: dict) -> None:
        if not any(values.get(r) for r in ("activity", "description", "planned", "start", "actual", "status")):
            if not values.get("objective"):
                self.problem(line, "Riga della tabella delle fasi senza attività né date: conservata, non "
                                   "interpretata.", "damaged_row")
            return
        objective = self.objective_for_loose_table(line)
        self.milestones.append(row_to_milestone(values, objective, line.number))

    def indicator_row(self, line: Line, values: dict) -> None:
        name, expected, actual = values.get("indicator"), values.get("expected"), values.get("actual")
        if name or expected:
            objective = self.objective_for_loose_table(line)
            indicator = row_to_indicator(values, objective, line.number)
            self.indicators.append(indicator)
            if values.get("score"):
                score = row_to_score({"area": self.objectives[objective].title or name, "score": values["score"]},
                                     line.number)
                if score:
                    self.scores.append(score)
        elif actual and self.indicators:
            previous = self.indicators[-1]
            self.indicators[-1] = _with_more_result(previous, actual)
            self.problem(line, f"Continuazione del risultato della riga {previous.source_line}: unita a quella riga.",
                         "note")
        elif values.get("objective"):
            return                                            # an objective row with no indicator yet
        elif re.search(r"\w", line.raw):
            self.problem(line, "Riga della tabella senza indicatore né risultato: conservata, non interpretata.",
                         "damaged_row")

    # -- key-value sheets

    def sheet_line(self, line: Line) -> bool:
        found = key_value(line)
        if found is None:
            return False
        role, value = found
        if role == "indicator":
            self.flush_sheet()
            self.sheet = {"indicator": value, "line": line.number}
            return True
        if self.sheet is None:
            return False
        self.sheet.setdefault(role, value)
        return True

    def flush_sheet(self) -> None:
        if self.sheet is None:
            return
        sheet, self.sheet = self.sheet, None
        objective = self.objective
        if objective is None:
            objective = self.open_objective(sheet["line"], self.last_text[1] if self.last_text else None)
        self.indicators.append(row_to_indicator(sheet, objective, sheet["line"]))


def _with_more_result(indicator: Indicator, more: str) -> Indicator:
    return replace(indicator, actual_raw=f"{indicator.actual_raw or ''} {more}".strip())

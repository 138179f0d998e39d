"""PDF input: the text layer read into the same line model the text parsers read.

Tables become TAB-separated lines, one per row; the text outside tables becomes plain lines (a paragraph
wrapped over several lines is joined; a line in a larger font is a heading, written '# title'); all in
reading order, top to bottom. The result is the text that `source_line` points into; `line_pages[n]` is the
page of line n+1, and the running headers and footers are marked as page furniture.

Tables are found two ways:
- ruled tables (lines on both axes, Word's "Table Grid") by pdfplumber's line strategy, as drawn;
- every other table (no lines at all, as in a borderless Word table, or only rules between rows, as in a
  web page printed from a browser) from the positions of the words: words far apart on one line are
  separate cells; cells that start at the same x in consecutive lines are a column; a line whose cells
  continue text that reached the right edge of its column is the same row (a wrapped cell); a rule between
  two lines always starts a new row; a table that goes on at the top of the next page with the same columns
  is the same table, and its repeated header row is page furniture.
"""
from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from cruscotto.italian import months_in, parse_yes_no
from cruscotto.vocabulary import NOT_REPORTED, SECTION_MARKERS

from ..errors import Refused
from . import ExtractedText, collector_paused, pdf_bounds, pdf_objects, row_line
from .furniture import HEADING_WORDS, PAGE_NUMBER
from .pdf_objects import BOTTOM, TOP, X0, X1

FORMAT = "pdf"
ISOLATED = True         # read in a child process with caps (isolated.py)
MAX_PAGES = 2000


@dataclass(frozen=True)
class PdfSettings:
    """What decides what a run of words is (pdfplumber's table settings are the model). Sizes are in
    multiples of the font size unless they say points."""
    cell_gap: float = 0.75          # a wider gap between two words on one line separates two cells
    column_gap: float = 2.0         # a gap this wide makes a table cell even on a lone line
    same_line: float = 0.5          # words whose vertical middles differ less sit on one line
    anchor_points: float = 3.0      # points: cells starting this close are one column
    row_space: float = 0.45         # extra vertical space, beyond a line's height, that starts a new row
    block_space: float = 1.6        # vertical space that ends a table (an empty paragraph, a section break)
    margin_share: float = 0.09      # top and bottom share of the page where running headers and footers sit
    furniture_share: float = 0.5    # a margin line on at least this share of the pages is furniture
    heading_size: float = 1.12      # a short line in a font this much larger than the body is a heading
    bold_heading_size: float = 1.05  # ... or in bold and this much larger (Word's "Heading 3": 11 pt on 10)
    max_heading_chars: int = 120
    body_sample_chars: int = 500    # paragraphs' characters enough to tell the body's font size
    rule_min_share: float = 0.5     # a horizontal rule at least this share of a table's width separates rows
    phantom_gap: float = 2.0        # a column whose text stops this far before the next one ends where its text does
    phantom_lines: int = 3          # ... when that is seen on this many lines


SETTINGS = PdfSettings()


def accepts(name: str, data: bytes) -> bool:
    if data.startswith(b"%PDF"):
        return True
    if name.lower().endswith(".pdf"):
        raise Refused("not_pdf")
    return False


# ---------------------------------------------------------------------------- words -> lines -> cells

@dataclass
class Segment:
    """Words of one line close enough to be one cell (a TextLine is a run of words too)."""
    words: list[dict]

    @property
    def x0(self) -> float:
        return self.words[0]["x0"]

    @property
    def x1(self) -> float:
        return self.words[-1]["x1"]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


@dataclass
class TextLine(Segment):
    """A line's words, its segments, its page. Its text, top, bottom, size and boldness are worked out once,
    when first asked (the line's words are all in by then: words_to_lines), for the tables and the prose
    ask them again and again."""
    segments: list[Segment] = field(default_factory=list)
    page: int = 0
    furniture: bool = False

    @cached_property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @cached_property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @cached_property
    def size(self) -> float:
        return max(w.get("size", 10.0) for w in self.words)

    @cached_property
    def bold(self) -> bool:
        return all(_BOLD.search(w.get("fontname", "")) for w in self.words)


_BOLD = re.compile(r"(?i)bold|black|heavy")


def words_to_lines(words: list[dict], settings: PdfSettings = SETTINGS) -> list[TextLine]:
    """Words grouped into lines by their vertical middle, each line cut into segments at wide gaps."""
    lines: list[TextLine] = []
    same_line = settings.same_line
    top = bottom = 0.0                           # of the last line so far: the TextLine's top and bottom
    for word in sorted(words, key=lambda w: (round((w["top"] + w["bottom"]) / 2, 1), w["x0"])):
        word_top, word_bottom = word["top"], word["bottom"]
        middle = (word_top + word_bottom) / 2
        if lines and abs((top + bottom) / 2 - middle) < same_line * word.get("size", 10.0):
            lines[-1].words.append(word)
            if word_top < top:                   # min() and max(), as the builtins pick them
                top = word_top
            if word_bottom > bottom:
                bottom = word_bottom
        else:
            lines.append(TextLine([word]))
            top, bottom = word_top, word_bottom
    for line in lines:
        line.words.sort(key=_WORD_X0)
        line.segments = _segments(line.words, settings)
    return lines


_WORD_X0 = itemgetter("x0")


def _segments(words: list[dict], settings: PdfSettings) -> list[Segment]:
    segment = Segment([words[0]])
    out = [segment]
    cell_gap = settings.cell_gap
    previous = words[0]
    for word in words[1:]:
        gap = word["x0"] - previous["x1"]        # where the segment so far ends: its last word's x1
        if gap > cell_gap * word.get("size", 10.0):
            segment = Segment([word])
            out.append(segment)
        else:
            segment.words.append(word)
        previous = word
    return out


# ---------------------------------------------------------------------------- tables from word positions

@dataclass
class Table:
    lines: list[TextLine]
    columns: list[float] = field(default_factory=list)      # x where each column starts
    limits: list[float] = field(default_factory=list)       # the furthest x its text reaches
    rows: list[list[TextLine]] = field(default_factory=list)
    repeated: list[TextLine] = field(default_factory=list)  # header rows repeated after a page break


def _column_of(x: float, columns: list[float], tolerance: float) -> int:
    """The column a cell starting at x sits in: the last column starting at or before x (+ tolerance)."""
    found = 0
    for index, start in enumerate(columns):
        if x + tolerance >= start:
            found = index
    return found


def find_columns(lines: list[TextLine], settings: PdfSettings = SETTINGS) -> list[float]:
    """Column starts: the x where cells start, clustered; a cluster that never shares a row with the one
    before it and starts inside that column's text is the same column (a centred or right-aligned cell)."""
    starts = sorted(s.x0 for line in lines for s in line.segments)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= settings.anchor_points:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    columns = [min(c) for c in clusters]
    merged = [columns[0]] if columns else []
    for start in columns[1:]:
        previous = merged[-1]
        together = any(
            any(abs(s.x0 - previous) <= settings.anchor_points for s in line.segments[:-1]) and
            any(abs(s.x0 - start) <= settings.anchor_points for s in line.segments) for line in lines)
        inside = any(s.x0 <= previous + settings.anchor_points and s.x1 > start
                     for line in lines for s in line.segments if abs(s.x0 - previous) <= settings.anchor_points)
        if not together and inside:
            continue
        merged.append(start)
    return merged


def split_tables(block: list[TextLine], settings: PdfSettings = SETTINGS) -> list[list[TextLine]]:
    """Tables printed one under the other with no space between them are told apart by their columns: a
    line whose cells would start inside the text of a column seen so far begins another table."""
    parts: list[list[TextLine]] = []
    extents: list[tuple[float, float]] = []        # (start, furthest end) of the columns of the current part
    for line in block:
        starts = [s.x0 for s in line.segments]
        clash = len(line.segments) > 1 and parts and any(
            not any(abs(x - start) <= settings.anchor_points for start, _ in extents) and
            any(start + settings.anchor_points < x < end for start, end in extents) for x in starts)
        if not parts or clash:
            parts.append([])
            extents = []
        parts[-1].append(line)
        for segment in line.segments:
            for index, (start, end) in enumerate(extents):
                if abs(segment.x0 - start) <= settings.anchor_points:
                    extents[index] = (start, max(end, segment.x1))
                    break
            else:
                extents.append((segment.x0, segment.x1))
    return parts


def _is_table(lines: list[TextLine], settings: PdfSettings) -> bool:
    """True when the lines are a table: a column other than the first is used by two lines, or some line
    has a gap wide enough to be a column on its own."""
    multi = [ln for ln in lines if len(ln.segments) > 1]
    if not multi:
        return False
    for line in multi:
        for left, right in zip(line.segments, line.segments[1:]):
            if right.x0 - left.x1 >= settings.column_gap * line.size:
                return True
    columns = find_columns(lines, settings)
    used = Counter(_column_of(s.x0, columns, settings.anchor_points) for ln in lines for s in ln.segments)
    return any(count >= 2 for column, count in used.items() if column > 0)


def column_limits(table: Table, padding: float, settings: PdfSettings = SETTINGS) -> list[float]:
    """How far the text of each column can reach: up to the next column's start less the space cells keep
    between them (padding), or as far as its longest line if that is further (the last column)."""
    limits = [0.0] * len(table.columns)
    ends = table.columns[1:] + [float("inf")]
    for line in table.lines:
        for s in line.segments:
            index = _column_of(s.x0, table.columns, settings.anchor_points)
            # A line starting away from the column, or running past the next one, belongs to other geometry.
            if s.x1 < ends[index] and abs(s.x0 - table.columns[index]) <= settings.anchor_points:
                limits[index] = max(limits[index], s.x1)
    counts = Counter(_column_of(s.x0, table.columns, settings.anchor_points) for ln in table.lines for s in ln.segments)
    for index, start in enumerate(table.columns[1:]):
        # Text that never comes near the next column, over many lines, sits in a column narrower than the gap
        # suggests (an empty column lies between): its own longest line is the better guess of its edge.
        phantom = counts[index] >= settings.phantom_lines and \
            start - padding - limits[index] > settings.phantom_gap * table.lines[0].size
        if not phantom:
            limits[index] = max(limits[index], start - padding)
    return limits


def split_into_rows(table: Table, rules: list[tuple[float, float, float]], padding: float,
                    settings: PdfSettings = SETTINGS) -> None:
    """Group the table's lines into rows: a line continues the row above when each of its cells continues a
    cell that wrapped (its last line reached the column's right edge) and no rule lies between them. At the
    top of a continuation page, a row that repeats a row already printed (the header an office suite repeats
    after a page break) is set apart in table.repeated, and the rows go on across it."""
    table.limits = column_limits(table, padding, settings)
    width = max(table.limits) - min(table.columns) if table.columns else 0.0
    rules = [r for r in rules if r[2] >= settings.rule_min_share * width]
    rows: list[list[TextLine]] = []
    last_in_column: dict[int, Segment] = {}
    previous: TextLine | None = None
    lines = list(table.lines)
    index = 0
    while index < len(lines):
        line = lines[index]
        if previous is not None and line.page != previous.page:
            repeated = _repeated_row(table, rows, lines[index:], rules, settings)
            if repeated:
                table.repeated += repeated
                index += len(repeated)
                continue
        cells = {_column_of(s.x0, table.columns, settings.anchor_points): s for s in line.segments}
        if previous is None or not _same_row(previous, line, cells, last_in_column, table.limits, rules, settings):
            rows.append([line])
            last_in_column = {}
        else:
            rows[-1].append(line)
        _grow(last_in_column, cells)
        previous = line
        index += 1
    table.rows = rows
    centred = centred_rows(table, rules, settings)
    if centred is not None:
        table.rows = centred


@dataclass
class CellBlock:
    """The lines of one cell, as far as its column alone tells: text that wrapped onto the next line."""
    column: int
    page: int
    top: float
    bottom: float
    lines: list[TextLine]
    text: Segment

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def cell_blocks(lines: list[TextLine], table: Table, rules, settings: PdfSettings) -> list[CellBlock]:
    """Each column's cells, from its own lines only: a segment goes on the cell above it in the same column
    when it is the next line (no wider gap, no rule between) and the cell's text had to wrap."""
    blocks: list[CellBlock] = []
    open_in: dict[int, CellBlock] = {}
    for line in lines:
        for segment in line.segments:
            column = _column_of(segment.x0, table.columns, settings.anchor_points)
            top = min(w["top"] for w in segment.words)
            bottom = max(w["bottom"] for w in segment.words)
            block = open_in.get(column)
            if block and block.page == line.page and top - block.bottom <= settings.row_space * line.size + 1.0 \
                    and not _rule_between(block.lines[-1], line, rules) and not _section_marker(segment.text) \
                    and _wrapped(block.text, segment, table.limits[column], line.size):
                block.bottom, block.text = bottom, Segment(block.text.words + segment.words)
                if block.lines[-1] is not line:
                    block.lines.append(line)
                continue
            open_in[column] = CellBlock(column, line.page, top, bottom, [line], segment)
            blocks.append(open_in[column])
    return blocks


def _overlapping(blocks: list[CellBlock]) -> list[list[CellBlock]]:
    """Blocks grouped into rows: those whose vertical extents overlap (on one page) are one row."""
    groups: list[list[CellBlock]] = []
    for block in sorted(blocks, key=lambda b: (b.page, b.top)):
        group = groups[-1] if groups else None
        if group and group[0].page == block.page and block.top < max(b.bottom for b in group) - 0.5:
            group.append(block)
        else:
            groups.append([block])
    return groups


def centred_rows(table: Table, rules, settings: PdfSettings) -> list[list[TextLine]] | None:
    """The rows of a table whose cells are centred vertically (Word's 'Allinea al centro'), or None when
    its cells sit at the top. In such a table a one-line value sits in the middle of a wrapped first cell,
    so grouping lines top-down cuts rows in the wrong places; here each column's cells are found alone and
    cells that overlap vertically are one row. A table is centred when, among rows whose cells have
    different heights, more share their middle than their top."""
    lines = [line for line in table.lines if line not in table.repeated]
    groups = [part for group in _overlapping(cell_blocks(lines, table, rules, settings))
              for part in _rows_within(group)]
    centred = top = 0
    for group in groups:
        if len(group) < 2 or len({round(b.bottom - b.top) for b in group}) < 2:
            continue
        size = min(ln.size for b in group for ln in b.lines)
        if max(b.top for b in group) - min(b.top for b in group) <= 0.5 * size:
            top += 1
        elif max(b.middle for b in group) - min(b.middle for b in group) <= 0.25 * size:
            centred += 1
    if centred <= top:
        return None
    rows: list[list[TextLine]] = []
    for group in groups:
        row = sorted({id(ln): ln for b in group for ln in b.lines}.values(), key=lambda ln: ln.top)
        if rows and row[0].page != rows[-1][-1].page and _goes_on_over_the_page(rows[-1], row, table, settings):
            rows[-1] += row
        else:
            rows.append(row)
    return rows


def _goes_on_over_the_page(above: list[TextLine], below: list[TextLine], table: Table, settings: PdfSettings) -> bool:
    """The first row of a page is the rest of the last row of the page before, cut by the page break: each of
    its cells goes on with a cell of that row ('Persone con disabilità' / 'inserite in tirocini...')."""
    upper = row_cells(above, table.columns, settings.anchor_points)
    lower = row_cells(below, table.columns, settings.anchor_points)
    return all(continues_cell(a, b) for a, b in zip(upper, lower) if b)


def _rows_within(group: list[CellBlock]) -> list[list[CellBlock]]:
    """A group of overlapping cells that holds several rows: a column with two cells in it says where a row
    ends, somewhere in the gap between them (the gaps of several columns meet around one row's end). A cell
    of another column that reaches across that gap, because its column alone could not tell two cells apart
    ('...con verifica trimestrale' over 'Sottoscrizione del'), is cut there, at a line that starts a cell (a
    capital or a digit) nearest to where the row ends if the upper row's cells are centred in it; a cell
    with no such line (a merged cell) stays whole, in the first row it reaches."""
    by_column: dict[int, list[CellBlock]] = {}
    for block in sorted(group, key=lambda b: b.top):
        by_column.setdefault(block.column, []).append(block)
    gaps = sorted((upper.bottom, lower.top, upper.middle) for blocks in by_column.values()
                  for upper, lower in zip(blocks, blocks[1:]))
    merged: list[list[float]] = []                 # [low, high, middles of the cells above...]
    for low, high, middle in gaps:
        if merged and low < merged[-1][1]:
            merged[-1][:2] = [max(merged[-1][0], low), min(merged[-1][1], high)]
            merged[-1].append(middle)
        else:
            merged.append([low, high, middle])
    if not merged:
        return [group]
    ends: list[tuple[float, float, float]] = []    # (low, high, where the row ends if centred)
    top = min(b.top for b in group)
    for low, high, *middles in merged:
        centred_end = 2 * sum(middles) / len(middles) - top
        ends.append((low, high, centred_end if low - 1 <= centred_end <= high + 1 else (low + high) / 2))
        top = high
    cells: list[CellBlock] = []
    for block in group:
        cells += _cut(block, ends)
    rows: list[list[CellBlock]] = [[] for _ in range(len(ends) + 1)]
    for cell in cells:
        rows[sum(1 for _, _, end in ends if end <= cell.top + 0.5)].append(cell)
    return [row for row in rows if row]


def _cut(block: CellBlock, ends: list[tuple[float, float, float]]) -> list[CellBlock]:
    """The block cut where a row ends inside it: before a line that starts a cell, in the gap where the
    row ends (low..high), nearest to where it ends."""
    words = block.text.words
    for low, high, end in ends:
        if not block.top < end < block.bottom:
            continue
        starts = [i for i in range(1, len(words)) if words[i]["top"] > words[i - 1]["bottom"] - 1 and
                  low - 1 <= words[i]["top"] <= high + 1 and words[i]["text"][:1].isupper() | words[i]["text"][:1].isdigit()]
        if not starts:
            continue
        cut = min(starts, key=lambda i: abs((words[i - 1]["bottom"] + words[i]["top"]) / 2 - end))
        upper, lower = words[:cut], words[cut:]
        top_of = min(w["top"] for w in lower)
        return [CellBlock(block.column, block.page, block.top, max(w["bottom"] for w in upper),
                          [ln for ln in block.lines if ln.top < top_of - 0.5], Segment(upper)),
                *_cut(CellBlock(block.column, block.page, top_of, block.bottom,
                                [ln for ln in block.lines if ln.top >= top_of - 0.5], Segment(lower)), ends)]
    return [block]


def _grow(cells_so_far: dict[int, Segment], cells: dict[int, Segment]) -> None:
    """Each column's cell so far, as one run of words: its text is the whole cell ('entro gennaio' is not a
    complete date when 'tutti gli operatori formati' came before), its last word ends its last line."""
    for column, segment in cells.items():
        before = cells_so_far.get(column)
        cells_so_far[column] = Segment(before.words + segment.words) if before else segment


def _same_row(previous: TextLine, line: TextLine, cells: dict[int, Segment], last_in_column: dict[int, Segment],
              limits: list[float], rules, settings: PdfSettings) -> bool:
    if _rule_between(previous, line, rules):
        return False
    if previous.page == line.page and line.top - previous.bottom > settings.row_space * line.size + 1.0:
        return False
    if len(cells) == 1:
        (column, segment), = cells.items()
        last = last_in_column.get(column)
        if _section_marker(segment.text):                       # 'Indicatori di risultato' under the steps
            return False
        if _shouting(segment.text) and last is not None and any(c.islower() for c in last.text):
            return False                # a lone 'LAVORO DI COMUNITA' E PROGETTI' under a sentence: a group row
    return all(_wrapped(last_in_column.get(c), s, limits[c], line.size) for c, s in cells.items())


def _repeated_row(table: Table, rows: list[list[TextLine]], following: list[TextLine], rules,
                  settings: PdfSettings) -> list[TextLine]:
    """The lines of the first row on a new page when that row repeats, cell for cell, a row printed before."""
    page = following[0].page
    first: list[TextLine] = []
    last_in_column: dict[int, Segment] = {}
    for line in following:
        if line.page != page:
            break
        cells = {_column_of(s.x0, table.columns, settings.anchor_points): s for s in line.segments}
        if first and not _same_row(first[-1], line, cells, last_in_column, table.limits, rules, settings):
            break
        first.append(line)
        _grow(last_in_column, cells)
    if len(first) == len(following):
        return []
    text = _row_key(row_cells(first, table.columns, settings.anchor_points))
    printed = {_row_key(row_cells(row, table.columns, settings.anchor_points)) for row in rows}
    return first if text in printed else []


def _row_key(cells: list[str]) -> str:
    return "|".join(" ".join(c.split()) for c in cells)


_VALUE = re.compile(r"^(?:€\s*)?[-+<>=≤≥]*\s*\d[\d.,]*\s*(?:%|€)?$|^\d{1,4}\s*/\s*\d{1,4}$")
MAX_VALUE_CHARS = 25


def is_value(text: str) -> bool:
    """A cell that is complete on one line: an amount, a percentage, a date or month ('Sett.', 'novembre
    2022', '31/12/2022'), a yes/no/done word ('attuato'), a not-reported mark ('/'). 'concluso il' is not:
    it ends with a word that needs another."""
    text = text.strip()
    if _VALUE.match(text) or text in ("€", "%", "-", "–"):
        return True
    tokens = text.lower().split()
    if len(text) > MAX_VALUE_CHARS or len(tokens) > 3 or tokens[-1] in _OPEN_WORDS:
        return False
    return text.lower() in NOT_REPORTED or bool(months_in(text, 2000)) or \
        (len(tokens) == 1 and parse_yes_no(text) is not None)


# Words a cell does not end with when it is complete: 'concluso il', 'entro il', 'in corso dal'.
_OPEN_WORDS = {"il", "lo", "la", "i", "gli", "le", "l'", "di", "del", "della", "a", "al", "alla", "da", "dal",
               "in", "nel", "con", "per", "su", "e", "entro", "fino", "dalla"}


_DOTTED_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")


def _year_of(month: str, year: str) -> bool:
    """'settembre' over '2023' in a narrow date column: one date wrapped, not two values."""
    return bool(re.fullmatch(r"(?:19|20)\d\d", year.strip())) and bool(months_in(month, 2000)) and \
        not re.search(r"\b(?:19|20)\d\d\b", month)


def _section_marker(text: str) -> bool:
    """A line that opens a part of an objective sheet ('Indicatori di risultato'): never the end of a cell."""
    return text[:1].isupper() and text.lower().strip().rstrip(":") in SECTION_MARKERS


def _shouting(text: str) -> bool:
    """A line in capitals ('LAVORO DI COMUNITA' E PROGETTI'): a heading or a group row, not a wrapped sentence.
    A dotted acronym ('P.I.P.P.I. 9') is not shouting: it is a word of the sentence."""
    letters = [c for c in _DOTTED_ACRONYM.sub("", text) if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


def _wrapped(last: Segment | None, following: Segment, limit: float, size: float) -> bool:
    """True when `following` can be the next line of the cell whose previous line is `last`: the first word
    of `following` would not have fitted after `last` (so the text had to wrap). Two complete values (an
    amount under an amount, a date under a date) are two rows, however wide: a number never wraps."""
    if last is None:
        return False
    if is_value(last.text) and is_value(following.text) and not _year_of(last.text, following.text):
        return False
    first = following.words[0]
    space = 0.28 * size
    return last.x1 + space + (first["x1"] - first["x0"]) > limit - 0.3 * size


def _rule_between(upper: TextLine, lower: TextLine, rules) -> bool:
    """A horizontal rule drawn between two lines of the same page (across a page break the text decides)."""
    return upper.page == lower.page and \
        any(page == lower.page and upper.bottom - 1 <= y <= lower.top + 1 for page, y, _ in rules)


def row_cells(row: list[TextLine], columns: list[float], tolerance: float) -> list[str]:
    """The text of each cell of a row: its lines joined (join_lines)."""
    cells = [""] * len(columns)
    for line in row:
        for segment in line.segments:
            index = _column_of(segment.x0, columns, tolerance)
            cells[index] = join_lines(cells[index], segment.text)
    return cells


# ---------------------------------------------------------------------------- a page

@dataclass
class Item:
    """One line of the output: where it starts on its page, its text, and whether it is page furniture."""
    page: int
    top: float
    text: str
    furniture: bool = False
    table: Table | None = None
    row: int = -1
    cells: list[str] | None = None          # a ruled table's row: its cells
    box: tuple | None = None                # ... and its table's bounding box


def _inside(char: tuple, box: tuple) -> bool:
    x0, top, x1, bottom = box
    middle_x = (char[X0] + char[X1]) / 2
    middle_y = (char[TOP] + char[BOTTOM]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _outside(page, boxes: list[tuple]) -> list[tuple]:
    """The page's characters (rows) whose middle lies in none of the boxes (_inside, for many characters at
    once): for each box, only the characters whose middle is at its height are looked at (sorted once)."""
    chars = page.rows
    _, order, keys = page.middles()
    if any(m != m for m in keys):                          # NaN does not sort: look at every one
        return [c for c in chars if not any(_inside(c, box) for box in boxes)]
    inside = bytearray(len(chars))
    for x0, top, x1, bottom in boxes:
        for index in order[bisect_left(keys, top):bisect_right(keys, bottom)]:
            char = chars[index]
            if x0 <= (char[X0] + char[X1]) / 2 <= x1:
                inside[index] = 1
    return [char for char, seen in zip(chars, inside) if not seen]


def join_lines(first: str, second: str) -> str:
    """Two lines of one paragraph or cell: 'smart-' + 'working' -> 'smart-working' (office suites do not
    hyphenate by themselves, so a hyphen at the end of a line belongs to the word); else a space."""
    if not first or not second:
        return first or second
    if first.endswith("-") and second[:1].isalpha() and len(first) > 1 and first[-2].isalpha():
        return first + second
    rest = _YEAR_REST.match(second)
    # The date ends the first line: only its last characters are searched (a paragraph grows line by line)
    cut = rest and _CUT_YEAR.search(first, max(0, len(first) - _CUT_YEAR_REACH))
    if cut and rest and len(cut.group(1) + rest.group(0)) == 4:
        return first + second                       # '31/03/202' + '3': a date too wide for its column
    return f"{first} {second}"


# A date whose year a narrow column cut ('31/03/202' over '3', '1/2/2' over '024'). A two-digit year is a
# whole date ('31/12/22'), so it never takes the next line's digits.
_CUT_YEAR = re.compile(r"(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](\d|\d{3})$")
_YEAR_REST = re.compile(r"^\d{1,3}(?=$|[\s,.;)])")
_CUT_YEAR_REACH = 12          # _CUT_YEAR is at most 9 characters, before a last newline ('$'); the look-behind sees further


def _cell(text) -> str:
    out = ""
    for line in str(text or "").splitlines():
        line = " ".join(line.split())
        if line:
            out = join_lines(out, line)
    return out


def _ruled_cell(words: list[dict] | None, box: tuple, text, words_in) -> str:
    """A ruled cell's text, its lines joined with a space; but a word too long for a narrow column, which the
    office suite broke at the cell's edge ('31/03/202' / '3', 'raggiung' / 'imento'), is joined back whole: the
    line holds that one word, and it reaches the cell's right edge (less the padding seen on its left).
    words: the words of the cell's characters (table_cells), or None to take the page's words in the box."""
    lines = [" ".join(line.split()) for line in str(text or "").splitlines()]
    if len([line for line in lines if line]) < 2:
        return _cell(text)
    if words is None:
        words = words_in(box)
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) < 0.5 * (word["bottom"] - word["top"]):
            rows[-1].append(word)
        else:
            rows.append([word])
    filled = [line for line in lines if line]
    if len(rows) != len(filled):
        return _cell(text)
    out = ""
    for index, (line, row) in enumerate(zip(filled, rows)):
        if index and _broken_word(rows[index - 1], box) and not _year_of(filled[index - 1], line):
            out += line
        else:
            out = join_lines(out, line)
    return out


def _broken_word(row: list[dict], box: tuple) -> bool:
    """A line that is one word reaching the cell's right edge: the word did not fit and was cut there."""
    if len(row) != 1:
        return False
    word = row[0]
    char = (word["x1"] - word["x0"]) / max(len(word["text"]), 1)
    return word["x1"] + 0.6 * char >= box[2] - (word["x0"] - box[0])


def ruled_rows(table, cells=None) -> list[tuple[float, list[str]]]:
    """(top, cells) of each row of a ruled table. pdfplumber reads two ruled tables printed one under the other
    as one grid with the columns of both; rows are grouped back into tables by where their cells start, and
    each row is laid on its own table's columns (a cell merged across columns is followed by empty cells).
    cells: the table's pdf_objects.table_cells (the tables of one page share the work)."""
    rows = []
    words_in = _page_words(table.page)            # only when a cell's words are not known (a NaN on the page)
    cells_of = cells if cells is not None else pdf_objects.table_cells([table])[0]
    for row, row_cells_found in zip(table.rows, cells_of):
        cells = [(round(box[0], 1), _ruled_cell(found[1], box, found[0], words_in))
                 for box, found in zip(row.cells, row_cells_found) if box is not None]
        rows.append((row.bbox[1], cells))
    groups: list[tuple[set[float], list]] = []
    for top, cells in rows:
        starts = {x for x, _ in cells}
        if groups and (starts <= groups[-1][0] or groups[-1][0] <= starts):
            groups[-1][0].update(starts)
            groups[-1][1].append((top, cells))
        else:
            groups.append((set(starts), [(top, cells)]))
    out = []
    for starts, members in groups:
        grid = sorted(starts)
        for top, cells in members:
            by_start = dict(cells)
            out.append((top, [by_start.get(x, "") for x in grid]))
    return out


def _page_words(page):
    """A function giving the page's words whose middle lies in a box (x0, top, x1, bottom), in the page's
    order. The words are read the first time it is called (only a cell that has several lines needs them)
    and sorted by their vertical middle, so that a box looks only at the words at its height."""
    found: list = []

    def words_in(box: tuple) -> list[dict]:
        if not found:
            words = pdf_objects.words(page.rows)
            middles = sorted(((w["top"] + w["bottom"]) / 2, index) for index, w in enumerate(words))
            keys = [m for m, _ in middles]
            found.extend([words, middles, keys, any(m != m for m in keys)])
        words, middles, keys, unsorted = found
        x0, top, x1, bottom = box
        if unsorted or top != top or bottom != bottom:     # a NaN does not sort: look at every word
            return [w for w in words if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and
                    top <= (w["top"] + w["bottom"]) / 2 <= bottom]
        inside = sorted(index for _, index in middles[bisect_left(keys, top):bisect_right(keys, bottom)]
                        if x0 <= (words[index]["x0"] + words[index]["x1"]) / 2 <= x1)
        return [words[index] for index in inside]
    return words_in


def horizontal_rules(page, number: int) -> list[tuple[int, float, float]]:
    """(page, y, width) of the horizontal lines and thin rectangles drawn on a page."""
    rules = []
    for obj in list(page.lines) + list(page.rects):
        height = abs(obj["bottom"] - obj["top"])
        width = abs(obj["x1"] - obj["x0"])
        if height <= 2.0 and width > 20:
            rules.append((number, (obj["top"] + obj["bottom"]) / 2, width))
    return rules


def _blocks(lines: list[TextLine], settings: PdfSettings) -> list[list[TextLine]]:
    """Runs of consecutive lines that may form a table: lines with several cells, and the lines between
    them that belong to a cell (they start right of the page's left edge, continue a wrapped first cell, or
    are a row whose other cells are empty)."""
    blocks: list[list[TextLine]] = []
    current: list[TextLine] = []
    left = min((ln.x0 for ln in lines), default=0.0)
    index = 0
    while index < len(lines):
        line = lines[index]
        if current and line.top - current[-1].bottom > settings.block_space * line.size:
            blocks.append(current)
            current = []
        lone = _lone_first_cell(current, lines[index:], settings) if current else 0
        if lone:
            current += lines[index:index + lone]
            index += lone
            continue
        if len(line.segments) > 1 or (current and line.x0 > left + settings.anchor_points) or \
                (current and _first_cell_goes_on(current, line, settings)):
            if not current and len(line.segments) > 1:
                current = _first_cell_above(blocks, line, settings)
            current.append(line)
            index += 1
            continue
        if current:
            blocks.append(current)
            current = []
        blocks.append([line])
        index += 1
    if current:
        blocks.append(current)
    return blocks


def _first_cell_above(blocks: list[list[TextLine]], line: TextLine, settings: PdfSettings) -> list[TextLine]:
    """A first cell wrapped over several lines right above a table's first row, its other cells empty
    ('Obiettivo 2 Analisi delle unità...' over 'Area strategica | Governance'): lines at the table's left edge,
    each wrapped at the first column's width (a paragraph wraps at the page's margin), taken off the blocks.
    A single line above a table (a caption) stays where it is."""
    limit = line.segments[1].x0 - settings.cell_gap * line.size     # text stops at least a cell gap before
    run: list[TextLine] = []
    below = line
    for block in reversed(blocks):
        upper = block[0]
        if len(block) > 1 or len(upper.segments) > 1 or abs(upper.x0 - line.x0) > settings.anchor_points or \
                upper.x1 > limit or not _close(upper, below, settings) or _section_marker(upper.text):
            break
        run.insert(0, upper)
        below = upper
    edge = max((ln.x1 for ln in run), default=limit)                # the column's width, as its text shows it
    while len(run) > 1 and not all(_wrapped(a, b, edge, a.size) for a, b in zip(run, run[1:])):
        run.pop(0)
    if len(run) < 2:
        return []
    del blocks[-len(run):]
    return run


def _close(upper: TextLine, lower: TextLine, settings: PdfSettings) -> bool:
    """Two lines of one table: same page, same font size, no more than row spacing between them."""
    return upper.page == lower.page and abs(upper.size - lower.size) < 0.3 and \
        lower.top - upper.bottom <= settings.row_space * lower.size + 1.0


def _first_cell_goes_on(current: list[TextLine], line: TextLine, settings: PdfSettings) -> bool:
    """A line at the table's left edge that continues the first cell of the row above: it stays left of the
    second column, and its first word would not have fitted on the line above."""
    if abs(line.x0 - _left_edge(current)) > settings.anchor_points:
        return False
    # The line above in the first column; with cells centred vertically, lines of other columns may lie
    # between (a value's last line half a line lower).
    last = next((ln for ln in reversed(current[-3:]) if abs(ln.x0 - line.x0) <= settings.anchor_points), None)
    if last is None or not _close(last, line, settings) or not _close(current[-1], line, settings):
        return False
    second = _second_column(current, line, settings)
    if _section_marker(line.text) or second is None:
        return False
    part = split_tables(current, settings)[-1]
    table = Table(part, find_columns(part, settings))
    limit = column_limits(table, cell_padding(part, settings), settings)[0]
    return line.x1 <= second and _wrapped(last.segments[0], line.segments[0], limit, line.size)


def _second_column(lines: list[TextLine], line: TextLine, settings: PdfSettings) -> float | None:
    """Where the nearest column to the right of the line's own starts, in the table the lines above end with
    (tables printed one under the other are told apart first)."""
    table = split_tables(lines, settings)[-1]
    starts = [s.x0 for other in table for s in other.segments if s.x0 > line.x0 + settings.anchor_points]
    return min(starts) if starts else None


def _lone_first_cell(current: list[TextLine], rest: list[TextLine], settings: PdfSettings) -> int:
    """How many lines, from the first of `rest`, are rows whose only cell is the first ('n. Incontri'), maybe
    wrapped over several lines, between rows of the table at row spacing and within its first column: not a
    paragraph after the table. 0 when they are not."""
    run: list[TextLine] = []
    for line in rest:
        if len(line.segments) > 1 or not _close(run[-1] if run else current[-1], line, settings) or \
                abs(line.x0 - _left_edge(current)) > settings.anchor_points:
            break
        run.append(line)
    following = rest[len(run)] if len(run) < len(rest) else None
    first = run[0] if run else None
    if first is None or following is None or \
            (first.text[:1].isupper() and HEADING_WORDS.match(first.text)) or _section_marker(first.text):
        return 0                                     # 'Obiettivo 14 – ...' right above the next table
    # The row goes on below: a row with several cells at the table's left edge, or (cells centred
    # vertically) a line of the same row that starts at one of the table's other columns.
    row_goes_on = (len(following.segments) > 1 and abs(following.x0 - first.x0) <= settings.anchor_points) or \
        (following.x0 > first.x0 + settings.anchor_points and
         any(abs(s.x0 - following.x0) <= settings.anchor_points for ln in current for s in ln.segments))
    second = _second_column(current + [following], first, settings)
    if not row_goes_on or second is None or max(ln.x1 for ln in run) > second or \
            not _close(run[-1], following, settings):
        return 0
    return len(run)                      # one row or several: split_into_rows tells them apart


def _left_edge(lines: list[TextLine]) -> float:
    """Where the table's first column starts (a header may leave the first cell empty: '| Attività | Tempi')."""
    return min(ln.x0 for ln in lines)


def page_items(page, number: int, settings: PdfSettings = SETTINGS) -> tuple[list[Item], list[TextLine]]:
    """Ruled table rows, and the text lines outside ruled tables (not yet sorted into tables and prose)."""
    items: list[Item] = []
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    for table, cells_found in zip(tables, pdf_objects.table_cells(tables)):
        for top, cells in ruled_rows(table, cells_found):
            items.append(Item(number, top, row_line(cells), cells=cells, box=table.bbox))
    chars = _outside(page, boxes) if boxes else page.rows
    words = pdf_objects.words(chars, ("size", "fontname"))     # pdfplumber's extract_words, faster
    lines = words_to_lines(words, settings)
    for line in lines:
        line.page = number
    return items, lines


# ---------------------------------------------------------------------------- running headers and footers

def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def mark_furniture(pages: list[tuple[object, list[TextLine]]], settings: PdfSettings = SETTINGS) -> None:
    """Lines in the top or bottom margin that repeat on many pages (digits ignored), and page numbers."""
    zone_lines = []
    for page, lines in pages:
        height = page.height
        for line in lines:
            if line.bottom < settings.margin_share * height or line.top > (1 - settings.margin_share) * height:
                zone_lines.append(line)
    counts = Counter(_furniture_key(ln.text) for ln in zone_lines)
    pages_count = len(pages)
    for line in zone_lines:
        if HEADING_WORDS.match(line.text):                   # 'OBIETTIVO N. 2' at the top of every page
            continue
        repeated = pages_count > 1 and counts[_furniture_key(line.text)] >= max(2, settings.furniture_share * pages_count)
        if repeated or PAGE_NUMBER.match(line.text):
            line.furniture = True


# ---------------------------------------------------------------------------- prose

def body_size(lines: list[TextLine]) -> float:
    """The font size most characters are written in."""
    by_size: dict[float, int] = {}               # characters by exact size first: a page has few sizes
    for line in lines:
        for word in line.words:
            size = word.get("size", 10.0)
            by_size[size] = by_size.get(size, 0) + len(word["text"])
    sizes = Counter()
    if any(size != size for size in by_size):      # NaN: each word's its own key, as rounding makes it
        for line in lines:
            for word in line.words:
                sizes[round(word.get("size", 10.0), 1)] += len(word["text"])
    else:
        for size, count in by_size.items():      # the rounded sizes first met in the same order
            sizes[round(size, 1)] += count
    return sizes.most_common(1)[0][0] if sizes else 10.0


def line_spacing(lines: list[TextLine]) -> float:
    """The usual space between two lines of one paragraph (points): the most common small gap."""
    gaps = Counter(round(lower.top - upper.bottom, 1) for upper, lower in zip(lines, lines[1:])
                   if upper.page == lower.page and 0 <= lower.top - upper.bottom < 0.6 * lower.size)
    return gaps.most_common(1)[0][0] if gaps else 0.0


def _goes_on(previous: TextLine, line: TextLine, margin: float, spacing: float) -> bool:
    """True when `line` continues the paragraph of `previous`: the previous line was full (the first word of
    this one would not have fitted after it) and no paragraph space lies between them (a page break may)."""
    text = line.text
    if text.startswith(("-", "•", "·", "*")) or not previous.words or _shouting(text) or \
            (text[:1].isupper() and HEADING_WORDS.match(text)):
        return False                                      # a list item, 'Obiettivo 9 – ...', a heading in capitals
    first = line.words[0]
    full = previous.x1 + 0.28 * line.size + (first["x1"] - first["x0"]) > margin - 0.5
    if previous.page != line.page:
        return full
    return full and line.top - previous.bottom <= spacing + 0.2 * line.size


def prose_items(lines: list[TextLine], body: float, margins: dict[int, float],
                settings: PdfSettings = SETTINGS) -> list[Item]:
    """Plain lines: a paragraph wrapped over several lines (even across a page break) joined into one; a
    short line in a larger font written as a heading ('# ...'). margins: the right edge of each page's text."""
    if not lines:
        return []
    spacing = line_spacing(lines)
    out: list[Item] = []
    previous: TextLine | None = None
    for line in lines:
        text = line.text.strip()
        larger = line.size >= body * (settings.bold_heading_size if line.bold else settings.heading_size)
        heading = larger and len(text) <= settings.max_heading_chars
        continued = previous is not None and out and _goes_on(previous, line, margins[previous.page], spacing)
        if continued and not heading and not out[-1].text.startswith("#"):
            out[-1].text = join_lines(out[-1].text, text)
        elif continued and heading and out[-1].text.startswith("#") and abs(previous.size - line.size) < 0.3:
            out[-1].text = join_lines(out[-1].text, text)            # a title wrapped onto a second line
        else:
            out.append(Item(line.page, line.top, ("# " + text) if heading else text))
        previous = line
    return out


# ---------------------------------------------------------------------------- the document

def extract(data: bytes) -> ExtractedText:
    """The text of a PDF. pdfminer reads the file's structure first (the refusals: a password, a damaged
    file, too many pages, a page that asks for too much work, measured by pdf_bounds before anything is
    drawn); PDFium then reads the pages' objects (pdf_objects)."""
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        structure = list(PDFPage.create_pages(document))
    except PDFPasswordIncorrect as exc:
        raise Refused("pdf_password") from exc
    except MemoryError:
        raise                                    # the child's memory cap, not the file's fault alone
    except Exception as exc:                     # pdfminer's errors, and what a broken file makes of its code
        if "password" in repr(exc).lower():
            raise Refused("pdf_password") from exc
        raise Refused("pdf_damaged") from exc
    if len(structure) > MAX_PAGES:
        raise Refused("pdf_pages", pages=len(structure), limit=MAX_PAGES)
    pdf_bounds.check(structure)
    try:
        pdf = pdf_objects.open_document(data)
    except pdf_objects.PdfiumError as exc:
        raise Refused("pdf_password" if exc.err == 4 else "pdf_damaged") from exc
    with pdf:
        if len(pdf) != len(structure):           # the two readers see different files: trust neither
            raise Refused("pdf_damaged")
        with collector_paused():
            return _read_pages(pdf_objects.pages(pdf, pdf_objects.font_descents(structure)), SETTINGS)


def _read_pages(pages, settings: PdfSettings) -> ExtractedText:
    ruled: list[Item] = []
    page_lines: list[tuple[object, list[TextLine]]] = []
    rules: list[tuple[int, float, float]] = []
    for number, page in enumerate(pages, start=1):
        items, lines = page_items(page, number, settings)
        ruled += items
        page_lines.append((page, lines))
        rules += horizontal_rules(page, number)
        page.close()                  # its characters are words now: a long document need not keep them all
    mark_furniture(page_lines, settings)
    ruled = join_cut_rows(ruled, page_lines)
    content = [ln for _, lines in page_lines for ln in lines if not ln.furniture]
    items: list[Item] = list(ruled)
    items += [Item(ln.page, ln.top, ln.text, furniture=True) for _, lines in page_lines for ln in lines if ln.furniture]
    tables: list[Table] = []
    prose: list[TextLine] = []
    padding = cell_padding(content, settings)
    for _, lines in page_lines:
        for block in (part for run in _blocks([ln for ln in lines if not ln.furniture], settings)
                      for part in split_tables(run, settings)):
            goes_on = bool(tables) and _continues(tables[-1], block, prose, settings)
            if goes_on or _is_table(block, settings):
                table = Table(block, find_columns(block, settings))
                if goes_on:
                    repeated = _repeated_header(tables[-1], block)
                    for line in repeated:                      # the header the page break repeated
                        line.furniture = True
                        items.append(Item(line.page, line.top, row_line(
                            row_cells([line], tables[-1].columns, settings.anchor_points)), furniture=True))
                    tables[-1].lines += block[len(repeated):]
                    tables[-1].columns = find_columns(tables[-1].lines, settings)
                else:
                    tables.append(table)
            else:
                prose += block
    for table in tables:
        split_into_rows(table, rules, cell_padding(table.lines, settings, default=padding), settings)
        for line in table.repeated:
            items.append(Item(line.page, line.top, row_line(row_cells([line], table.columns, settings.anchor_points)),
                              furniture=True))
        for index, row in enumerate(table.rows):
            text = row_line(row_cells(row, table.columns, settings.anchor_points))
            items.append(Item(row[0].page, row[0].top, text, table=table, row=index))
    margins = {number: max((ln.x1 for ln in lines), default=0.0) for number, (_, lines) in
               enumerate(page_lines, start=1)}            # the running header often reaches the right margin
    # The body's size is the paragraphs' (tables are often set smaller), when there are paragraphs enough.
    body = body_size(prose if sum(len(ln.text) for ln in prose) >= settings.body_sample_chars else content)
    items += prose_items(sorted(prose, key=lambda ln: (ln.page, ln.top)), body, margins, settings)
    items.sort(key=lambda item: (item.page, item.top))
    lines = [item.text for item in items]
    if not any(line.strip() for item, line in zip(items, lines) if not item.furniture):
        raise Refused("pdf_no_text")
    furniture = frozenset(n for n, item in enumerate(items, start=1) if item.furniture)
    return ExtractedText("\n".join(lines), FORMAT, line_pages=[item.page for item in items], furniture=furniture)


def join_cut_rows(ruled: list[Item], page_lines: list[tuple[object, list[TextLine]]]) -> list[Item]:
    """Ruled tables that go on over a page break, when nothing but page furniture lies between the last table of
    a page and the first of the next: the rows the next page repeats from the top of the table (its header)
    are furniture, and a row the break cut in two is one row again when each cell of its second half goes on
    with the cell above it (continues_cell)."""
    pages: dict[int, list[Item]] = {}
    for item in sorted(ruled, key=lambda it: (it.page, it.top)):
        pages.setdefault(item.page, []).append(item)

    def body(number: int) -> list[TextLine]:
        return [ln for ln in page_lines[number - 1][1] if not ln.furniture]

    joined: set[int] = set()
    for number, items in pages.items():
        before = pages.get(number - 1)
        if not before:
            continue
        last, first = before[-1], items[0]
        if any(ln.top > last.box[3] for ln in body(last.page)) or any(ln.bottom < first.box[1] for ln in body(number)):
            continue
        table_above = [it for it in before if it.box == last.box]
        table_here = [it for it in items if it.box == first.box]
        repeated = 0
        while repeated < min(len(table_above), len(table_here) - 1) and \
                table_here[repeated].text == table_above[repeated].text and table_above[repeated] is not last:
            table_here[repeated].furniture = True
            repeated += 1
        cut = table_here[repeated]
        if len(cut.cells) == len(last.cells) and any(cut.cells) and \
                all(continues_cell(above, below) for above, below in zip(last.cells, cut.cells) if below):
            last.cells = [join_lines(above, below) for above, below in zip(last.cells, cut.cells)]
            last.text = row_line(last.cells)
            joined.add(id(cut))
    return [item for item in ruled if id(item) not in joined]


def continues_cell(above: str, below: str) -> bool:
    """`below` is the rest of the cell `above`, cut by a page break: it starts in lower case or with a bracket
    ('(gruppi appartamento)'), or `above` ends with a word that needs another ('alla fase di')."""
    if not above:
        return False
    return below[:1].islower() or below[:1] in "([" or above.split()[-1].lower() in _OPEN_WORDS or \
        above.endswith((",", "-"))


def cell_padding(lines: list[TextLine], settings: PdfSettings = SETTINGS, default: float | None = None) -> float:
    """The space a table keeps between the text of two cells: the narrowest gap between two cells of one
    line (Word's default cell margins make it about 11 points)."""
    gaps = [right.x0 - left.x1 for line in lines for left, right in zip(line.segments, line.segments[1:])]
    return min(gaps) if gaps else (default if default is not None else 2 * settings.anchor_points)


def _repeated_header(table: Table, block: list[TextLine]) -> list[TextLine]:
    """The first lines of a block that repeat, word for word, lines the table already printed: the header row
    an office suite repeats after a page break (the first row of the Word table, whatever it holds)."""
    texts = [line.text for line in table.lines]
    best: list[TextLine] = []
    for start in (i for i, text in enumerate(texts) if text == block[0].text):
        repeated = []
        for mine, theirs in zip(block, texts[start:]):
            if mine.text != theirs:
                break
            repeated.append(mine)
        best = max(best, repeated, key=len)
    return best if len(best) < len(block) else []


def _continues(previous: Table, block: list[TextLine], prose: list[TextLine], settings: PdfSettings) -> bool:
    """Lines at the top of a page go on with the table that ended the page before, when nothing but page
    furniture lies between them and every cell starts at one of that table's columns (a row cut by the page
    break may hold text in one column only)."""
    last, first = previous.lines[-1], block[0]
    if len(previous.columns) < 2:
        return False
    if first.page == last.page:                  # a second line going on under one already taken over the break
        if last.page == previous.lines[0].page or not _close(last, first, settings):
            return False
    elif first.page != last.page + 1:
        return False
    between = [ln for ln in prose if (ln.page == last.page and ln.top > last.top and last.page != first.page) or
               (ln.page == first.page and last.top < ln.top < first.top) or
               (ln.page == first.page and ln.top < first.top and last.page != first.page)]
    if between:
        return False
    starts = [s.x0 for line in block for s in line.segments]
    if not all(any(abs(x - column) <= settings.anchor_points for column in previous.columns) for x in starts):
        return False
    if any(abs(x - previous.columns[0]) > settings.anchor_points for x in starts):
        return True
    # Only the first column: one line that goes on with the first cell of the last row ('servizio serale').
    last_first = last.segments[0] if last.segments and abs(last.x0 - previous.columns[0]) <= settings.anchor_points \
        else None
    padding = cell_padding(previous.lines, settings)
    return len(block) == 1 and abs(first.size - last.size) < 0.3 and \
        _wrapped(last_first, first.segments[0], previous.columns[1] - padding, first.size)

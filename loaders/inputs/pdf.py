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
from collections import Counter
from dataclasses import dataclass, field

from ..errors import Refused
from . import ExtractedText
from .furniture import PAGE_NUMBER

FORMAT = "pdf"
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
    max_heading_chars: int = 120
    rule_min_share: float = 0.5     # a horizontal rule at least this share of a table's width separates rows


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
    """Words of one line close enough to be one cell."""
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
class TextLine:
    words: list[dict]
    segments: list[Segment] = field(default_factory=list)
    page: int = 0
    furniture: bool = False

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def size(self) -> float:
        return max(w.get("size", 10.0) for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0]["x0"]

    @property
    def x1(self) -> float:
        return self.words[-1]["x1"]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def words_to_lines(words: list[dict], settings: PdfSettings = SETTINGS) -> list[TextLine]:
    """Words grouped into lines by their vertical middle, each line cut into segments at wide gaps."""
    lines: list[TextLine] = []
    for word in sorted(words, key=lambda w: (round((w["top"] + w["bottom"]) / 2, 1), w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        size = word.get("size", 10.0)
        if lines and abs((lines[-1].top + lines[-1].bottom) / 2 - middle) < settings.same_line * size:
            lines[-1].words.append(word)
        else:
            lines.append(TextLine([word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
        line.segments = _segments(line.words, settings)
    return lines


def _segments(words: list[dict], settings: PdfSettings) -> list[Segment]:
    out = [Segment([words[0]])]
    for word in words[1:]:
        gap = word["x0"] - out[-1].x1
        if gap > settings.cell_gap * word.get("size", 10.0):
            out.append(Segment([word]))
        else:
            out[-1].words.append(word)
    return out


# ---------------------------------------------------------------------------- tables from word positions

@dataclass
class Table:
    lines: list[TextLine]
    columns: list[float] = field(default_factory=list)      # x where each column starts
    limits: list[float] = field(default_factory=list)       # the furthest x its text reaches
    rows: list[list[TextLine]] = field(default_factory=list)


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
    for line in table.lines:
        for s in line.segments:
            index = _column_of(s.x0, table.columns, settings.anchor_points)
            limits[index] = max(limits[index], s.x1)
    for index, start in enumerate(table.columns[1:]):
        limits[index] = max(limits[index], start - padding)
    return limits


def split_into_rows(table: Table, rules: list[tuple[float, float, float]], padding: float,
                    settings: PdfSettings = SETTINGS) -> None:
    """Group the table's lines into rows: a line continues the row above when each of its cells continues a
    cell that wrapped (its last line reached the column's right edge) and no rule lies between them."""
    tolerance = settings.anchor_points
    columns = table.columns
    limits = table.limits = column_limits(table, padding, settings)
    width = max(table.limits) - min(table.columns) if table.columns else 0.0
    rules = [r for r in rules if r[2] >= settings.rule_min_share * width]
    rows: list[list[TextLine]] = []
    last_in_column: dict[int, Segment] = {}
    previous: TextLine | None = None
    for line in table.lines:
        cells = {_column_of(s.x0, columns, tolerance): s for s in line.segments}
        new_row = previous is None or _rule_between(previous, line, rules) or \
            not all(_wrapped(last_in_column.get(c), s, limits[c], line.size) for c, s in cells.items()) or \
            (previous.page == line.page and line.top - previous.bottom > settings.row_space * line.size + 1.0)
        if new_row:
            rows.append([line])
            last_in_column = {}
        else:
            rows[-1].append(line)
        last_in_column.update(cells)
        previous = line
    table.rows = rows


def _wrapped(last: Segment | None, following: Segment, limit: float, size: float) -> bool:
    """True when `following` can be the next line of the cell whose previous line is `last`: the first word
    of `following` would not have fitted after `last` (so the text had to wrap)."""
    if last is None:
        return False
    first = following.words[0]
    space = 0.28 * size
    return last.x1 + space + (first["x1"] - first["x0"]) > limit - 0.5


def _rule_between(upper: TextLine, lower: TextLine, rules) -> bool:
    """A horizontal rule drawn between two lines of the same page (across a page break the text decides)."""
    return upper.page == lower.page and \
        any(page == lower.page and upper.bottom - 1 <= y <= lower.top + 1 for page, y, _ in rules)


def row_cells(row: list[TextLine], columns: list[float], tolerance: float) -> list[str]:
    """The text of each cell of a row: its lines joined with a space (a word cut by a hyphen is rejoined)."""
    cells = [""] * len(columns)
    for line in row:
        for segment in line.segments:
            index = _column_of(segment.x0, columns, tolerance)
            text = segment.text
            if not cells[index]:
                cells[index] = text
            elif cells[index].endswith("-") and text[:1].islower():
                cells[index] = cells[index][:-1] + text
            else:
                cells[index] += " " + text
    return cells


def row_to_line(cells: list[str]) -> str:
    width = len(cells)
    while cells and not cells[-1]:
        cells = cells[:-1]
    line = "\t".join(cells)
    return line + "\t" if width > 1 and "\t" not in line and line else line


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


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    middle_x = (obj["x0"] + obj["x1"]) / 2
    middle_y = (obj["top"] + obj["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _cell(text) -> str:
    return " ".join(str(text or "").split())


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
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if current and line.top - current[-1].bottom > settings.block_space * line.size:
            blocks.append(current)
            current = []
        if len(line.segments) > 1 or (current and line.x0 > left + settings.anchor_points) or \
                (current and _lone_first_cell(current, line, following, settings)):
            current.append(line)
            continue
        if current:
            blocks.append(current)
            current = []
        blocks.append([line])
    if current:
        blocks.append(current)
    return blocks


def _close(upper: TextLine, lower: TextLine, settings: PdfSettings) -> bool:
    return upper.page == lower.page and lower.top - upper.bottom <= settings.row_space * lower.size + 1.0


def _lone_first_cell(current: list[TextLine], line: TextLine, following: TextLine | None,
                     settings: PdfSettings) -> bool:
    """A line with one cell at the table's left edge, between rows of the table at row spacing: a row whose
    other cells are empty ('n. Incontri'), not a paragraph after the table."""
    last = current[-1]
    return following is not None and len(following.segments) > 1 and _close(last, line, settings) and \
        _close(line, following, settings) and abs(line.x0 - current[0].x0) <= settings.anchor_points and \
        abs(following.x0 - line.x0) <= settings.anchor_points


def page_items(page, number: int, settings: PdfSettings = SETTINGS) -> tuple[list[Item], list[TextLine]]:
    """Ruled table rows, and the text lines outside ruled tables (not yet sorted into tables and prose)."""
    items: list[Item] = []
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    for table in tables:
        for row, cells in zip(table.rows, table.extract()):
            items.append(Item(number, row.bbox[1], row_to_line([_cell(c) for c in cells])))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, b) for b in boxes))
    words = outside.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
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
        repeated = pages_count > 1 and counts[_furniture_key(line.text)] >= max(2, settings.furniture_share * pages_count)
        if repeated or PAGE_NUMBER.match(line.text):
            line.furniture = True


# ---------------------------------------------------------------------------- prose

def body_size(lines: list[TextLine]) -> float:
    """The font size most characters are written in."""
    sizes = Counter()
    for line in lines:
        for word in line.words:
            sizes[round(word.get("size", 10.0), 1)] += len(word["text"])
    return sizes.most_common(1)[0][0] if sizes else 10.0


def prose_items(lines: list[TextLine], body: float, settings: PdfSettings = SETTINGS) -> list[Item]:
    """Plain lines: a paragraph wrapped over several lines joined (a line that reaches the right margin goes
    on in the next one); a short line in a larger font written as a heading."""
    if not lines:
        return []
    margin = max(line.x1 for line in lines)
    out: list[Item] = []
    previous: TextLine | None = None
    for line in lines:
        text = line.text.strip()
        heading = line.size >= body * settings.heading_size and len(text) <= settings.max_heading_chars
        wrapped = previous is not None and not heading and previous.x1 >= margin - 20 and \
            line.top - previous.bottom < 0.6 * (line.bottom - line.top) and not text.startswith(("-", "•", "·"))
        if wrapped and out and not out[-1].text.startswith("#"):
            joined = out[-1].text
            out[-1].text = joined[:-1] + text if joined.endswith("-") and text[:1].islower() else f"{joined} {text}"
        else:
            out.append(Item(line.page, line.top, ("# " + text) if heading else text))
        previous = line
    return out


# ---------------------------------------------------------------------------- the document

def _same_columns(first: Table, second: Table, settings: PdfSettings) -> bool:
    if len(first.columns) != len(second.columns) or len(first.columns) < 2:
        return False
    return all(abs(a - b) <= settings.anchor_points for a, b in zip(first.columns, second.columns))


def extract(data: bytes) -> ExtractedText:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        document = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PdfminerException) as exc:
        if "password" in repr(exc).lower() or isinstance(exc, PDFPasswordIncorrect):
            raise Refused("pdf_password") from exc
        raise Refused("pdf_damaged") from exc
    with document:
        if len(document.pages) > MAX_PAGES:
            raise Refused("pdf_pages", pages=len(document.pages), limit=MAX_PAGES)
        return _read_pages(document.pages, SETTINGS)


def _read_pages(pages, settings: PdfSettings) -> ExtractedText:
    ruled: list[Item] = []
    page_lines: list[tuple[object, list[TextLine]]] = []
    rules: list[tuple[int, float, float]] = []
    for number, page in enumerate(pages, start=1):
        items, lines = page_items(page, number, settings)
        ruled += items
        page_lines.append((page, lines))
        rules += horizontal_rules(page, number)
    mark_furniture(page_lines, settings)
    content = [ln for _, lines in page_lines for ln in lines if not ln.furniture]
    body = body_size(content)
    items: list[Item] = list(ruled)
    items += [Item(ln.page, ln.top, ln.text, furniture=True) for _, lines in page_lines for ln in lines if ln.furniture]
    tables: list[Table] = []
    prose: list[TextLine] = []
    padding = cell_padding(content, settings)
    for _, lines in page_lines:
        for block in (part for run in _blocks([ln for ln in lines if not ln.furniture], settings)
                      for part in split_tables(run, settings)):
            if _is_table(block, settings):
                table = Table(block, find_columns(block, settings))
                if tables and _continues(tables[-1], table, prose, settings):
                    repeated = _repeated_header(tables[-1], block)
                    for line in repeated:                      # the header the page break repeated
                        line.furniture = True
                        items.append(Item(line.page, line.top, row_to_line(
                            row_cells([line], tables[-1].columns, settings.anchor_points)), furniture=True))
                    tables[-1].lines += block[len(repeated):]
                    tables[-1].columns = find_columns(tables[-1].lines, settings)
                else:
                    tables.append(table)
            else:
                prose += block
    for table in tables:
        split_into_rows(table, rules, padding, settings)
        for index, row in enumerate(table.rows):
            text = row_to_line(row_cells(row, table.columns, settings.anchor_points))
            items.append(Item(row[0].page, row[0].top, text, table=table, row=index))
    by_page: dict[int, list[TextLine]] = {}
    for line in prose:
        by_page.setdefault(line.page, []).append(line)
    for page_number in sorted(by_page):
        items += prose_items(sorted(by_page[page_number], key=lambda ln: ln.top), body, settings)
    items.sort(key=lambda item: (item.page, item.top))
    lines = [item.text for item in items]
    if not any(line.strip() for item, line in zip(items, lines) if not item.furniture):
        raise Refused("pdf_no_text")
    furniture = frozenset(n for n, item in enumerate(items, start=1) if item.furniture)
    return ExtractedText("\n".join(lines), FORMAT, line_pages=[item.page for item in items], furniture=furniture)


def cell_padding(lines: list[TextLine], settings: PdfSettings = SETTINGS) -> float:
    """The space a table keeps between the text of two cells: the narrowest gap between two cells of one
    line in the document (Word's default cell margins make it about 11 points)."""
    gaps = [right.x0 - left.x1 for line in lines for left, right in zip(line.segments, line.segments[1:])]
    return min(gaps) if gaps else 2 * settings.anchor_points


def _repeated_header(table: Table, block: list[TextLine]) -> list[TextLine]:
    """The first lines of a block that repeat, word for word, the first lines of the table it continues."""
    repeated = []
    for mine, theirs in zip(block, table.lines):
        if mine.text != theirs.text:
            break
        repeated.append(mine)
    return repeated if len(repeated) < len(block) else []


def _continues(previous: Table, table: Table, prose: list[TextLine], settings: PdfSettings) -> bool:
    """A table at the top of a page goes on from the table that ended the page before, when nothing but
    page furniture lies between them and the columns are the same."""
    last, first = previous.lines[-1], table.lines[0]
    if first.page != last.page + 1:
        return False
    between = [ln for ln in prose if (ln.page == last.page and ln.top > last.top) or
               (ln.page == first.page and ln.top < first.top)]
    return not between and _same_columns(previous, table, settings)

"""A PDF page's objects (characters, rules, rectangles) read with PDFium, as the dicts pdfplumber gives.

pdfminer interprets a content stream in Python and took most of the time of reading a PDF (about a second for
a 13-page report); PDFium does it in C. Each page here is a `Page` that has what the layout in pdf.py and
pdfplumber's TableFinder ask of one: `chars`, `lines`, `rects`, `curves`, `edges`, `height`, `bbox`,
`find_tables()`, with pdfplumber's keys and coordinates (points, `top` from the top of the page, `doctop`
from the top of the document).

A character's box is what pdfminer gives it: from its origin to its advance across, from the font's descent
below the baseline to one font size above it. Across, it is PDFium's "loose" box (PDFium widens it to a glyph
that reaches out of its advance, as 'f' and 'T' do: a tenth of a point); up and down, the baseline and the
descent of its text object. What a text object gives (font name, size, upright, baseline) is asked once
per object, not per character.

PDFium writes a space between words whose space is drawn as a gap (word spacing, a justified line) and keeps
it as a "generated" character with an empty box: it is a space here too, as the drawn one is for pdfminer,
where the character before it ends.
The line ends it generates ('\\r\\n') are left out: a new line is a new line by position.

A page holds its characters as tuples (`rows`, fields named by TEXT, X0, TOP... below), and gives pdfplumber's
dicts (`chars`) only when asked: a dict for each of a page's thousands of characters took a fifth of the time
of reading a PDF, and as long again to let go.

Paths become lines, rectangles and curves by pdfminer's rules (LTLine, LTRect, LTCurve), one per subpath.
"""
from __future__ import annotations

import ctypes
import re
from bisect import bisect_left, bisect_right
from itertools import groupby
from operator import itemgetter

import pypdfium2.raw as pdfium
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import obj_to_bbox, obj_to_edges
from pdfplumber.utils.text import LIGATURES, WordExtractor

# The functions called for every character, without pypdfium2's argument checks (they cost twice the call).
_LIBRARY = __import__("pypdfium2_raw.bindings", fromlist=["_libs"])._libs["pdfium"]
_loose_box = _LIBRARY["FPDFText_GetLooseCharBox"]
_text_object = _LIBRARY["FPDFText_GetTextObject"]
_text_object.restype = ctypes.c_void_p
_char_box = _LIBRARY["FPDFText_GetCharBox"]
# ... and for every text object
_text_matrix = _LIBRARY["FPDFText_GetMatrix"]
_font_size = _LIBRARY["FPDFText_GetFontSize"]
_font_size.restype = ctypes.c_double
_object_font = _LIBRARY["FPDFTextObj_GetFont"]
_object_font.restype = ctypes.c_void_p
_char_origin = _LIBRARY["FPDFText_GetCharOrigin"]
# ... and for every segment of a path (rules and cell borders: thousands on a page of tables)
_path_segment = _LIBRARY["FPDFPath_GetPathSegment"]
_path_segment.restype = pdfium.FPDF_PATHSEGMENT
_segment_point = _LIBRARY["FPDFPathSegment_GetPoint"]
_segment_type = _LIBRARY["FPDFPathSegment_GetType"]
_segment_close = _LIBRARY["FPDFPathSegment_GetClose"]

class PdfiumError(Exception):
    """PDFium could not open the document or a page: err is FPDF_GetLastError()'s code."""

    def __init__(self, err: int):
        super().__init__(f"PDFium error {err}")
        self.err = err


def open_document(data: bytes):
    """The pypdfium2 document of the bytes; PdfiumError(FPDF_ERR_PASSWORD) when it needs a password."""
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise PdfiumError(getattr(exc, "err_code", None) or pdfium.FPDF_GetLastError()) from exc


def pages(document, descents: dict[str, float] | None = None):
    """Each page of a pypdfium2 document, read (its objects are built at once and the PDFium page closed).
    descents: each font's descent as the PDF gives it (font_descents), by name; PDFium reads it from the
    font program, where it may differ by a fifth of the font size."""
    doctop = 0.0
    for index in range(len(document)):
        handle = pdfium.FPDF_LoadPage(document.raw, index)
        if not handle:
            raise PdfiumError(pdfium.FPDF_GetLastError())
        try:
            page = Page(handle, index + 1, doctop, descents or {})
        finally:
            pdfium.FPDF_ClosePage(handle)
        doctop += page.height
        yield page


class Page:
    """One page's objects, with the part of pdfplumber's Page that pdf.py and TableFinder use."""

    def __init__(self, handle, page_number: int, doctop: float = 0.0, descents: dict[str, float] | None = None):
        self.page_number = page_number
        self.initial_doctop = doctop
        self.descents = descents or {}
        self._geometry(handle)
        self.rows = _chars(handle, self)
        self._chars = None
        self.lines, self.rects, self.curves = [], [], []
        _paths(handle, self)
        self._edges = None
        self._middles = None

    def _geometry(self, handle) -> None:
        """Page size and the matrix from PDF space to pdfplumber's, as pdfminer sets it (the MediaBox moved to
        the origin, turned by /Rotate)."""
        box = [ctypes.c_float() for _ in range(4)]
        if pdfium.FPDFPage_GetMediaBox(handle, *box):
            x0, y0, x1, y1 = (b.value for b in box)
        else:                                                       # pragma: no cover - PDFium's default
            x0, y0, x1, y1 = 0.0, 0.0, pdfium.FPDF_GetPageWidthF(handle), pdfium.FPDF_GetPageHeightF(handle)
        x0, x1 = min(x0, x1), max(x0, x1)
        y0, y1 = min(y0, y1), max(y0, y1)
        self.rotation = (pdfium.FPDFPage_GetRotation(handle) % 4) * 90
        width, height = x1 - x0, y1 - y0
        self.ctm = {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
                    180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}[self.rotation]
        if self.rotation in (90, 270):
            width, height = height, width
        self.width, self.height = width, height
        # pdfplumber's box: x as in the PDF, top from the MediaBox's top (a MediaBox away from the origin)
        self.bbox = (x0, -y0, x1, height - y0) if self.rotation == 0 else (0.0, 0.0, width, height)
        self.mediabox = self.cropbox = self.bbox

    @property
    def chars(self) -> list[dict]:
        """pdfplumber's characters (dicts), made from the rows the first time they are asked for."""
        if self._chars is None:
            self._chars = [char_dict(row) for row in self.rows]
        return self._chars

    @property
    def objects(self) -> dict[str, list[dict]]:
        found = {"char": self.chars, "line": self.lines, "rect": self.rects, "curve": self.curves}
        return {kind: objs for kind, objs in found.items() if objs}

    @property
    def edges(self) -> list[dict]:
        """pdfplumber's page.edges: each rectangle's four sides, each curve's segments, each line."""
        if self._edges is None:
            self._edges = [edge for obj in self.rects + self.curves + self.lines for edge in obj_to_edges(obj)]
        return self._edges

    def find_tables(self, table_settings: dict | None = None):
        """pdfplumber's Page.find_tables: the ruled tables of the page (its line strategy by default)."""
        return _TableFinder(self, TableSettings.resolve(table_settings)).tables

    def middles(self) -> tuple[list[float], list[int], list[float]]:
        """char_middles(self.rows), worked out once: the ruled tables' cells and the text outside them
        both ask."""
        if self._middles is None:
            self._middles = char_middles(self.rows)
        return self._middles

    def close(self) -> None:
        """Let the characters go (a long document need not keep them all)."""
        self.rows, self._chars, self._edges, self._middles = [], None, None, None


def char_middles(rows: list[tuple]) -> tuple[list[float], list[int], list[float]]:
    """The vertical middle of each character (rows); the characters' indexes sorted by it (stably: as (middle,
    index) pairs sort); the middles in that order (the keys to bisect). A NaN among them leaves them unsorted:
    whoever bisects must check (`m != m`)."""
    v_mid = [(c[TOP] + c[BOTTOM]) / 2 for c in rows]
    order = sorted(range(len(v_mid)), key=v_mid.__getitem__)
    return v_mid, order, list(map(v_mid.__getitem__, order))


class _TableFinder(TableFinder):
    """pdfplumber's TableFinder, its cells found by _grid_cells."""

    def __init__(self, page, settings=None):            # pdfplumber's, but for the cells
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = _grid_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def _grid_cells(intersections: dict) -> list[tuple]:
    """pdfplumber's intersections_to_cells: the same cells in the same order. pdfplumber looks at every later
    point for the ones below and right of each point, and makes each point's set of edges again for every
    pair it checks; here points are grouped by x and by y once, and each point's sets made once."""
    points = sorted(intersections)
    if any(x != x or y != y for x, y in points):             # NaN: equal to nothing, pdfplumber's own way
        from pdfplumber.table import intersections_to_cells
        return intersections_to_cells(intersections)
    sets: dict[tuple, set] = {}

    def edges(point: tuple, side: str) -> set:
        found = sets.get((point, side))
        if found is None:
            found = sets[(point, side)] = set(map(obj_to_bbox, intersections[point][side]))
        return found

    def connects(p1: tuple, p2: tuple) -> bool:
        return (p1[0] == p2[0] and not edges(p1, "v").isdisjoint(edges(p2, "v"))) or \
            (p1[1] == p2[1] and not edges(p1, "h").isdisjoint(edges(p2, "h")))

    same_x: dict[float, list[tuple]] = {}
    same_y: dict[float, list[tuple]] = {}
    for point in points:                         # in sorted order: the later points of each group follow
        same_x.setdefault(point[0], []).append(point)
        same_y.setdefault(point[1], []).append(point)
    seen_x: dict[float, int] = {}
    seen_y: dict[float, int] = {}
    cells = []
    for point in points:
        x, y = point
        seen_x[x] = at_x = seen_x.get(x, 0) + 1
        seen_y[y] = at_y = seen_y.get(y, 0) + 1
        below, right = same_x[x][at_x:], same_y[y][at_y:]
        for below_pt in below:
            if not connects(point, below_pt):
                continue
            found = None
            for right_pt in right:
                if not connects(point, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    found = (x, y, corner[0], corner[1])
                    break
            if found:
                cells.append(found)
                break
    return cells


# ---------------------------------------------------------------------------- characters

# A character's row: its text (one character), font name, size, upright, box (x0, x1, top, bottom, doctop) as
# pdfplumber's dict has them, and the dict itself when there is one already (a character at an angle, whose
# dict holds its width and height too; a character given as a dict).
TEXT, FONTNAME, SIZE, UPRIGHT, X0, X1, TOP, BOTTOM, DOCTOP, DICT = range(10)
_KEYS = ("text", "fontname", "size", "upright", "x0", "x1", "top", "bottom", "doctop")


def char_dict(row: tuple) -> dict:
    """pdfplumber's dict of a character's row."""
    return row[DICT] if row[DICT] is not None else dict(zip(_KEYS, row))


def char_row(char: dict) -> tuple:
    """The row of a character given as pdfplumber's dict (which it keeps)."""
    return (char["text"], char.get("fontname"), char.get("size"), char["upright"], char["x0"], char["x1"],
            char["top"], char["bottom"], char["doctop"], char)


def _chars(handle, page: Page) -> list[tuple]:
    textpage = pdfium.FPDFText_LoadPage(handle)
    if not textpage:
        raise PdfiumError(pdfium.FPDF_GetLastError())
    try:
        return _read_chars(textpage, page)
    finally:
        pdfium.FPDFText_ClosePage(textpage)


def _page_text(textpage, count: int) -> str:
    """Every character's text at once: one UTF-16 unit each (a character beyond it is asked alone). PDFium
    writes a hyphen that ends a line (a word broken, 'socio-' / 'sanitario') as U+FFFE: it is a hyphen."""
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[:2 * count].decode("utf-16-le", "surrogatepass")
    if len(text) == count and (text.isascii() or not _SURROGATE.search(text)):
        return text if "\ufffe" not in text else text.replace("\ufffe", "-")
    return "".join(chr(pdfium.FPDFText_GetUnicode(textpage, i)) for i in range(count)).replace("\ufffe", "-")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_chars(textpage, page: Page) -> list[tuple]:
    """The page's characters in the order they are drawn, as rows (TEXT, FONTNAME... DICT)."""
    count = pdfium.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    text = _page_text(textpage, count)
    raw = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
    rect = (ctypes.c_float * 4)()                 # FS_RECTF: left, top, right, bottom
    rect_ref, box = ctypes.byref(rect), memoryview(rect).cast("B").cast("f")
    objects: dict[int, tuple] = {}
    fonts: dict[int, tuple[str, float]] = {}
    e, f = page.ctm[4:]
    left_x, top_y = page.bbox[:2]
    e += left_x
    base = page.height + top_y - f                # top = base - (PDFium's y + size)
    doctop = page.initial_doctop
    loose_box, text_object = _loose_box, _text_object
    rows: list[tuple] = []
    append = rows.append
    known = objects.get
    last = None
    last_handle = object()                        # no handle is
    for index, char in enumerate(text):
        loose_box(raw, index, rect_ref)
        left, upper, right, bottom = box
        if upper == bottom:                       # a character PDFium generated: a space, a line end
            if char == " " and last is not None:      # where the last character ends (PDFium may put it
                append(_space_after(last))            # past a next one drawn over the gap: 'A A')
            continue
        handle = text_object(raw, index)
        if handle != last_handle:                 # a text object's characters mostly follow one another
            facts = known(handle)
            if facts is None:
                facts = objects[handle] = _row_facts(raw, index, handle, fonts, page, base, doctop)
            plain, fontname, size, upright, row_top, row_bottom, at = facts
            last_handle = handle
        if plain:                                 # upright on an upright page: the object gives all but x
            last = (char, fontname, size, True, left + e, right + e, row_top, row_bottom, at, None)
        else:
            x0, y0, x1, y1 = _turned_box(raw, index, page, upright, left, bottom, right, upper)
            top = page.height + top_y - y1
            made = {"text": char, "fontname": fontname, "size": size, "upright": upright,
                    "x0": x0 + left_x, "x1": x1 + left_x, "top": top, "bottom": top + (y1 - y0),
                    "doctop": doctop + top, "width": x1 - x0, "height": y1 - y0}
            last = (char, fontname, size, upright, made["x0"], made["x1"], top, made["bottom"], made["doctop"], made)
        append(last)
    return rows


def _space_after(row: tuple) -> tuple:
    """The space PDFium generated after a character: the same, from where the character ends, as ' '."""
    made = row[DICT]
    if made is not None:
        made = dict(made, text=" ", x0=made["x1"])
    return (" ",) + row[FONTNAME:X0] + (row[X1],) + row[X1:DICT] + (made,)


def _turned_box(raw, index: int, page: Page, upright: bool, left, bottom, right, top) -> tuple:
    """The box of a character on a turned page or written at an angle: PDFium's box of the glyph (the loose
    box knows only horizontal text), turned as the page is."""
    if not upright:
        rect = [ctypes.c_double() for _ in range(4)]
        _char_box(raw, index, *(ctypes.byref(v) for v in rect))
        left, right, bottom, top = (v.value for v in rect)
    a, b, c, d, e, f = page.ctm
    xs, ys = [], []
    for x, y in ((left, bottom), (right, top)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def _row_facts(textpage, index: int, handle: int, fonts: dict, page: Page, base: float, doctop: float) -> tuple:
    """(plain, font name, size, upright, top, bottom, doctop) of the text object of character `index`: when
    its characters are upright on an upright page (plain), the top, bottom and doctop every one of them has
    (one baseline, one size), worked out once for the object; None otherwise."""
    fontname, size, upright, y0 = _object_facts(textpage, index, handle, fonts, page)
    if page.rotation != 0 or not upright:
        return False, fontname, size, upright, None, None, None
    top = base - y0 - size
    return True, fontname, size, upright, top, top + size, doctop + top


def _object_facts(textpage, index: int, handle: int, fonts: dict, page: Page) -> tuple[str, float, bool, float]:
    """(font name, size, upright, bottom) of the text object of character `index`, as pdfminer measures
    its characters: the size is the font size by the text matrix, upright is a * d > 0 and b * c <= 0 once
    the page is turned, the bottom is the baseline less the font's descent (a string shown by one operator
    has one baseline). Any character of the object tells them."""
    matrix = pdfium.FS_MATRIX()
    _text_matrix(textpage, index, ctypes.byref(matrix))
    a, b, c, d = _times((matrix.a, matrix.b, matrix.c, matrix.d, 0, 0), page.ctm)[:4]
    upright = a * d > 0 and b * c <= 0
    # FPDFText_GetFontSize is the size set by Tf; pdfminer's is the character's height on the page
    size = _font_size(textpage, index) * (abs(d) if upright else (b * b + d * d) ** 0.5)
    key = _object_font(ctypes.c_void_p(handle)) or 0
    known = fonts.get(key)
    if known is None:
        font = ctypes.cast(ctypes.c_void_p(key), pdfium.FPDF_FONT)
        descent = ctypes.c_float()
        pdfium.FPDFFont_GetDescent(font, 1000.0, descent)
        name = _font_name(font)
        known = fonts[key] = (name, page.descents.get(name, descent.value / 1000))
    x, y = ctypes.c_double(), ctypes.c_double()
    _char_origin(textpage, index, ctypes.byref(x), ctypes.byref(y))
    return known[0], size, upright, y.value + known[1] * size


def font_descents(pages) -> dict[str, float]:
    """{font name: descent} from the FontDescriptors of pdfminer's pages' fonts, as pdfminer reads them (a
    thousandth of the font size, never above the baseline): 'DejaVuSerif' -> -0.236."""
    from pdfminer.pdftypes import resolve1

    found: dict[str, float] = {}
    for page in pages:
        fonts = resolve1((resolve1(page.resources) or {}).get("Font")) or {}
        for spec in (resolve1(v) for v in fonts.values()):
            if not isinstance(spec, dict):
                continue
            name = getattr(resolve1(spec.get("BaseFont")), "name", None)
            descendants = resolve1(spec.get("DescendantFonts")) or []
            described = resolve1(descendants[0]) if descendants else spec
            descriptor = resolve1(described.get("FontDescriptor")) if isinstance(described, dict) else None
            descent = resolve1(descriptor.get("Descent")) if isinstance(descriptor, dict) else None
            if isinstance(name, str) and isinstance(descent, (int, float)):
                found.setdefault(name.split("+", 1)[-1], -abs(descent) / 1000)
    return found


def _font_name(font) -> str:
    """The font's BaseFont without the subset's tag ('DejaVuSans-Bold' of 'MPDFAA+DejaVuSans-Bold'), as
    PDFium gives it: what tells a bold line."""
    if not font:
        return ""
    length = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
    if length <= 1:
        return ""
    buffer = ctypes.create_string_buffer(length)
    pdfium.FPDFFont_GetBaseFontName(font, buffer, length)
    return buffer.value.decode("utf-8", "replace").split("+", 1)[-1]


def _times(m1, m2) -> tuple:
    """The matrix m1 then m2 (pdfminer's mult_matrix)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


# ---------------------------------------------------------------------------- lines, rectangles, curves

def _paths(handle, page: Page) -> None:
    for index in range(pdfium.FPDFPage_CountObjects(handle)):
        _path_object(pdfium.FPDFPage_GetObject(handle, index), page, page.ctm, 0)


_MAX_FORM_DEPTH = 12


def _path_object(obj, page: Page, outer, depth: int) -> None:
    kind = pdfium.FPDFPageObj_GetType(obj)
    if kind == pdfium.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
        matrix = pdfium.FS_MATRIX()
        pdfium.FPDFPageObj_GetMatrix(obj, matrix)
        inner = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        for index in range(pdfium.FPDFFormObj_CountObjects(obj)):
            _path_object(pdfium.FPDFFormObj_GetObject(obj, index), page, inner, depth + 1)
    elif kind == pdfium.FPDF_PAGEOBJ_PATH:
        _paint_path(obj, page, outer)


def _paint_path(obj, page: Page, outer) -> None:
    """A path's subpaths as pdfminer paints them: 'ml' a line, a closed axis-aligned 'mlllh' a rectangle,
    anything else a curve through its points."""
    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(obj, matrix)
    a, b, c, d, e, f = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium.FPDFPath_GetDrawMode(obj, fill, stroke)
    width = ctypes.c_float()
    pdfium.FPDFPageObj_GetStrokeWidth(obj, width)
    style = {"linewidth": width.value, "stroke": bool(stroke.value), "fill": bool(fill.value),
             "evenodd": fill.value == pdfium.FPDF_FILLMODE_ALTERNATE}
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    subpaths: list[tuple[str, list]] = []
    shape, points = "", []
    for index in range(pdfium.FPDFPath_CountSegments(obj)):
        segment = _path_segment(obj, index)
        _segment_point(segment, x_ref, y_ref)
        kind = _segment_type(segment)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            if shape:
                subpaths.append((shape, points))
            shape, points = "m", [point]
        elif kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            shape += "c"                          # three segments each: control, control, end
            points.append(point)
        else:
            shape += "l"
            points.append(point)
        if _segment_close(segment) and shape:
            shape += "h"
            points.append(points[0])
            subpaths.append((shape, points))
            shape, points = "", []
    if shape:
        subpaths.append((shape, points))
    for shape, points in subpaths:
        if shape[:1] != "m":
            continue
        shape = re.sub("ccc", "c", shape)
        points = _bezier_ends(shape, points)
        if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
            shape = shape[:-2] + "h"              # a redundant 'l' before a close
            points = points[:-2] + points[-1:]
        if shape in ("ml", "mlh"):
            page.lines.append(_path_dict("line", points[:2], style, page))
        elif shape in ("mlllh", "mllll") and points[0] == points[4] and _square(points):
            page.rects.append(_path_dict("rect", points[:4], style, page))
        else:
            page.curves.append(_path_dict("curve", points, style, page))


def _bezier_ends(shape: str, points: list) -> list:
    """A curve's points as pdfminer keeps them: each Bézier by its end point only (PDFium gives three)."""
    if "c" not in shape:
        return points
    out, index = [], 0
    for op in shape:
        if op == "c":
            out.append(points[index + 2])
            index += 3
        else:
            out.append(points[index])
            index += 1
    return out


def _square(points: list) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def _path_dict(kind: str, points: list, style: dict, page: Page) -> dict:
    """pdfplumber's dict of a line, rectangle or curve: its box, and its points measured from the top."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    left_x, top_y = page.bbox[:2]
    height = page.height + top_y
    top = height - y1
    return {"x0": x0 + left_x, "y0": y0, "x1": x1 + left_x, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "pts": [(x + left_x, height - y) for x, y in points], **style, "object_type": kind,
            "page_number": page.page_number, "top": top, "bottom": height - y0,
            "doctop": page.initial_doctop + top}


# ---------------------------------------------------------------------------- words

def extract_words(chars: list[dict], extra_attrs: tuple[str, ...] = ()) -> list[dict]:
    """pdfplumber's extract_words(chars, extra_attrs=...) with its defaults (tolerances 3, no blank chars, no
    text flow, ligatures expanded): the same words in the same order. Upright text is grouped into lines and
    words here in one pass; rotated text goes through pdfplumber's WordExtractor."""
    return words([char_row(c) for c in chars], extra_attrs)


_FIELDS = {"text": TEXT, "fontname": FONTNAME, "size": SIZE, "upright": UPRIGHT, "x0": X0, "x1": X1,
           "top": TOP, "bottom": BOTTOM, "doctop": DOCTOP}


def words(rows: list[tuple], extra_attrs: tuple[str, ...] = ()) -> list[dict]:
    """extract_words for characters given as rows (a page's `rows`, or some of them)."""
    found: list[dict] = []
    extractor = None
    fields = [_FIELDS.get(key) for key in extra_attrs]
    if None in fields:                            # an attribute only the dicts have
        key = (lambda row: (row[UPRIGHT], *(char_dict(row)[k] for k in extra_attrs)))
    else:
        key = itemgetter(UPRIGHT, *fields) if fields else _UPRIGHT_KEY
    for (upright, *_), group in groupby(rows, key):
        group = list(group)
        if upright:
            _upright_words(group, extra_attrs, found)
            continue
        extractor = extractor or WordExtractor(extra_attrs=list(extra_attrs))
        found += [word for word, _ in extractor.iter_extract_tuples([char_dict(row) for row in group])]
    return found


_TOP, _X0, _TEXT = itemgetter(TOP), itemgetter(X0), itemgetter(TEXT)


_UPRIGHT_KEY = itemgetter(UPRIGHT, UPRIGHT)      # a tuple, as the keys with attributes are


def _upright_words(chars: list[tuple], extra_attrs, words: list[dict], tolerance: float = 3) -> None:
    """WordExtractor.iter_chars_to_lines + iter_chars_to_words + merge_chars for upright characters."""
    # cluster_objects(chars, top, 3): the distinct tops, sorted, chained at most 3 apart are one line; the
    # lines in order, each line's characters sorted by x0, stably (the order of a sort by (line, x0, position)).
    tops = sorted(set(map(_TOP, chars)))
    line_of: dict[float, int] = {}
    last = tops[0]
    line = 0
    for top in tops:
        if top > last + tolerance:
            line += 1
        line_of[top] = line
        last = top
    x0s = sum(map(_X0, chars))
    if x0s != x0s:                               # a NaN: one sort by (line, x0, position), as pdfplumber's
        order = sorted([(line_of[c[TOP]], c[X0], index) for index, c in enumerate(chars)])
        lines = [[chars[index] for _, _, index in run] for _, run in groupby(order, itemgetter(0))]
    elif line == 0:
        lines = [sorted(chars, key=_X0)]
    else:
        lines = [[] for _ in range(line + 1)]
        for char in chars:
            lines[line_of[char[TOP]]].append(char)
        for members in lines:
            members.sort(key=_X0)
    ligatures = bool(_LIGATURE.search("".join(map(_TEXT, chars))))     # looked for once, not in every word
    if x0s == x0s:
        _sorted_words(lines, extra_attrs, ligatures, words, tolerance)
        return
    merge = _merge
    append = words.append
    for members in lines:
        current: list[tuple] = []
        prev_x0 = prev_x1 = prev_top = 0.0
        for char in members:
            text = char[TEXT]
            if text.isspace():
                if current:
                    append(merge(current, extra_attrs, ligatures))
                    current = []
                continue
            if text == "":                        # '' in '' (no punctuation to split at): a word alone
                if current:
                    append(merge(current, extra_attrs, ligatures))
                    current = []
                append(merge([char], extra_attrs, ligatures))
                continue
            x0, top = char[X0], char[TOP]
            if not current:
                current = [char]
            elif x0 < prev_x0 or x0 > prev_x1 + tolerance or abs(top - prev_top) > tolerance:
                append(merge(current, extra_attrs, ligatures))
                current = [char]
            else:
                current.append(char)
            prev_x0, prev_x1, prev_top = x0, char[X1], top
        if current:
            append(merge(current, extra_attrs, ligatures))


def _sorted_words(lines: list[list[tuple]], extra_attrs, ligatures: bool, words: list[dict], tolerance: float) -> None:
    """The words of lines whose characters are sorted by x0, none a NaN (_upright_words' loop and _merge for
    them). A character then never starts left of the one before it, and a word's first character is its
    leftmost: the word's x0; its other edges are as _merge's loop picks them."""
    fields = [(key, _FIELDS.get(key)) for key in extra_attrs]
    append = words.append
    for members in lines:
        current: list[tuple] = []
        prev_x1 = prev_top = 0.0
        for char in members:
            text = char[TEXT]
            if text.isspace() or text == "":
                if current:
                    append(_sorted_word(current, fields, ligatures))
                    current = []
                if text == "":                    # '' in '' (no punctuation to split at): a word alone
                    append(_sorted_word([char], fields, ligatures))
                continue
            top = char[TOP]
            if not current:
                current = [char]
            elif char[X0] > prev_x1 + tolerance or abs(top - prev_top) > tolerance:
                append(_sorted_word(current, fields, ligatures))
                current = [char]
            else:
                current.append(char)
            prev_x1, prev_top = char[X1], top
        if current:
            append(_sorted_word(current, fields, ligatures))


def _sorted_word(chars: list[tuple], fields: list[tuple[str, int | None]], ligatures: bool) -> dict:
    """_merge and _word for characters sorted by x0 (_sorted_words)."""
    first = chars[0]
    x1, top, bottom = first[X1], first[TOP], first[BOTTOM]
    if len(chars) == 1:
        text = first[TEXT]
    else:
        text = "".join(map(_TEXT, chars))
        for c in chars:                          # min() and max(), as the builtins pick them
            if c[X1] > x1:
                x1 = c[X1]
            if c[TOP] < top:
                top = c[TOP]
            if c[BOTTOM] > bottom:
                bottom = c[BOTTOM]
    if ligatures and _LIGATURE.search(text):      # a character that is a ligature: 'ﬁ' -> 'fi'
        text = "".join([LIGATURES.get(c[TEXT], c[TEXT]) for c in chars])
    x0 = first[X0]
    word = {"text": text, "x0": x0, "x1": x1, "top": top, "doctop": top + (first[DOCTOP] - first[TOP]),
            "bottom": bottom, "upright": first[UPRIGHT], "height": bottom - top, "width": x1 - x0,
            "direction": "ltr"}
    for key, field in fields:
        word[key] = first[field] if field is not None else char_dict(first)[key]
    return word


_LIGATURE = re.compile("|".join(LIGATURES))


def _merge(chars: list[tuple], extra_attrs, ligatures: bool = True) -> dict:
    """WordExtractor.merge_chars for upright characters. ligatures: False when none of the characters is one
    (looked for once in a whole group of characters: _merge_plain)."""
    first = chars[0]
    x0, top, x1, bottom = first[X0], first[TOP], first[X1], first[BOTTOM]
    if len(chars) == 1:
        text = first[TEXT]
    else:
        for c in chars:                          # min() and max(), as the builtins pick them
            if c[X0] < x0:
                x0 = c[X0]
            if c[TOP] < top:
                top = c[TOP]
            if c[X1] > x1:
                x1 = c[X1]
            if c[BOTTOM] > bottom:
                bottom = c[BOTTOM]
        text = "".join([c[TEXT] for c in chars])
    if ligatures and _LIGATURE.search(text):      # a character that is a ligature: 'ﬁ' -> 'fi'
        text = "".join([LIGATURES.get(c[TEXT], c[TEXT]) for c in chars])
    return _word(text, x0, x1, top, bottom, first, extra_attrs)


def _word(text: str, x0: float, x1: float, top: float, bottom: float, first: tuple, extra_attrs) -> dict:
    word = {"text": text, "x0": x0, "x1": x1, "top": top, "doctop": top + (first[DOCTOP] - first[TOP]),
            "bottom": bottom, "upright": first[UPRIGHT], "height": bottom - top, "width": x1 - x0,
            "direction": "ltr"}
    for key in extra_attrs:
        field = _FIELDS.get(key)
        word[key] = first[field] if field is not None else char_dict(first)[key]
    return word


# ---------------------------------------------------------------------------- ruled tables' text

def table_texts(tables) -> list[list[list[str | None]]]:
    """pdfplumber's table.extract() for each table of one page: each cell's text (None where the grid has no
    cell), from the characters whose middle lies in it, as extract_text writes them."""
    return [[[cell and cell[0] for cell in row] for row in table] for table in table_cells(tables)]


def table_cells(tables) -> list[list[list[tuple[str, list[dict] | None] | None]]]:
    """Each cell of each table of one page as (text, words): its text as table.extract() gives it, and the
    words of the characters whose middle lies in it (None when pdfplumber's own way was taken, a NaN among
    the middles). pdfplumber looks at every character of the page for every row of every table; here they
    are sorted by their middle once."""
    if not tables:
        return []
    page = tables[0].page
    chars = page.rows if isinstance(page, Page) else [char_row(c) for c in page.chars]
    v_mid, order, keys = page.middles() if isinstance(page, Page) else char_middles(chars)
    if any(m != m for m in keys):                          # NaN does not sort: pdfplumber's own way
        return [[[None if text is None else (text, None) for text in row] for row in table.extract()]
                for table in tables]
    h_mid: dict[int, float] = {}                 # the horizontal middles of the characters in a table's rows
    out = []
    for table in tables:
        rows = []
        for row in table.rows:
            x0, top, x1, bottom = row.bbox
            start, end = bisect_left(keys, top), bisect_left(keys, bottom)
            band = order[start:end]
            for index in band:
                if index not in h_mid:
                    c = chars[index]
                    h_mid[index] = (c[X0] + c[X1]) / 2
            found = sorted(index for index in band if x0 <= h_mid[index] < x1)
            each = _cells_chars(row.cells, found, chars, h_mid, v_mid)
            cells = []
            for cell, inside in zip(row.cells, each):
                if cell is None:
                    cells.append(None)
                    continue
                if inside:
                    found_words = words(inside)
                    cells.append((_words_text(found_words, inside), found_words))
                else:
                    cells.append(("", []))
            rows.append(cells)
        out.append(rows)
    return out


def _cells_chars(cells: list, found: list[int], chars: list[tuple], h_mid, v_mid) -> list[list[tuple] | None]:
    """The characters (rows, in the order of `found`) whose middle lies in each cell of a row (None for a
    cell that is None). Cells side by side, each starting where or after the one before it ends, are
    looked up by bisection, each character once; otherwise each cell looks at every character."""
    boxes = [cell for cell in cells if cell is not None]
    if not all(b[0] <= b[2] for b in boxes) or not all(a[2] <= b[0] for a, b in zip(boxes, boxes[1:])):
        return [None if cell is None else
                [chars[i] for i in found if cell[0] <= h_mid[i] < cell[2] and cell[1] <= v_mid[i] < cell[3]]
                for cell in cells]
    starts = [b[0] for b in boxes]
    inside: list[list[tuple]] = [[] for _ in boxes]
    for i in found:
        h = h_mid[i]
        k = bisect_right(starts, h) - 1
        if k >= 0:
            c0, ctop, c1, cbottom = boxes[k]
            if c0 <= h < c1 and ctop <= v_mid[i] < cbottom:
                inside[k].append(chars[i])
    each = iter(inside)
    return [None if cell is None else next(each) for cell in cells]


def extract_text(chars: list[tuple]) -> str:
    """pdfplumber's extract_text(chars) with its defaults: words, lines of words at most 3 apart. chars: rows."""
    return _words_text(words(chars), chars)


def _words_text(found: list[dict], chars: list[tuple]) -> str:
    """extract_text's text of the characters (rows) whose words (words(chars)) are `found`."""
    if any(w["direction"] != "ltr" for w in found):       # rotated text: pdfplumber's own way
        from pdfplumber.utils.text import extract_text as plumber_text
        return plumber_text([char_dict(row) for row in chars])
    line_of: dict[float, int] = {}
    last = None
    line = -1
    for top in sorted({w["top"] for w in found}):
        if last is None or top > last + 3:
            line += 1
        line_of[top] = line
        last = top
    lines: dict[int, list[str]] = {}
    for word in sorted(found, key=lambda w: line_of[w["top"]]):
        lines.setdefault(line_of[word["top"]], []).append(word["text"])
    return "\n".join(" ".join(texts) for texts in lines.values())

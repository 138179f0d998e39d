"""pdfplumber's page objects (page.objects: chars, rects, lines, ...), the same dicts, built faster.

pdfplumber has pdfminer lay a page out as objects (an LTChar for each character), then turns each object into
a dict by walking all its attributes through resolve_all; a text page holds thousands of characters, and
both steps took more time than everything else that reading a PDF does. Here pdfminer interprets the page as
always, but each character becomes pdfplumber's dict straight away, with the arithmetic of pdfminer's LTChar
(the same operations in the same order: the same floats) and with what a font gives for a character (its
text, width, displacement) asked once per font and character. Any other object (a rule, a rectangle, an
image) is pdfminer's and goes through pdfplumber's own Page.process_object.

tests/test_pdf_objects.py checks the result equals pdfplumber's page.parse_objects(), key for key.
"""
from __future__ import annotations

import logging
import re
from itertools import groupby
from operator import itemgetter
from unicodedata import normalize

from pdfminer.layout import LTContainer
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import resolve_all, resolve_and_decode
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import LIGATURES, WordExtractor

_log = logging.getLogger("pdfminer.pdfdevice")
_SCALARS = frozenset({float, int, str, bool, type(None)})


def prepare(page) -> None:
    """Fill page.objects (pdfplumber's cache of them) unless pdfplumber did already."""
    if not hasattr(page, "_objects"):
        page._objects = parse_objects(page)


def parse_objects(page) -> dict[str, list[dict]]:
    """What page.parse_objects() gives: {'char': [...], 'rect': [...], ...} in the order pdfminer drew them."""
    if page.pdf.laparams is not None or hasattr(page, "_layout"):
        return page.parse_objects()              # containers become objects too, or the layout is there already
    device = _CharDevice(page)
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(page.page_obj)
    except Exception as exc:
        raise PdfminerException(exc)             # as pdfplumber's Page.layout does
    objects: dict[str, list[dict]] = {}
    for obj in _walk(device.get_result()._objs):
        if type(obj) is dict:                    # a character, ready
            mcid = obj["mcid"]
            if type(mcid) not in _SCALARS:
                obj["mcid"] = resolve_all(mcid)
            kind = "char"
        else:
            obj = page.process_object(obj)
            kind = obj["object_type"]
            if kind == "anno":
                continue
        if kind not in objects:
            objects[kind] = []
        objects[kind].append(obj)
    return objects


def _walk(items):
    for obj in items:
        if isinstance(obj, LTContainer):
            yield from _walk(obj._objs)
        else:
            yield obj


class _Font:
    """What a font gives for every character, asked once: (text, width, displacement) by character id."""

    def __init__(self, font, device):
        self.vertical = font.is_vertical()
        self.descent = None if self.vertical else font.get_descent()
        fontname = font.fontname
        fontname = fontname if type(fontname) in _SCALARS else resolve_all(fontname)
        if isinstance(fontname, bytes):          # pragma: no cover - rare
            fontname = fix_fontname_bytes(fontname)
        self.fontname = fontname
        self.font = font
        self.device = device
        self.glyphs: dict[int, tuple[str, float, object]] = {}

    def glyph(self, cid: int) -> tuple[str, float, object]:
        font = self.font
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.device.handle_undefined_char(font, cid)
        found = self.glyphs[cid] = (text, font.char_width(cid), font.char_disp(cid))
        return found


class _CharDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, but a character goes into the layout as pdfplumber's dict of it."""

    def __init__(self, page):
        super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=None)
        self.page_number = page.page_number
        self.unicode_norm = page.pdf.unicode_norm
        self.mb_x0, self.mb_top = page.mediabox[:2]
        self.height = page.height
        self.doctop = page.initial_doctop
        self.fonts: dict[int, _Font] = {}
        self.color_spaces: dict[str, object] = {}

    def tag_cur_item(self) -> None:
        """The marked content an object is drawn in (pdfplumber tags the last object of the layout)."""
        if self.cur_item._objs:
            obj = self.cur_item._objs[-1]
            if type(obj) is dict:
                obj["mcid"], obj["tag"] = self.cur_mcid, self.cur_tag
            else:
                obj.mcid, obj.tag = self.cur_mcid, self.cur_tag

    def _font(self, font) -> _Font:
        known = self.fonts.get(id(font))
        if known is None or known.font is not font:
            known = self.fonts[id(font)] = _Font(font, self)
        return known

    def _color_space(self, ncs):
        name = ncs.name
        if type(name) is not str:
            return resolve_and_decode(name)
        space = self.color_spaces.get(name)
        if space is None:
            space = self.color_spaces[name] = resolve_and_decode(name)
        return space

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise,
                                 dxscale, ncs, graphicstate):
        """pdfminer's PDFTextDevice.render_string_horizontal with render_char inlined: what is the same for
        every character of the string (font, size, colours, marked content, most of the bounding box's
        arithmetic) worked out once. Each float comes from the same operations as in pdfminer."""
        known = self._font(font)
        if known.vertical:                        # pragma: no cover - pdfminer sends these the other way
            return super().render_string_horizontal(seq, matrix, pos, font, fontsize, scaling, charspace,
                                                    wordspace, rise, dxscale, ncs, graphicstate)
        (x, y) = pos
        (a, b, c, d, e, f) = matrix
        glyphs = known.glyphs
        glyph_of = known.glyph
        # LTChar: bbox = (0, descent + rise, adv, descent + rise + fontsize), through apply_matrix_rect.
        descent = known.descent * fontsize
        low, high = descent + rise, descent + rise + fontsize
        a0, b0 = a * 0, b * 0
        c_low, d_low, c_high, d_high = c * low, d * low, c * high, d * high
        left1_base, bottom1_base = a0 + c_low, b0 + d_low
        left2_base, top2_base = a0 + c_high, b0 + d_high
        upright = a * d * scaling > 0 and b * c <= 0
        fontname = known.fontname
        space = self._color_space(ncs)
        scolor, ncolor = graphicstate.scolor, graphicstate.ncolor
        stroking = scolor if isinstance(scolor, tuple) else (scolor,)
        non_stroking = ncolor if isinstance(ncolor, tuple) else (ncolor,)
        mcid, tag = self.cur_mcid, self.cur_tag
        number, unicode_norm = self.page_number, self.unicode_norm
        height_mb, mb_top, mb_x0, doctop = self.height, self.mb_top, self.mb_x0, self.doctop
        append = self.cur_item._objs.append
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    glyph = glyphs.get(cid)
                    if glyph is None:
                        glyph = glyph_of(cid)
                    text, textwidth, _ = glyph
                    adv = textwidth * fontsize * scaling
                    e1 = x * a + y * c + e             # translate_matrix(matrix, (x, y))
                    f1 = x * b + y * d + f
                    left1, bottom1 = left1_base + e1, bottom1_base + f1
                    right1, bottom2 = a * adv + c_low + e1, b * adv + d_low + f1
                    right2, top1 = a * adv + c_high + e1, b * adv + d_high + f1
                    left2, top2 = left2_base + e1, top2_base + f1
                    # min() and max() of the four, as the builtins pick them (the first of equals)
                    x0 = left1
                    if left2 < x0:
                        x0 = left2
                    if right1 < x0:
                        x0 = right1
                    if right2 < x0:
                        x0 = right2
                    y0 = bottom1
                    if bottom2 < y0:
                        y0 = bottom2
                    if top1 < y0:
                        y0 = top1
                    if top2 < y0:
                        y0 = top2
                    x1 = left1
                    if left2 > x1:
                        x1 = left2
                    if right1 > x1:
                        x1 = right1
                    if right2 > x1:
                        x1 = right2
                    y1 = bottom1
                    if bottom2 > y1:
                        y1 = bottom2
                    if top1 > y1:
                        y1 = top1
                    if top2 > y1:
                        y1 = top2
                    if x1 < x0:
                        (x0, x1) = (x1, x0)
                    if y1 < y0:
                        (y0, y1) = (y1, y0)
                    height = y1 - y0
                    top = (height_mb - y1) + mb_top
                    append({
                        "matrix": (a, b, c, d, e1, f1), "fontname": fontname, "adv": adv, "upright": upright,
                        "x0": x0 + mb_x0 if mb_x0 != 0 else x0, "y0": y0,
                        "x1": x1 + mb_x0 if mb_x0 != 0 else x1, "y1": y1,
                        "width": x1 - x0, "height": height, "size": height, "mcid": mcid, "tag": tag,
                        "object_type": "char", "page_number": number, "ncs": space,
                        "text": normalize(unicode_norm, text) if unicode_norm is not None else text,
                        "stroking_color": stroking, "non_stroking_color": non_stroking,
                        "top": top, "bottom": (height_mb - y0) + mb_top, "doctop": doctop + top})
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                _log.warning("Cannot render horizontal string because %r is not a valid int, float or bytes.",
                             obj)
        return (x, y)

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        # pdfminer's PDFLayoutAnalyzer.render_char and LTChar.__init__, then pdfplumber's process_object.
        known = self.fonts.get(id(font))
        if known is None or known.font is not font:
            known = self.fonts[id(font)] = _Font(font, self)
        glyph = known.glyphs.get(cid)
        if glyph is None:
            glyph = known.glyph(cid)
        text, textwidth, textdisp = glyph
        adv = textwidth * fontsize * scaling
        if known.vertical:
            (vx, vy) = textdisp
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = known.descent * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        (a, b, c, d, e, f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        (x0, y0, x1, y1) = bbox                  # pdfminer's apply_matrix_rect
        left1, bottom1 = a * x0 + c * y0 + e, b * x0 + d * y0 + f
        right1, bottom2 = a * x1 + c * y0 + e, b * x1 + d * y0 + f
        right2, top1 = a * x1 + c * y1 + e, b * x1 + d * y1 + f
        left2, top2 = a * x0 + c * y1 + e, b * x0 + d * y1 + f
        x0 = min(left1, left2, right1, right2)
        y0 = min(bottom1, bottom2, top1, top2)
        x1 = max(left1, left2, right1, right2)
        y1 = max(bottom1, bottom2, top1, top2)
        if x1 < x0:
            (x0, x1) = (x1, x0)
        if y1 < y0:
            (y0, y1) = (y1, y0)
        width = x1 - x0
        height = y1 - y0
        name = ncs.name
        if type(name) is str:
            space = self.color_spaces.get(name)
            if space is None:
                space = self.color_spaces[name] = resolve_and_decode(name)
        else:
            space = resolve_and_decode(name)
        scolor, ncolor = graphicstate.scolor, graphicstate.ncolor
        top = (self.height - y1) + self.mb_top
        mb_x0 = self.mb_x0
        self.cur_item._objs.append({
            "matrix": matrix, "fontname": known.fontname, "adv": adv, "upright": upright,
            "x0": x0 + mb_x0 if mb_x0 != 0 else x0, "y0": y0, "x1": x1 + mb_x0 if mb_x0 != 0 else x1, "y1": y1,
            "width": width, "height": height, "size": width if known.vertical else height,
            "mcid": self.cur_mcid, "tag": self.cur_tag, "object_type": "char", "page_number": self.page_number,
            "ncs": space, "text": normalize(self.unicode_norm, text) if self.unicode_norm is not None else text,
            "stroking_color": scolor if isinstance(scolor, tuple) else (scolor,),
            "non_stroking_color": ncolor if isinstance(ncolor, tuple) else (ncolor,),
            "top": top, "bottom": (self.height - y0) + self.mb_top, "doctop": self.doctop + top})
        return adv


# ---------------------------------------------------------------------------- words

def extract_words(chars: list[dict], extra_attrs: tuple[str, ...] = ()) -> list[dict]:
    """pdfplumber's extract_words(chars, extra_attrs=...) with its defaults (tolerances 3, no blank chars, no
    text flow, ligatures expanded): the same words in the same order. Upright text is grouped into lines and
    words here in one pass; rotated text goes through pdfplumber's WordExtractor."""
    words: list[dict] = []
    extractor = None
    for (upright, *_), group in groupby(chars, itemgetter("upright", *extra_attrs) if extra_attrs else
                                        _upright_key):
        group = list(group)
        if upright:
            _upright_words(group, extra_attrs, words)
            continue
        extractor = extractor or WordExtractor(extra_attrs=list(extra_attrs))
        words += [word for word, _ in extractor.iter_extract_tuples(group)]
    return words


def _upright_key(char: dict) -> tuple:
    return (char["upright"],)


def _upright_words(chars: list[dict], extra_attrs, words: list[dict], tolerance: float = 3) -> None:
    """WordExtractor.iter_chars_to_lines + iter_chars_to_words + merge_chars for upright characters."""
    # cluster_objects(chars, top, 3): the distinct tops, sorted, chained at most 3 apart are one line; the
    # lines in order, each line's characters sorted by x0, stably: one sort by (line, x0, position).
    line_of: dict[float, int] = {}
    last = None
    line = -1
    for top in sorted({c["top"] for c in chars}):
        if last is None or top > last + tolerance:
            line += 1
        line_of[top] = line
        last = top
    order = sorted([(line_of[c["top"]], c["x0"], index) for index, c in enumerate(chars)])
    merge = _merge
    append = words.append
    current: list[dict] = []
    current_line = -1
    prev_x0 = prev_x1 = prev_top = 0.0
    for number, x0, index in order:
        char = chars[index]
        text = char["text"]
        if number != current_line:
            if current:
                append(merge(current, extra_attrs))
                current = []
            current_line = number
        if text.isspace():
            if current:
                append(merge(current, extra_attrs))
                current = []
            continue
        if text == "":                            # '' in '' (no punctuation to split at): a word alone
            if current:
                append(merge(current, extra_attrs))
                current = []
            append(merge([char], extra_attrs))
            continue
        top = char["top"]
        if current:
            if x0 < prev_x0 or x0 > prev_x1 + tolerance or abs(top - prev_top) > tolerance:
                append(merge(current, extra_attrs))
                current = [char]
            else:
                current.append(char)
        else:
            current = [char]
        prev_x0, prev_x1, prev_top = x0, char["x1"], top
    if current:
        append(merge(current, extra_attrs))


_LIGATURE = re.compile("|".join(LIGATURES))


def _merge(chars: list[dict], extra_attrs) -> dict:
    """WordExtractor.merge_chars for upright characters."""
    first = chars[0]
    x0, top, x1, bottom = first["x0"], first["top"], first["x1"], first["bottom"]
    if len(chars) == 1:
        text = first["text"]
    else:
        for c in chars:                          # min() and max(), as the builtins pick them
            if c["x0"] < x0:
                x0 = c["x0"]
            if c["top"] < top:
                top = c["top"]
            if c["x1"] > x1:
                x1 = c["x1"]
            if c["bottom"] > bottom:
                bottom = c["bottom"]
        text = "".join([c["text"] for c in chars])
    if _LIGATURE.search(text):                   # a character that is a ligature: 'ﬁ' -> 'fi'
        text = "".join([LIGATURES.get(c["text"], c["text"]) for c in chars])
    word = {"text": text, "x0": x0, "x1": x1, "top": top, "doctop": top + (first["doctop"] - first["top"]),
            "bottom": bottom, "upright": first["upright"], "height": bottom - top, "width": x1 - x0,
            "direction": "ltr"}
    for key in extra_attrs:
        word[key] = first[key]
    return word


# ---------------------------------------------------------------------------- ruled tables' text

def table_texts(tables) -> list[list[list[str | None]]]:
    """pdfplumber's table.extract() for each table of one page: each cell's text (None where the grid has no
    cell), from the characters whose middle lies in it, as extract_text writes them. pdfplumber looks at every
    character of the page for every row of every table; here they are sorted by their middle once."""
    from bisect import bisect_left

    if not tables:
        return []
    chars = tables[0].page.chars
    middles = sorted(((c["top"] + c["bottom"]) / 2, index) for index, c in enumerate(chars))
    keys = [m for m, _ in middles]
    if any(m != m for m in keys):                          # NaN does not sort: pdfplumber's own way
        return [table.extract() for table in tables]
    h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]
    v_mid = [(c["top"] + c["bottom"]) / 2 for c in chars]
    out = []
    for table in tables:
        rows = []
        for row in table.rows:
            x0, top, x1, bottom = row.bbox
            start, end = bisect_left(keys, top), bisect_left(keys, bottom)
            found = sorted(index for _, index in middles[start:end] if x0 <= h_mid[index] < x1)
            texts = []
            for cell in row.cells:
                if cell is None:
                    texts.append(None)
                    continue
                c0, ctop, c1, cbottom = cell
                inside = [chars[i] for i in found if c0 <= h_mid[i] < c1 and ctop <= v_mid[i] < cbottom]
                texts.append(extract_text(inside) if inside else "")
            rows.append(texts)
        out.append(rows)
    return out


def extract_text(chars: list[dict]) -> str:
    """pdfplumber's extract_text(chars) with its defaults: words, lines of words at most 3 apart."""
    words = extract_words(chars)
    if any(w["direction"] != "ltr" for w in words):       # rotated text: pdfplumber's own way
        from pdfplumber.utils.text import extract_text as plumber_text
        return plumber_text(chars)
    line_of: dict[float, int] = {}
    last = None
    line = -1
    for top in sorted({w["top"] for w in words}):
        if last is None or top > last + 3:
            line += 1
        line_of[top] = line
        last = top
    lines: dict[int, list[str]] = {}
    for word in sorted(words, key=lambda w: line_of[w["top"]]):
        lines.setdefault(line_of[word["top"]], []).append(word["text"])
    return "\n".join(" ".join(texts) for texts in lines.values())

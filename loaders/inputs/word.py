"""Word documents (.docx), read with python-docx: paragraphs and real table cells, in document order.

A table row becomes one line of TAB-separated cells (a cell's own paragraphs joined with a space; a cell
merged across columns is printed once and the columns it spans stay empty; a cell merged down a column is
printed in its first row only). A heading becomes '# title' (one '#' per level), a list item '- item'.
The page header and footer are written first and marked as page furniture, so that readers skip them but
the issuer finder may read the consortium's name there.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import Refused
from . import ExtractedText, row_line, with_furniture

FORMAT = "docx"
ISOLATED = True         # read in a child process with caps (isolated.py)
MAX_UNCOMPRESSED = 200 * 1024 * 1024      # images included
MAX_MARKUP = 30 * 1024 * 1024             # the text's XML: a 400-page report holds less than 10 MB
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def accepts(name: str, data: bytes) -> bool:
    """A .docx by name, or a zip holding word/document.xml."""
    if name.lower().endswith((".docx", ".docm")):
        return True
    return _zip_has(data, "word/document.xml")


def _zip_has(data: bytes, member: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return member in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def check_zip(data: bytes, kind: str) -> None:
    """Refuse archives that are not zips or that expand beyond MAX_UNCOMPRESSED (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Refused("word_damaged", kind=kind) from exc
    infos = archive.infolist()
    markup = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED or markup > MAX_MARKUP:
        raise Refused("word_too_big", limit_mb=(MAX_MARKUP if markup > MAX_MARKUP else MAX_UNCOMPRESSED) // 2**20)


def extract(data: bytes) -> ExtractedText:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(data, "Word")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:                                   # python-docx raises many kinds on a bad file
        raise Refused("word_damaged", kind="Word") from exc
    lines: list[str] = []
    styles = _StyleNames(document)
    for element in _blocks(document.element.body):
        if element.tag == f"{_W}p":
            paragraph = Paragraph(element, document)
            lines += paragraph_lines(paragraph, styles)
            lines += [" ".join(_text(p).split()) for p in _text_box_paragraphs(element)]
        else:
            lines += table_lines(Table(element, document))
    return with_furniture(_header_footer_lines(document), lines, FORMAT, "Word")


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_NAMESPACES = {"w": _W[1:-1]}


def _xpath(expression: str):
    from lxml import etree
    return etree.XPath(expression, namespaces=_NAMESPACES)


# python-docx's paragraph.text and run.text, with their XPath expressions compiled once: python-docx compiles
# them anew for every paragraph and every run, which took a fifth of the time of reading a file.
_RUNS = _xpath("w:r | w:hyperlink")
_HYPERLINK_RUNS = _xpath("w:r")
_RUN_PARTS = _xpath("w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab")


def paragraph_text(p) -> str:
    """paragraph.text of a w:p element: its runs' text and its hyperlinks' (each run part as python-docx
    writes it: '\t' for a tab, '\n' for a line break...)."""
    return "".join(_run_text(e) if e.tag == f"{_W}r" else "".join(map(_run_text, _HYPERLINK_RUNS(e)))
                   for e in _RUNS(p))


def _run_text(r) -> str:
    return "".join(map(str, _RUN_PARTS(r)))


_P, _TBL, _SDT, _SDT_CONTENT = f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}sdtContent"   # made once


def _blocks(parent):
    """Paragraphs and tables in document order, content controls (w:sdt) opened: their tables are read too."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _P or tag == _TBL:
            yield child
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _own(node, stop) -> bool:
    """True when a node belongs to `stop` itself, not to a text box or a fallback copy inside it."""
    for ancestor in node.iterancestors():
        if ancestor is stop:
            return True
        if ancestor.tag in (f"{_W}txbxContent", f"{_MC}Fallback"):
            return False
    return True


def _text(p) -> str:
    """A paragraph's own text: tabs and line breaks kept, text boxes and fallback copies left out."""
    return "".join(node.text or "" if node.tag == f"{_W}t" else "\t" if node.tag == f"{_W}tab" else " "
                   for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br") if _own(node, p))


def _text_box_paragraphs(p) -> list:
    """The paragraphs of the text boxes anchored in a paragraph (once: not their fallback copies)."""
    return [inner for box in p.iter(f"{_W}txbxContent") if _own(box, p)
            for inner in box.iter(f"{_W}p") if inner.getparent() is box]


def _header_footer_lines(document) -> list[str]:
    """The distinct lines of every section's page header and footer, in order."""
    seen: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous and seen:
                continue
            for paragraph in part.paragraphs:
                text = " ".join(paragraph_text(paragraph._p).split())
                if text and text not in seen:
                    seen.append(text)
    return seen


class _StyleNames:
    """The name of a paragraph's style (paragraph.style.name), found once per style of the document: python-docx
    looks a style up among all the document's styles for every paragraph, and the default one (a paragraph
    with no style of its own) by reading every style's type, which took most of the time reading a file."""

    def __init__(self, document):
        self.document = document
        self.names: dict[str | None, str] = {}

    def of(self, paragraph) -> str:
        style_id = paragraph._p.style                            # what Paragraph.style looks up
        if style_id not in self.names:
            style = paragraph.style if style_id is not None else _default_paragraph_style(self.document)
            self.names[style_id] = (style.name if style is not None else "") or ""
        return self.names[style_id]


# The styles that may be the default paragraph style: python-docx reads the type of every style to find it
# (styles.xml holds hundreds), here those of another known type are left out by one XPath.
_MAYBE_PARAGRAPH_STYLES = _xpath("w:style[not(@w:type='character' or @w:type='table' or @w:type='numbering')]")


def _default_paragraph_style(document):
    """document.styles.default(WD_STYLE_TYPE.PARAGRAPH), the style of a paragraph that names none: the last
    paragraph style marked default. The styles left are read as python-docx reads them and in the same order,
    so that one it cannot read raises as it does there."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.styles.style import StyleFactory

    found = [style for style in _MAYBE_PARAGRAPH_STYLES(document.styles.element)
             if style.type == WD_STYLE_TYPE.PARAGRAPH and style.default]
    return StyleFactory(found[-1]) if found else None


def paragraph_lines(paragraph, styles: _StyleNames | None = None) -> list[str]:
    """'Obiettivi di performance' in a Heading 2 style -> ['## Obiettivi di performance']; a list item -> '- ...'."""
    text = paragraph_text(paragraph._p).replace("\r", "\n")
    if not text.strip():
        return [""]
    if styles is not None:
        style = styles.of(paragraph)
    else:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
    level = re.match(r"(?i)(?:heading|titolo)\s*(\d)", style)
    p_pr = paragraph._p.pPr
    listed = p_pr is not None and p_pr.numPr is not None
    out = []
    for piece in text.split("\n"):
        piece = piece.rstrip()
        if level and piece.strip():
            piece = "#" * min(int(level.group(1)), 6) + " " + piece.strip()
        elif listed and piece.strip() and not piece.lstrip().startswith(("-", "•")):
            piece = "- " + piece.strip()
        out.append(piece)
    return out


def _cell_text(tc) -> str:
    """A cell's paragraphs joined with a space (text boxes once); a table nested in the cell as its rows,
    each row's cells joined with ' | ' and rows with '; ' (the cell holds a table, not one value)."""
    parts = []
    for element in _blocks(tc):
        if element.tag == f"{_W}p":
            for p in [element] + _text_box_paragraphs(element):
                text = " ".join(_text(p).replace("\t", " ").split())
                if text:
                    parts.append(text)
        else:
            rows = [" | ".join(_cell_text(cell) for cell in tr.tc_lst) for tr in element.tr_lst]
            parts.append("; ".join(r for r in rows if r.strip(" |")))
    return " ".join(parts)


def table_lines(table) -> list[str]:
    """One line per row: merged cells printed once, the columns they span left empty."""
    lines = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        for tc in tr.tc_lst:
            span, merge = _merges(tc)
            continued = merge == "continue"
            cells.append("" if continued else _cell_text(tc))
            cells += [""] * (max(span, 1) - 1)
        lines.append(row_line(cells))
    return lines


_TC_PR, _GRID_SPAN, _V_MERGE, _VAL = f"{_W}tcPr", f"{_W}gridSpan", f"{_W}vMerge", f"{_W}val"   # made once


def _merges(tc) -> tuple[int, str | None]:
    """(tc.grid_span, tc.vMerge) read from the cell's XML, as python-docx reads them ('<w:vMerge/>' means
    continue); python-docx's own properties for anything out of the ordinary, which raise as they would."""
    properties = tc.find(_TC_PR)
    if properties is None:
        return 1, None
    span, merge = 1, None
    grid_span = properties.find(_GRID_SPAN)
    if grid_span is not None:
        value = grid_span.get(_VAL)
        span = int(value) if value is not None and value.isdigit() else tc.grid_span
    v_merge = properties.find(_V_MERGE)
    if v_merge is not None:
        value = v_merge.get(_VAL, "continue")
        merge = value if value in ("continue", "restart") else tc.vMerge
    return span, merge

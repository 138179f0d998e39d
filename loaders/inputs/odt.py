"""OpenDocument text (.odt, LibreOffice Writer): paragraphs and real table cells from content.xml.

Read with the standard library (zipfile and ElementTree) in the same way as Word documents
(loaders/inputs/word.py): a table row is one line of TAB-separated cells, a cell spanning columns is
printed once, covered cells stay empty, headings become '# title', list items '- item', and the page
header and footer (styles.xml) come first, marked as page furniture.
"""
from __future__ import annotations

import io
import zipfile
import xml.etree.ElementTree as ET

from ..errors import Refused
from . import ExtractedText, row_line, with_furniture
from .word import check_zip

FORMAT = "odt"
ISOLATED = True         # read in a child process with caps (isolated.py)
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}
T, TB = "{%s}" % _NS["text"], "{%s}" % _NS["table"]
# Never the text of a paragraph: a reviewer's comment, a footnote, a frame (read apart, where it stands).
_NOT_TEXT = {f"{T}note", f"{T}bookmark", f"{T}soft-page-break", "{%s}annotation" % _NS["office"],
             "{%s}annotation-end" % _NS["office"], "{%s}frame" % _NS["draw"]}
MAX_REPEAT = 64            # 'number-columns-repeated' of an empty filler cell can be 16384: never expand it


def accepts(name: str, data: bytes) -> bool:
    """An .odt by name, or a zip whose mimetype says OpenDocument text."""
    if name.lower().endswith(".odt"):
        return True
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return zipfile.ZipFile(io.BytesIO(data)).read("mimetype") == b"application/vnd.oasis.opendocument.text"
    except (zipfile.BadZipFile, KeyError):
        return False


def extract(data: bytes) -> ExtractedText:
    check_zip(data, "OpenDocument")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        content = ET.fromstring(archive.read("content.xml"))
        styles = ET.fromstring(archive.read("styles.xml")) if "styles.xml" in archive.namelist() else None
    except (KeyError, ET.ParseError, zipfile.BadZipFile) as exc:
        raise Refused("word_damaged", kind="OpenDocument") from exc
    body = content.find("office:body/office:text", _NS)
    if body is None:
        raise Refused("word_damaged", kind="OpenDocument")
    lines: list[str] = []
    _blocks(body, lines)
    return with_furniture(_header_footer_lines(styles), lines, FORMAT, "OpenDocument")


def inline_text(element) -> str:
    """The text of a paragraph: <text:s text:c="3"/> is three spaces, <text:tab/> a tab, a line break '\\n'."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{T}s":
            parts.append(" " * int(child.get(f"{T}c", "1")))
        elif tag == f"{T}tab":
            parts.append("\t")
        elif tag == f"{T}line-break":
            parts.append("\n")
        elif tag not in _NOT_TEXT:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(parent, lines: list[str], list_depth: int = 0) -> None:
    for child in parent:
        tag = child.tag
        if tag == f"{T}h":
            level = int(child.get(f"{T}outline-level", "1") or 1)
            for piece in inline_text(child).split("\n"):
                lines.append("#" * min(level, 6) + " " + piece.strip() if piece.strip() else "")
        elif tag == f"{T}p":
            for piece in inline_text(child).split("\n"):
                piece = piece.rstrip()
                lines.append(f"- {piece.strip()}" if list_depth and piece.strip() and
                             not piece.lstrip().startswith(("-", "•")) else piece)
            for box in child.iter("{%s}text-box" % _NS["draw"]):      # a frame's own paragraphs and tables
                _blocks(box, lines, list_depth)
        elif tag == f"{T}list":
            for item in child:
                _blocks(item, lines, list_depth + 1)
        elif tag == f"{TB}table":
            lines += table_lines(child)
        elif tag in (f"{T}section", f"{TB}table-header-rows", f"{TB}table-rows"):
            _blocks(child, lines, list_depth)


def _cell_text(cell) -> str:
    """A cell's paragraphs (and lists) joined with a space; a table nested in it as 'a | b; c | d'."""
    parts = []
    for child in cell:
        if child.tag in (f"{T}p", f"{T}h"):
            text = " ".join(inline_text(child).split())
        elif child.tag == f"{T}list":
            text = _cell_text_of_list(child)
        elif child.tag == f"{TB}table":
            text = "; ".join(line.replace("\t", " | ") for line in table_lines(child) if line.strip())
        else:
            continue
        if text:
            parts.append(text)
    return " ".join(parts)


def _cell_text_of_list(element) -> str:
    return " ".join(_cell_text(item) for item in element if item.tag == f"{T}list-item")


def _rows(table):
    """The table's own rows (not those of a table nested in a cell), header rows included."""
    for child in table:
        if child.tag == f"{TB}table-row":
            yield child
        elif child.tag in (f"{TB}table-header-rows", f"{TB}table-rows", f"{TB}table-row-group"):
            yield from _rows(child)


def table_lines(table) -> list[str]:
    lines = []
    for row in _rows(table):
        if row.get(f"{TB}visibility") == "collapse":
            continue
        cells: list[str] = []
        for cell in row:
            repeat = min(int(cell.get(f"{TB}number-columns-repeated", "1")), MAX_REPEAT)
            if cell.tag == f"{TB}covered-table-cell":
                cells += [""] * repeat
            elif cell.tag == f"{TB}table-cell":
                text = _cell_text(cell)
                span = int(cell.get(f"{TB}number-columns-spanned", "1"))
                for _ in range(repeat):
                    cells += [text] + [""] * (span - 1)
        repeat_rows = min(int(row.get(f"{TB}number-rows-repeated", "1")), MAX_REPEAT)
        lines += [row_line(cells)] * (repeat_rows if any(cells) else 1)
    return lines


def _header_footer_lines(styles) -> list[str]:
    if styles is None:
        return []
    seen: list[str] = []
    for part in styles.iterfind(".//style:master-page/*", _NS):
        if part.tag.split("}")[1] not in ("header", "footer"):
            continue
        for p in part.iter(f"{T}p"):
            text = " ".join(inline_text(p).split())
            if text and text not in seen:
                seen.append(text)
    return seen

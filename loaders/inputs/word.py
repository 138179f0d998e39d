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
from . import ExtractedText

FORMAT = "docx"
MAX_UNCOMPRESSED = 200 * 1024 * 1024
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
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
        raise Refused("word_too_big", limit_mb=MAX_UNCOMPRESSED // 2**20)


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
    furniture: set[int] = set()
    for text in _header_footer_lines(document):
        lines.append(text)
        furniture.add(len(lines))
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines += paragraph_lines(block)
        elif isinstance(block, Table):
            lines += table_lines(block)
    if not any(line.strip() for line in lines[len(furniture):]):
        raise Refused("word_damaged", kind="Word")
    return ExtractedText("\n".join(lines), FORMAT, furniture=frozenset(furniture))


def _header_footer_lines(document) -> list[str]:
    """The distinct lines of every section's page header and footer, in order."""
    seen: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous and seen:
                continue
            for paragraph in part.paragraphs:
                text = " ".join(paragraph.text.split())
                if text and text not in seen:
                    seen.append(text)
    return seen


def paragraph_lines(paragraph) -> list[str]:
    """'Obiettivi di performance' in a Heading 2 style -> ['## Obiettivi di performance']; a list item -> '- ...'."""
    text = paragraph.text.replace("\r", "\n")
    if not text.strip():
        return [""]
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
    """A cell's paragraphs joined with a space; nested tables flattened."""
    parts = []
    for p in tc.iter(f"{_W}p"):
        text = "".join(node.text or "" if node.tag == f"{_W}t" else "\t" if node.tag == f"{_W}tab" else " "
                       for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br"))
        if text.strip():
            parts.append(" ".join(text.replace("\t", " ").split()))
    return " ".join(parts)


def row_line(cells: list[str]) -> str:
    """['a', 'b', '', ''] -> 'a\\tb'; a row with one filled cell keeps a tab: it is still a table row."""
    width = len(cells)
    while cells and not cells[-1]:
        cells = cells[:-1]
    line = "\t".join(cells)
    return line + "\t" if width > 1 and "\t" not in line and line else line


def table_lines(table) -> list[str]:
    """One line per row: merged cells printed once, the columns they span left empty."""
    lines = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        for tc in tr.tc_lst:
            span = tc.grid_span if hasattr(tc, "grid_span") else 1
            continued = tc.vMerge == "continue" if hasattr(tc, "vMerge") else False
            cells.append("" if continued else _cell_text(tc))
            cells += [""] * (max(span, 1) - 1)
        lines.append(row_line(cells))
    return lines

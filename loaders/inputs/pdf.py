"""PDF input: the text layer read into the same line model the text parsers read.

Each page's tables become tab-separated lines (one per row, cells' own line breaks joined with a space),
the text outside tables becomes plain lines, both in reading order (top to bottom). The result is the text
that `source_line` points into; `line_pages[n]` is the page of line n+1.
"""
from __future__ import annotations

import io

from ..errors import Refused
from . import ExtractedText

FORMAT = "pdf"
MAX_PAGES = 2000


def accepts(name: str, data: bytes) -> bool:
    if data.startswith(b"%PDF"):
        return True
    if name.lower().endswith(".pdf"):
        raise Refused("not_pdf")
    return False


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    middle_x = (obj["x0"] + obj["x1"]) / 2
    middle_y = (obj["top"] + obj["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _cell(text) -> str:
    return " ".join(str(text or "").split())


def _paragraph_lines(lines: list[dict]) -> list[tuple[float, str]]:
    """Join the lines a paragraph was wrapped into: a line that reaches the right margin continues on the
    next one. Short lines (headings, list items, the last line of a paragraph) end where they end."""
    if not lines:
        return []
    margin = max(line["x1"] for line in lines)
    out: list[tuple[float, str]] = []
    previous = None
    for line in lines:
        text = line["text"].strip()
        height = line["bottom"] - line["top"]
        wrapped = previous is not None and previous["x1"] >= margin - 20 and \
            line["top"] - previous["bottom"] < 0.6 * height and not text.startswith(("-", "•", "·"))
        if wrapped and out:
            top, joined = out[-1]
            out[-1] = (top, joined[:-1] + text if joined.endswith("-") and text[:1].islower() else f"{joined} {text}")
        else:
            out.append((line["top"], text))
        previous = line
    return out


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
    lines: list[str] = []
    pages: list[int] = []
    with document:
        if len(document.pages) > MAX_PAGES:
            raise Refused("pdf_pages", pages=len(document.pages), limit=MAX_PAGES)
        for number, page in enumerate(document.pages, start=1):
            items: list[tuple[float, str]] = []
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for table in tables:
                for row, cells in zip(table.rows, table.extract()):
                    items.append((row.bbox[1], "\t".join(_cell(c) for c in cells)))
            outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, b) for b in boxes))
            for top, text in _paragraph_lines(outside.extract_text_lines(return_chars=False)):
                items.append((top, text))
            for _, text in sorted(items, key=lambda item: item[0]):
                lines.append(text)
                pages.append(number)
    if not any(line.strip() for line in lines):
        raise Refused("pdf_no_text")
    return ExtractedText("\n".join(lines), FORMAT, line_pages=pages)

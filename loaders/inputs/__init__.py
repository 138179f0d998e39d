"""Input formats side by side: each turns a file's bytes into lines of text with their provenance.

Every adapter has FORMAT, accepts(name, data) and extract(data) -> ExtractedText. The text is what the
family parsers read and what `source_line` points into; a PDF adds the page of each line and the lines that
are page furniture, a workbook the sheet of each line. To add a format, add a module and an entry in ADAPTERS.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass

from cruscotto.records import ParsedDocument

from ..errors import Refused
from ..lines import split_lines


@contextmanager
def collector_paused():
    """The cyclic garbage collector paused while a file is read: a PDF's characters and words, a text's lines,
    cells, records and rows are many thousands of objects that form no cycle, and the collector, set off by
    their number, went through them again and again (a twelfth of the CPU of reading a PDF, a sixth of a text
    document's). What is let go is freed all the same, by its reference count; a cycle waits for the
    collector's next run, after the file. Nothing to do where the collector is off already (a load's worker)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass(frozen=True)
class ExtractedText:
    text: str                                  # what the parsers read; source_line points into it
    input_format: str                          # text, pdf, docx, odt, xlsx
    line_pages: list[int] | None = None        # PDF: the page of each line
    furniture: frozenset[int] = frozenset()    # 1-based lines that are running headers, footers, page numbers
    encoding: str | None = None                # text files: utf-8, utf-8-sig, utf-16, cp1252
    store_text: bool = True                    # False when the text is the file itself, unchanged
    family: str | None = None                  # set when the format itself says what it holds (the template)
    parsed: ParsedDocument | None = None
    line_count: int | None = None              # set when text was left out (a load's worker: the file holds it)

    @property
    def lines(self) -> int:
        """How many lines the text has: 'a\\nb' -> 2."""
        if self.line_count is not None:
            return self.line_count
        return len(split_lines(self.text))


def with_furniture(furniture: list[str], body: list[str], input_format: str, kind: str) -> ExtractedText:
    """A word processor's text: its page header and footer lines first, marked as furniture, then the body.
    A body with no text at all is a damaged file (kind names the format in the refusal)."""
    if not any(line.strip() for line in body):
        raise Refused("word_damaged", kind=kind)
    return ExtractedText("\n".join(furniture + body), input_format,
                         furniture=frozenset(range(1, len(furniture) + 1)))


def row_line(cells: list[str]) -> str:
    """A table row as one line: ['a', 'b', '', ''] -> 'a\\tb'; a row with one filled cell keeps a tab, since it
    is still a table row: ['a', ''] -> 'a\\t'."""
    width = len(cells)
    while cells and not cells[-1]:
        cells = cells[:-1]
    line = "\t".join(cells)
    return line + "\t" if width > 1 and "\t" not in line and line else line


ADAPTERS = ("pdf", "word", "odt", "workbook")      # asked in this order; text reads whatever none takes
BINARY_SUFFIXES = (".pdf", ".docx", ".docm", ".odt", ".xlsx", ".xlsm")    # the names their accepts() take


def adapter_for(name: str, data: bytes):
    """The adapter that reads this file: by its content first, then by its name. Each adapter is imported only
    when it is asked: the workbook's (pandas, pyarrow, openpyxl) and the PDF's (pdfplumber, PDFium) cost a load's
    worker about 65 and 15 MB, and nearly every file is text. A file that starts as neither a PDF nor a zip, and
    is not named as one of them, can only be text."""
    from importlib import import_module

    if data.startswith((b"%PDF", b"PK\x03\x04")) or name.lower().endswith(BINARY_SUFFIXES):
        for module in ADAPTERS:
            adapter = import_module(f".{module}", __package__)
            if adapter.accepts(name, data):
                return adapter
    return import_module(".text", __package__)


SUFFIXES = {".txt", ".md", ".text", ".pdf", ".xlsx", ".xlsm", ".docx", ".odt"}

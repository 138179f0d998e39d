"""Why a file cannot be loaded: typed exceptions carrying the data, with English text.

The Italian sentence a person reads is written in cruscotto/messages.py, at the edge (pages, command line).
"""
from __future__ import annotations


class Refused(Exception):
    """A file that cannot be loaded at all. `code` names the reason (empty, binary, too_large, not_pdf,
    pdf_password, pdf_damaged, pdf_no_text, pdf_pages, pdf_heavy_content, pdf_heavy_page, pdf_nested_forms,
    pdf_repeated_forms, pdf_heavy_document, read_time, read_memory, word_damaged, word_too_big, workbook_damaged,
    workbook_too_big, workbook_rows, not_template, unknown_structure, invalid_cells, unexpected); `details`
    the data behind it (sizes, limits, names)."""

    def __init__(self, code: str, **details):
        self.code = code
        self.details = details
        shown = ", ".join(f"{k}={v!r}" for k, v in details.items() if k != "errors")
        super().__init__(f"{code} ({shown})" if shown else code)

    def __reduce__(self):
        # A refusal made in a worker process travels back to the loader whole (code, details, errors); the
        # default pickling would call the class with the message as its only argument.
        state = {k: v for k, v in self.__dict__.items() if k != "extracted"}
        return _rebuilt, (type(self), self.args, state)


def _rebuilt(cls, args, state):
    """A Refused (or subclass) as pickled by Refused.__reduce__: UnknownFamily's text stays behind."""
    exc = Exception.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    if cls is UnknownFamily:
        exc.extracted = None
    return exc


class UnknownFamily(Refused):
    """No family recognises the document's structure; `extracted` holds the text read from the file."""

    def __init__(self):
        super().__init__("unknown_structure")
        self.extracted = None


class InvalidCells(Refused):
    """An Excel template with cells that do not validate; `errors` names them (sheet, row, column, why)."""

    def __init__(self, errors: list[str]):
        super().__init__("invalid_cells", count=len(errors), errors=errors)
        self.errors = errors

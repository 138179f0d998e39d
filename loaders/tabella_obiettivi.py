"""One wide table per report: AREA | OBIETTIVO | INDICATORI | VALORE ATTESO | RISULTATO | STRUMENTO,
followed by the nucleo di valutazione's scores per area ('AREA ANZIANI<TAB><TAB>460/500').

What is special: the objective is a column, not a heading. Rows inherit the area and objective of the
row above when those cells are empty; a row holding only a result continues the previous indicator's
result (PDF page breaks split long sentences); the header may be repeated on every page. The general table
reader (loaders/tables.py) does all of this; this family only recognises the layout.
"""
from __future__ import annotations

from .lines import text_to_lines
from .tables import read_header
from .tabelle_indicatori import parse  # noqa: F401  (the general reader reads this layout)

NAME = "tabella_obiettivi"


def identify(text: str, furniture: frozenset[int] = frozenset()) -> bool:
    """A table whose header names the objective, the indicator, the expected and the actual value."""
    lines = text_to_lines(text, furniture)
    for line in lines:
        if line.is_table_row:
            header = read_header(line)
            if header and header.kind == "indicators" and "objective" in header.columns and \
                    "indicator" in header.columns:
                return True
    return False

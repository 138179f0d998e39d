"""Never drop a line of a table: every non-empty table line of a recognised document ends up in a record,
in quality_issues, or is table structure (a header, a year sub-header, a context row, a group heading).

Checked on the five samples and on mutated copies of them."""
import re

import pytest
from hypothesis import given

from conftest import SAMPLES, sample_text
from loaders import parse_text
from loaders.errors import Refused
from loaders.rows import document_rows
from loaders import piano_di_zona, schede_obiettivo, tables
from loaders.tables import read_header
from loaders.lines import is_separator, text_to_lines
from test_fuzz import FAST, mutated_sample


def structural(family: str, line) -> bool:
    """Lines the parsers read as table structure rather than as values."""
    if family == "schede_obiettivo":
        return schede_obiettivo.is_structure(line)
    if family in ("tabella_obiettivi", "tabelle_indicatori"):
        return read_header(line) is not None or tables.combine_header_lines(line, line) is not None
    if family == "piano_di_zona":
        return bool(piano_di_zona._years_header(line)) or len(line.values) == 1     # a header or a group row
    return False


def unaccounted(text: str) -> list[int]:
    family, parsed = parse_text(text)
    rows = document_rows(parsed)
    seen = {r["source_line"] for table in rows.values() for r in table if r.get("source_line")}
    return [line.number for line in text_to_lines(text)
            if line.is_table_row and not is_separator(line) and line.number not in seen
            and not structural(family, line)]


@pytest.mark.parametrize("key", SAMPLES)
def test_every_table_line_of_a_sample_is_accounted_for(key):
    assert unaccounted(sample_text(key)) == []


@FAST
@given(mutated_sample())
def test_every_table_line_of_a_mutated_sample_is_accounted_for(data):
    text = data.decode("utf-8", errors="replace") if not data.startswith(b"\xef\xbb\xbf") else data[3:].decode()
    try:
        missing = unaccounted(text)
    except Refused:
        return
    assert missing == []

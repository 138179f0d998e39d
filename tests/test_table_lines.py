"""Never drop a line of a table: every non-empty table line of a recognised document ends up in a record,
in quality_issues, or is table structure (a header, a year sub-header, a context row, a group heading).

Checked on the five samples and on mutated copies of them."""
import re

import pytest
from hypothesis import given

from conftest import SAMPLES, sample_text
from loaders import Refused, document_rows, parse_text
from loaders import piano_di_zona, schede_obiettivo, tabella_obiettivi
from loaders.common import glue_cells, is_separator, text_to_lines
from test_fuzz import FAST, mutated_sample


def structural(family: str, line) -> bool:
    """Lines the parsers read as table structure rather than as values."""
    if family == "schede_obiettivo":
        reader = schede_obiettivo._SheetReader([line])
        return bool(schede_obiettivo._is_milestone_header(line) or schede_obiettivo._is_indicator_header(line)
                    or schede_obiettivo.HEADING.match(line.raw) or reader.context_label(line)
                    or schede_obiettivo._year_positions(line)
                    or re.sub(r"\s", "", glue_cells(line.cells).lower()).startswith(("centrodiresponsabilit",
                                                                                     "obiettividiperf"))
                    or re.match(r"(?i)^(macro\s*servizio|servizio)\s*:", line.raw.strip())
                    or schede_obiettivo.SECTION_MARKERS.get(schede_obiettivo.first_text(line).lower().rstrip(":")))
    if family == "tabella_obiettivi":
        return tabella_obiettivi.header_columns(line) is not None
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

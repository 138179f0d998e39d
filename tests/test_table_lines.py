"""Never drop a line of a table: every non-empty table line of a recognised document ends up in a record,
in quality_issues, or is table structure (a header, a year sub-header, a context row, a group heading);
every bullet of a Piano di Zona's indicator, target and deadline lists ends up in a record.

Checked on the five samples, on mutated copies of them, on the edited variants and on the office-made
PDF, Word and OpenDocument files (issue 9: page furniture is the only thing left out, and it is marked)."""
import re
from functools import lru_cache

import pytest
from hypothesis import given

from conftest import ROOT, SAMPLES, sample_text
from cruscotto import vocabulary
from loaders import parse_text, piano_di_zona, schede_obiettivo
from loaders.errors import Refused
from loaders.lines import is_separator, plain_words, text_to_lines
from loaders.rows import document_rows
from loaders.service import read_input
from loaders.tables import combine_header_lines, key_value, read_header
from test_fuzz import FAST, mutated_sample

FILES = ROOT / "tests" / "files"
LISTS = {plain_words(label): kind for label, kind in vocabulary.PLAN_LISTS.items()}
SECTIONS = {plain_words(word) for word in vocabulary.PLAN_SECTIONS}


def structural(family: str, line) -> bool:
    """Lines the parsers read as table structure rather than as values."""
    if key_value(line):
        return True                                       # the label rows of a key-value indicator sheet
    if family == "schede_obiettivo":
        return schede_obiettivo.is_structure(line) or bool(read_header(line))
    if family in ("tabella_obiettivi", "tabelle_indicatori"):
        return read_header(line) is not None or combine_header_lines(line, line) is not None
    if family == "piano_di_zona":
        return bool(piano_di_zona._years_header(line)) or len(line.values) == 1     # a header or a group row
    return False


def plan_bullets(lines) -> list:
    """The bullet lines under an 'Indicatori:', 'Target:' or 'Tempistica:' label (or a TEMPI section)."""
    found, listed = [], None
    for line in lines:
        label = plain_words(line.text).rstrip(":").strip()
        head = plain_words(line.raw.split(":")[0]).strip(" #*") if ":" in line.raw else label
        if head in LISTS:
            listed = LISTS[head] if LISTS[head] != "tools" else None
        elif label in SECTIONS:
            listed = "deadlines" if label in ("tempi", "tempistica") else None
        elif re.match(r"^\s*[-•]\s", line.raw) and listed in ("indicators", "ranges") or \
                (listed == "deadlines" and re.match(r"^\s*[-•]\s", line.raw) and re.search(r"(?i)\bentro\b", line.raw)):
            found.append(line)
        elif re.match(r"(?i)^\s*obiettivo\b", line.raw) or piano_di_zona._priority_area(line) or \
                piano_di_zona._years_header(line):
            listed = None                                 # a new sheet, area or budget table ends a list
    return found


def unaccounted(text: str, furniture: frozenset[int] = frozenset()) -> list[int]:
    family, parsed = parse_text(text, furniture)
    rows = document_rows(parsed)
    seen = {r["source_line"] for table in rows.values() for r in table if r.get("source_line")}
    lines = text_to_lines(text, furniture)
    missing = [line.number for line in lines
               if line.is_table_row and not is_separator(line) and line.number not in seen
               and not structural(family, line)]
    if family == "piano_di_zona":                       # a target bullet lives on as its indicator's expected value
        values = {str(v) for table in rows.values() for r in table for v in r.values() if isinstance(v, str)}
        missing += [line.number for line in plan_bullets(lines) if line.number not in seen
                    and re.sub(r"^\s*[-•]\s*", "", line.text).rstrip(";.") not in values]
    return sorted(missing)


@pytest.mark.parametrize("key", SAMPLES)
def test_every_table_line_of_a_sample_is_accounted_for(key):
    assert unaccounted(sample_text(key)) == []


@pytest.mark.parametrize("name", sorted(p.name for p in (FILES / "variants").glob("*.txt")))
def test_every_table_line_of_a_variant_is_accounted_for(name):
    assert unaccounted((FILES / "variants" / name).read_text(encoding="utf-8")) == []


@lru_cache(maxsize=None)
def office(name: str):
    path = FILES / "office" / name
    return read_input(name, path.read_bytes()).extracted


@pytest.mark.parametrize("name", sorted(p.name for p in (FILES / "office").iterdir()
                                        if p.suffix in (".docx", ".odt") or "senza_bordi" in p.name))
def test_every_table_line_of_an_office_file_is_accounted_for(name):
    extracted = office(name)
    assert unaccounted(extracted.text, extracted.furniture) == []


@FAST
@given(mutated_sample())
def test_every_table_line_of_a_mutated_sample_is_accounted_for(data):
    text = data.decode("utf-8", errors="replace") if not data.startswith(b"\xef\xbb\xbf") else data[3:].decode()
    try:
        missing = unaccounted(text)
    except Refused:
        return
    assert missing == []

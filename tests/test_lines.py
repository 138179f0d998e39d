"""The line model (loaders/lines.py): lines made from a text, and the words looked for in a whole document."""
import pytest

from conftest import SAMPLES, sample_text
from loaders.lines import Line, all_lines, may_hold, positions_holding, text_to_lines

WORDS = [("punteggio",), ("punt", "totalizza"), ("consuntiv", "report", "rilevat", "situazione"), ("obiettiv",),
         ("stakeholder",)]


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("words", WORDS)
def test_positions_holding_finds_what_a_look_at_each_line_finds(sample, words):
    lines = text_to_lines(sample_text(sample), frozenset())
    assert positions_holding(lines, *words) == [i for i, line in enumerate(lines) if may_hold(line, *words)]


def test_positions_holding_on_the_scores_sample():
    text = sample_text("cissac")                        # the one sample that prints the nucleo's 'punteggio'
    lines = text_to_lines(text, frozenset())
    found = [lines[i].number for i in positions_holding(lines, "punteggio")]
    assert found == [n for n, raw in enumerate(text.splitlines(), start=1) if "punteggio" in raw.lower()]
    assert found


@pytest.mark.parametrize("edited, expected", [
    ("Nulla\nIl PUNTEGGIO è 8\nAltro", [1]),               # any case
    ("Città\nil punteggio è 8, attività svolte\n", [1]),   # accents elsewhere in the text
    ("Nulla\nPUNTEGG\u0130O\nil punteggio\n", [1, 2]),      # a dotted capital I: only a case-insensitive search reads it
    ("PUNTEGGIO\tPUNTEGGIO\n\nfine punteggio", [0, 2]),    # one position per line, blank lines counted
    ("nulla\nniente\n", []),
])
def test_positions_holding_on_edited_texts(edited, expected):
    lines = list(all_lines(edited, frozenset()))
    assert positions_holding(lines, "punteggio") == expected
    assert expected == [i for i, line in enumerate(lines) if may_hold(line, "punteggio")]


def test_lines_compare_by_their_fields():
    first, again = all_lines("a\tb\n\nc", frozenset()), all_lines("a\tb\n\nc\n", frozenset())
    assert first == again and hash(first) == hash(again)
    assert first[0] == Line(1, "a\tb", ("a", "b")) and first[0] != Line(2, "a\tb", ("a", "b"))
    assert (first[0].is_table_row, first[1].is_blank, first[2].is_table_row) == (True, True, False)
    assert first[0].values == ["a", "b"] and first[0] != "a\tb"

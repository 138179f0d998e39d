"""Page furniture in text pulled out of a PDF: running headers and footers, page numbers. Never data.

A PDF tells where a line sits on its page (loaders/inputs/pdf.py looks at that); a text copy of a PDF does
not, so here furniture is what only a page number does: a line that is just 'pag. 3' or '- 3 -', or the
same words repeated on several lines with a number that grows ('Piano di Zona 2015-2017<TAB>12', '... 13').
The lines keep their place in the text; readers skip them.
"""
from __future__ import annotations

import re
from collections import defaultdict

from cruscotto import vocabulary as words

from ..lines import split_lines

PAGE_NUMBER = re.compile(r"(?i)^\s*(?:[-–]\s*)?(?:pag(?:ina|\.)?\s*)?(\d{1,4})(?:\s*(?:di|/)\s*\d{1,4})?(?:\s*[-–])?\s*$")
_TRAILING_NUMBER = re.compile(r"(?i)^(.*?\S)[\s\t]*(?:[-–|]\s*)?(?:pag(?:ina|\.)?\s*)?(\d{1,4})(?:\s*(?:di|/)\s*\d{1,4})?\s*$")
MIN_REPEATS = 3             # a running footer shows on at least this many pages
MAX_FOOTER_WORDS = 15
# A numbered heading ('Obiettivo 3') also repeats with a growing number: a footer names the document or its
# issuer, or says 'pag.'.
_FOOTER_WORDS = re.compile(r"(?i)\bpag|" + "|".join(re.escape(w) for w in words.TITLE_WORDS + words.ISSUER_FORMS))
# What _FOOTER_WORDS looks for, in lower case: a line holding none of them cannot match it (see _may_name).
_FOOTER_LOWER = ("pag",) + tuple(w.lower() for w in words.TITLE_WORDS + words.ISSUER_FORMS)
# Letters that re.IGNORECASE matches to an ASCII letter although lower case makes them something else
# ('İ', 'ı', 'ſ', the Kelvin sign): loaders.lines._CASE_ODD.
_CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")
HEADING_WORDS = re.compile(r"(?i)^\W*(?:" + "|".join(re.escape(w) for w in words.OBJECTIVE_WORDS + ("area", "fase"))
                           + r")(?![a-zà-ù])")


def text_furniture(text: str) -> frozenset[int]:
    """Line numbers (1-based) of page furniture: 'pag. 3' alone, or 'Relazione 2021<TAB>4', '... 5', '... 6'."""
    found: set[int] = set()
    repeated: dict[str, list[tuple[int, int]]] = defaultdict(list)
    lines = split_lines(text)
    for number, stripped in enumerate(map(str.strip, lines), start=1):
        if not stripped or len(stripped) > 160:
            continue
        if not stripped[-1].isdigit() and stripped[-1] not in "-–":
            continue                  # both patterns end with a number (or a dash): most lines are over here
        if "\t" not in stripped and PAGE_NUMBER.match(stripped) and re.search(r"(?i)pag|[-–]\s*\d+\s*[-–]", stripped):
            found.add(number)
            continue
        # the cheap tests first: a table's row has more cells, most lines name no document nor issuer
        if len([c for c in lines[number - 1].split("\t") if c.strip()]) > 2 or not _may_name(stripped) \
                or not _FOOTER_WORDS.search(stripped) or HEADING_WORDS.match(stripped):
            continue
        tail = _TRAILING_NUMBER.match(stripped)
        if tail and len(tail.group(1).split()) <= MAX_FOOTER_WORDS:
            key = re.sub(r"\s+", " ", tail.group(1).lower())
            repeated[key].append((number, int(tail.group(2))))
    for occurrences in repeated.values():
        pages = [page for _, page in occurrences]
        if len(occurrences) >= MIN_REPEATS and len(set(pages)) == len(pages) and pages == sorted(pages):
            found.update(number for number, _ in occurrences)
    return frozenset(found)


def _may_name(line: str) -> bool:
    """False only when _FOOTER_WORDS cannot match `line`: it holds none of its words in lower case. A few
    substring looks instead of the case-insensitive search, slow over its many words, on most lines that end
    with a number. True for a line with a letter of _CASE_ODD, that only the search reads rightly."""
    lowered = line.lower()
    for word in _FOOTER_LOWER:
        if word in lowered:
            return True
    return any(letter in line for letter in _CASE_ODD)

"""The same report in another format (the PDF of a text already loaded, the Word original of a PDF).

A report is identified by what identifies it to a person: issuer, year or period, kind, and the words of its
objective titles (or, without titles, of its indicators and budget lines), compared loosely, so that a PDF
whose extraction differs by a cell is still the same report. Two documents with the same key and words
that mostly coincide are twins: the upload page asks before saving the second, the command line skips it.
"""
from __future__ import annotations

import hashlib
import re

from cruscotto.records import ParsedDocument

from .lines import plain_words

SAME_WORDS = 0.6           # share of words in common (Jaccard) above which two reports are the same
MIN_WORD = 4               # shorter words ('di', 'per', 'dei') say nothing about a report


def _norm(value) -> str:
    return " ".join(plain_words(str(value)).split()) if value is not None else ""


def report_key(parsed: ParsedDocument, issuer: str | None = None, year: int | None = None) -> str:
    """sha256 of issuer, year or period and kind: 'CONS. SOC. ASSIST. ALBA' 2019 rendicontazione -> 'a3f…'."""
    parts = [_norm(issuer or parsed.issuer), _norm(year or parsed.report_year), _norm(parsed.period_start),
             _norm(parsed.period_end), parsed.kind]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def content_words(parsed: ParsedDocument) -> frozenset[str]:
    """The words that say what the report is about: its objective titles, else its indicators and lines."""
    texts = [o.title or o.description or "" for o in parsed.objectives if o.duplicate_of is None]
    if not any(texts):
        texts = [i.name or "" for i in parsed.indicators] + [b.line for b in parsed.budget_lines]
    found = set()
    for text in texts:
        found.update(w for w in re.findall(r"[a-z0-9]+", plain_words(text)) if len(w) >= MIN_WORD)
    return frozenset(found)


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Share of words in common: {'a', 'b'} and {'a', 'c'} -> 0.33."""
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def is_same_report(first: frozenset[str], second: frozenset[str]) -> bool:
    return similarity(first, second) >= SAME_WORDS


def words_to_text(words: frozenset[str]) -> str:
    return " ".join(sorted(words))


def text_to_words(text: str | None) -> frozenset[str]:
    return frozenset((text or "").split())

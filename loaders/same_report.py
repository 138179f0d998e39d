"""The same report in another format (the PDF of a text already loaded, the Word original of a PDF).

A report is identified by what identifies it to a person: year or period and kind (the key), its issuer
(compared loosely: a PDF may cut a long name where the title wraps), the words of its objective titles (or,
without titles, of its indicators and budget lines) and the values it reports, so that a PDF whose
extraction differs by a cell is still the same report, while the final report after a mid-year monitoring
(same objectives, other values) is not. Twins: the upload page asks before saving the second, the command
line skips it.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from cruscotto.records import ParsedDocument

from .lines import plain_words

SAME_WORDS = 0.6           # share of words in common (Jaccard) above which two reports are the same
MIN_WORD = 4               # shorter words ('di', 'per', 'dei') say nothing about a report
VALUE_KEY = 40             # characters of a record's name and value that identify it ('incontricda=14')


def _norm(value) -> str:
    return " ".join(plain_words(str(value)).split()) if value is not None else ""


def report_key(parsed: ParsedDocument, issuer: str | None = None, year: int | None = None) -> str:
    """sha256 of year or period and kind: 2019 rendicontazione_obiettivi -> 'a3f…'. The issuer is compared
    apart, loosely (content_words carries it)."""
    parts = [_norm(year or parsed.report_year), _norm(parsed.period_start), _norm(parsed.period_end), parsed.kind]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


_WORD = re.compile(r"[a-z0-9]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _words(texts) -> set[str]:
    """Words long enough to say something, and every number ('Ambito 12' is not 'Ambito 1')."""
    found = set()
    for text in texts:
        found.update(w for w in _WORD.findall(plain_words(text or "")) if len(w) >= MIN_WORD or w.isdigit())
    return found


@lru_cache(maxsize=16384)
def _value_key(part: str | None) -> str:
    """'Incontri CdA' -> 'incontricda', '14 (+2)' -> '142': a record's name or value as it identifies the record
    (asked of every record of every document: the same names and values come back)."""
    return _NOT_WORD.sub("", plain_words(part or ""))[:VALUE_KEY]


def content_words(parsed: ParsedDocument, issuer: str | None = None) -> frozenset[str]:
    """What identifies a report, as tagged words: 'i:' its issuer's words, 't:' the words of its objective
    titles (else of its indicators and budget lines), 'v:' each record with the value it reports (an indicator and its result, a line and its amount).
    'Consorzio Alfa', 'Obiettivo: Domiciliarità', 'Incontri CdA' 14 -> {'i:consorzio', 'i:alfa', 't:domiciliarita',
    'v:incontricda=14'}."""
    titles = [o.title or o.description or "" for o in parsed.objectives if o.duplicate_of is None]
    if not any(titles):
        titles = [i.name or "" for i in parsed.indicators] + [b.line for b in parsed.budget_lines]
    values = [(i.name, i.actual_raw) for i in parsed.indicators] + \
        [(m.activity, m.actual_raw) for m in parsed.milestones] + \
        [(f"{b.line} {b.year}", b.amount_raw) for b in parsed.budget_lines] + [(s.area, s.as_printed) for s in parsed.scores]
    value_tokens = {f"{_value_key(name)}={_value_key(value)}" for name, value in values}
    return frozenset({f"i:{w}" for w in _words([issuer or parsed.issuer])} | {f"t:{w}" for w in _words(titles)} |
                     {f"v:{w}" for w in value_tokens})


def similarity(first: set[str], second: set[str]) -> float:
    """Share of words in common: {'a', 'b'} and {'a', 'c'} -> 0.33; nothing at all in common -> 0."""
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _part(words: frozenset[str], tag: str) -> set[str]:
    return {w[2:] for w in words if w.startswith(tag)}


def issuer_words(words: frozenset[str]) -> set[str]:
    """{'i:consorzio', 'i:alfa', 't:domiciliarita'} -> {'consorzio', 'alfa'}."""
    return _part(words, "i:")


def same_issuers(first: set[str], second: set[str]) -> bool:
    """One name's words within the other's; two documents that name no issuer match."""
    return first <= second or second <= first if first and second else not first and not second


def is_same_report(first: frozenset[str], second: frozenset[str]) -> bool:
    """Same issuer (one name's words within the other's: a name cut where the title wraps still matches, and
    two documents that name no issuer match), same objectives and mostly the same values."""
    same_issuer = same_issuers(issuer_words(first), issuer_words(second))
    titles = similarity(_part(first, "t:"), _part(second, "t:"))
    values = _part(first, "v:"), _part(second, "v:")
    same_values = similarity(*values) >= SAME_WORDS if any(values) else True
    return same_issuer and titles >= SAME_WORDS and same_values


def words_to_text(words: frozenset[str]) -> str:
    return " ".join(sorted(words))


def text_to_words(text: str | None) -> frozenset[str]:
    return frozenset((text or "").split())

"""The line model every reader shares: a document is text, a table row is one line of TAB-separated cells.

Every input format is turned into this text first (loaders/inputs/), so that `source_line` always points
into a text a person can read. Lines that are page furniture (running headers, footers, page numbers of a
PDF) keep their place and number but are marked: readers skip them, the issuer finder may look at them.
"""
from __future__ import annotations

import re
import unicodedata
import functools
from functools import lru_cache

from cruscotto.italian import clean_cell


# Letters that re.IGNORECASE reads as ASCII letters although lower case makes them something else: 'İ', 'ı' (i),
# 'ſ' (s) and the Kelvin sign (k).
_CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")


class once:
    """functools.cached_property without its lock (Python 3.11 takes one on every first read, and readers
    ask a few properties of every line): the value is worked out on the first read and kept in the
    instance's __dict__, where later reads find it before this descriptor."""

    def __init__(self, function):
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


class Line:
    """One line of a document, with is_blank and is_table_row: Line(3, 'Fase\\tInizio', ('Fase', 'Inizio')).

    A line never changes; what the readers ask of it again and again (its values, its text) is worked out once
    and kept beside the fields, which alone make equality and hash. A plain class with slots rather than a
    frozen dataclass: a document is hundreds of lines, and making them was a fifth of parsing."""
    __slots__ = ("number", "raw", "cells", "furniture", "is_blank", "is_table_row", "values", "__dict__")

    def __init__(self, number: int, raw: str, cells: tuple[str, ...], furniture: bool = False):
        self.number = number           # 1-based
        self.raw = raw
        self.cells = cells
        self.furniture = furniture
        # Asked of every line by every reader: worked out here rather than on first use (a `once` property
        # costs a Python call on its first read, several times what it works out).
        self.is_blank = not raw.strip()
        values = self.values = list(filter(None, cells))   # the non-empty cells, in order (a list nobody may change)
        self.is_table_row = "\t" in raw and bool(values)

    def _fields(self) -> tuple:
        return self.number, self.raw, self.cells, self.furniture

    def __eq__(self, other) -> bool:
        return self._fields() == other._fields() if other.__class__ is Line else NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"Line(number={self.number!r}, raw={self.raw!r}, cells={self.cells!r}, furniture={self.furniture!r})"

    @once
    def text(self) -> str:
        """The line as plain text: cells joined, markdown and HTML removed."""
        return clean_cell(" ".join(self.values).replace("#", " ")) or ""

    @once
    def lower(self) -> str:
        return self.raw.lower()

    @once
    def folded(self) -> str | None:
        """The line in lower case, for a quick look before a case-insensitive search: None when it holds a
        letter that re.IGNORECASE reads as an ASCII letter and str.lower() does not turn into one (_CASE_ODD)."""
        raw = self.raw
        if raw.isascii() or not any(letter in raw for letter in _CASE_ODD):
            return self.lower
        return None

    @once
    def glued(self) -> str:
        """glue_cells(self.cells)."""
        return glue_cells(self.cells)

    @once
    def clean_cells(self) -> tuple[str, ...]:
        """Every cell through clean_cell, '' for an empty one: ('<b>Tempi</b>', '') -> ('Tempi', '')."""
        return tuple([clean_cell(c) or "" for c in self.cells])

    @once
    def first_text(self) -> str:
        """See first_text()."""
        for cell in self.cells:
            cleaned = clean_cell(cell.replace("#", " "))
            if cleaned:
                return cleaned
        return ""


def kept_per_line_text(most: int):
    """A reader's look at a Line kept for each distinct line text (line.raw), at most `most` texts (then it
    starts afresh): headers, labels and headings come back in every document of a consortium. What it works out
    must depend on the line's text alone, never on its number. cache_clear() as an lru_cache's, so that the
    readers' caches are emptied with it (reading._forget_now_and_then)."""
    def keep(work):
        seen: dict[str, object] = {}

        def kept(line: Line):
            found = seen.get(line.raw)
            if found is None:
                if len(seen) >= most:
                    seen.clear()
                found = seen[line.raw] = work(line)
            return found

        kept.cache_clear = seen.clear
        return functools.update_wrapper(kept, work)
    return keep


@lru_cache(maxsize=4)
def split_lines(text: str) -> tuple[str, ...]:
    """text.splitlines() as a tuple: 'a\\n\\nb' -> ('a', '', 'b'). Kept for the last few texts: the furniture
    finder, all_lines and the line count split the same text of a document one after the other."""
    return tuple(text.splitlines())


@lru_cache(maxsize=8)
def all_lines(text: str, furniture: frozenset[int] = frozenset()) -> tuple[Line, ...]:
    """'a\\tb\\n\\nc' -> (Line(1, 'a\\tb', ('a', 'b')), Line(2, '', ('',)), Line(3, 'c', ('c',))).

    Cached: identify() and parse() of every family split the same text. The lines are made here without
    calling Line() (a Python call per line was most of their cost), with what Line.__init__ works out: the
    cells are the stripped pieces of the line, so it is blank when none of them holds text."""
    new, strip = object.__new__, str.strip
    lines = []
    append = lines.append
    number = 0
    for raw in split_lines(text):
        number += 1
        line = new(Line)
        line.number, line.raw, line.furniture = number, raw, number in furniture
        if "\t" in raw:
            cells = line.cells = tuple(map(strip, raw.split("\t")))
            values = line.values = list(filter(None, cells))
            line.is_blank = not values
            line.is_table_row = bool(values)
        else:
            cells = line.cells = (raw.strip(),)
            line.values = [cells[0]] if cells[0] else []
            line.is_blank, line.is_table_row = not cells[0], False
        append(line)
    return tuple(lines)


@lru_cache(maxsize=8)
def text_to_lines(text: str, furniture: frozenset[int] = frozenset()) -> list[Line]:
    """The lines a reader reads: every line but page furniture, with its own number."""
    return [line for line in all_lines(text, furniture) if not line.furniture]


_RULE_CELL = re.compile(r"[-|: ]*")


def is_separator(line: Line) -> bool:
    """Markdown table rules such as '--------------------\\t---' carry nothing."""
    start = line.raw.lstrip()[:1]
    if not start or start not in "-|:":               # the first cell with text is no rule: the common case
        return False
    return all(_RULE_CELL.fullmatch(c) for c in line.cells)


def may_hold(line: Line, *words: str) -> bool:
    """False only when line.raw holds none of `words` (lower-case ASCII) in any case, so that a
    case-insensitive pattern that needs one of them cannot match: a cheap look before a slow search.
    may_hold(Line(1, 'Il PUNTEGGIO massimo', ...), 'punteggio') -> True."""
    folded = line.folded
    if folded is None:
        return True
    for word in words:
        if word in folded:
            return True
    return False


def positions_holding(lines, *words: str) -> list[int]:
    """The positions in `lines` of the lines for which may_hold(line, *words) is True, in order: each word is
    looked for once in the document's text rather than in every line (a word such as 'punteggio' sits in a
    few lines of a few documents). positions_holding([Line(1, 'Obiettivo 1', ...), Line(2, 'Punteggio: 8',
    ...)], 'punteggio') -> [1]."""
    text = _folded_text(lines)
    if text is None:
        return [i for i, line in enumerate(lines) if may_hold(line, *words)]
    found = set()
    for word in words:
        key = word.encode("ascii")
        index, counted = 0, 0                  # lines[index] holds the byte at `counted`
        at = text.find(key)
        while at >= 0:
            index += text.count(b"\n", counted, at)
            counted = at
            found.add(index)
            at = text.find(b"\n", at)         # the rest of this line is already taken
            if at >= 0:
                at = text.find(key, at)
    return sorted(found)


_last_folded: list = [None, None]       # the lines last given to _folded_text, kept alive, and their text


def _folded_text(lines) -> bytes | None:
    """The lines' text, one line a row, as UTF-8 with its ASCII letters in lower case (the words looked for are
    ASCII); None when a line holds a letter of _CASE_ODD, that only a case-insensitive search reads.

    Kept for the last lines asked about: a reader looks for several words in the same lines, which nobody
    changes (text_to_lines gives the same list to every reader)."""
    if _last_folded[0] is lines:
        return _last_folded[1]
    joined = "\n".join([line.raw for line in lines])
    if not joined.isascii() and any(letter in joined for letter in _CASE_ODD):
        text = None
    else:
        text = joined.encode("utf-8").lower()
    _last_folded[:] = [lines, text]
    return text


def glue_cells(cells) -> str:
    """Join cells that PDF extraction split inside a word: ('CENT', 'RO DI') -> 'CENTRO DI';
    ('generali', 'Servizi') -> 'generali Servizi' (a case change marks a new word)."""
    out = ""
    for cell in (c for c in cells if c):
        if out and out[-1].isalpha() and cell[0].isalpha() and out[-1].islower() == cell[0].islower():
            out += cell
        else:
            out = f"{out} {cell}" if out else cell
    return out


@lru_cache(maxsize=16384)
def plain_words(text: str) -> str:
    """'Attività  ' -> 'attivita': for matching that ignores accents and case."""
    text = text or ""
    if text.isascii():
        return text.lower().strip()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def first_text(line: Line) -> str:
    """The first non-empty cell without markdown marks: '#### **Descrizione obiettivo**' -> 'Descrizione obiettivo'."""
    return line.first_text


def starts_with_any(text: str, words) -> str | None:
    """The first of `words` that `text` starts with as whole words, accents and case ignored:
    ('Area Anziani', ('area', 'settore')) -> 'area'; ('Areale', ('area',)) -> None."""
    plain = plain_words(text)
    for word in words:
        key = plain_words(word)
        if plain.startswith(key) and (len(plain) == len(key) or not plain[len(key)].isalnum()
                                      or not key[-1].isalnum()):
            return word
    return None

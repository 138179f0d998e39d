"""The nucleo di valutazione's scores, wherever a document prints them.

- In a table: rows 'AREA ANZIANI<TAB><TAB>460/500' in the block of rows that follows a sentence about
  scores ('I punteggi risultano essere i seguenti:'), or any table whose header names a score column
  (read by loaders/tables.py).
- In prose: 'totalizza il valore massimo di 10 punti', "l'area ottiene 8 punti su 10",
  'punteggio attribuito: 85/100', 'un punteggio di 92 su 100'. The area is the section the sentence sits in.

The maximum is the document's own: printed beside the score, or printed once for the whole document
('punteggio massimo 100'); never a default.
"""
from __future__ import annotations

import re

from cruscotto import vocabulary as words
from cruscotto.italian import clean_cell
from cruscotto.records import Score

from .lines import Line, plain_words, positions_holding, starts_with_any

_SCORE_CELL = re.compile(r"^(\d{1,4}(?:[.,]\d{1,2})?)\s*/\s*(\d{1,4})$")
def _any(phrases) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_SCORE_SENTENCE = re.compile(r"(?i)\b(?:" + _any(words.SCORE_WORDS) + r")\b")
# One of them is in every such sentence ('punt' stands for punteggio, punteggi, punti, punto).
_SCORE_WORD_STEMS = tuple(sorted({"punt" if w.startswith("punt") else w.split()[0] for w in words.SCORE_WORDS}))
assert all(w.isascii() and w.islower() for w in _SCORE_WORD_STEMS), "positions_holding() looks for lower-case ASCII words"
# A sentence that gives a score says who scores it or how ('il Nucleo attribuisce', 'totalizza'); one about
# a survey ('punteggio medio di gradimento') or a rule ('fino a un valore massimo') gives none.
_SCORE_CONTEXT = re.compile(r"(?i)\b(?:" + _any(words.SCORE_CONTEXT) + r")")
_NOT_A_SCORE = re.compile(r"(?i)\b(?:" + _any(words.NOT_A_SCORE) + r")\b")
# The block of rows after such a sentence is a table of scores ('I punteggi risultano essere i seguenti:').
_SCORE_TABLE_SENTENCE = re.compile(r"(?i)\bpunteggi[oa]?\b|\bpunti\b")
_NUMBER = r"(\d{1,4}(?:,\d{1,2})?)"
# Prose forms, each giving (score, maximum); a missing maximum is None. 'N punti su M' is tried first, so
# that '7 punti su un valore massimo di 10 punti' is 7 out of 10.
_PROSE = [
    re.compile(rf"(?i)\b{_NUMBER}\s+punt[io]\s+su\s+(?:un\s+(?:valore\s+)?(?:massimo|totale)\s+di\s+)?{_NUMBER}\b"),
    re.compile(rf"(?i)\b(?:totalizza|ottiene|consegue|raggiunge)\b[^.;\d]{{0,30}}?\bvalore\s+massimo\s+(?:di\s+)?"
               rf"{_NUMBER}\s+punt[io]\b"),                                                       # max reached
    re.compile(rf"(?i)\bpunteggi[oa]?\b[^.;\d]{{0,60}}?\b{_NUMBER}\s*(?:/|su)\s*(?:un\s+massimo\s+di\s+)?{_NUMBER}\b"),
    re.compile(rf"(?i)\bpunteggio\b[^.;\d]{{0,40}}?\b{_NUMBER}\s+punt[io]\b(?!\s+su)"),
    re.compile(rf"(?i)\b(?:totalizza|ottiene|consegue|raggiunge|riporta)\s+{_NUMBER}\s+punt[io]\b(?!\s+su)"),
]
_DOCUMENT_MAX = re.compile(rf"(?i)\bpunteggio\s+(?:massimo|complessivo\s+massimo)\s+(?:attribuibile\s+)?"
                           rf"(?:(?:è|pari\s+a|di)\s+)?{_NUMBER}\b")


def _number(token: str) -> float:
    return float(token.replace(",", "."))


MAX_SCORE = 1000          # no nucleo scores out of more; '06/2023' is a month


def is_score(cell: str) -> bool:
    """'470/500' is a score; '2019/2021' (two years), '06/2023' (a month) and '7/3' (above its maximum) are not."""
    found = _SCORE_CELL.match(cell.strip())
    if not found:
        return False
    score, top = _number(found.group(1)), int(found.group(2))
    return 0 < top <= MAX_SCORE and score <= top


def document_maximum(lines: list[Line]) -> float | None:
    """'Il punteggio massimo attribuibile è 100' anywhere in the document -> 100."""
    for index in positions_holding(lines, "punteggio"):
        found = _DOCUMENT_MAX.search(lines[index].raw)
        if found:
            return _number(found.group(1))
    return None


def table_scores(lines: list[Line]) -> list[Score]:
    """Rows such as 'AREA ANZIANI\\t\\t460/500' in the table block right after a sentence about scores.

    The label keeps every printed cell ('AREA INCLUSIONE PROGETTAZIONE\\tE' -> 'AREA INCLUSIONE PROGETTAZIONE E')."""
    scores = []
    for index in positions_holding(lines, "punt"):
        sentence = lines[index]
        if sentence.is_table_row or not _SCORE_TABLE_SENTENCE.search(sentence.raw):
            continue
        for line in lines[index + 1:]:          # the block: the table rows that follow, blank lines between
            if line.is_blank:
                continue
            if not line.is_table_row:
                break
            values = line.values
            if len(values) >= 2 and is_score(values[-1]):
                label = " ".join(values[:-1])
                if re.search(r"[A-Za-z]", label) and not starts_with_any(label, words.TOTAL_WORDS):
                    scores.append(Score(line.number, clean_cell(label) or label, values[-1].replace(" ", "")))
    return scores


def area_in_sentence(text: str, areas) -> str | None:
    """The area a sentence names: "L'area Anziani ottiene 8 punti" with areas ['Area Anziani'] -> 'Area Anziani'."""
    sentence = set(re.findall(r"\w+", plain_words(text)))
    named = []
    for area in {a for a in areas if a}:
        significant = set(re.findall(r"\w+", plain_words(area))) - {"area", "e", "di", "del", "della", "settore"}
        if significant and significant <= sentence:
            named.append((len(significant), area))
    return max(named)[1] if named else None


def prose_scores(lines: list[Line], area_of, areas=()) -> list[Score]:
    """Scores stated in sentences. The area is the one the sentence names (among `areas`), else the section
    it sits in (area_of(line)), else the document.

    '... totalizza il valore massimo di 10 punti.' -> Score(area, 'valore massimo di 10 punti', 10, 10)."""
    scores = []
    for index in positions_holding(lines, *_SCORE_WORD_STEMS):
        line = lines[index]
        if line.is_table_row or not _SCORE_SENTENCE.search(line.raw):
            continue
        text = clean_cell(line.raw) or ""
        if not _SCORE_CONTEXT.search(text) or _NOT_A_SCORE.search(text):
            continue
        for position, pattern in enumerate(_PROSE):
            found = pattern.search(text)
            if not found:
                continue
            score = _number(found.group(1))
            top = score if position == 1 else _number(found.group(2)) if found.lastindex == 2 else None
            if top is not None and score > top:
                continue
            only = {a for a in areas if a}
            the_one = next(iter(only)) if len(only) == 1 and re.search(r"(?i)\barea\b", text) else None
            area = area_in_sentence(text, areas) or the_one or area_of(line) or "(documento)"   # "all'area", one area
            scores.append(Score(line.number, area, found.group(0), score, top))
            break
    return scores


def split_score(printed: str, document_max: float | None) -> tuple[float | None, float | None]:
    """'470/500' -> (470, 500); '8,5' with a printed document maximum of 10 -> (8.5, 10); '7' alone -> (7, None)."""
    text = (printed or "").replace(" ", "")
    score, _, top = text.partition("/")
    try:
        value = _number(score)
    except ValueError:
        return None, None
    if top:
        return value, _number(top)
    return value, document_max

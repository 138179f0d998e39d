"""What a document says about itself: who issued it, which year its results refer to, its title and kind.

Shared by every family. The words come from cruscotto.vocabulary.
"""
from __future__ import annotations

import re
from itertools import islice

from cruscotto import vocabulary as words
from cruscotto.italian import clean_cell
from cruscotto.records import Unreadable

from .lines import Line, plain_words, positions_holding, starts_with_any

HEAD_LINES = 12           # the title page: where a document names itself
TITLE_LINES = 8
YEAR_HEAD_LINES = 10
SIGNATURE_LINES = 40      # a signature date near the top ('Caluso li 14/07/2022')
MAX_ISSUER_LENGTH = 100


def _alternatives(forms) -> str:
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") + (r"\b" if f[-1].isalnum() else "")
                    for f in sorted(forms, key=len, reverse=True))


_ACRONYM = r"(?:[A-Z]\.\s?){2,}(?:[-–]?\s?(?:[A-Z]\.\s?)+)*"     # 'C.I.S.S.', 'C.I.S.S.-A.C.'
_ISSUER = _alternatives(words.ISSUER_FORMS) + "|" + _ACRONYM
_ISSUER_LINE = re.compile(rf"^(?:{_ISSUER})[\w\s.'’,–\-()]*$", re.IGNORECASE)
_ISSUER_FOOTER = re.compile(rf"^((?:{_ISSUER}).*?)\s+(?:relazione|rendicontazione|piano)\b", re.IGNORECASE)


def _text(line: Line) -> str:
    return clean_cell(line.raw.replace("#", " ").replace("\t", " ")) or ""


def find_issuer(lines: list[Line]) -> str | None:
    """The body as the document names itself, or None when it never does.

    Looks at the title lines ('CONS. SOC. ASSIST. ALBA-LANGHE-ROERO', 'Ambito Distrettuale di Crema'),
    preferring a spelled-out name over an acronym, then at running headers and footers
    ('Consorzio IN.RE.TE. Relazione alla performance 2019' -> 'Consorzio IN.RE.TE.')."""
    head = list(islice((ln for ln in lines if not ln.is_blank and not ln.furniture), HEAD_LINES))
    candidates = [_text(ln) for ln in head
                  if "\t" not in ln.raw and len(_text(ln)) <= MAX_ISSUER_LENGTH and _ISSUER_LINE.match(_text(ln))]
    spelled = [c for c in candidates if starts_with_any(c, words.ISSUER_SPELLED) or
               any(plain_words(c).startswith(plain_words(w)) for w in words.ISSUER_SPELLED)]
    if spelled or candidates:
        return (spelled or candidates)[0]
    furniture = [_text(ln) for ln in lines if ln.furniture]
    for text in furniture:                                 # a running header that is just the name
        if len(text) <= MAX_ISSUER_LENGTH and _ISSUER_LINE.match(text) and not re.search(r"(?i)\bpag|\d\s*$", text):
            return text
    for line in lines:
        found = _ISSUER_FOOTER.match(_text(line))
        if found and len(found.group(1)) <= 80:
            return found.group(1).strip(" –-,")
    return None


_TITLE_YEAR = re.compile(r"\b(?:" + _alternatives(words.YEAR_WORDS) + r")\s*:?\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_RESULT_YEAR = re.compile(r"consuntiv\w*\s*\(?\s*((?:19|20)\d{2})|"
                          r"(?:report|rilevat\w*|situazione)\s+al\s+31[/.]12[/.]((?:19|20)\d{2})", re.IGNORECASE)
_RESULT_WORDS = ("consuntiv", "report", "rilevat", "situazione")      # one of them opens every _RESULT_YEAR
_SIGNED_ON = re.compile(r"\b(?:" + _alternatives(words.SIGNATURE_WORDS) +
                        r")\s*,?:?\s+(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b", re.IGNORECASE)


def find_report_year(lines: list[Line]) -> tuple[int | None, Unreadable | None]:
    """The year the results refer to, and a note when it had to be inferred.

    'RENDICONTAZIONE OBIETTIVI ASSEGNATI ANNO 2019' -> 2019; a 'Valore consuntivo (2021)' column -> 2021;
    only 'Caluso li 14/07/2022' -> 2021 (a report is signed the year after), with a note saying so."""
    for line in islice((ln for ln in lines if not ln.is_blank), YEAR_HEAD_LINES):
        found = _TITLE_YEAR.search(line.raw)
        if found:
            return int(found.group(1)), None
    counts: dict[int, int] = {}
    for index in positions_holding(lines, *_RESULT_WORDS):     # most lines: the search is the slow part
        for found in _RESULT_YEAR.finditer(lines[index].raw):
            year = int(found.group(1) or found.group(2))
            counts[year] = counts.get(year, 0) + 1
    if counts:
        return max(counts, key=lambda y: (counts[y], y)), None
    for line in lines[:SIGNATURE_LINES]:
        found = _SIGNED_ON.search(line.raw)
        if found:
            year = int(found.group(3)) - 1
            note = Unreadable(line.number, line.raw.strip(),
                              f"Anno dei risultati non scritto: dedotto {year} dalla data del documento "
                              f"({found.group(1)}/{found.group(2)}/{found.group(3)}), l'anno precedente.",
                              "note")
            return year, note
    return None, None


_TITLE = re.compile(_alternatives(words.TITLE_WORDS), re.IGNORECASE)
MAX_TITLE_LENGTH = 120


def document_title(lines: list[Line]) -> str | None:
    """The first title-like line: 'RELAZIONE SULLA PERFORMANCE 2019'."""
    for line in islice((ln for ln in lines if not ln.is_blank), TITLE_LINES):
        text = _text(line)
        if _TITLE.search(text) and len(text) < MAX_TITLE_LENGTH:
            return text
    return None


def document_kind(title: str | None) -> str:
    """'RENDICONTAZIONE OBIETTIVI ASSEGNATI ANNO 2019' -> 'rendicontazione_obiettivi'."""
    plain = plain_words(title or "")
    for word, kind in words.KINDS_BY_TITLE:
        if word in plain and kind != "piano_di_zona":
            return kind
    return "relazione_performance"


def prints_deviation_legend(lines: list[Line]) -> bool:
    """True when the document explains its Scostamento column ('Se il valore è “0” l'obiettivo è raggiunto,
    se positivo ... superato, se negativo non è completamente raggiunto'): only then is it read that way."""
    column, reached, signs = words.DEVIATION_LEGEND
    for line in lines:
        plain = plain_words(line.raw)
        if column in plain and reached in plain and any(sign in plain for sign in signs):
            return True
    return False


def title_and_year(lines: list[Line]) -> tuple[str | None, int | None, Unreadable | None]:
    """The document's title and results year from its body, else from its running headers and footers (a
    title printed only in the page header): ('RELAZIONE SULLA PERFORMANCE 2019', 2019, None)."""
    body = [ln for ln in lines if not ln.furniture]
    furniture = [ln for ln in lines if ln.furniture]
    title = document_title(body) or document_title(furniture)
    year, note = find_report_year(body)
    if year is None:
        year, note = find_report_year(furniture)
    return title, year, note

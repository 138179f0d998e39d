"""Helpers every family parser shares: lines and cells, the issuer, the results year, the nucleo's scores.

The documents arrive as text extracted from PDF: tables are tab-separated lines, sometimes with
markdown (`#`, `**`), HTML (`<i>`) or LaTeX (`$\\leq 5\\%$`) left in.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cruscotto.italian import clean_cell
from cruscotto.records import Score, Unreadable


@dataclass(frozen=True)
class Line:
    number: int        # 1-based
    raw: str
    cells: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        return not self.raw.strip()

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.raw and any(self.cells)

    @property
    def values(self) -> list[str]:
        """The non-empty cells, in order."""
        return [c for c in self.cells if c]

    @property
    def text(self) -> str:
        """The line as plain text: cells joined, markdown and HTML removed."""
        return clean_cell(" ".join(self.values).replace("#", " ")) or ""


@lru_cache(maxsize=8)
def text_to_lines(text: str) -> list[Line]:
    """'a\\tb\\n\\nc' -> [Line(1, 'a\\tb', ('a', 'b')), Line(2, '', ('',)), Line(3, 'c', ('c',))].

    Cached: identify() and parse() of every family split the same text."""
    return [Line(n, raw, tuple(c.strip() for c in raw.split("\t")))
            for n, raw in enumerate(text.splitlines(), start=1)]


def is_separator(line: Line) -> bool:
    """Markdown table rules such as '--------------------\\t---' carry nothing."""
    return bool(line.raw.strip()) and all(re.fullmatch(r"[-|: ]*", c) for c in line.cells)


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


def plain_words(text: str) -> str:
    """'Attività  ' -> 'attivita': for header matching that ignores accents and case."""
    text = text or ""
    if text.isascii():
        return text.lower().strip()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def first_text(line: Line) -> str:
    """The first non-empty cell without markdown marks: '#### **Descrizione obiettivo**' -> 'Descrizione obiettivo'."""
    for cell in line.cells:
        cleaned = clean_cell(cell.replace("#", " "))
        if cleaned:
            return cleaned
    return ""


# ---------------------------------------------------------------------------- issuer

_ISSUER = r"(?:consorzio|cons\.|c\.\s?i\.\s?s\.\s?[sa]|c\.\s?s\.\s?s\.|cissa?c?\b|cisa\b|azienda|ambito|unione|" \
          r"comunit[aà]|ente gestore|societ[aà] della salute|comune di|distretto|asp\b|a\.s\.p\.)"
_ISSUER_LINE = re.compile(rf"^{_ISSUER}[\w\s.'’,–\-()]*$", re.IGNORECASE)
_ISSUER_FOOTER = re.compile(rf"^({_ISSUER}.*?)\s+relazione\s+(?:sulla|alla|della)\s+performance\b", re.IGNORECASE)
_FULL_WORD = re.compile(r"^(consorzio|azienda|ambito|unione|comunit|ente|societ|comune|distretto)", re.IGNORECASE)


def find_issuer(lines: list[Line], head: int = 12) -> str | None:
    """The body as the document names itself, or None when it never does.

    Looks at the title lines ('CONS. SOC. ASSIST. ALBA-LANGHE-ROERO', 'Ambito Distrettuale di Crema'),
    preferring a spelled-out name over an acronym, then at page footers
    ('Consorzio IN.RE.TE. Relazione alla performance 2019' -> 'Consorzio IN.RE.TE.')."""
    candidates = []
    for line in [ln for ln in lines if not ln.is_blank][:head]:
        text = clean_cell(line.raw.replace("#", " ")) or ""
        if "\t" not in line.raw and len(text) <= 100 and _ISSUER_LINE.match(text):
            candidates.append(text)
    spelled = [c for c in candidates if _FULL_WORD.match(c)]
    if spelled or candidates:
        return (spelled or candidates)[0]
    for line in lines:
        found = _ISSUER_FOOTER.match(clean_cell(line.raw) or "")
        if found and len(found.group(1)) <= 80:
            return found.group(1).strip()
    return None


# ---------------------------------------------------------------------------- results year

_TITLE_YEAR = re.compile(r"\b(?:anno|performance|esercizio)\s+(\d{4})\b", re.IGNORECASE)
_RESULT_YEAR = re.compile(r"consuntiv\w*\s*\(?\s*(\d{4})|report\s+al\s+31[/.]12[/.](\d{4})", re.IGNORECASE)
_SIGNED_ON = re.compile(r"\b(?:li|lì|addì)\s*,?\s+(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b", re.IGNORECASE)


def find_report_year(lines: list[Line], head: int = 10) -> tuple[int | None, Unreadable | None]:
    """The year the results refer to, and a note when it had to be inferred.

    'RENDICONTAZIONE OBIETTIVI ASSEGNATI ANNO 2019' -> 2019; a 'Valore consuntivo (2021)' column -> 2021;
    only 'Caluso li 14/07/2022' -> 2021 (a report is signed the year after), with a note saying so."""
    for line in [ln for ln in lines if not ln.is_blank][:head]:
        found = _TITLE_YEAR.search(line.raw)
        if found:
            return int(found.group(1)), None
    counts: dict[int, int] = {}
    for line in lines:
        for found in _RESULT_YEAR.finditer(line.raw):
            year = int(found.group(1) or found.group(2))
            counts[year] = counts.get(year, 0) + 1
    if counts:
        return max(counts, key=lambda y: (counts[y], y)), None
    for line in lines[:40]:
        found = _SIGNED_ON.search(line.raw)
        if found:
            year = int(found.group(3)) - 1
            note = Unreadable(line.number, line.raw.strip(),
                              f"Anno dei risultati non scritto: dedotto {year} dalla data del documento "
                              f"({found.group(1)}/{found.group(2)}/{found.group(3)}), l'anno precedente.",
                              "note")
            return year, note
    return None, None


def document_title(lines: list[Line], head: int = 8) -> str | None:
    """The first title-like line: 'RELAZIONE SULLA PERFORMANCE 2019'."""
    for line in [ln for ln in lines if not ln.is_blank][:head]:
        text = clean_cell(line.raw.replace("#", " ")) or ""
        if re.search(r"relazione|rendicontazione|piano di zona|performance", text, re.IGNORECASE) and len(text) < 120:
            return text
    return None


def document_kind(title: str | None) -> str:
    """'RENDICONTAZIONE OBIETTIVI ASSEGNATI ANNO 2019' -> 'rendicontazione_obiettivi'."""
    if title and re.search(r"rendicontazione", title, re.IGNORECASE):
        return "rendicontazione_obiettivi"
    return "relazione_performance"


# ---------------------------------------------------------------------------- scores

_SCORE = re.compile(r"^(\d{1,4})\s*/\s*(\d{1,4})$")


def _is_score(cell: str) -> bool:
    """'470/500' is a score; '2019/2021' (two years) and '7/3' (above its maximum) are not."""
    found = _SCORE.match(cell)
    if not found:
        return False
    score, top = int(found.group(1)), int(found.group(2))
    return score <= top and not (1900 <= score <= 2100 and 1900 <= top <= 2100)


def find_scores(lines: list[Line]) -> list[Score]:
    """Rows such as 'AREA ANZIANI\\t\\t460/500' after the nucleo's 'punteggi' sentence.

    The label keeps every printed cell ('AREA INCLUSIONE PROGETTAZIONE\\tE' -> 'AREA INCLUSIONE PROGETTAZIONE E')."""
    scores = []
    sentence_at = None
    for line in lines:
        if re.search(r"punteggi", line.raw, re.IGNORECASE) and not line.is_table_row:
            sentence_at = line.number
            continue
        values = line.values
        near = sentence_at is not None and line.number - sentence_at <= 40
        if near and line.is_table_row and len(values) >= 2 and _is_score(values[-1]):
            label = " ".join(values[:-1])
            if re.search(r"[A-Za-z]", label):
                scores.append(Score(line.number, label, values[-1]))
    return scores

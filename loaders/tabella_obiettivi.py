"""One wide table per report: AREA | OBIETTIVO | INDICATORI | VALORE ATTESO | RISULTATO | STRUMENTO,
followed by the nucleo di valutazione's scores per area ('AREA ANZIANI<TAB><TAB>460/500').

Rows inherit the area and objective of the row above when those cells are empty; a row holding only a
result continues the previous indicator's result (PDF page breaks split long sentences); the header may
be repeated on every page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cruscotto.italian import clean_cell
from cruscotto.records import Indicator, Objective, ParsedDocument, Unreadable

from .common import (Line, document_kind, plain_words, document_title, find_issuer, find_report_year, find_scores,
                     is_separator, text_to_lines)

NAME = "tabella_obiettivi"
_HEADER_HINT = re.compile(r"(?i)indicator.*\t.*(atteso|risultat)")


@dataclass(frozen=True)
class Columns:
    area: int | None
    objective: int
    indicator: int
    expected: int
    result: int
    source: int | None


def header_columns(line: Line) -> Columns | None:
    """'AREA ORGANIZZATIVA<TAB>DESCRIZIONE OBIETTIVO<TAB>INDICATORI<TAB>VALORE ATTESO<TAB>RISULTATO
    CONSEGUITO<TAB>STRUMENTO...' -> Columns(0, 1, 2, 3, 4, 5); None for any other line."""
    if "\t" not in line.raw or not _HEADER_HINT.search(line.raw):
        return None
    cells = [plain_words(c) for c in line.cells]

    taken: set[int] = set()

    def find(*words):
        """The first column not taken yet whose header holds one of the words."""
        column = next((i for i, c in enumerate(cells) if i not in taken and any(w in c for w in words)), None)
        if column is not None:
            taken.add(column)
        return column

    found = dict(objective=find("obiettiv"), indicator=find("indicator"), expected=find("atteso", "target"),
                 result=find("risultato", "conseguito", "consuntiv"), area=find("area"),
                 source=find("strumento", "fonte", "rilevazione"))
    required = ("objective", "indicator", "expected", "result")         # an area column is welcome, not required
    if any(found[k] is None for k in required) or len({found[k] for k in required}) < len(required):
        return None
    return Columns(**found)


def identify(text: str) -> bool:
    return any(header_columns(line) for line in text_to_lines(text))


def parse(text: str) -> ParsedDocument:
    lines = text_to_lines(text)
    title = document_title(lines)
    year, year_note = find_report_year(lines)
    objectives, indicators, problems = rows_to_records(lines)
    scores = find_scores(lines)
    score_lines = {score.source_line for score in scores}
    problems = [p for p in problems if p.source_line not in score_lines]
    return ParsedDocument(
        kind=document_kind(title), issuer=find_issuer(lines), report_year=year, title=title,
        objectives=tuple(objectives), indicators=tuple(indicators), scores=tuple(scores),
        problems=tuple(([year_note] if year_note else []) + problems))


def rows_to_records(lines: list[Line]):
    objectives: list[Objective] = []
    indicators: list[Indicator] = []
    problems: list[Unreadable] = []
    columns: Columns | None = None
    area: str | None = None
    for line in lines:
        header = header_columns(line)
        if header:
            columns = header
            continue
        if line.is_blank or is_separator(line):
            continue
        if columns is None:
            if line.is_table_row:
                problems.append(Unreadable(line.number, line.raw.strip(), "Riga di tabella fuori dalla tabella "
                                           "degli obiettivi: conservata, non interpretata.", "unparsed_table"))
            continue
        if not line.is_table_row:
            if len(line.raw.strip()) > 60:
                columns = None                               # prose after the table ends it
            continue                                         # 'pag. 3', a page header: the table goes on
        cell = lambda i: clean_cell(line.cells[i]) if i is not None and i < len(line.cells) else None
        if cell(columns.area):
            area = cell(columns.area)
        if cell(columns.objective):
            objectives.append(Objective(len(objectives), line.number, cell(columns.objective), area=area))
        name, expected, result = cell(columns.indicator), cell(columns.expected), cell(columns.result)
        if not objectives:
            problems.append(Unreadable(line.number, line.raw.strip(), "Riga prima di ogni obiettivo: "
                                       "conservata, non interpretata.", "unparsed_table"))
        elif name or expected:
            indicators.append(Indicator(objectives[-1].ref, line.number, name, expected, result,
                                        measurement_source=cell(columns.source)))
        elif result and indicators:                          # the result sentence goes on from the row above
            previous = indicators[-1]
            indicators[-1] = Indicator(
                previous.objective, previous.source_line, previous.name, previous.expected_raw,
                f"{previous.actual_raw or ''} {result}".strip(), measurement_source=previous.measurement_source)
            problems.append(Unreadable(line.number, line.raw.strip(),
                                       f"Continuazione del risultato della riga {previous.source_line}: "
                                       "unita a quella riga.", "note"))
        elif re.search(r"\w", line.raw):
            problems.append(Unreadable(line.number, line.raw.strip(), "Riga della tabella obiettivi senza "
                                       "indicatore né risultato: conservata, non interpretata.", "damaged_row"))
    return objectives, indicators, problems

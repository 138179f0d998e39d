"""Any document whose tables have recognisable headers: the family the others fall back on.

A PEG report with 'Fase | Descrizione | Inizio | Fine | Stato | Peso' tables, a report with
'Indicatore | Formula | Target | Valore raggiunto | % raggiungimento' tables under 'Obiettivo 1 – ...'
headings, key-value indicator sheets ('Indicatore: ...', 'Target 2022: ...', 'Valore rilevato al ...: ...'),
score tables and score sentences. Read by loaders/tables.GeneralReader with the shared vocabulary.
"""
from __future__ import annotations

from cruscotto.records import ParsedDocument

from . import scores as score_reader
from .identity import document_kind, find_issuer, prints_deviation_legend, title_and_year
from .lines import all_lines, text_to_lines
from .tables import GeneralReader, key_value, read_header

NAME = "tabelle_indicatori"


def identify(text: str, furniture: frozenset[int] = frozenset()) -> bool:
    """At least one table with a recognisable header, or a key-value indicator sheet."""
    lines = text_to_lines(text, furniture)
    for index, line in enumerate(lines):
        if line.is_table_row and read_header(line, lines[index + 1] if index + 1 < len(lines) else None):
            return True
        found = key_value(line)
        if found and found[0] == "indicator":
            following = [key_value(ln) for ln in lines[index + 1:index + 6]]
            if any(f and f[0] in ("expected", "actual") for f in following):
                return True
    return False


def parse(text: str, furniture: frozenset[int] = frozenset()) -> ParsedDocument:
    lines = text_to_lines(text, furniture)
    title, year, year_note = title_and_year(list(all_lines(text, furniture)))
    reader = GeneralReader(lines).read()
    read_scores = {s.source_line for s in reader.scores}
    table_scores = [s for s in score_reader.table_scores(lines) if s.source_line not in read_scores]
    score_lines = read_scores | {s.source_line for s in table_scores}
    problems = [p for p in reader.problems if p.source_line not in score_lines]
    prose = score_reader.prose_scores(lines, reader.section_of, [o.area for o in reader.objectives])
    return ParsedDocument(
        kind=document_kind(title), issuer=find_issuer(list(all_lines(text, furniture))), report_year=year,
        title=title, objectives=tuple(reader.objectives), milestones=tuple(reader.milestones),
        indicators=tuple(reader.indicators), scores=tuple(reader.scores + table_scores + prose),
        problems=tuple(([year_note] if year_note else []) + problems),
        deviation_legend=prints_deviation_legend(lines), score_max=score_reader.document_maximum(lines))

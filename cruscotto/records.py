"""What a parser reads out of a document: plain frozen records that keep the raw cells and their line.

Parsers build these and nothing else; evaluation and the database come later. Every record carries
`source_line`, the 1-based line of the text where it starts.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Objective:
    ref: int                          # position in the document; milestones and indicators point to it
    source_line: int
    title: str | None
    number: str | None = None         # as printed: "1", "n. 3"
    area: str | None = None
    description: str | None = None
    responsibility_centre: str | None = None
    peg_project: str | None = None
    duplicate_of: int | None = None   # ref of an earlier objective this block repeats
    weight_raw: str | None = None     # the objective's own Peso, as printed: "30%", "0,3", "20 punti"


@dataclass(frozen=True)
class Milestone:
    objective: int
    source_line: int
    activity: str | None
    planned_raw: str | None           # "Giugno/Ottobre", "Annuale", "entro giugno 2015", "31-mar-23"
    actual_raw: str | None            # "Gennaio 2020", "attuato", "no", "/", "concluso il 15/07/2023"
    start_raw: str | None = None      # a phases table's "Inizio"
    weight_raw: str | None = None     # "30%"


@dataclass(frozen=True)
class Indicator:
    objective: int
    source_line: int
    name: str | None
    expected_raw: str | None          # "=> 10", "Si", "entro il 31/12/2021"
    actual_raw: str | None            # "14", "/", "n. 39 REI n. 375 RDC"
    description: str | None = None
    unit: str | None = None
    baseline_raw: str | None = None
    reported_deviation_raw: str | None = None
    measurement_source: str | None = None
    weight_raw: str | None = None     # "20%", a Peso column
    attainment_raw: str | None = None # the document's own "% raggiungimento": "95%"


@dataclass(frozen=True)
class BudgetLine:
    source_line: int
    table_name: str
    group_name: str | None
    line: str
    year: int
    amount_raw: str | None            # "€ 188.305,60", "€ -", None for an empty cell


@dataclass(frozen=True)
class ReportedTotal:
    source_line: int
    table_name: str
    label: str
    year: int | None
    as_printed: str


@dataclass(frozen=True)
class Score:
    source_line: int
    area: str
    as_printed: str                   # "470/500", or the sentence's words: "8 punti su 10"
    score: float | None = None        # None: read from as_printed ("470/500")
    max_score: float | None = None


@dataclass(frozen=True)
class Unreadable:
    """A line or cell we could not read. category: unreadable (a value), unparsed_table (a table line
    outside every known table), damaged_row (a row the extraction broke), note (read, with a caveat)."""
    source_line: int
    raw_text: str
    reason: str                       # Italian, shown as is on the data-quality page
    category: str = "unreadable"


@dataclass(frozen=True)
class ParsedDocument:
    kind: str                         # relazione_performance, rendicontazione_obiettivi, piano_di_zona
    issuer: str | None
    report_year: int | None
    period_start: int | None = None
    period_end: int | None = None
    title: str | None = None
    objectives: tuple[Objective, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    budget_lines: tuple[BudgetLine, ...] = ()
    reported_totals: tuple[ReportedTotal, ...] = ()
    scores: tuple[Score, ...] = ()
    problems: tuple[Unreadable, ...] = field(default=())
    deviation_legend: bool = False    # the document prints how to read its Scostamento column
    score_max: float | None = None    # the maximum score the document prints once for all ('punteggio massimo 100')


# ---------------------------------------------------------------------------- a document's rows, ready to write

MAPPED_FAMILY = "colonne_assegnate"       # documents.family of an unrecognised document read with mapped columns

# The record tables -> their id column, in the order a document's rows are written (db.schema.TABLES). Here,
# outside the database package, so that a load's worker process turns rows into columns without importing it.
RECORD_TABLES = {
    "objectives": "objective_id", "milestones": "milestone_id", "indicators": "indicator_id",
    "budget_lines": "budget_line_id", "reported_totals": "total_id", "scores": "score_id",
    "quality_issues": "issue_id",
}


@dataclass(frozen=True)
class DocumentColumns:
    """A document's rows (loaders/rows.py) as columns, ready to be appended with any ids: what a load's worker
    process hands the writer (rows_to_columns), so that the writer only joins lists.

    tables: {table: {column: values}} without ids; objectives carry `ref` (their position before
    first_position is added) and `duplicate_of` as an index into the document's objectives (or None), steps
    and indicators `objective` as that index. counts: what Prepared.counts gives for the rows."""
    tables: dict[str, dict[str, list]]
    counts: dict[str, int]


def rows_to_columns(rows: dict[str, list[dict]]) -> DocumentColumns:
    """{'objectives': [{'ref': 3, 'title': 'A', 'duplicate_of': None}], 'indicators': [{'objective': 3, ...}]}
    -> tables {'objectives': {'ref': [3], 'title': ['A'], 'duplicate_of': [None]}, 'indicators': {'objective': [0],
    ...}}: refs pointing to objectives become indexes in the document's objectives; a column that a row lacks is
    None in it. Pure (it runs in a worker process); raises KeyError for a step or indicator whose objective the
    document does not have, as writing it would."""
    index = {o["ref"]: i for i, o in enumerate(rows.get("objectives", []))}
    tables = {}
    for table in RECORD_TABLES:
        records = rows.get(table, [])
        if not records:
            continue
        columns = _as_columns(records)
        if table == "objectives":
            columns["duplicate_of"] = [index.get(ref) for ref in columns.get("duplicate_of", [None] * len(records))]
        if "objective" in columns:
            columns["objective"] = [index[ref] for ref in columns["objective"]]
        tables[table] = columns
    counts = {table: len(records) for table, records in rows.items()}
    counts["quality_issues"] = sum(1 for r in rows.get("quality_issues", []) if r["category"] != "note")
    return DocumentColumns(tables, counts)


def _as_columns(records: list[dict]) -> dict[str, list]:
    """[{'a': 1, 'b': 2}, {'a': 3, 'c': 4}] -> {'a': [1, 3], 'b': [2, None], 'c': [None, 4]}: the columns in the
    order the records first name them. Records that name the same keys in the same order (the rows of a
    table nearly always do) are turned over by zip, without looking each value up."""
    names = list(records[0])
    if all([list(record) == names for record in records]):
        return dict(zip(names, map(list, zip(*[record.values() for record in records]))))
    names = list(dict.fromkeys(key for record in records for key in record))
    return {name: [record.get(name) for record in records] for name in names}

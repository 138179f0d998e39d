"""Appending a document's rows to the record tables and removing them: the lowest step of the write path,
inside the caller's transaction."""
from __future__ import annotations

import pyarrow as pa

from .connection import first_row
from .schema import TABLES


def delete_rows(con, document_ids: list[int]) -> None:
    for doc in document_ids:
        for table in ("milestones", "indicators"):
            con.execute(f"DELETE FROM {table} WHERE objective_id IN "
                        "(SELECT objective_id FROM objectives WHERE document_id = ?)", [doc])
        for table in ("objectives", "budget_lines", "reported_totals", "scores", "quality_issues", "documents"):
            con.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc])


def insert_rows(con, ids: dict[str, int], rows: dict[str, list[dict]], document_id: int, first_position: int = 0):
    """Append a document's rows with ids from `ids` (advanced in place); objectives' refs become positions
    from first_position on, and the objective refs of steps and indicators become objective_ids."""
    objective_ids = {o["ref"]: ids["objectives"] + i for i, o in enumerate(rows.get("objectives", []))}
    for table, id_column in TABLES.items():
        records = rows.get(table, [])
        if records:
            append_rows(con, table, [with_ids(table, {id_column: n, **r}, document_id, objective_ids, first_position)
                                 for n, r in enumerate(records, start=ids[table])])
        ids[table] += len(records)


def next_ids(con) -> dict[str, int]:
    sql = "SELECT " + ", ".join(f"(SELECT coalesce(max({c}), 0) + 1 FROM {t})" for t, c in TABLES.items())
    return dict(zip(TABLES, first_row(con, sql)))


def with_ids(table: str, row: dict, document_id: int, objective_ids: dict[int, int], first_position: int = 0) -> dict:
    if table == "objectives":
        row["duplicate_of"] = objective_ids.get(row["duplicate_of"])
        row["position"] = row.pop("ref") + first_position
    if "objective" in row:
        row["objective_id"] = objective_ids[row.pop("objective")]
    else:
        row["document_id"] = document_id
    return row


def append_rows(con, table: str, records: list[dict]) -> None:
    """One columnar insert per table (row-by-row inserts are a hundred times slower in DuckDB)."""
    incoming = pa.Table.from_pylist(records)
    columns = ", ".join(incoming.column_names)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")

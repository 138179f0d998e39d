"""Appending documents' rows to the record tables and removing them: the lowest step of the write path,
inside the caller's transaction.

Ids follow one rule everywhere: a table's next id is max(id) + 1, read inside the transaction that writes
it. A transaction that writes many rows reads every table's next id once (next_ids) and counts on in Python;
one that writes a single row reads it in its INSERT. A file written by any earlier version gets ids after
its own, and a restored file carries its ids with it (no sequence to keep in step)."""
from __future__ import annotations

import pyarrow as pa

from .schema import TABLES


def delete_rows(con, document_ids: list[int]) -> None:
    """Remove documents and every row they own: one statement per table, however many documents."""
    if not document_ids:
        return
    ids = [int(d) for d in document_ids]
    for table in ("milestones", "indicators"):
        con.execute(f"DELETE FROM {table} WHERE objective_id IN "
                    "(SELECT objective_id FROM objectives WHERE list_contains(?, document_id))", [ids])
    for table in ("objectives", "budget_lines", "reported_totals", "scores", "quality_issues", "documents"):
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, document_id)", [ids])


def insert_rows(con, ids: dict[str, int], rows: dict[str, list[dict]], document_id: int, first_position: int = 0):
    """Append a document's rows with ids from `ids` (advanced in place); objectives' refs become positions
    from first_position on, and the objective refs of steps and indicators become objective_ids."""
    insert_documents_rows(con, ids, [(document_id, rows)], first_position)


def insert_documents_rows(con, ids: dict[str, int], documents: list[tuple[int, dict[str, list[dict]]]],
                          first_position: int = 0) -> None:
    """insert_rows for several documents at once, [(document_id, rows), ...]: one append per table for all
    of them (an append costs milliseconds whatever its size), ids given in the documents' order."""
    table_rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    for document_id, rows in documents:
        objective_ids = {o["ref"]: ids["objectives"] + i for i, o in enumerate(rows.get("objectives", []))}
        for table, id_column in TABLES.items():
            records = rows.get(table, [])
            table_rows[table] += [with_ids(table, {id_column: n, **r}, document_id, objective_ids, first_position)
                                  for n, r in enumerate(records, start=ids[table])]
            ids[table] += len(records)
    for table, records in table_rows.items():
        if records:
            append_rows(con, table, records)


def next_ids(con, tables: dict[str, str] = TABLES) -> dict[str, int]:
    """{table: max(id) + 1} for tables {table: id column}, in one query (a UNION: DuckDB plans one scalar
    subquery per table about ten times slower)."""
    sql = " UNION ALL ".join(f"SELECT {n} AS n, coalesce(max({c}), 0) + 1 FROM {t}" for n, (t, c) in enumerate(tables.items()))
    found = dict(con.execute(sql).fetchall())
    return {table: found[n] for n, table in enumerate(tables)}


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
    """One columnar insert per table (row-by-row inserts are a hundred times slower in DuckDB). The columns
    are every key any record has (a record without one stores NULL)."""
    names = list(dict.fromkeys(key for record in records for key in record))
    incoming = pa.table({name: [record.get(name) for record in records] for name in names})
    columns = ", ".join(names)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")

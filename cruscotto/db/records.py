"""Appending documents' rows to the record tables and removing them: the lowest step of the write path,
inside the caller's transaction.

Ids follow one rule everywhere: a table's next id is max(id) + 1, read inside the transaction that writes
it. A transaction that writes many rows reads every table's next id once (next_ids) and counts on in Python;
one that writes a single row reads it in its INSERT. A file written by any earlier version gets ids after
its own, and a restored file carries its ids with it (no sequence to keep in step)."""
from __future__ import annotations

import pyarrow as pa

from ..records import DocumentColumns, rows_to_columns
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


def insert_documents_rows(con, ids: dict[str, int],
                          documents: list[tuple[int, dict[str, list[dict]] | DocumentColumns]],
                          first_position: int = 0) -> None:
    """insert_rows for several documents at once, [(document_id, rows or DocumentColumns), ...]: one append per
    table for all of them (an append costs milliseconds whatever its size), ids given in the documents' order."""
    joined: dict[str, dict[str, list]] = {table: {} for table in TABLES}
    for document_id, rows in documents:
        document = rows if isinstance(rows, DocumentColumns) else rows_to_columns(rows)
        first_objective = ids["objectives"]
        for table, id_column in TABLES.items():
            columns = document.tables.get(table)
            if not columns:
                continue
            count = len(next(iter(columns.values())))
            out = joined[table]
            done = len(out[id_column]) if out else 0
            start = ids[table]
            ids[table] += count
            own = {id_column: range(start, start + count)}
            for name, values in columns.items():
                if name == "objective":
                    own["objective_id"] = [first_objective + i for i in values]
                elif table == "objectives" and name == "ref":
                    own["position"] = [ref + first_position for ref in values]
                elif table == "objectives" and name == "duplicate_of":
                    own[name] = [None if i is None else first_objective + i for i in values]
                else:
                    own[name] = values
            if "objective" not in columns:              # steps and indicators belong to their objective
                own["document_id"] = [document_id] * count
            for name, values in own.items():
                if name not in out:
                    out[name] = [None] * done
                out[name].extend(values)
            for name, values in out.items():
                if len(values) < done + count:             # a column this document's rows do not have
                    values.extend([None] * (done + count - len(values)))
    for table, columns in joined.items():
        if columns:
            append_rows(con, table, columns)


def next_ids(con, tables: dict[str, str] = TABLES) -> dict[str, int]:
    """{table: max(id) + 1} for tables {table: id column}, in one query (a UNION: DuckDB plans one scalar
    subquery per table about ten times slower)."""
    sql = " UNION ALL ".join(f"SELECT {n} AS n, coalesce(max({c}), 0) + 1 FROM {t}" for n, (t, c) in enumerate(tables.items()))
    found = dict(con.execute(sql).fetchall())
    return {table: found[n] for n, table in enumerate(tables)}


def append_rows(con, table: str, records: list[dict] | dict[str, list]) -> None:
    """One columnar insert per table (row-by-row inserts are a hundred times slower in DuckDB). records: rows
    as dicts (the columns are every key any record has; a record without one stores NULL), or the columns
    themselves, {name: values}, all of one length."""
    if isinstance(records, dict):
        incoming = pa.table(records)
        names = list(records)
    else:
        names = list(dict.fromkeys(key for record in records for key in record))
        incoming = pa.table({name: [record.get(name) for record in records] for name in names})
    columns = ", ".join(names)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")

"""The database: schema, writing one document, and every query the pages and tools run.

The tables and columns below are a public contract (users query them with SQL); see docs/database.md.
Columns beyond the contract are marked "extra". All SQL of the project lives in this module.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "cruscotto.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    document_id   INTEGER PRIMARY KEY,
    source_name   VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    original      BLOB NOT NULL,
    issuer        VARCHAR,
    report_year   INTEGER,
    period_start  INTEGER,
    period_end    INTEGER,
    kind          VARCHAR NOT NULL,
    family        VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    title         VARCHAR,              -- extra: the title line as printed
    line_count    INTEGER               -- extra
);
CREATE TABLE IF NOT EXISTS objectives (
    objective_id  INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL,
    area          VARCHAR,
    number        VARCHAR,
    title         VARCHAR,
    description   VARCHAR,
    duplicate_of  INTEGER,
    source_line   INTEGER NOT NULL,
    responsibility_centre VARCHAR,      -- extra: centro di responsabilità
    peg_project   VARCHAR,              -- extra: progetto PEG / servizio
    position      INTEGER               -- extra: order in the document
);
CREATE TABLE IF NOT EXISTS milestones (
    milestone_id  INTEGER PRIMARY KEY,
    objective_id  INTEGER NOT NULL,
    activity      VARCHAR,
    planned_raw   VARCHAR,
    actual_raw    VARCHAR,
    planned_month DATE,
    actual_month  DATE,
    status        VARCHAR NOT NULL,
    slippage_months INTEGER,
    source_line   INTEGER NOT NULL,
    status_reason VARCHAR               -- extra: why this status, in Italian
);
CREATE TABLE IF NOT EXISTS indicators (
    indicator_id  INTEGER PRIMARY KEY,
    objective_id  INTEGER NOT NULL,
    name          VARCHAR,
    description   VARCHAR,
    unit          VARCHAR,
    baseline_raw  VARCHAR,
    expected_raw  VARCHAR,
    actual_raw    VARCHAR,
    reported_deviation_raw VARCHAR,
    expected_value DOUBLE,
    actual_value  DOUBLE,
    status        VARCHAR NOT NULL,
    attainment    DOUBLE,
    status_reason VARCHAR NOT NULL,
    source_line   INTEGER NOT NULL,
    computed_deviation DOUBLE,          -- extra: actual - expected where both are numbers
    measurement_source VARCHAR          -- extra: strumento di rilevazione
);
CREATE TABLE IF NOT EXISTS budget_lines (
    budget_line_id INTEGER PRIMARY KEY, -- extra
    document_id   INTEGER NOT NULL,
    table_name    VARCHAR NOT NULL,
    group_name    VARCHAR,
    line          VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    amount_eur    DECIMAL(18, 2),
    amount_raw    VARCHAR,
    source_line   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reported_totals (
    total_id      INTEGER PRIMARY KEY,  -- extra
    document_id   INTEGER NOT NULL,
    table_name    VARCHAR NOT NULL,
    label         VARCHAR NOT NULL,
    year          INTEGER,
    value         DOUBLE,
    as_printed    VARCHAR NOT NULL,
    source_line   INTEGER NOT NULL,
    unit          VARCHAR               -- extra: 'EUR' or '%'
);
CREATE TABLE IF NOT EXISTS scores (
    score_id      INTEGER PRIMARY KEY,  -- extra
    document_id   INTEGER NOT NULL,
    area          VARCHAR NOT NULL,
    score         INTEGER,
    max_score     INTEGER,
    as_printed    VARCHAR NOT NULL,
    source_line   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS quality_issues (
    issue_id      INTEGER PRIMARY KEY,  -- extra
    document_id   INTEGER NOT NULL,
    source_line   INTEGER,
    raw_text      VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    category      VARCHAR NOT NULL      -- extra: unreadable, damaged_row, unparsed_table, unjudged, note
);
"""

# Table -> its id column, in the order a document's rows are written.
TABLES = {
    "objectives": "objective_id", "milestones": "milestone_id", "indicators": "indicator_id",
    "budget_lines": "budget_line_id", "reported_totals": "total_id", "scores": "score_id",
    "quality_issues": "issue_id",
}


class DatabaseBusy(Exception):
    """Another process holds the database file (DuckDB allows one writer process)."""


def db_path() -> Path:
    """CRUSCOTTO_DB, else data/cruscotto.duckdb beside the samples."""
    return Path(os.environ.get("CRUSCOTTO_DB") or DEFAULT_DB)


def connect(path: str | Path, read_only: bool = False, retries: int = 20, wait: float = 0.25):
    """Open the database, waiting a little while another process holds its lock."""
    for attempt in range(retries):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            if not read_only:
                con.execute(SCHEMA)
            return con
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or attempt == retries - 1:
                raise DatabaseBusy(str(path)) from exc
            time.sleep(wait)
    raise DatabaseBusy(str(path))  # pragma: no cover


@contextmanager
def reading(path: str | Path | None = None):
    """Open, query, close: a page never holds the file between queries."""
    con = connect(path or db_path(), read_only=True)
    try:
        yield con
    finally:
        con.close()


# ---------------------------------------------------------------------------- writing

def _one(con, sql: str, params=None):
    """The first row or None. (fetchone() would leave the result open, and DuckDB 2 then refuses new work.)"""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _delete_documents(con, document_ids: list[int]) -> None:
    for doc in document_ids:
        for table in ("milestones", "indicators"):
            con.execute(f"DELETE FROM {table} WHERE objective_id IN "
                        "(SELECT objective_id FROM objectives WHERE document_id = ?)", [doc])
        for table in ("objectives", "budget_lines", "reported_totals", "scores", "quality_issues", "documents"):
            con.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc])


class DocumentWriter:
    """Writes documents through one open connection, one transaction per document.

    It reads the stored hashes and the next free ids once, then keeps them itself: a DuckDB file has a
    single writer process, and a round trip per lookup cost more than writing the rows."""

    def __init__(self, con):
        self.con = con
        self.by_sha: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for document_id, name, sha in con.execute("SELECT document_id, source_name, sha256 FROM documents").fetchall():
            self.by_sha.setdefault(sha, document_id)
            self.by_name.setdefault(name, []).append(document_id)
        self.next_ids = self._read_next_ids()

    def _read_next_ids(self) -> dict[str, int]:
        columns = {"documents": "document_id", **TABLES}
        sql = "SELECT " + ", ".join(f"(SELECT coalesce(max({c}), 0) + 1 FROM {t})" for t, c in columns.items())
        return dict(zip(columns, _one(self.con, sql)))

    def find(self, source_name: str, sha256: str) -> tuple[int | None, list[int]]:
        """(document_id holding the same bytes or None, ids of older versions under the same name)."""
        same = self.by_sha.get(sha256)
        older = [d for d in self.by_name.get(source_name, []) if d != same]
        return same, older

    def write(self, document: dict, rows: dict[str, list[dict]], replaces: list[int] = ()) -> int:
        """Write one document and its rows in one transaction, replacing older versions of the same file.

        `rows[table]` are dicts without ids; objectives carry `ref`, and milestones/indicators an
        `objective` ref that becomes objective_id here. Returns the new document_id."""
        con, ids = self.con, dict(self.next_ids)
        con.execute("BEGIN TRANSACTION")
        try:
            _delete_documents(con, list(replaces))
            document_id = ids["documents"]
            _append(con, "documents", [{"document_id": document_id, **document}])
            objective_ids = {o["ref"]: ids["objectives"] + i for i, o in enumerate(rows.get("objectives", []))}
            for table, id_column in TABLES.items():
                records = rows.get(table, [])
                if records:
                    _append(con, table, [_with_ids(table, {id_column: n, **r}, document_id, objective_ids)
                                         for n, r in enumerate(records, start=ids[table])])
                ids[table] += len(records)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            self.next_ids = self._read_next_ids()
            raise
        ids["documents"] += 1
        self.next_ids = ids
        for old in replaces:
            self.by_sha = {sha: d for sha, d in self.by_sha.items() if d != old}
        self.by_sha[document["sha256"]] = document_id
        self.by_name[document["source_name"]] = [document_id]
        return document_id


def _with_ids(table: str, row: dict, document_id: int, objective_ids: dict[int, int]) -> dict:
    if table == "objectives":
        row["duplicate_of"] = objective_ids.get(row["duplicate_of"])
        row["position"] = row.pop("ref")
    if "objective" in row:
        row["objective_id"] = objective_ids[row.pop("objective")]
    else:
        row["document_id"] = document_id
    return row


def _append(con, table: str, records: list[dict]) -> None:
    """One columnar insert per table (row-by-row inserts are a hundred times slower in DuckDB)."""
    incoming = pa.Table.from_pylist(records)
    columns = ", ".join(incoming.column_names)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")


# ---------------------------------------------------------------------------- queries

def documents(con) -> pd.DataFrame:
    """One row per document with what was read from it."""
    return con.execute("""
        SELECT d.document_id, d.source_name, d.issuer, d.report_year, d.period_start, d.period_end,
               d.kind, d.family, d.loaded_at,
               (SELECT count(*) FROM objectives o WHERE o.document_id = d.document_id) AS objectives,
               (SELECT count(*) FROM milestones m JOIN objectives o USING (objective_id)
                 WHERE o.document_id = d.document_id) AS milestones,
               (SELECT count(*) FROM indicators i JOIN objectives o USING (objective_id)
                 WHERE o.document_id = d.document_id) AS indicators,
               (SELECT count(*) FROM budget_lines b WHERE b.document_id = d.document_id) AS budget_lines,
               (SELECT count(*) FROM scores s WHERE s.document_id = d.document_id) AS scores,
               (SELECT count(*) FROM quality_issues q WHERE q.document_id = d.document_id
                  AND q.category <> 'note') AS issues
        FROM documents d ORDER BY d.source_name
    """).df()


def indicator_status_counts(con) -> pd.DataFrame:
    """Indicators per document and status, repeated objective blocks counted once."""
    return con.execute("""
        SELECT o.document_id, i.status, count(*) AS indicators
        FROM indicators i JOIN objectives o USING (objective_id)
        WHERE o.duplicate_of IS NULL
        GROUP BY ALL ORDER BY ALL
    """).df()


def budget_check(con) -> pd.DataFrame:
    """Each printed total beside the sum of the lines of its table and year."""
    return con.execute("""
        SELECT t.document_id, t.table_name, t.label, t.year, t.value AS printed, t.as_printed, t.source_line,
               (SELECT sum(b.amount_eur) FROM budget_lines b
                 WHERE b.document_id = t.document_id AND b.table_name = t.table_name AND b.year = t.year)
               AS sum_of_lines
        FROM reported_totals t WHERE t.unit = 'EUR' ORDER BY t.document_id, t.source_line, t.year
    """).df()


def quality_issues(con, document_id: int | None = None) -> pd.DataFrame:
    sql = ("SELECT q.document_id, d.source_name, q.source_line, q.category, q.reason, q.raw_text "
           "FROM quality_issues q JOIN documents d USING (document_id)")
    if document_id is None:
        return con.execute(sql + " ORDER BY d.source_name, q.source_line").df()
    return con.execute(sql + " WHERE q.document_id = ? ORDER BY q.source_line", [document_id]).df()


def table_counts(con) -> dict[str, int]:
    return {t: _one(con, f"SELECT count(*) FROM {t}")[0] for t in ["documents", *TABLES]}

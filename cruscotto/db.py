"""The database: schema, writing one document, and every query the pages and tools run.

The tables and columns below are a public contract (users query them with SQL); see docs/database.md.
Columns beyond the contract are marked "extra". All SQL of the project lives in this module.
"""
from __future__ import annotations

import errno
import os
import threading
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from . import corrections
from .italian import format_month
from .messages import AREAS, CORRECTIONS, FIELD_LABELS

try:
    import fcntl
except ImportError:                  # Windows: no cross-process lock; this process still takes turns
    fcntl = None

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "cruscotto.duckdb"

# a person's corrections of the tool's reading (issue 11): extra, see docs/database.md
OVERRIDES_COLUMNS = """
    override_id   INTEGER PRIMARY KEY,
    document_id   INTEGER,              -- the document it applies to (the last one, when orphaned)
    record_table  VARCHAR NOT NULL,     -- documents, objectives, indicators, milestones
    record_key    VARCHAR NOT NULL,     -- stable key: issuer, year/period, objective, name (cruscotto/corrections.py)
    field         VARCHAR NOT NULL,
    old_value     VARCHAR,
    new_value     VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    editor        VARCHAR NOT NULL,
    changed_at    TIMESTAMP NOT NULL,
    status        VARCHAR NOT NULL,     -- active, orphaned, withdrawn
    record_id     INTEGER,              -- the row it applies to now (row ids change at every load)
    record_label  VARCHAR,              -- what was corrected, as a person names it
    document_label VARCHAR,             -- the document, as a person names it, when it was corrected
    new_number    DOUBLE,               -- a corrected expected/actual value, read as a number
    judged_status VARCHAR,              -- the status the tool gives a corrected expected/actual value
    judged_reason VARCHAR,
    judged_attainment DOUBLE,
    new_record_id INTEGER               -- a pairing: the objective the indicator belongs to now
"""
OVERRIDES_TABLE = (f"CREATE TABLE IF NOT EXISTS overrides ({OVERRIDES_COLUMNS});\n"
                   "ALTER TABLE overrides ADD COLUMN IF NOT EXISTS new_record_id INTEGER;\n")

# one canonical name for the ways documents print an area (issue 11): extra, see docs/database.md
AREA_ALIASES_COLUMNS = """
    printed_area   VARCHAR PRIMARY KEY,  -- the area as printed (or as a person corrected it), exactly
    canonical_area VARCHAR NOT NULL,     -- the name charts, filters and comparisons use
    editor         VARCHAR NOT NULL,
    changed_at     TIMESTAMP NOT NULL
"""
AREA_ALIASES_TABLE = f"CREATE TABLE IF NOT EXISTS area_aliases ({AREA_ALIASES_COLUMNS});\n"

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
ALTER TABLE documents ADD COLUMN IF NOT EXISTS input_format VARCHAR;    -- extra: text, pdf, xlsx
ALTER TABLE documents ADD COLUMN IF NOT EXISTS text VARCHAR;            -- extra: text read from a PDF/workbook
ALTER TABLE documents ADD COLUMN IF NOT EXISTS line_pages INTEGER[];    -- extra: PDF page of each text line
ALTER TABLE documents ADD COLUMN IF NOT EXISTS issuer_given BOOLEAN;    -- extra: issuer typed in by a person
ALTER TABLE documents ADD COLUMN IF NOT EXISTS encoding VARCHAR;        -- extra: utf-8, utf-8-sig, cp1252
ALTER TABLE documents ADD COLUMN IF NOT EXISTS content_sha VARCHAR;     -- extra: issuer, period and kind, hashed
ALTER TABLE documents ADD COLUMN IF NOT EXISTS content_words VARCHAR;   -- extra: words of its objective titles
ALTER TABLE documents ADD COLUMN IF NOT EXISTS furniture_lines INTEGER[]; -- extra: lines that are page furniture
ALTER TABLE documents ADD COLUMN IF NOT EXISTS deviation_legend BOOLEAN; -- extra: prints how to read Scostamento
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
ALTER TABLE milestones ADD COLUMN IF NOT EXISTS start_raw VARCHAR;      -- extra: a phases table's Inizio
ALTER TABLE milestones ADD COLUMN IF NOT EXISTS weight_raw VARCHAR;     -- extra: Peso, as printed
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
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS weight_raw VARCHAR;     -- extra: Peso, as printed
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS attainment_raw VARCHAR; -- extra: the printed % raggiungimento
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
    score         DOUBLE,               -- '8,5 punti su 10' has a decimal score
    max_score     DOUBLE,
    as_printed    VARCHAR NOT NULL,
    source_line   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (      -- extra: who changed what, when (the audit trail)
    change_id     INTEGER PRIMARY KEY,
    changed_at    TIMESTAMP NOT NULL,
    editor        VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,     -- caricato, sostituito, eliminato, ripristinato, accesso non riuscito, accesso bloccato,
                                        -- tabella mappata, modello di tabella eliminato, area unificata, area separata
    document_id   INTEGER,
    source_name   VARCHAR,
    detail        VARCHAR
);
ALTER TABLE changes ADD COLUMN IF NOT EXISTS restored BOOLEAN DEFAULT false;  -- extra: imported from a backup
""" + OVERRIDES_TABLE + AREA_ALIASES_TABLE + """CREATE TABLE IF NOT EXISTS layouts (      -- extra: column roles an editor gave a table the tool did not recognise
    layout_id     INTEGER PRIMARY KEY,
    header_key    VARCHAR NOT NULL,     -- the header's normalised words, '|' between columns
    header_text   VARCHAR NOT NULL,     -- the header as printed, TAB between cells
    roles         VARCHAR NOT NULL,     -- JSON list, one role per column (null: column left out)
    editor        VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    document_id   INTEGER,              -- the document it was made on (it may be deleted since)
    source_name   VARCHAR
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


class LoadInProgress(DatabaseBusy):
    """A restore found a load (or another batch of writes) running on the database, and swapped nothing."""


class DiskFull(Exception):
    """No space left for the database or a file beside it: the disk, the user's quota or a file size limit."""


# How the operating system and DuckDB say that nothing more can be written (DuckDB passes the OS's words on:
# 'Could not write file "x.duckdb.wal": No space left on device').
NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
NO_SPACE_WORDS = ("no space left on device", "disk is full", "disk quota exceeded", "file too large")


def is_disk_full(exc: BaseException | None) -> bool:
    """True when exc, or an exception it was raised from or while handling, says the disk is full:
    OSError(ENOSPC) -> True; duckdb.TransactionException('cannot rollback') raised while handling
    'Failed to commit: ... No space left on device' -> True."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno in NO_SPACE_ERRNOS):
            return True
        if any(words in str(exc).lower() for words in NO_SPACE_WORDS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


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
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            message = str(exc).lower()
            if "lock" not in message and "different configuration" not in message:
                raise                              # a real fault (permissions, a damaged file): not 'busy'
            if attempt == retries - 1:
                raise DatabaseBusy(str(path)) from exc
            time.sleep(wait)
    raise DatabaseBusy(str(path))  # pragma: no cover


# Inside one process (the dashboard serves many users on threads) reads and writes take turns: DuckDB
# refuses a read-only and a read-write connection to the same file open at once in one process.
_IN_PROCESS = threading.RLock()


# Across processes, writers and a restore take turns on a lock file beside the database (<db>.lock): every
# writer run (a load, a dashboard batch, the first build) holds it shared, so several loaders still take turns
# on DuckDB's own lock; a restore holds it exclusive, so it never swaps the file under a running load (DuckDB's
# lock cannot tell: it belongs to the old file, and a writer holding it goes on writing into a file that has
# been replaced). flock locks belong to an open file description, so this thread counts what it holds: a
# nested take is free, and a restore asked inside this thread's own writes is refused at once, not waited for.
RESTORE_WAIT = 5.0          # a restore waits this long for running writes to end, then refuses
WRITE_WAIT = 30.0           # a dashboard batch waits this long for a restore to end
LOAD_WAIT = 600.0           # a loader waits this long for a restore to end
_HELD = threading.local()


def lock_path(path: str | Path) -> Path:
    """'data/cruscotto.duckdb' -> 'data/cruscotto.duckdb.lock'."""
    return Path(str(path) + ".lock")


@contextmanager
def run_lock(path: str | Path, exclusive: bool = False, timeout: float = LOAD_WAIT, on_wait=None):
    """Hold the database's lock file shared (a writer run) or exclusive (a restore) until the block ends.

    Waits at most `timeout` seconds, calling on_wait() once when it has to wait; then raises LoadInProgress
    (exclusive: writers are running) or DatabaseBusy (shared: a restore is running)."""
    key = os.path.realpath(str(path))              # one lock file however the database is reached
    held = _HELD.__dict__.setdefault(key, {"shared": 0, "exclusive": 0})
    mode = "exclusive" if exclusive else "shared"
    if exclusive and held["shared"] and not held["exclusive"]:
        raise LoadInProgress(f"{key}: this thread is writing to it")
    fd = None
    if not (held["shared"] or held["exclusive"]) and fcntl is not None:
        fd = _take_lock(lock_path(key), exclusive, timeout, on_wait)
    held[mode] += 1
    try:
        yield
    finally:
        held[mode] -= 1
        if fd is not None:
            os.close(fd)                              # closing the descriptor lets the lock go


def _take_lock(lock_file: Path, exclusive: bool, timeout: float, on_wait) -> int:
    fd = _flock(lock_file, exclusive, timeout, on_wait)
    if fd is None:
        raise (LoadInProgress if exclusive else DatabaseBusy)(str(lock_file))
    return fd


# A reader and a loader in two processes take turns on the file (DuckDB allows one process at a time) through
# two lock files beside it. A reader holds <db>.turn shared while it opens and reads; the loader looks between
# two documents (reader_waiting) and, when someone asks, lets the file go. To open the file again the loader
# holds <db>.want exclusive, which new readers pass through first, so a stream of readers cannot starve it.
TURN_WAIT = 5.0             # a loader waits at most this long for the readers inside to finish


def turn_path(path: str | Path, which: str = "turn") -> Path:
    """'data/cruscotto.duckdb' -> 'data/cruscotto.duckdb.turn' (or '.want')."""
    return Path(os.path.realpath(str(path)) + "." + which)


def _flock(file: Path, exclusive: bool, timeout: float | None, on_wait=None) -> int | None:
    """An open descriptor of file holding the lock (closing it lets go), or None after timeout seconds
    (None: wait as long as it takes). Read-only is enough for flock: a lock file made by another user works."""
    fd = os.open(file, os.O_RDONLY | os.O_CREAT, 0o644)
    deadline, waited = None if timeout is None else time.monotonic() + timeout, False
    while True:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if deadline is not None and time.monotonic() >= deadline:
                os.close(fd)
                return None
            if not waited and on_wait is not None:
                on_wait()
            waited = True
            time.sleep(0.02)
        except BaseException:
            os.close(fd)
            raise


@contextmanager
def _held(path: str | Path, which: str, exclusive: bool, timeout: float | None):
    """Hold a turn lock for the block; without flock, or in a folder this user cannot write, hold nothing."""
    fd = None
    if fcntl is not None:
        try:
            fd = _flock(turn_path(path, which), exclusive, timeout)
        except OSError:
            fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def reader_waiting(path: str | Path) -> bool:
    """True while a reader in any process holds or waits for its turn on the database."""
    if fcntl is None:
        return False
    try:
        fd = _flock(turn_path(path), exclusive=True, timeout=0.0)
    except OSError:
        return False
    if fd is None:
        return True
    os.close(fd)
    return False


def connect_for_load(path: str | Path):
    """Open the database for a load that shares it with readers in other processes: new readers wait while
    the ones inside finish (at most TURN_WAIT), then the load opens the file."""
    with _held(path, "want", exclusive=True, timeout=TURN_WAIT), \
            _held(path, "turn", exclusive=True, timeout=TURN_WAIT):
        return connect(path)


@contextmanager
def reading(path: str | Path | None = None):
    """Open, query, close: a page never holds the file between queries (another process may be loading)."""
    path = path or db_path()
    with _held(path, "want", exclusive=False, timeout=None):
        pass                                     # a loader that is opening the file goes first
    with _IN_PROCESS, _held(path, "turn", exclusive=False, timeout=None):
        con = connect(path, read_only=True, retries=100, wait=0.05)
        try:
            columns = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns "
                                                 "WHERE table_name = 'overrides'").fetchall()}
            if not columns:
                # a file last written before corrections existed: every query reads overrides, none is there yet
                con.execute(f"CREATE TEMP TABLE overrides ({OVERRIDES_COLUMNS})")
            elif "new_record_id" not in columns:
                # nor before pairings could be corrected: a copy of its corrections, without any pairing
                con.execute("CREATE TEMP TABLE overrides AS SELECT *, NULL::INTEGER AS new_record_id "
                            "FROM main.overrides")
            if not _one(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'area_aliases'")[0]:
                # nor before area names (issue 11): no alias yet, every area keeps its printed name
                con.execute(f"CREATE TEMP TABLE area_aliases ({AREA_ALIASES_COLUMNS})")
            yield con
        finally:
            con.close()


@contextmanager
def writing(path: str | Path | None = None, retries: int = 20, wait: float = WRITE_WAIT):
    """A read-write connection for one batch of writes, closed afterwards; two uploads take turns, and a
    restore in any process waits for the batch (the lock file first, then this process's turn: always in
    that order, so a restore waiting for this process's turn never holds up a batch waiting for its lock).
    retries and wait bound how long a batch that can be skipped (a login's audit row) waits."""
    path = path or db_path()
    with run_lock(path, timeout=wait), _IN_PROCESS:
        con = connect(path, retries=retries)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def exclusive():
    """No read or write of this process in between (for swapping the database file)."""
    with _IN_PROCESS:
        yield


def export_parquet(con, folder: Path) -> None:
    """Every table as folder/<table>.parquet (plus DuckDB's own schema.sql and load.sql)."""
    con.execute("EXPORT DATABASE '" + str(folder).replace("'", "''") + "' (FORMAT parquet)")


def import_parquet(con, folder: Path) -> None:
    """Fill an empty database with our tables' Parquet files. Only the files named after our tables are read,
    by column name: nothing written in the backup is ever executed as SQL.

    Every imported line of the audit trail is marked `restored` (whatever the backup says): nobody here
    saw those changes happen. Control and bidi characters are taken out of their editors' names."""
    for table in ("documents", "changes", "layouts", *TABLES, "overrides", "area_aliases"):
        file = folder / f"{table}.parquet"
        if file.exists():
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(file)])
    con.execute("UPDATE changes SET restored = true")
    for (editor,) in con.execute("SELECT DISTINCT editor FROM changes").fetchall():
        if clean_name(editor) != editor:
            con.execute("UPDATE changes SET editor = ? WHERE editor = ?", [clean_name(editor), editor])


def document_index(path: str | Path | None = None) -> "DocumentIndex":
    """What the database holds, read and closed at once (an absent file holds nothing)."""
    path = Path(path or db_path())
    if not path.exists():
        return DocumentIndex(None)
    with reading(path) as con:
        return DocumentIndex(con)


# ---------------------------------------------------------------------------- writing

def _one(con, sql: str, params=None):
    """The first row or None. (fetchone() would leave the result open, and DuckDB 2 then refuses new work.)"""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _roll_back(con) -> None:
    """ROLLBACK, unless the transaction has ended already: a COMMIT that failed (a full disk) ends it, and
    'cannot rollback - no transaction is active' would then hide why it failed."""
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def _delete_documents(con, document_ids: list[int]) -> None:
    for doc in document_ids:
        for table in ("milestones", "indicators"):
            con.execute(f"DELETE FROM {table} WHERE objective_id IN "
                        "(SELECT objective_id FROM objectives WHERE document_id = ?)", [doc])
        for table in ("objectives", "budget_lines", "reported_totals", "scores", "quality_issues", "documents"):
            con.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc])


class DocumentIndex:
    """Which files the database holds already: by the hash of their bytes and by their name."""

    def __init__(self, con):
        self.by_sha: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_content: dict[str, list[tuple[int, str]]] = {}     # report key -> (document_id, its words)
        self.names: dict[int, str] = {}
        rows = con.execute("SELECT document_id, source_name, sha256, content_sha, content_words "
                           "FROM documents").fetchall() if con else []
        for document_id, name, sha, content, words in rows:
            self.remember(document_id, name, sha, content, words)
        self.layouts: list[tuple] = stored_layouts(con) if con else []

    def remember(self, document_id: int, name: str, sha: str, content: str | None, words: str | None = None) -> None:
        self.by_sha.setdefault(sha, document_id)
        self.by_name.setdefault(name, []).append(document_id)
        if content:
            self.by_content.setdefault(content, []).append((document_id, words or ""))
        self.names[document_id] = name

    def same_key(self, content: str) -> list[tuple[int, str]]:
        """(document_id, words) of the documents with this report key (issuer, period, kind)."""
        return self.by_content.get(content, [])

    def find(self, source_name: str, sha256: str) -> tuple[int | None, list[int]]:
        """(document_id holding the same bytes or None, ids of older versions under the same name)."""
        same = self.by_sha.get(sha256)
        older = [d for d in self.by_name.get(source_name, []) if d != same]
        return same, older


class DocumentWriter(DocumentIndex):
    """Writes documents through one open connection, one transaction per document.

    It reads the stored hashes and the next free ids once, then keeps them itself: a DuckDB file has a
    single writer process, and a round trip per lookup cost more than writing the rows."""

    def __init__(self, con):
        super().__init__(con)
        self.con = con
        self.next_ids = self._read_next_ids()

    def _read_next_ids(self) -> dict[str, int]:
        columns = {"documents": "document_id", "changes": "change_id", **TABLES}
        sql = "SELECT " + ", ".join(f"(SELECT coalesce(max({c}), 0) + 1 FROM {t})" for t, c in columns.items())
        return dict(zip(columns, _one(self.con, sql)))

    def write(self, document: dict, rows: dict[str, list[dict]], replaces: list[int] = (),
              editor: str = "sconosciuto", mapped: list[tuple[dict | None, str]] = ()) -> int:
        """Write one document and its rows in one transaction, replacing older versions of the same file.

        `rows[table]` are dicts without ids; objectives carry `ref`, and milestones/indicators an
        `objective` ref that becomes objective_id here. `mapped`: (layout or None, detail) of each table whose
        columns the editor mapped on upload: the layout is stored and a 'tabella mappata' line written, in the
        same transaction. Returns the new document_id."""
        con, ids = self.con, dict(self.next_ids)
        con.execute("BEGIN TRANSACTION")
        try:
            _delete_documents(con, list(replaces))
            document_id = ids["documents"]
            _append(con, "documents", [{"document_id": document_id, **document}])
            _insert_rows(con, ids, rows, document_id)
            con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, detail) "
                        "VALUES (?, current_timestamp, ?, ?, ?, ?, ?)",
                        [ids["changes"], clean_name(editor), "sostituito" if replaces else "caricato", document_id,
                         document["source_name"], f"sostituisce {list(replaces)}" if replaces else None])
            ids["changes"] += 1
            for layout, detail in mapped:
                if layout is not None:
                    detail += f"; modello di tabella n. {_store_layout(con, layout, editor, document_id, document['source_name'])}"
                con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, "
                            "detail) VALUES (?, current_timestamp, ?, 'tabella mappata', ?, ?, ?)",
                            [ids["changes"], clean_name(editor), document_id, document["source_name"], detail])
                ids["changes"] += 1
            reattach_overrides(con, document_id, list(replaces), editor)
            ids["changes"] = _one(con, "SELECT coalesce(max(change_id), 0) + 1 FROM changes")[0]
            con.execute("COMMIT")
        except BaseException:
            _roll_back(con)
            self.next_ids = self._read_next_ids()
            raise
        ids["documents"] += 1
        self.next_ids = ids
        for old in replaces:
            self.by_sha = {sha: d for sha, d in self.by_sha.items() if d != old}
            self.by_content = {c: [(d, w) for d, w in docs if d != old] for c, docs in self.by_content.items()}
        self.by_name[document["source_name"]] = []
        self.remember(document_id, document["source_name"], document["sha256"], document.get("content_sha"),
                      document.get("content_words"))
        return document_id


def _insert_rows(con, ids: dict[str, int], rows: dict[str, list[dict]], document_id: int, first_position: int = 0):
    """Append a document's rows with ids from `ids` (advanced in place); objectives' refs become positions
    from first_position on, and the objective refs of steps and indicators become objective_ids."""
    objective_ids = {o["ref"]: ids["objectives"] + i for i, o in enumerate(rows.get("objectives", []))}
    for table, id_column in TABLES.items():
        records = rows.get(table, [])
        if records:
            _append(con, table, [_with_ids(table, {id_column: n, **r}, document_id, objective_ids, first_position)
                                 for n, r in enumerate(records, start=ids[table])])
        ids[table] += len(records)


def _next_ids(con) -> dict[str, int]:
    sql = "SELECT " + ", ".join(f"(SELECT coalesce(max({c}), 0) + 1 FROM {t})" for t, c in TABLES.items())
    return dict(zip(TABLES, _one(con, sql)))


# ---------------------------------------------------------------------------- column mapping

MAPPED_FAMILY = "colonne_assegnate"       # documents.family of an unrecognised document read with mapped columns


def stored_layouts(con) -> list[tuple]:
    """(layout_id, header_key, roles JSON, editor) of every stored layout, oldest first; [] in a database
    written before layouts existed (pages read it read-only, so the table only appears at the next write)."""
    if not _one(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'layouts'")[0]:
        return []
    return con.execute("SELECT layout_id, header_key, roles, editor FROM layouts ORDER BY layout_id").fetchall()


def layouts(con) -> pd.DataFrame:
    """The stored layouts for the Amministrazione page, newest first."""
    if not stored_layouts(con):
        return pd.DataFrame(columns=["layout_id", "header_text", "roles", "editor", "created_at", "source_name"])
    return con.execute("SELECT layout_id, header_text, roles, editor, created_at, source_name FROM layouts "
                       "ORDER BY layout_id DESC").df()


def document_facts(con, document_id: int) -> dict | None:
    """What judging a document's records needs: {'kind': ..., 'report_year': 2022, 'period_start': None,
    'deviation_legend': False, 'family': ..., 'source_name': ...}."""
    columns = ["kind", "report_year", "period_start", "deviation_legend", "family", "source_name"]
    found = _one(con, f"SELECT {', '.join(columns)} FROM documents WHERE document_id = ?", [document_id])
    return dict(zip(columns, found)) if found else None


def unread_lines(con, document_id: int) -> list[int]:
    """Lines of a document kept as table lines no reader read (quality_issues 'unparsed_table')."""
    return [n for (n,) in con.execute("SELECT DISTINCT source_line FROM quality_issues WHERE document_id = ? AND "
                                      "category = 'unparsed_table' ORDER BY 1", [document_id]).fetchall()]


def save_mapped_table(con, document_id: int, rows: dict[str, list[dict]], lines: list[int], layout: dict | None,
                      editor: str, detail: str) -> int | None:
    """In one transaction: a mapped table's rows added to its document, its lines no longer unread, an
    unrecognised document now read by mapped columns, the layout stored (replacing one with the same
    header_key) and a 'tabella mappata' line in the audit trail. Returns the new layout_id (or None)."""
    found = _one(con, "SELECT source_name, family FROM documents WHERE document_id = ?", [document_id])
    if not found:
        raise KeyError(document_id)
    source_name, family = found
    con.execute("BEGIN TRANSACTION")
    try:
        first = _one(con, "SELECT coalesce(max(position), -1) + 1 FROM objectives WHERE document_id = ?",
                     [document_id])[0]
        _insert_rows(con, _next_ids(con), rows, document_id, first)
        con.execute("DELETE FROM quality_issues WHERE document_id = ? AND category = 'unparsed_table' "
                    "AND list_contains(?, source_line)", [document_id, list(lines)])
        if family == "non_riconosciuto":
            con.execute("DELETE FROM quality_issues WHERE document_id = ? AND category = 'unrecognised'",
                        [document_id])
            con.execute("UPDATE documents SET family = ? WHERE document_id = ?", [MAPPED_FAMILY, document_id])
        layout_id = None
        if layout is not None:
            layout_id = _store_layout(con, layout, editor, document_id, source_name)
            detail += f"; modello di tabella n. {layout_id}"
        record_change(con, editor, "tabella mappata", document_id, source_name, detail)
        con.execute("COMMIT")
    except BaseException:
        _roll_back(con)
        raise
    return layout_id


def _store_layout(con, layout: dict, editor: str, document_id: int, source_name: str) -> int:
    """Insert a layout inside the caller's transaction, replacing any with the same header_key; its id."""
    con.execute("DELETE FROM layouts WHERE header_key = ?", [layout["header_key"]])
    layout_id = _one(con, "SELECT coalesce(max(layout_id), 0) + 1 FROM layouts")[0]
    con.execute("INSERT INTO layouts (layout_id, header_key, header_text, roles, editor, created_at, document_id, "
                "source_name) VALUES (?, ?, ?, ?, ?, current_timestamp, ?, ?)",
                [layout_id, layout["header_key"], layout["header_text"], layout["roles"], clean_name(editor),
                 document_id, source_name])
    return layout_id


def delete_layout(con, layout_id: int, editor: str) -> str | None:
    """Remove a stored layout, recording who did it; returns its header as printed (None: no such layout).
    What was read with it stays: the layout only decides how later tables are read."""
    found = _one(con, "SELECT header_text FROM layouts WHERE layout_id = ?", [layout_id]) \
        if stored_layouts(con) else None
    if not found:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM layouts WHERE layout_id = ?", [layout_id])
        record_change(con, editor, "modello di tabella eliminato", None, None,
                      f"modello n. {layout_id}: " + found[0].replace("\t", " | "))
        con.execute("COMMIT")
    except BaseException:
        _roll_back(con)
        raise
    return found[0]


def missing_documents(con, saved: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Of the (document_id, sha256) a load reports saved, those the file does not hold with their audit row:
    [(12, 'ab…'), (13, 'cd…')] -> [(13, 'cd…')] when document 13 is not there (or is another file's)."""
    if not saved:
        return []
    found = set(con.execute("SELECT d.document_id, d.sha256 FROM documents d WHERE list_contains(?, d.document_id) "
                            "AND EXISTS (SELECT 1 FROM changes c WHERE c.document_id = d.document_id)",
                            [[doc for doc, _ in saved]]).fetchall())
    return [pair for pair in saved if tuple(pair) not in found]


def delete_document(con, document_id: int, editor: str) -> str | None:
    """Remove one document and all its rows in one transaction, recording who did it; returns its file name."""
    found = _one(con, "SELECT source_name FROM documents WHERE document_id = ?", [document_id])
    if not found:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        _delete_documents(con, [document_id])
        record_change(con, editor, "eliminato", document_id, found[0])
        orphan_overrides(con, [document_id], editor)
        con.execute("COMMIT")
    except BaseException:
        _roll_back(con)
        raise
    return found[0]


# Characters that change how a name looks without being seen: controls (Cc), format characters (Cf: the
# bidi overrides U+202A-U+202E and isolates U+2066-U+2069, the marks U+200E/U+200F, zero-width spaces)
# and line or paragraph separators. '\u202e)toor( odnamoc id agir' shows as 'riga di comando (root)'.
# Characters a name never needs and that can hide or pad it: controls and format characters (bidi
# overrides), line separators, combining marks left after NFC (variation selectors, U+034F), unassigned and
# private code points, and the letters and symbols that print as nothing (Hangul fillers, the braille blank).
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Mn", "Me", "Co", "Cn", "Cs"})
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")
MAX_NAME = 120


def clean_name(name, default: str = "sconosciuto", limit: int = MAX_NAME) -> str:
    r"""A person's name as the audit trail stores it: invisible characters out, spaces collapsed, at most
    `limit` characters. '\u202eMaria\u200f  Rossi\x07' -> 'Maria Rossi'; nothing left -> `default`."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(" " if ch.isspace() else ch for ch in text
                   if (unicodedata.category(ch) not in _INVISIBLE and ch not in _BLANK) or ch in "\t\n\r")
    text = " ".join(text.split())[:limit].strip()
    return text or default


def record_change(con, editor: str, action: str, document_id: int | None, source_name: str | None,
                  detail: str | None = None) -> None:
    """One line of the audit trail, inside the caller's transaction; the editor's name goes through clean_name."""
    con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, detail) "
                "SELECT coalesce(max(change_id), 0) + 1, current_timestamp, ?, ?, ?, ?, ? FROM changes",
                [clean_name(editor), action, document_id, source_name, detail])


def changes(con) -> pd.DataFrame:
    """The audit trail, newest first. A database last written before `restored` existed (pages read it
    read-only, so the column is only added at the next write) holds no restored line."""
    restored = "restored" if _one(con, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'changes' "
                                       "AND column_name = 'restored'")[0] else "false AS restored"
    return con.execute(f"SELECT changed_at, editor, action, source_name, document_id, detail, {restored} FROM changes "
                       "ORDER BY change_id DESC").df()


# ---------------------------------------------------------------------------- corrections (issue 11)
# A correction never touches the parse: it is a row of `overrides` with the record's stable key
# (cruscotto/corrections.py) and the row it applies to now (record_id); every page query reads the tables
# through DOCS, OBJECTIVES, INDICATORS and MILESTONES, which apply the active ones.

def _record_keys(con, document_id: int) -> dict[str, dict[int, str]]:
    """{table: {record_id: stable key}} for one document's records, from the tool's own reading."""
    found = _one(con, "SELECT document_id, issuer, report_year, period_start, period_end, kind FROM documents "
                      "WHERE document_id = ?", [document_id])
    if not found:
        return {}
    document = dict(zip(("document_id", "issuer", "report_year", "period_start", "period_end", "kind"), found))

    def rows(sql: str, names: tuple[str, ...]) -> list[dict]:
        return [dict(zip(names, r)) for r in con.execute(sql, [document_id]).fetchall()]

    objectives = rows("SELECT objective_id, number, coalesce(title, description) FROM objectives "
                      "WHERE document_id = ? AND duplicate_of IS NULL ORDER BY position", ("objective_id", "number", "title"))
    indicators = rows("SELECT i.indicator_id, i.objective_id, coalesce(i.name, i.description) FROM indicators i "
                      "JOIN objectives o USING (objective_id) WHERE o.document_id = ? AND o.duplicate_of IS NULL "
                      "ORDER BY o.position, i.source_line, i.indicator_id", ("indicator_id", "objective_id", "name"))
    milestones = rows("SELECT m.milestone_id, m.objective_id, m.activity FROM milestones m "
                      "JOIN objectives o USING (objective_id) WHERE o.document_id = ? AND o.duplicate_of IS NULL "
                      "ORDER BY o.position, m.source_line, m.milestone_id", ("milestone_id", "objective_id", "activity"))
    return corrections.record_keys(document, objectives, indicators, milestones)


def _targets() -> dict[str, str]:
    """table -> the query of one record as the pages show it (DOCS etc. are defined further down)."""
    return {
        "documents": f"""SELECT d.document_id, d.document_id AS record_id, d.issuer, d.report_year, d.period_start,
                d.period_end, NULL AS label, NULL AS number FROM {DOCS} d WHERE d.document_id = ?""",
        "objectives": f"""SELECT o.document_id, o.objective_id AS record_id, o.printed_area AS area,
                coalesce(o.title, o.description)
                AS label, o.number FROM {OBJECTIVES} o WHERE o.objective_id = ?""",
        "indicators": f"""SELECT o.document_id, i.indicator_id AS record_id, i.status, i.expected_raw, i.actual_raw,
                i.reported_deviation_raw, coalesce(i.name, i.description) AS label, NULL AS number,
                {OBJECTIVE_LABEL} AS objective,
                (SELECT arg_max(v.new_value, v.override_id) FROM overrides v WHERE v.status = 'active'
                   AND v.record_table = 'indicators' AND v.field = 'status' AND v.record_id = i.indicator_id)
                AS person_status
                FROM {INDICATORS} i JOIN objectives o USING (objective_id) WHERE i.indicator_id = ?""",
        "milestones": f"""SELECT o.document_id, m.milestone_id AS record_id, m.planned_month, m.actual_month, m.status,
                m.activity AS label, NULL AS number
                FROM {MILESTONES} m JOIN objectives o USING (objective_id) WHERE m.milestone_id = ?""",
    }


MAX_LABEL = 100


def correction_target(con, table: str, record_id: int) -> dict | None:
    """The record as the pages show it now (corrections applied), with its document's year and kind."""
    if table not in corrections.FIELDS:
        return None
    cursor = con.execute(_targets()[table], [record_id])
    names = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    if not rows:
        return None
    target = dict(zip(names, rows[0]))
    doc = _one(con, f"SELECT {ISSUER}, {YEAR}, d.source_name, d.report_year, d.kind, d.deviation_legend "
                    f"FROM {DOCS} d WHERE d.document_id = ?", [target["document_id"]])
    target.update(document_label=f"{doc[0]} · {doc[1]} · {doc[2]}", source_name=doc[2], kind=doc[4],
                  deviation_legend=doc[5])
    target.setdefault("report_year", doc[3])
    if table == "indicators":
        target["report_year"] = doc[3]
    label = " ".join(str(target.get("label") or "").split())
    label = label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"
    if table == "objectives":
        label = CORRECTIONS["objective_label"].format(number=target.get("number") or "—", title=label)
    elif table == "documents":
        label = CORRECTIONS["document_label"]
    target["label"] = label
    return target


# An objective as a pairing names it (the objective's number and title as printed); a pairing finds its
# objective again by this label, compared loosely (corrections.find_objective), in any version of the document.
def _objective_label(alias: str = "o") -> str:
    return f"coalesce({alias}.number, '—') || ' · ' || coalesce({alias}.title, {alias}.description, '')"


OBJECTIVE_LABEL = _objective_label()


def objective_choices(con, document_id: int) -> pd.DataFrame:
    """The objectives an indicator of the document can be paired with: objective_id, label."""
    return con.execute(f"SELECT o.objective_id, {OBJECTIVE_LABEL} AS label FROM objectives o "
                       "WHERE o.document_id = ? AND o.duplicate_of IS NULL ORDER BY o.position, o.objective_id",
                       [document_id]).df()


def _paired_objective(con, document_id: int, label: str) -> int | None:
    """The objective of the document a pairing names (its label, compared loosely), or None."""
    choices = {int(o): text for o, text in objective_choices(con, document_id).itertuples(index=False)}
    return corrections.find_objective(label, choices)


def stored_value(value) -> str | None:
    """A record's current value as overrides store it: dates as '2021-06-01', numbers as '2021'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def save_correction(con, table: str, record_id: int, field: str, value, reason: str, editor: str) -> int:
    """Record a person's correction of one field of one record, in one transaction with its audit line;
    returns its override_id. Raises corrections.InvalidCorrection (code: field, empty, status, year, month,
    long, reason, record, same)."""
    new_value = corrections.check_value(table, field, value)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise corrections.InvalidCorrection("reason")
    target = correction_target(con, table, int(record_id))
    key = _record_keys(con, target["document_id"]).get(table, {}).get(int(record_id)) if target else None
    if key is None:
        raise corrections.InvalidCorrection("record")
    new_record_id = None
    if field == "objective":                     # the value is the chosen objective's id: stored as its label
        labels = dict(objective_choices(con, target["document_id"]).itertuples(index=False))
        new_record_id = int(new_value)
        if new_record_id not in labels:
            raise corrections.InvalidCorrection("objective")
        new_value = labels[new_record_id]
    old_value = stored_value(target[field])
    if old_value == new_value:
        raise corrections.InvalidCorrection("same")
    number = corrections.read_number(target, field, new_value) if table == "indicators" else None
    editor = clean_name(editor)
    con.execute("BEGIN TRANSACTION")
    try:
        override_id = _one(con, "SELECT coalesce(max(override_id), 0) + 1 FROM overrides")[0]
        con.execute("INSERT INTO overrides (override_id, document_id, record_table, record_key, field, old_value, "
                    "new_value, reason, editor, changed_at, status, record_id, record_label, document_label, "
                    "new_number, new_record_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, 'active', ?, ?, ?, ?, ?)",
                    [override_id, target["document_id"], table, key, field, old_value, new_value, reason, editor,
                     int(record_id), target["label"], target["document_label"], number, new_record_id])
        _rejudge(con, table, int(record_id))
        record_change(con, editor, CORRECTIONS["action_saved"], target["document_id"], target["source_name"],
                      CORRECTIONS["detail"].format(
                          record=target["label"], field=FIELD_LABELS[(table, field)], reason=reason,
                          old=corrections.format_value(table, field, old_value),
                          new=corrections.format_value(table, field, new_value)))
        con.execute("COMMIT")
    except BaseException:
        _roll_back(con)
        raise
    return override_id


def withdraw_correction(con, override_id: int, editor: str, reason: str) -> dict:
    """Withdraw an active or orphaned correction (the row stays, marked 'withdrawn'), with its audit line.
    Returns the correction as it was. Raises corrections.InvalidCorrection('reason' or 'state')."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise corrections.InvalidCorrection("reason")
    cursor = con.execute("SELECT override_id, document_id, record_table, field, old_value, new_value, status, "
                         "record_label, document_label, record_id FROM overrides WHERE override_id = ?",
                         [int(override_id)])
    names = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    if not rows or rows[0][names.index("status")] == "withdrawn":
        raise corrections.InvalidCorrection("state")
    found = dict(zip(names, rows[0]))
    source = _one(con, "SELECT source_name FROM documents WHERE document_id = ?", [found["document_id"]])
    table, field = found["record_table"], found["field"]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("UPDATE overrides SET status = 'withdrawn' WHERE override_id = ?", [found["override_id"]])
        if found["status"] == "active":
            _rejudge(con, table, found["record_id"])             # with the values that remain
        record_change(con, editor, CORRECTIONS["action_withdrawn"], found["document_id"] if source else None,
                      source[0] if source else found["document_label"], CORRECTIONS["detail_withdrawn"].format(
                          id=found["override_id"], record=found["record_label"], field=FIELD_LABELS[(table, field)],
                          new=corrections.format_value(table, field, found["new_value"]),
                          old=corrections.format_value(table, field, found["old_value"]), reason=reason))
        con.execute("COMMIT")
    except BaseException:
        _roll_back(con)
        raise
    return found


def reattach_overrides(con, document_id: int, replaced: list[int], editor: str) -> None:
    """After a document is written (inside its transaction): the corrections left without a record (their
    document was replaced or deleted: orphaned, or still active on a document that is gone) are attached to
    this document's records when their stable key finds one; those of a replaced document that find none
    become 'orphaned'. Each move is a line of the audit trail."""
    keys = _record_keys(con, document_id)
    waiting = con.execute("SELECT override_id, record_table, record_key, field, status, record_label, new_value "
                          "FROM overrides "
                          "WHERE status = 'orphaned' OR (status = 'active' AND document_id NOT IN "
                          "(SELECT document_id FROM documents)) ORDER BY override_id").fetchall()
    if not waiting:
        return
    label, source = _one(con, f"SELECT {ISSUER} || ' · ' || {YEAR} || ' · ' || d.source_name, d.source_name "
                              f"FROM {DOCS} d WHERE d.document_id = ?", [document_id])
    rejudge = set()
    for override_id, table, key, field, status, record_label, new_value in waiting:
        record_id = corrections.find_record(key, keys.get(table, {}))
        # a pairing needs its objective too, found again by its label
        paired = _paired_objective(con, document_id, new_value) if field == "objective" else None
        if field == "objective" and paired is None:
            record_id = None
        words = dict(id=override_id, record=record_label, field=FIELD_LABELS.get((table, field), field))
        if record_id is not None:
            con.execute("UPDATE overrides SET document_id = ?, record_id = ?, status = 'active', document_label = ?, "
                        "new_record_id = ? WHERE override_id = ?", [document_id, record_id, label, paired, override_id])
            rejudge.add((table, record_id))
            record_change(con, editor, CORRECTIONS["action_reattached"], document_id, source,
                          CORRECTIONS["detail_reattached"].format(**words))
        elif status == "active":
            con.execute("UPDATE overrides SET status = 'orphaned', record_id = NULL WHERE override_id = ?",
                        [override_id])
            record_change(con, editor, CORRECTIONS["action_orphaned"], document_id, source,
                          CORRECTIONS["detail_orphaned"].format(**words))

    for table, record_id in sorted(rejudge):     # the new document's other values and year count too
        _rejudge(con, table, record_id)


def _rejudge(con, table: str, record_id: int | None) -> None:
    """Judge again a record whose values a person corrected, with its values as they stand now (every active
    correction applied), and store the judgement on its active value corrections."""
    fields = corrections.VALUE_FIELDS.get(table)
    target = correction_target(con, table, int(record_id)) if fields and record_id is not None else None
    if target is None:
        return
    judged = corrections.judgement(table, target)
    con.execute("UPDATE overrides SET judged_status = ?, judged_reason = ?, judged_attainment = ? "
                "WHERE status = 'active' AND record_table = ? AND record_id = ? AND list_contains(?, field)",
                [judged["judged_status"], judged["judged_reason"], judged["judged_attainment"], table,
                 int(record_id), list(fields)])


def orphan_overrides(con, document_ids: list[int], editor: str) -> None:
    """The active corrections of deleted documents become 'orphaned' (inside the caller's transaction)."""
    for override_id, table, field, record_label, document_label in con.execute(
            "SELECT override_id, record_table, field, record_label, document_label FROM overrides "
            "WHERE status = 'active' AND list_contains(?, document_id) ORDER BY override_id",
            [list(document_ids)]).fetchall():
        con.execute("UPDATE overrides SET status = 'orphaned', record_id = NULL WHERE override_id = ?", [override_id])
        record_change(con, editor, CORRECTIONS["action_orphaned"], None, document_label,
                      CORRECTIONS["detail_deleted"].format(id=override_id, record=record_label,
                                                            field=FIELD_LABELS.get((table, field), field)))


def overrides(con) -> pd.DataFrame:
    """Every correction, newest first, with the document it applies to now (for an orphaned or withdrawn one
    whose document is gone, the document as it was named when corrected)."""
    if not _one(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'overrides'")[0]:
        return pd.DataFrame(columns=["override_id", "changed_at", "editor", "status", "issuer", "year",
                                     "document_label", "source_name", "record_table", "record_label", "field",
                                     "old_value", "new_value", "reason", "document_id"])
    return con.execute(f"""
        SELECT v.override_id, v.changed_at, v.editor, v.status,
               CASE WHEN d.document_id IS NOT NULL THEN {ISSUER} ELSE split_part(v.document_label, ' · ', 1) END
                   AS issuer,
               CASE WHEN d.document_id IS NOT NULL THEN {YEAR} ELSE split_part(v.document_label, ' · ', 2) END
                   AS year,
               v.document_label, d.source_name, v.record_table, v.record_label, v.field, v.old_value,
               v.new_value, v.reason, v.document_id
        FROM overrides v LEFT JOIN {DOCS} d ON d.document_id = v.document_id AND v.status = 'active'
        ORDER BY v.override_id DESC
    """).df()


def judgements(con) -> pd.DataFrame:
    """Per document, how many of its judgements (indicator and step statuses) are the tool's and how many a
    person's (a status given, or a corrected value or month judged again)."""
    return con.execute(f"""
        WITH j AS (
            SELECT o.document_id, 'indicator' AS what, i.status_by_person AS by_person
            FROM {INDICATORS} i JOIN objectives o USING (objective_id) WHERE o.duplicate_of IS NULL
            UNION ALL
            SELECT o.document_id, 'step', m.status_by_person
            FROM {MILESTONES} m JOIN objectives o USING (objective_id)
            WHERE o.duplicate_of IS NULL AND (m.status <> 'planned' OR m.status_by_person))
        SELECT d.document_id, {ISSUER} AS issuer, {YEAR} AS year, d.source_name,
               count(*) FILTER (WHERE what = 'indicator' AND NOT by_person) AS indicators_tool,
               count(*) FILTER (WHERE what = 'indicator' AND by_person) AS indicators_person,
               count(*) FILTER (WHERE what = 'step' AND NOT by_person) AS steps_tool,
               count(*) FILTER (WHERE what = 'step' AND by_person) AS steps_person
        FROM j JOIN {DOCS} d USING (document_id)
        GROUP BY ALL ORDER BY d.source_name
    """).df()


# ---------------------------------------------------------------------------- area names (issue 11)
# One canonical name for the ways documents print an area: a row of area_aliases per printed name, applied
# by OBJECTIVES (so every page query, the Area filter and attainment by area use it); objectives.area stays.

class InvalidAlias(ValueError):
    """An alias that cannot be saved; code: 'empty', 'long', 'printed'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


MAX_AREA = 200


def area_names(con) -> pd.DataFrame:
    """Every printed area (after a person's correction of it) with how many documents and objectives print
    it and its canonical name (None: it keeps its printed name), plus the aliases of names no document prints
    any more (documents 0). Repeated objective blocks are counted once."""
    return con.execute(f"""
        WITH printed AS (
            SELECT o.printed_area, count(DISTINCT o.document_id) AS documents, count(*) AS objectives
            FROM {OBJECTIVES} o WHERE o.printed_area IS NOT NULL AND o.duplicate_of IS NULL GROUP BY ALL)
        SELECT coalesce(p.printed_area, a.printed_area) AS printed_area, coalesce(p.documents, 0) AS documents,
               coalesce(p.objectives, 0) AS objectives, a.canonical_area, a.editor, a.changed_at
        FROM printed p FULL OUTER JOIN area_aliases a ON a.printed_area = p.printed_area
        ORDER BY lower(coalesce(p.printed_area, a.printed_area)), 1
    """).df()


def save_area_aliases(con, aliases: dict[str, str], editor: str) -> list[tuple[str, str | None, str | None]]:
    """Give printed areas a canonical name, in one transaction with one audit line each ('area unificata');
    a canonical name equal to the printed one removes the alias ('area separata'). Returns the changes made
    as (printed, old canonical or None, new canonical or None). Raises InvalidAlias."""
    cleaned = {}
    for printed, canonical in aliases.items():
        if printed is None or not str(printed).strip():
            raise InvalidAlias("printed")
        canonical = " ".join(str(canonical or "").split())
        if not canonical:
            raise InvalidAlias("empty")
        if len(canonical) > MAX_AREA:
            raise InvalidAlias("long")
        cleaned[str(printed)] = canonical
    editor = clean_name(editor)
    done = []
    con.execute("BEGIN TRANSACTION")
    try:
        for printed, canonical in cleaned.items():
            found = _one(con, "SELECT canonical_area FROM area_aliases WHERE printed_area = ?", [printed])
            old = found[0] if found else None
            new = None if canonical == printed else canonical
            if old == new:
                continue
            con.execute("DELETE FROM area_aliases WHERE printed_area = ?", [printed])
            if new is None:
                record_change(con, editor, AREAS["action_split"], None, None,
                              AREAS["detail_split"].format(printed=printed, old=old))
            else:
                con.execute("INSERT INTO area_aliases (printed_area, canonical_area, editor, changed_at) "
                            "VALUES (?, ?, ?, current_timestamp)", [printed, new, editor])
                record_change(con, editor, AREAS["action_merged"], None, None,
                              AREAS["detail_merged" if old is None else "detail_renamed"].format(
                                  printed=printed, new=new, old=old))
            done.append((printed, old, new))
        con.execute("COMMIT")
    except BaseException:
        _roll_back(con)
        raise
    return done


def remove_area_alias(con, printed: str, editor: str) -> str | None:
    """Remove a printed area's alias, so that it shows its printed name again, with an audit line
    ('area separata'); returns the canonical name it had (None: it had no alias, nothing changed)."""
    found = _one(con, "SELECT canonical_area FROM area_aliases WHERE printed_area = ?", [printed])
    if not found:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM area_aliases WHERE printed_area = ?", [printed])
        record_change(con, editor, AREAS["action_split"], None, None,
                      AREAS["detail_split"].format(printed=printed, old=found[0]))
        con.execute("COMMIT")
    except BaseException:
        _roll_back(con)
        raise
    return found[0]


def _with_ids(table: str, row: dict, document_id: int, objective_ids: dict[int, int], first_position: int = 0) -> dict:
    if table == "objectives":
        row["duplicate_of"] = objective_ids.get(row["duplicate_of"])
        row["position"] = row.pop("ref") + first_position
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

@dataclass(frozen=True)
class Filters:
    """What the pages filter on; an empty tuple means 'all'."""
    issuers: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


# How a document is named on screen: its issuer, or the file when the document never names itself.
ISSUER = "coalesce(d.issuer, 'Ente non indicato (' || d.source_name || ')')"
YEAR = "coalesce(CAST(d.report_year AS VARCHAR), d.period_start || '-' || d.period_end, '—')"


# ---------------------------------------------------------------------------- the corrected reading
# Every page query reads these four in place of the tables: each is its table with a person's active
# corrections (overrides) applied, a flag saying which rows were corrected, and the tool's own reading beside.

def _corrections(table: str, fields: tuple[str, ...], extra: str = "") -> str:
    """Active corrections of one table, one row per record: the latest new value of each field as c_<field>,
    and the latest correction's editor and reason as c_reason."""
    columns = ", ".join(f"arg_max(new_value, override_id) FILTER (WHERE field = '{f}') AS c_{f}" for f in fields)
    return (f"(SELECT record_id, {columns}{extra}, "
            "arg_max(editor || ': ' || reason, override_id) AS c_reason FROM overrides "
            f"WHERE status = 'active' AND record_table = '{table}' GROUP BY record_id)")


DOCS = f"""(SELECT d.* REPLACE (
        coalesce(c.c_issuer, d.issuer) AS issuer,
        coalesce(TRY_CAST(c.c_report_year AS INTEGER), d.report_year) AS report_year,
        coalesce(TRY_CAST(c.c_period_start AS INTEGER), d.period_start) AS period_start,
        coalesce(TRY_CAST(c.c_period_end AS INTEGER), d.period_end) AS period_end),
    c.record_id IS NOT NULL AS document_corrected, d.issuer AS original_issuer, d.report_year AS original_year,
    d.period_start AS original_period_start, d.period_end AS original_period_end
  FROM documents d LEFT JOIN {_corrections('documents', ('issuer', 'report_year', 'period_start', 'period_end'))} c
    ON c.record_id = d.document_id)"""

# The one place an area gets its canonical name (issue 11): `area` is the alias an editor gave the printed
# name (a person's correction first, then the alias of the corrected name), `printed_area` the name before
# the alias and `original_area` the tool's reading; objectives.area itself is never changed.
OBJECTIVES = f"""(SELECT o.* REPLACE (coalesce(a.canonical_area, o.area) AS area), o.area AS printed_area
  FROM (SELECT o.* REPLACE (coalesce(c.c_area, o.area) AS area),
          c.record_id IS NOT NULL AS area_corrected, o.area AS original_area
        FROM objectives o LEFT JOIN {_corrections('objectives', ('area',))} c ON c.record_id = o.objective_id) o
  LEFT JOIN area_aliases a ON a.printed_area = o.area)"""

def _judged(fields: tuple[str, ...]) -> str:
    """The tool's judgement stored with a record's corrected values (j_*) and the reason of a status a person
    gave (s_reason): extra columns for _corrections."""
    values = "field IN (" + ", ".join(f"'{f}'" for f in fields) + ")"
    return (f", arg_max_null(judged_status, override_id) FILTER (WHERE {values}) AS j_status"
            f", arg_max_null(judged_reason, override_id) FILTER (WHERE {values}) AS j_reason"
            f", arg_max_null(judged_attainment, override_id) FILTER (WHERE {values}) AS j_attainment"
            ", arg_max(editor || ': ' || reason, override_id) FILTER (WHERE field = 'status') AS s_reason")


_INDICATOR_EXTRA = (
    ", arg_max_null(new_number, override_id) FILTER (WHERE field = 'expected_raw') AS n_expected"
    ", arg_max_null(new_number, override_id) FILTER (WHERE field = 'actual_raw') AS n_actual"
    ", arg_max(new_record_id, override_id) FILTER (WHERE field = 'objective') AS c_objective_id"
    + _judged(corrections.VALUE_FIELDS["indicators"]))
# A corrected expected or actual value carries the tool's judgement of it (judged_*); a status a person gave wins.
INDICATORS = f"""(SELECT i.* REPLACE (
        coalesce(c.c_objective_id, i.objective_id) AS objective_id,
        coalesce(c.c_expected_raw, i.expected_raw) AS expected_raw,
        coalesce(c.c_actual_raw, i.actual_raw) AS actual_raw,
        CASE WHEN c.c_expected_raw IS NOT NULL THEN c.n_expected ELSE i.expected_value END AS expected_value,
        CASE WHEN c.c_actual_raw IS NOT NULL THEN c.n_actual ELSE i.actual_value END AS actual_value,
        coalesce(c.c_status, c.j_status, i.status) AS status,
        CASE WHEN c.c_status IS NOT NULL THEN c.s_reason WHEN c.j_status IS NOT NULL THEN c.j_reason
             ELSE i.status_reason END AS status_reason,
        CASE WHEN c.j_status IS NOT NULL THEN c.j_attainment ELSE i.attainment END AS attainment,
        CASE WHEN c.j_status IS NULL THEN i.computed_deviation WHEN c.j_attainment IS NOT NULL THEN
             CASE WHEN c.c_actual_raw IS NOT NULL THEN c.n_actual ELSE i.actual_value END -
             CASE WHEN c.c_expected_raw IS NOT NULL THEN c.n_expected ELSE i.expected_value END
             END AS computed_deviation),
    c.record_id IS NOT NULL AS indicator_corrected,
    coalesce(c.c_status, c.j_status) IS NOT NULL AS status_by_person,
    i.status AS original_status, i.expected_raw AS original_expected_raw, i.actual_raw AS original_actual_raw,
    i.status_reason AS original_reason, i.objective_id AS original_objective_id
  FROM indicators i LEFT JOIN {_corrections('indicators', ('status', 'expected_raw', 'actual_raw'), _INDICATOR_EXTRA)} c
    ON c.record_id = i.indicator_id)"""

# A corrected month carries the tool's judgement of the step with it (judged_*, evaluation.judge_months); a
# status a person gave wins. The slippage is the shown months' difference.
MILESTONES = f"""(SELECT m.* EXCLUDE (months_corrected, c_status, j_status, j_reason, s_reason) REPLACE (
        coalesce(m.c_status, m.j_status, m.status) AS status,
        CASE WHEN m.months_corrected THEN date_diff('month', m.planned_month, m.actual_month)
             ELSE m.slippage_months END AS slippage_months,
        CASE WHEN m.c_status IS NOT NULL THEN m.s_reason WHEN m.j_status IS NOT NULL THEN m.j_reason
             ELSE m.status_reason END AS status_reason),
    coalesce(m.c_status, m.j_status) IS NOT NULL AS status_by_person
  FROM (SELECT m.* REPLACE (
            coalesce(TRY_CAST(c.c_planned_month AS DATE), m.planned_month) AS planned_month,
            coalesce(TRY_CAST(c.c_actual_month AS DATE), m.actual_month) AS actual_month),
        coalesce(c.c_planned_month, c.c_actual_month) IS NOT NULL AS months_corrected, c.c_status, c.j_status,
        c.j_reason, c.s_reason, c.record_id IS NOT NULL AS step_corrected, m.planned_month AS original_planned_month,
        m.actual_month AS original_actual_month, m.status AS original_status, m.status_reason AS original_reason
        FROM milestones m LEFT JOIN {_corrections('milestones', ('planned_month', 'actual_month', 'status'),
                                                  _judged(corrections.VALUE_FIELDS['milestones']))} c
          ON c.record_id = m.milestone_id) m)"""


def _where(filters: Filters, with_area: bool = True) -> tuple[str, list]:
    """SQL conditions on d (documents) and o (objectives) for the filters, with bound parameters."""
    clauses, params = ["TRUE"], []
    if filters.issuers:
        clauses.append(f"list_contains(?, {ISSUER})")
        params.append(list(filters.issuers))
    if filters.years:
        clauses.append("(list_contains(?, d.report_year) OR (d.report_year IS NULL AND "
                       "list_has_any(?, range(d.period_start, d.period_end + 1))))")
        params += [list(filters.years), list(filters.years)]
    if filters.kinds:
        clauses.append("list_contains(?, d.kind)")
        params.append(list(filters.kinds))
    if with_area and filters.areas:
        clauses.append("list_contains(?, o.area)")
        params.append(list(filters.areas))
    return " AND ".join(clauses), params


def filter_options(con) -> dict[str, list]:
    """The values each filter can take."""
    years = sorted({y for (y,) in con.execute(
        "SELECT unnest(CASE WHEN report_year IS NOT NULL THEN [report_year] "
        f"ELSE range(period_start, period_end + 1) END) FROM {DOCS} d").fetchall() if y is not None})
    return {
        "issuers": [r[0] for r in con.execute(f"SELECT DISTINCT {ISSUER} FROM {DOCS} d ORDER BY 1").fetchall()],
        "years": years,
        "areas": [r[0] for r in con.execute(f"SELECT DISTINCT area FROM {OBJECTIVES} o WHERE area IS NOT NULL "
                                            "ORDER BY 1").fetchall()],
        "kinds": [r[0] for r in con.execute("SELECT DISTINCT kind FROM documents ORDER BY 1").fetchall()],
    }


def documents(con, filters: Filters = Filters()) -> pd.DataFrame:
    """One row per document with what was read from it and its headline figures."""
    where, params = _where(filters, with_area=False)
    area = "AND list_contains(?, o.area)" if filters.areas else ""
    area_params = [list(filters.areas)] * 3 if filters.areas else []
    return con.execute(f"""
        WITH ind AS (
            SELECT o.document_id,
                   count(*) AS indicators,
                   count(*) FILTER (WHERE i.status IN ('met', 'exceeded')) AS reached,
                   count(*) FILTER (WHERE i.status NOT IN ('not_reported', 'unknown')) AS judged
            FROM {INDICATORS} i JOIN {OBJECTIVES} o USING (objective_id)
            WHERE o.duplicate_of IS NULL {area} GROUP BY ALL),
        steps AS (
            SELECT o.document_id, count(*) AS milestones,
                   count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early')) AS on_time,
                   count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early', 'done_late')) AS dated,
                   count(*) FILTER (WHERE m.status = 'done_late') AS late
            FROM {MILESTONES} m JOIN {OBJECTIVES} o USING (objective_id)
            WHERE o.duplicate_of IS NULL {area} GROUP BY ALL)
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, d.issuer IS NULL AS issuer_missing,
               {YEAR} AS year, d.report_year, d.period_start, d.period_end, d.kind, d.family, d.loaded_at,
               d.document_corrected, d.original_issuer, d.original_year, d.original_period_start,
               d.original_period_end,
               (SELECT count(*) FROM {OBJECTIVES} o WHERE o.document_id = d.document_id
                  AND o.duplicate_of IS NULL {area}) AS objectives,
               coalesce(steps.milestones, 0) AS milestones, coalesce(ind.indicators, 0) AS indicators,
               coalesce(ind.reached, 0) AS reached, coalesce(ind.judged, 0) AS judged,
               coalesce(steps.on_time, 0) AS on_time, coalesce(steps.dated, 0) AS dated,
               coalesce(steps.late, 0) AS late,
               (SELECT count(*) FROM budget_lines b WHERE b.document_id = d.document_id) AS budget_lines,
               (SELECT count(*) FROM scores s WHERE s.document_id = d.document_id) AS scores,
               (SELECT count(*) FROM quality_issues q WHERE q.document_id = d.document_id
                  AND q.category <> 'note') AS issues
        FROM {DOCS} d LEFT JOIN ind USING (document_id) LEFT JOIN steps USING (document_id)
        WHERE {where}
        ORDER BY d.source_name
    """, area_params[:2] + area_params[2:] + params).df()


def indicators(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Every indicator with its objective and document, repeated objective blocks left out."""
    where, params = _where(filters)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year, d.kind,
               o.objective_id, coalesce(o.area, '(area non indicata)') AS area, o.number AS objective_number,
               coalesce(o.title, o.description) AS objective, o.source_line AS objective_line,
               i.indicator_id, coalesce(i.name, i.description, '(indicatore senza nome)') AS name, i.description,
               i.unit, i.baseline_raw, i.expected_raw, i.actual_raw, i.reported_deviation_raw,
               i.expected_value, i.actual_value, i.computed_deviation, i.status, i.attainment, i.status_reason,
               i.source_line, i.indicator_corrected OR o.area_corrected OR d.document_corrected AS corrected,
               i.indicator_corrected, i.status_by_person, i.original_status, i.original_expected_raw,
               i.original_actual_raw, i.original_reason, o.original_area, o.printed_area, d.document_corrected,
               d.original_issuer,
               d.original_year, CASE WHEN i.objective_id <> i.original_objective_id THEN
                   (SELECT {_objective_label('p')} FROM objectives p WHERE p.objective_id = i.original_objective_id)
               END AS original_objective
        FROM {INDICATORS} i JOIN {OBJECTIVES} o USING (objective_id) JOIN {DOCS} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND {where}
        ORDER BY d.source_name, o.position, i.source_line
    """, params).df()


def attainment(con, filters: Filters = Filters(), by: str = "area") -> pd.DataFrame:
    """Indicator statuses counted per document and area (by='area') or per document (by='document')."""
    where, params = _where(filters)
    group = "coalesce(o.area, '(area non indicata)') AS area," if by == "area" else ""
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year, {group}
               count(*) FILTER (WHERE i.status = 'met') AS met,
               count(*) FILTER (WHERE i.status = 'exceeded') AS exceeded,
               count(*) FILTER (WHERE i.status = 'partly') AS partly,
               count(*) FILTER (WHERE i.status = 'not_met') AS not_met,
               count(*) FILTER (WHERE i.status = 'not_reported') AS not_reported,
               count(*) FILTER (WHERE i.status = 'unknown') AS unknown,
               count(*) FILTER (WHERE i.status IN ('met', 'exceeded', 'partly', 'not_met')) AS judged
        FROM {INDICATORS} i JOIN {OBJECTIVES} o USING (objective_id) JOIN {DOCS} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND d.kind <> 'piano_di_zona' AND {where}
        GROUP BY ALL ORDER BY issuer, year{', area' if by == 'area' else ''}
    """, params).df()


def milestones(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Every schedule step with its objective and document, repeated objective blocks left out."""
    where, params = _where(filters)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year, d.kind,
               coalesce(o.area, '(area non indicata)') AS area, o.number AS objective_number,
               coalesce(o.title, o.description) AS objective, m.milestone_id, m.activity, m.planned_raw,
               m.actual_raw, m.planned_month, m.actual_month, m.status, m.slippage_months, m.status_reason,
               m.source_line, m.step_corrected OR o.area_corrected OR d.document_corrected AS corrected,
               m.step_corrected, m.status_by_person, m.original_planned_month, m.original_actual_month,
               m.original_status, m.original_reason, o.original_area, o.printed_area, d.document_corrected,
               d.original_issuer,
               d.original_year
        FROM {MILESTONES} m JOIN {OBJECTIVES} o USING (objective_id) JOIN {DOCS} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND {where}
        ORDER BY d.source_name, o.position, m.source_line
    """, params).df()


def budget_shares(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Budget lines with their share of the table's yearly sum of lines."""
    where, params = _where(filters, with_area=False)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS period, b.table_name,
               b.group_name, b.line, b.year, b.amount_eur, b.amount_raw, b.source_line,
               b.amount_eur / sum(b.amount_eur) OVER (PARTITION BY b.document_id, b.table_name, b.year) AS share
        FROM budget_lines b JOIN {DOCS} d USING (document_id)
        WHERE {where}
        ORDER BY d.source_name, b.table_name, b.source_line, b.year
    """, params).df()


def totals_check(con, filters: Filters = Filters()) -> pd.DataFrame:
    """Each total the document prints beside the sum of the lines of its table and year."""
    where, params = _where(filters, with_area=False)
    return con.execute(f"""
        SELECT d.document_id, {ISSUER} AS issuer, t.table_name, t.label, t.year, t.value AS printed,
               t.as_printed, t.unit, t.source_line,
               (SELECT sum(b.amount_eur) FROM budget_lines b WHERE b.document_id = t.document_id
                  AND b.table_name = t.table_name AND b.year = t.year) AS sum_of_lines
        FROM reported_totals t JOIN {DOCS} d USING (document_id)
        WHERE {where}
        ORDER BY d.source_name, t.source_line, t.year
    """, params).df()


def scores(con, filters: Filters = Filters()) -> pd.DataFrame:
    where, params = _where(filters, with_area=False)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year,
               coalesce(a.canonical_area, s.area) AS area, s.area AS printed_area, s.score, s.max_score,
               s.as_printed, s.source_line
        FROM scores s JOIN {DOCS} d USING (document_id)
        LEFT JOIN area_aliases a ON a.printed_area = s.area      -- the same common name as the objectives'
        WHERE {where} ORDER BY d.source_name, s.source_line
    """, params).df()


def quality_issues(con, filters: Filters = Filters(), document_id: int | None = None) -> pd.DataFrame:
    where, params = _where(filters, with_area=False)
    if document_id is not None:
        where += " AND d.document_id = ?"
        params.append(document_id)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, q.source_line, q.category, q.reason, q.raw_text
        FROM quality_issues q JOIN {DOCS} d USING (document_id)
        WHERE {where} ORDER BY d.source_name, q.source_line
    """, params).df()


def objectives(con, document_id: int) -> pd.DataFrame:
    return con.execute(f"""
        SELECT o.objective_id, o.number, o.area, coalesce(o.title, o.description) AS title, o.description,
               o.duplicate_of, o.source_line, o.area_corrected, o.original_area, o.printed_area,
               (SELECT count(*) FROM milestones m WHERE m.objective_id = o.objective_id) AS milestones,
               (SELECT count(*) FROM indicators i WHERE i.objective_id = o.objective_id) AS indicators
        FROM {OBJECTIVES} o WHERE o.document_id = ? ORDER BY o.position
    """, [document_id]).df()


def document_text(con, document_id: int) -> tuple[str | None, list[int] | None]:
    """The text source_line points into: the extracted text of a PDF/workbook, else None (the file itself)."""
    row = _one(con, "SELECT text, line_pages FROM documents WHERE document_id = ?", [document_id])
    return (row[0], row[1]) if row else (None, None)


def furniture_lines(con, document_id: int) -> list[int]:
    """Lines of the extracted text that are page furniture (running headers, footers, page numbers)."""
    row = _one(con, "SELECT furniture_lines FROM documents WHERE document_id = ?", [document_id])
    return list(row[0] or []) if row else []


def original(con, document_id: int) -> bytes | None:
    row = _one(con, "SELECT original FROM documents WHERE document_id = ?", [document_id])
    return bytes(row[0]) if row else None


def template_rows(con, document_id: int) -> tuple[dict, dict[str, list[dict]]]:
    """One document's raw cells, shaped for the Excel template (cruscotto/template.py), with a person's
    corrections applied: a corrected month is written as a month ('giugno 2021') in place of the printed
    times, so that the template read back gives the corrected step."""
    columns = ["issuer", "report_year", "kind", "period_start", "period_end", "title", "deviation_legend"]
    found = _one(con, f"SELECT {', '.join(columns)} FROM {DOCS} d WHERE document_id = ?", [document_id])
    document = dict(zip(columns, found or [None] * len(columns)))

    def records(sql: str) -> list[dict]:
        frame = con.execute(sql, [document_id]).df()
        return [{k: (None if v is None or v != v else v) for k, v in row.items()} for row in frame.to_dict("records")]

    objectives = records("SELECT objective_id, position + 1 AS ref, printed_area AS area, number, title, description, "
                         f"responsibility_centre, peg_project, duplicate_of FROM {OBJECTIVES} o WHERE document_id = ? "
                         "ORDER BY position")
    ref = {o["objective_id"]: o["ref"] for o in objectives}
    for objective in objectives:
        objective["duplicate_of"] = ref.get(objective["duplicate_of"])
    steps = records("SELECT m.objective_id, activity, CASE WHEN m.planned_month IS DISTINCT FROM "
                    "m.original_planned_month THEN m.planned_month END AS planned_fix, planned_raw, "
                    "CASE WHEN m.actual_month IS DISTINCT FROM m.original_actual_month THEN m.actual_month END "
                    f"AS actual_fix, actual_raw FROM {MILESTONES} m JOIN objectives o "
                    "USING (objective_id) WHERE o.document_id = ? ORDER BY o.position, m.source_line, m.milestone_id")
    for step in steps:
        for fix, raw in (("planned_fix", "planned_raw"), ("actual_fix", "actual_raw")):
            month = step.pop(fix)
            if month is not None:
                step[raw] = format_month(month)
    indicators = records("SELECT i.objective_id, name, i.description, unit, baseline_raw, expected_raw, actual_raw, "
                         f"reported_deviation_raw, measurement_source FROM {INDICATORS} i JOIN objectives o "
                         "USING (objective_id) WHERE o.document_id = ? "
                         "ORDER BY o.position, i.source_line, i.indicator_id")
    for row in steps + indicators:
        row["objective"] = ref[row.pop("objective_id")]
    return document, {
        "Obiettivi": objectives, "Passi": steps, "Indicatori": indicators,
        "Bilancio": records("SELECT table_name, group_name, line, year, amount_raw FROM budget_lines "
                            "WHERE document_id = ? ORDER BY source_line, year"),
        "Totali": records("SELECT table_name, label, year, as_printed FROM reported_totals WHERE document_id = ? "
                          "ORDER BY source_line, year"),
        "Punteggi": records("SELECT area, score, max_score, as_printed FROM scores WHERE document_id = ? "
                            "ORDER BY source_line"),
    }


# What a restored database must hold, as an upload would: checks by name, each counting the rows that break it.
FIRST_YEAR, LAST_YEAR = 1950, 2100
MAX_PERIOD_YEARS = 10


def _restore_checks() -> dict[str, str]:
    from .evaluation import MILESTONE_LABELS, STATUS_LABELS

    def listed(values) -> str:
        return ", ".join("'" + v + "'" for v in values)

    def out_of_range(column: str) -> str:
        return f"({column} IS NOT NULL AND {column} NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR})"

    orphans = " + ".join(f"(SELECT count(*) FROM {t} WHERE document_id NOT IN (SELECT document_id FROM documents))"
                         for t in ("objectives", "budget_lines", "reported_totals", "scores", "quality_issues"))
    orphans += " + " + " + ".join(f"(SELECT count(*) FROM {t} WHERE objective_id NOT IN "
                                  "(SELECT objective_id FROM objectives))" for t in ("milestones", "indicators"))
    return {
        "years": f"SELECT count(*) FROM documents WHERE {out_of_range('report_year')} OR "
                 f"{out_of_range('period_start')} OR {out_of_range('period_end')} OR period_end < period_start "
                 f"OR period_end - period_start > {MAX_PERIOD_YEARS}",
        "row_years": f"SELECT (SELECT count(*) FROM budget_lines WHERE {out_of_range('year')}) + "
                     f"(SELECT count(*) FROM reported_totals WHERE {out_of_range('year')}) + "
                     f"(SELECT count(*) FROM milestones WHERE {out_of_range('year(planned_month)')} "
                     f"OR {out_of_range('year(actual_month)')})",
        "statuses": f"SELECT (SELECT count(*) FROM indicators WHERE status NOT IN ({listed(STATUS_LABELS)})) + "
                    f"(SELECT count(*) FROM milestones WHERE status NOT IN ({listed(MILESTONE_LABELS)}))",
        "orphans": f"SELECT {orphans}",
        "change_dates": "SELECT count(*) FROM changes WHERE changed_at > current_timestamp::TIMESTAMP + INTERVAL 1 DAY "
                        "OR changed_at < TIMESTAMP '2000-01-01'",
        "lines": "SELECT " + " + ".join(f"(SELECT count(*) FROM {t} WHERE source_line < 1)"
                                        for t in ("objectives", "milestones", "indicators", "budget_lines",
                                                  "reported_totals", "scores", "quality_issues")),
    }


def restore_problems(con) -> dict[str, int]:
    """{check: rows breaking it} for the checks a restored database fails (empty when it holds only what an
    upload could have written)."""
    found = {name: _one(con, sql)[0] for name, sql in _restore_checks().items()}
    return {name: count for name, count in found.items() if count}


def table_counts(con) -> dict[str, int]:
    return {t: _one(con, f"SELECT count(*) FROM {t}")[0] for t in ["documents", *TABLES]}

"""Opening the database, and taking turns on it: between threads of the dashboard, between a load and a
restore (the <db>.lock file), between a load and readers in other processes (<db>.turn, <db>.want).
Also how a full disk and a busy file are recognised, whatever layer says it."""
from __future__ import annotations

import errno
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .schema import AREA_ALIASES_COLUMNS, OVERRIDES_COLUMNS, SCHEMA

try:
    import fcntl
except ImportError:                  # Windows: no cross-process lock; this process still takes turns
    fcntl = None


DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "cruscotto.duckdb"
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


def connect(path: str | Path, read_only: bool = False, retries: int = 20, wait: float = 0.25, schema: bool = True):
    """Open the database, waiting a little while another process holds its lock; for writing, with every
    table and column of the schema (schema=False: the caller knows they are there)."""
    if not read_only and not Path(path).exists():
        _create(Path(path))
    for attempt in range(retries):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            if not read_only and schema:
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


def _create(path: Path) -> None:
    """A new database file appears whole, with its tables: it is made beside, then linked into place (a load
    killed while creating it must not leave a file without tables, which every reader would refuse)."""
    fresh = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    try:
        con = duckdb.connect(str(fresh))
        con.execute(SCHEMA)
        con.close()
        try:
            os.link(fresh, path)                       # never over a file another process made meanwhile
        except FileExistsError:
            pass
        except OSError:                                # a file system without hard links
            if not path.exists():
                os.replace(fresh, path)
    finally:
        for leftover in (fresh, Path(str(fresh) + ".wal")):
            leftover.unlink(missing_ok=True)


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


LOAD_MEMORY_MB = int(os.environ.get("CRUSCOTTO_LOAD_MEMORY_MB") or 256)


def connect_for_load(path: str | Path, schema: bool = True):
    """Open the database for a load that shares it with readers in other processes: new readers wait while
    the ones inside finish (at most TURN_WAIT), then the load opens the file. schema=False: the load opens
    again a file it left (file_state) as it was: its tables are there."""
    with _held(path, "want", exclusive=True, timeout=TURN_WAIT), \
            _held(path, "turn", exclusive=True, timeout=TURN_WAIT):
        con = connect(path, schema=schema)
        # DuckDB's buffer pool keeps what a checkpoint rewrote (the originals' segments): a cap keeps a long load
        # within a laptop's memory; past it DuckDB spills to a temporary file
        con.execute(f"SET memory_limit = '{LOAD_MEMORY_MB}MB'")
        # A load checkpoints whenever it lets the file go (at least every HOLD_SECONDS of loaders/service.py) and
        # when it closes: DuckDB's own checkpoint every 16 MB of WAL (a few dozen documents' originals) only
        # rewrote the same last segments once more
        con.execute("SET checkpoint_threshold = '1GB'")
        return con


def file_state(path: str | Path) -> tuple | None:
    """What any write to the file changes: its inode, size and times, and whether a WAL is beside it (None
    when there is no file). Opening, reading and an empty transaction leave it as it is."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns, os.path.exists(f"{path}.wal")


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
            if not first_row(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'area_aliases'")[0]:
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


def first_row(con, sql: str, params=None):
    """The first row or None. (fetchone() would leave the result open, and DuckDB 2 then refuses new work.)"""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def roll_back(con) -> None:
    """ROLLBACK, unless the transaction has ended already: a COMMIT that failed (a full disk) ends it, and
    'cannot rollback - no transaction is active' would then hide why it failed."""
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass

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


DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "cruscotto.duckdb"
# Where the versions of 1-2 December 2026 put it by mistake (one folder too deep, inside the package)
MISPLACED_DB = Path(__file__).resolve().parents[1] / "data" / "cruscotto.duckdb"


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
    """CRUSCOTTO_DB, else data/cruscotto.duckdb beside the samples (moved there from MISPLACED_DB, with the
    corrections made in it, when only that one exists)."""
    if os.environ.get("CRUSCOTTO_DB"):
        return Path(os.environ["CRUSCOTTO_DB"])
    if not DEFAULT_DB.exists() and MISPLACED_DB.exists():
        _move_misplaced(MISPLACED_DB, DEFAULT_DB)
    return DEFAULT_DB


def _move_misplaced(old: Path, new: Path) -> None:
    """The file and its WAL to where they belong (the lock files are made anew); left where it is when it
    cannot move (another file system: then a new database is built from the samples, the old one kept)."""
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, new)
    except OSError:
        return
    try:
        if Path(f"{old}.wal").exists():
            os.replace(f"{old}.wal", f"{new}.wal")
    except OSError:
        os.replace(new, old)                      # never a file without its WAL


def connect(path: str | Path, read_only: bool = False, retries: int = 20, wait: float = 0.25, schema: bool = True):
    """Open the database, waiting a little while another process holds its lock; for writing, with every
    table and column of the schema (schema=False: the caller knows they are there)."""
    if not read_only:
        end_read_session(path)                     # DuckDB refuses a writer beside this thread's own reader
    if not read_only and not Path(path).exists():
        _create(Path(path))
    for attempt in range(retries):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            if not read_only and _file_mb(path) > VACUUM_UP_TO_MB:
                con.execute("SET max_vacuum_tasks = 0")
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


# A checkpoint's vacuum merges a table's small row groups (DuckDB gives each checkpoint's appends their own) and
# builds the merged one in memory whole, past memory_limit, the documents' originals with it: a load of files of a
# megabyte each died at 450 of them ('database has been invalidated'), and a correction written after a load of
# 10^4 documents took the dashboard to 875 MB. Writers compact a file only while it is this small (a consortium's
# documents; the merge then holds a few times this much); a load never does. Past it every checkpoint that
# appends leaves a row group per table it wrote to (about 250 KB on disk, never merged): backup and restore
# rewrite the file compact.
VACUUM_UP_TO_MB = 32


def _file_mb(path: str | Path) -> float:
    try:
        return os.path.getsize(path) / 2**20
    except OSError:
        return 0.0


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
# refuses a read-only and a read-write connection to the same file open at once in one process. Reads share
# their turn: a page run keeps its connection for the whole run (read_session), and a page waiting for another
# page's whole run could wait for ever (each holding a query's cache entry the other one needs: Streamlit computes
# an entry under a lock of its own). A write waits until no read is open, and reads wait while a write runs.
class _Turns:
    """Reads share, a write is alone; a thread may take either again inside its own (a write inside its own
    read: this thread's reader is closed first, see end_read_session)."""

    def __init__(self):
        self._changed = threading.Condition(threading.Lock())
        self._readers: dict[int, int] = {}     # thread -> how many reads it holds
        self._writer, self._writes = None, 0

    def read(self) -> None:
        me = threading.get_ident()
        with self._changed:
            if self._writer != me and me not in self._readers:
                while self._writer is not None:
                    self._changed.wait()
            self._readers[me] = self._readers.get(me, 0) + 1

    def end_read(self) -> None:
        me = threading.get_ident()
        with self._changed:
            self._readers[me] -= 1
            if not self._readers[me]:
                del self._readers[me]
                self._changed.notify_all()

    def write(self) -> None:
        me = threading.get_ident()
        with self._changed:
            if self._writer != me:
                while self._writer is not None or any(thread != me for thread in self._readers):
                    self._changed.wait()
                self._writer = me
            self._writes += 1

    def end_write(self) -> None:
        with self._changed:
            self._writes -= 1
            if not self._writes:
                self._writer = None
                self._changed.notify_all()

    @contextmanager
    def reading(self):
        self.read()
        try:
            yield
        finally:
            self.end_read()

    @contextmanager
    def writing(self):
        self.write()
        try:
            yield
        finally:
            self.end_write()


_IN_PROCESS = _Turns()


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
    end_read_session(path)                         # a writer run on this thread: its reads open the file again
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
    return _someone_holds(turn_path(path), exclusive=True)


def _someone_holds(lock_file: Path, exclusive: bool) -> bool:
    """True when another process holds `lock_file` in a way that refuses this kind of lock, without waiting."""
    if fcntl is None:
        return False
    try:
        fd = _flock(lock_file, exclusive=exclusive, timeout=0.0)
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
        con.execute("SET max_vacuum_tasks = 0")           # see VACUUM_UP_TO_MB
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


_SCHEMA_COLUMNS: set[tuple[str, str]] = set()
_UPGRADED: set[tuple] = set()        # files seen complete, by identity and state (file_state)


def _columns(con) -> set[tuple[str, str]]:
    return set(con.execute("SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_schema = 'main'").fetchall())


def upgrade(path: str | Path | None = None) -> bool:
    """A file written by an older version gets the columns added since (SCHEMA's ALTER ... IF NOT EXISTS), so
    that read-only page queries can name them: once, when the dashboard starts. True when something was added."""
    path = path or db_path()
    known = (os.path.realpath(str(path)), file_state(path))
    if known[1] is None or known in _UPGRADED:
        return False
    if not _SCHEMA_COLUMNS:
        with duckdb.connect() as empty:
            empty.execute(SCHEMA)
            _SCHEMA_COLUMNS.update(_columns(empty))
    with reading(path) as con:
        missing = _SCHEMA_COLUMNS - _columns(con)
    if missing:
        try:
            with writing(path):             # connect() runs SCHEMA: every missing column is added
                pass
        except (DatabaseBusy, duckdb.Error, OSError):
            return False                    # busy or not writable: tried again at the next start
    _UPGRADED.add((known[0], file_state(path)))
    return bool(missing)


def _prepare(con) -> bool:
    """What every query expects of a file written by an older version: the tables it reads, empty. True when
    the file has them all (nothing was made)."""
    complete = True
    columns = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns "
                                         "WHERE table_name = 'overrides'").fetchall()}
    if not columns:
        # a file last written before corrections existed: every query reads overrides, none is there yet
        con.execute(f"CREATE TEMP TABLE overrides ({OVERRIDES_COLUMNS})")
        complete = False
    elif "new_record_id" not in columns:
        # nor before pairings could be corrected: a copy of its corrections, without any pairing
        con.execute("CREATE TEMP TABLE overrides AS SELECT *, NULL::INTEGER AS new_record_id "
                    "FROM main.overrides")
        complete = False
    if not first_row(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'area_aliases'")[0]:
        # nor before area names (issue 11): no alias yet, every area keeps its printed name
        con.execute(f"CREATE TEMP TABLE area_aliases ({AREA_ALIASES_COLUMNS})")
        complete = False
    return complete


# A file that has every table needs nothing of _prepare: once seen so, it is not looked at again while the file
# stays the same (its identity and every write: file_state). Looking costs two catalogue queries per opening.
_CURRENT_FILES: set[tuple] = set()


def _open_for_reading(path: str | Path):
    """A read-only connection with every table a query reads (the caller holds its turn)."""
    known = (os.path.realpath(str(path)), file_state(path))
    con = connect(path, read_only=True, retries=100, wait=0.05)
    try:
        if known not in _CURRENT_FILES and _prepare(con) and file_state(path) == known[1]:
            _CURRENT_FILES.add(known)            # (unless the file changed while it was looked at)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def reading(path: str | Path | None = None):
    """Open, query, close: a page never holds the file between queries (another process may be loading).
    Inside a read_session of the same file on this thread, the session's connection, left open."""
    path = path or db_path()
    session = _own_session(path)
    if session is not None:
        con = session.connection()
        try:
            yield con
        except BaseException:
            session.release()                    # a query broken half-way: the next one gets a fresh connection
            raise
        return
    with _held(path, "want", exclusive=False, timeout=None):
        pass                                     # a loader that is opening the file goes first
    with _IN_PROCESS.reading(), _held(path, "turn", exclusive=False, timeout=None):
        con = _open_for_reading(path)
        try:
            yield con
        finally:
            con.close()


# ---------------------------------------------------------------------------- one connection for a page run
# Opening the file (lock files, DuckDB's catalogue, closing it again) costs more than most page queries. A page
# run (one run of the dashboard's script) reads through one read session instead: one read-only connection,
# opened at the first query that needs it and shared by every db.reading of that file on the same thread,
# closed when the run ends. It holds its turns as a query does (a read turn in this process, <db>.turn shared), so a
# loader in another process still gets the file: before each query the session looks whether a loader is
# opening the file (it holds <db>.want) and then lets the file go, opening it again after the loader. A
# write on the session's thread (a correction, an upload) closes the session first: DuckDB refuses a writer
# beside a reader of the same file in one process; the next read opens it again.

_SESSIONS = threading.local()


class ReadSession:
    """The connection of one page run, opened when first asked for (session.connection()), let go by
    release(); `opened` counts how many times the file was opened."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.key = os.path.realpath(str(path))
        self.con = None
        self.opened = 0
        self.memo: dict = {}                     # what a query worked out of the open file (views.views_for)
        self._turn = None

    def connection(self):
        if self.con is not None and _loader_opening(self.path):
            self.release()                       # the loader's turn; this session opens again after it
        if self.con is None:
            with _held(self.path, "want", exclusive=False, timeout=None):
                pass                             # a loader that is opening the file goes first
            _IN_PROCESS.read()
            try:
                turn = _held(self.path, "turn", exclusive=False, timeout=None)
                turn.__enter__()
                self._turn = turn
                self.con = _open_for_reading(self.path)
            except BaseException:
                self._let_turns_go()
                raise
            self.opened += 1
        return self.con

    def release(self) -> None:
        """Close the connection and let the turns go (nothing when it is not open)."""
        if self.con is None:
            return
        try:
            self.con.close()
        finally:
            self.con = None
            self.memo = {}
            self._let_turns_go()

    def _let_turns_go(self) -> None:
        try:
            if self._turn is not None:
                self._turn.__exit__(None, None, None)
        finally:
            self._turn = None
            _IN_PROCESS.end_read()


def _loader_opening(path: Path) -> bool:
    """True while a loader in another process holds <db>.want: it waits to open the file."""
    return _someone_holds(turn_path(path, "want"), exclusive=False)


def session_memo(con) -> dict | None:
    """A dict kept while `con` stays open as this thread's read session, for what a query learns of the file
    that cannot change meanwhile (no other process writes while a reader holds the file, no other thread of
    this one while the session holds its read turn, and a write on this thread closes the session); None for
    any other connection."""
    session = getattr(_SESSIONS, "current", None)
    return session.memo if session is not None and session.con is con and con is not None else None


def _own_session(path: str | Path) -> ReadSession | None:
    session = getattr(_SESSIONS, "current", None)
    if session is not None and session.key == os.path.realpath(str(path)):
        return session
    return None


@contextmanager
def read_session(path: str | Path | None = None):
    """Every db.reading of `path` on this thread inside the block shares one connection, opened at the first
    and closed when the block ends: `with db.read_session(): navigation.run()`. Nested: the outer session."""
    path = path or db_path()
    if getattr(_SESSIONS, "current", None) is not None:
        yield _SESSIONS.current
        return
    session = _SESSIONS.current = ReadSession(path)
    try:
        yield session
    finally:
        _SESSIONS.current = None
        session.release()


def end_read_session(path: str | Path | None = None) -> None:
    """Close this thread's read session of `path` (of any file: None), if it is open; it opens again at the
    next read."""
    session = getattr(_SESSIONS, "current", None)
    if session is not None and (path is None or session.key == os.path.realpath(str(path))):
        session.release()


@contextmanager
def writing(path: str | Path | None = None, retries: int = 20, wait: float = WRITE_WAIT):
    """A read-write connection for one batch of writes, closed afterwards; two uploads take turns, and a
    restore in any process waits for the batch (the lock file first, then this process's turn: always in
    that order, so a restore waiting for this process's turn never holds up a batch waiting for its lock).
    A batch that ends without an error stores the pages' summaries again when it changed what they sum.
    retries and wait bound how long a batch that can be skipped (a login's audit row) waits."""
    path = path or db_path()
    with run_lock(path, timeout=wait), _IN_PROCESS.writing():
        con = connect(path, retries=retries)
        try:
            yield con
            from .queries import refresh_summaries    # (queries reads through this module)
            refresh_summaries(con)                    # what the batch changed, summed again for the pages
        finally:
            con.close()


@contextmanager
def exclusive():
    """No read or write of this process in between (for swapping the database file)."""
    end_read_session()
    with _IN_PROCESS.writing():
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

"""The loading service, one path for the command line and the upload page:

    read_input (bytes -> text -> family -> records) -> prepare (judged rows, nothing written) -> save.

Reading a file (loaders/reading.py) needs no database; here it is judged against what the database holds and
written. load_paths loads files and folders (read by worker processes, written in batches); ensure_database
builds the database from data/ on first run.
"""
from __future__ import annotations

import ctypes
import getpass
import hashlib
import json
import logging
import multiprocessing
import os
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from cruscotto import db, messages
from cruscotto.italian import clean_cell
from cruscotto.records import ParsedDocument

from .errors import Refused
from .inputs import SUFFIXES
from .mapping import ROLES, Layout, Table, guess_roles, merge, table_to_records, text_to_tables  # noqa: F401
from .rows import document_rows
from .same_report import (content_words, is_same_report, issuer_words, report_key, same_issuers, text_to_words,
                          words_to_text)
from .reading import Prepared, clean_file_name, read_file, read_for_load, worker_started
from .reading import extract, read_input  # noqa: F401  (callers read through the service, as before)

def prepare(name: str, data: bytes, index: db.DocumentIndex, accept_valid: bool = False) -> Prepared:
    """Read and judge a file without writing anything; compare it with what the database holds."""
    name = clean_file_name(name)
    sha = hashlib.sha256(data).hexdigest()
    if index.find(name, sha)[0] is not None:              # the same bytes: not even decoded
        return judge(None, index, name, sha)
    return judge(read_file(name, data, stored_layouts(index), accept_valid, sha), index, name, sha, data)


def judge(read: Prepared | None, index: db.DocumentIndex, name: str, sha: str, data: bytes = b"") -> Prepared:
    """A file read by read_file (None: not read, its bytes being in the database) compared with what the
    index holds: unchanged, new, replaces (older versions under its name) or same_content (the same report
    from another file); a refused, invalid or unrecognised file stays so."""
    same, older = index.find(name, sha)
    if same is not None:
        return Prepared(name, sha, "unchanged", existing=same, existing_name=index.names.get(same))
    if read is None:
        raise ValueError(f"{name}: not read, and its bytes are not in the database")
    if read.status == "refused":
        return read
    if read.status == "invalid":
        return replace(read, data=data)
    if read.status == "unrecognised":
        return replace(read, data=data, replaces=older)
    twin = find_twin(read.words, index.same_key(read.key), index.words_of)
    status = "replaces" if older else ("same_content" if twin is not None else "new")
    return replace(read, status=status, data=data, replaces=older, existing=twin,
                   existing_name=index.names.get(twin) if twin is not None else None)


def find_twin(words: frozenset[str], stored: list[tuple[int, frozenset[str]]], words_of) -> int | None:
    """The first stored document (document_id, its issuer's words) that is the same report; words_of(id) gives
    a stored document's content words as text. The issuer is compared first: thousands of documents of one
    year share a key, and reading and splitting all their words for every new one was quadratic."""
    mine = issuer_words(words)
    for document_id, theirs in stored:
        if same_issuers(mine, theirs) and is_same_report(words, text_to_words(words_of(document_id))):
            return document_id
    return None


# ---------------------------------------------------------------------------- column mapping

def stored_layouts(index: db.DocumentIndex) -> dict[str, Layout]:
    """The layouts the database holds, by header key (index.layouts: rows of db.stored_layouts); one whose
    roles do not read (a hand-edited or restored row) is left out."""
    out = {}
    for layout_id, key, roles, editor in getattr(index, "layouts", []):
        try:
            roles = tuple(json.loads(roles))
        except (TypeError, ValueError):
            continue
        if all(r is None or r in ROLES for r in roles):
            out[key] = Layout(layout_id, key, roles, editor or "")
    return out


def unread_tables(text: str, furniture, unread: list[int]) -> list[Table]:
    """The tables made of a stored document's unread lines (db.unread_lines), for a person to map."""
    return text_to_tables(text, frozenset(furniture or ()), set(unread))


def mapping_rows(table: Table, roles, facts: dict, note: str = "Colonne assegnate a mano.") -> dict[str, list[dict]]:
    """The rows a mapping gives, judged as any parse is (loaders/rows.py) with the document's year, kind and
    legend (facts: db.document_facts): the live preview, and what save_mapping writes."""
    fragment = ParsedDocument(kind=facts["kind"], issuer=None, report_year=facts.get("report_year"),
                              period_start=facts.get("period_start"),
                              deviation_legend=bool(facts.get("deviation_legend")))
    mapped = table_to_records(table, roles, facts.get("report_year"))
    rows = document_rows(merge(fragment, mapped, table, note))
    rows["records"] = mapped.records
    return rows


MAPPED_COUNTS = (("objectives", "obiettivo", "obiettivi"), ("indicators", "indicatore", "indicatori"),
                 ("milestones", "passo", "passi"), ("budget_lines", "riga di bilancio", "righe di bilancio"),
                 ("reported_totals", "totale", "totali"), ("scores", "punteggio", "punteggi"))


def describe_counts(records) -> str:
    """'1 obiettivo, 5 indicatori' for a rows dict or a mapping.Mapped."""
    counts = {t: len(records[t] if isinstance(records, dict) else getattr(records, t, ())) for t, *_ in MAPPED_COUNTS}
    return ", ".join(f"{counts[t]} {one if counts[t] == 1 else many}" for t, one, many in MAPPED_COUNTS if counts[t])


def _layout_of(table: Table, roles) -> dict | None:
    """The layout to keep for a mapped table; None when its header has no words to recognise it by."""
    if not any(part.replace("anno", "").strip() for part in table.key.split("|")):
        return None
    return dict(header_key=table.key, header_text="\t".join(table.header.cells), roles=json.dumps(list(roles)))


def _detail(table: Table, records) -> str:
    """'righe 7-12: 1 obiettivo, 5 indicatori' (records: a rows dict or a mapping.Mapped)."""
    return f"righe {table.first_line}-{table.last_line}: {describe_counts(records)}"


def map_prepared(prepared: Prepared, mappings: list[tuple[Table, list]], editor: str,
                 report_year: int | None = None, keep_layout: bool = True) -> Prepared:
    """An unrecognised upload with the columns of some of its tables mapped before it is saved: their records
    join the document (judged with report_year, the one typed on upload, else the printed one), the document
    is read by mapped columns, and save() stores each layout with a 'tabella mappata' line. Tables whose
    roles give no record are left unread."""
    parsed = replace(prepared.parsed, report_year=report_year or prepared.parsed.report_year)
    mapped = []
    for table, roles in mappings:
        roles = [r or None for r in roles]
        records = table_to_records(table, roles, parsed.report_year)
        if not records.records:
            continue
        parsed = merge(parsed, records, table, f"Colonne assegnate a mano da {db.clean_name(editor)}.")
        mapped.append((_layout_of(table, roles) if keep_layout else None, _detail(table, records)))
    if not mapped:
        return prepared
    parsed = replace(parsed, report_year=prepared.parsed.report_year)   # what the document prints stays its own
    status = "replaces" if prepared.replaces else "new"
    return replace(prepared, status=status, family=db.MAPPED_FAMILY, parsed=parsed, rows=document_rows(
        replace(parsed, report_year=report_year or parsed.report_year)), mapped=mapped, error=None)


def save_mapping(con, document_id: int, table: Table, roles, editor: str, keep_layout: bool = True) -> int | None:
    """Store the records a mapping gives with their source lines, its table's lines no longer unread, and
    (keep_layout) the roles as a layout for every later table with the same header; audited as
    'tabella mappata'. Returns the new layout_id, or None."""
    facts = db.document_facts(con, document_id)
    if facts is None:
        raise KeyError(document_id)
    roles = [r or None for r in roles]
    rows = mapping_rows(table, roles, facts, f"Colonne assegnate a mano da {db.clean_name(editor)}.")
    if not rows.pop("records"):
        raise ValueError("the mapping gives no record")
    layout = _layout_of(table, roles) if keep_layout else None
    return db.save_mapped_table(con, document_id, rows, list(table.line_numbers), layout, editor,
                                _detail(table, rows))


def save(writer: db.DocumentWriter, prepared: Prepared, issuer: str | None = None,
         report_year: int | None = None, editor: str | None = None) -> int:
    """Write a prepared file in one transaction (replacing its older versions). A person may give the
    issuer and year the document does not print; what the document prints is kept otherwise."""
    same, older = writer.find(prepared.name, prepared.sha256)
    if same is not None:                                  # saved meanwhile (another session, a second click)
        return same
    # The older versions as the database holds them now, inside the write: a restore since the preview may
    # have given their ids to other documents.
    return writer.write(document_row(prepared, issuer, report_year), prepared.rows, replaces=older,
                        editor=editor or command_line_user(), mapped=prepared.mapped)


def document_row(prepared: Prepared, issuer: str | None = None, report_year: int | None = None) -> dict:
    """The documents row of a prepared file (without its id)."""
    parsed, extracted = prepared.parsed, prepared.extracted
    stored_text = extracted.text if extracted.store_text else None
    key, words = None, None
    if prepared.key and (issuer or report_year):        # what a person typed in makes another report
        key, words = report_key(parsed, issuer, report_year), words_to_text(content_words(parsed, issuer))
    elif prepared.key:                                  # as read_file worked them out (in a worker)
        key, words = prepared.key, words_to_text(prepared.words)
    return dict(source_name=prepared.name, sha256=prepared.sha256, original=prepared.data,
                issuer=issuer or parsed.issuer, report_year=report_year or parsed.report_year,
                period_start=parsed.period_start, period_end=parsed.period_end, kind=parsed.kind,
                family=prepared.family, loaded_at=datetime.now(), title=clean_cell(parsed.title),
                line_count=extracted.lines, input_format=extracted.input_format,
                encoding=extracted.encoding, text=stored_text, line_pages=extracted.line_pages,
                furniture_lines=sorted(extracted.furniture) or None,
                content_sha=key, content_words=words,
                issuer_given=bool(issuer and issuer != parsed.issuer), deviation_legend=parsed.deviation_legend)


def command_line_user() -> str:
    """Who loads from the command line, for the audit trail."""
    try:
        return f"riga di comando ({getpass.getuser()})"
    except Exception:
        return "riga di comando"


@dataclass
class LoadResult:
    path: Path
    status: str                 # loaded, replaced, unchanged, same_content, unrecognised, kept, refused, lost
    family: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    error: Exception | None = None
    document_id: int | None = None
    existing_name: str | None = None
    sha256: str | None = None
    replaced: tuple[int, ...] = ()          # the older versions this file took the place of

    @property
    def saved(self) -> bool:
        return self.status in ("loaded", "replaced", "kept")


def load_file(writer: db.DocumentWriter, path: Path, keep_unrecognised: bool = False) -> LoadResult:
    """Load one file in its own transaction; a refusal or failure leaves the database as it was. A document
    no family reads is reported and, only when keep_unrecognised, kept for a person to map by hand."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return LoadResult(path, "refused", error=Refused("unreadable_file", error=exc.strerror or str(exc)))
    prepared = prepare(path.name, data, writer)
    if not _to_save(prepared, keep_unrecognised):
        return _not_saved(path, prepared)
    document_id = save(writer, prepared)
    return _saved(path, prepared, document_id)


def _to_save(prepared: Prepared, keep_unrecognised: bool) -> bool:
    return prepared.status in ("new", "replaces") or (prepared.status == "unrecognised" and keep_unrecognised)


def _not_saved(path: Path, prepared: Prepared) -> LoadResult:
    status = {"invalid": "refused"}.get(prepared.status, prepared.status)
    return LoadResult(path, status, error=prepared.error, document_id=prepared.existing,
                      existing_name=prepared.existing_name)


def _saved(path: Path, prepared: Prepared, document_id: int) -> LoadResult:
    status = "kept" if prepared.status == "unrecognised" else "replaced" if prepared.replaces else "loaded"
    return LoadResult(path, status, prepared.family, prepared.counts, document_id=document_id,
                      sha256=prepared.sha256, replaced=tuple(prepared.replaces))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders contribute their documents, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


HOLD_SECONDS = 2.0        # a reader that does not ask for its turn waits at most this long, or ...
HOLD_PER_LET_GO = 10      # ... this many times as long as letting go last took (a checkpoint: it grows with the
                          # file), so that letting go stays a small part of a load
HOLD_SHARE = 4            # the file is let go too once a quarter of the load's memory cap (LOAD_MEMORY_MB, 256 MB)
                          # in files was written since it was opened: DuckDB keeps what is committed and not yet
                          # checkpointed in memory, within the cap; files of a megabyte each took it past the cap
GAP_SECONDS = 0.05        # the pause that gives it the turn
READER_LOOK = 0.01        # a reader asking for its turn is seen within this long
BATCH_SECONDS = HOLD_SECONDS   # a batch of documents is committed within this long of its first (at once when a
                          # reader asks for its turn, or when HOLD_SECONDS are up); every commit costs a few round
                          # trips (~75 ms of CPU). No reader sees a batch before the load lets the file go, which it
                          # does for a reader that asks (committing first) and every HOLD_SECONDS: committing more
                          # often showed nobody anything sooner
BATCH_DOCUMENTS = 200     # ... or at this many documents
BATCH_BYTES = 32_000_000  # ... or at this many bytes of files
POOL_AFTER = 8            # files to read before worker processes are worth starting (about a second each)
AHEAD_PER_WORKER = 32     # files handed to the workers ahead of the writer, per worker: enough to keep them
                          # busy while the writer commits and lets the file go (a checkpoint: up to a second)
AHEAD_BYTES = 64_000_000  # ... and at most this many bytes of them


def default_workers() -> int:
    """Worker processes that read files for a load: CRUSCOTTO_WORKERS, else one per core (at most 4)."""
    try:
        return max(1, int(os.environ.get("CRUSCOTTO_WORKERS") or min(os.cpu_count() or 1, 4)))
    except ValueError:
        return 1


def load_paths(db_file, paths: list[Path], report=None, keep_unrecognised: bool = False,
               waiting=None, workers: int | None = None) -> list[LoadResult]:
    """Load files and folders into db_file; report(index, total, result) after each file, in order.

    Files are read (decoded, parsed, judged: read_file) by `workers` processes (default_workers(); 1: in
    this process) while this process alone writes. A file whose bytes the database holds is not even
    decoded. Documents are written in batches, one transaction each (BATCH_*): a batch that fails is
    written again one document at a time, so a failure costs only its own file and no document is ever
    half-written. A file that replaces one of the open batch is written after the batch is committed.

    The whole run holds the database's lock file shared (db.run_lock): a restore cannot swap the file under
    it, and a load that starts during a restore waits for it (calling waiting() once) and then loads into
    the restored file. DuckDB allows one process at a time: between two batches the load lets the file go
    while a dashboard in another process asks for its turn (db.reader_waiting), and every HOLD_SECONDS for
    GAP_SECONDS for readers that do not ask (a person's own SQL), or longer when letting go is slow
    (HOLD_PER_LET_GO). Letting go costs a checkpoint, hence not after every batch.

    A full disk stops the run at the file it could not save (the rest would fail the same way). At the end
    the documents reported saved are looked up in the file: one that is not there becomes 'lost'."""
    files = expand_paths(paths)
    with db.run_lock(db_file, timeout=db.LOAD_WAIT, on_wait=waiting):
        run = _Load(db_file, files, report, keep_unrecognised, default_workers() if workers is None else workers)
        try:
            run.run()
        finally:
            run.close()
        _mark_lost(db_file, run.results)
    return run.results


@dataclass
class _File:
    """A file of a load on its way: its bytes and hash, then what read_file made of it (in a worker: job)."""
    path: Path
    name: str = ""
    sha: str = ""
    data: bytes = b""
    error: Refused | None = None              # the file could not be read
    job: object = None                        # a Future of read_file's answer
    read: Prepared | None = None              # read_file's answer
    layouts: dict | None = None               # the stored layouts it was (or is being) read with


class _Load:
    """One run of load_paths: reads ahead (through worker processes), writes in batches, reports in order."""

    def __init__(self, db_file, files: list[Path], report, keep_unrecognised: bool, workers: int):
        self.db_file, self.files, self.report, self.keep = db_file, files, report, keep_unrecognised
        self.workers, self.pool, self.jobs = workers, None, 0
        self.con, self.writer, self.opened = None, None, 0.0
        self.left = None                                    # (file_state, writer) when the load let the file go
        self.looked, self.asking = 0.0, False               # when a reader was last looked for, and found
        self.hold = HOLD_SECONDS                            # how long the file is held for readers that do not ask
        self.ahead: deque[_File] = deque()
        self.next_file, self.ahead_bytes, self.seen = 0, 0, set()
        self.out: list[tuple[_File, object]] = []           # the open batch's files in order: LoadResult or Prepared
        self.batch_started, self.batch_bytes = 0.0, 0
        self.held_bytes = 0                                 # bytes of files written since the file was opened
        self.hold_bytes = db.connection.LOAD_MEMORY_MB * 2**20 // HOLD_SHARE
        self.results: list[LoadResult] = []
        self.stopped = False
        self.editor = command_line_user()

    # ------------------------------------------------------------------ the run

    def run(self) -> None:
        while not self.stopped and (self.ahead or self.next_file < len(self.files)):
            self._read_ahead()
            file = self.ahead.popleft()
            self.ahead_bytes -= len(file.data)
            self._take(file)
        if not self.stopped:
            self._commit()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self.writer is not None and self.writer.pending is not None:
            self.writer.rollback()
        if self.con is not None:
            db.refresh_summaries(self.con)         # the pages' summaries of what the load wrote
            _close(self.con)
            self.con = self.writer = None

    def _take(self, file: _File, one_by_one: bool = False) -> None:
        """Judge a file against the database as it stands with the documents before it, and add it to the
        open batch or give its result."""
        try:
            if file.error is not None:
                return self._done(file, LoadResult(file.path, "refused", error=file.error))
            prepared = self._prepare(file)
            if self.stopped:                          # a batch committed meanwhile found the disk full
                return
            if not _to_save(prepared, self.keep):
                return self._done(file, _not_saved(file.path, prepared))
            if set(prepared.replaces) & self.writer.batch_ids:        # its older version is in the open batch
                self._commit()
                if self.stopped:
                    return
                prepared = self._prepare(file)
                if not _to_save(prepared, self.keep):
                    return self._done(file, _not_saved(file.path, prepared))
            if self.writer.pending is None:
                self.writer.begin()
                self.batch_started, self.batch_bytes = time.monotonic(), 0
            self.writer.add(document_row(prepared), prepared.columns or prepared.rows, prepared.replaces, self.editor)
            self.out.append((file, prepared))
            self.batch_bytes += len(file.data)
            self.held_bytes += len(file.data)
            if one_by_one or len(self.writer.pending) >= BATCH_DOCUMENTS or self.batch_bytes >= BATCH_BYTES or \
                    self._time_to_commit():
                self._commit(one_by_one)
        except db.DatabaseBusy:
            raise
        except Exception as exc:                   # never let one file stop the others
            code = "no_space" if db.is_disk_full(exc) else "unexpected"
            self._done(file, LoadResult(file.path, "refused", error=Refused(code, error=type(exc).__name__)))
            if code == "no_space":
                self._commit()
                self.stopped = True

    def _done(self, file: _File, result: LoadResult) -> None:
        """A file's result: given at once, or after the open batch when there is one (results go in order)."""
        if self.writer is not None and self.writer.pending is not None:
            self.out.append((file, result))
        else:
            self._give(result)

    def _give(self, result: LoadResult) -> None:
        if self.stopped:
            return
        self.results.append(result)
        if self.report:
            self.report(len(self.results), len(self.files), result)
        if getattr(result.error, "code", None) == "no_space":
            self.stopped = True

    def _commit(self, one_by_one: bool = False) -> None:
        """Commit the open batch and give its files' results; when it fails, take its files again one at a
        time (each in its own transaction), so that only a file that fails alone is refused."""
        if self.writer is None or self.writer.pending is None:
            return
        out, self.out = self.out, []
        try:
            ids = iter(self.writer.commit())
        except db.DatabaseBusy:
            raise
        except Exception as exc:
            if not one_by_one:
                for file, _ in out:
                    if self.stopped:
                        break
                    self._take(file, one_by_one=True)
                return
            code = "no_space" if db.is_disk_full(exc) else "unexpected"
            (file, _), = [(f, p) for f, p in out if isinstance(p, Prepared)]
            for other, outcome in out:
                self._give(LoadResult(file.path, "refused", error=Refused(code, error=type(exc).__name__))
                           if other is file else outcome)
            return
        for file, outcome in out:
            self._give(_saved(file.path, outcome, next(ids)) if isinstance(outcome, Prepared) else outcome)

    # ------------------------------------------------------------------ reading

    def _prepare(self, file: _File) -> Prepared:
        """prepare() for a file read ahead: judged against the index of the connection as it is now."""
        while True:
            self._open()
            writer = self.writer
            if writer.find(file.name, file.sha)[0] is not None:
                return judge(None, writer, file.name, file.sha)
            read = self._read(file)                   # waiting for it may commit the batch and let the file go
            if self.writer is writer:
                return judge(read, writer, file.name, file.sha, file.data)

    def _read(self, file: _File) -> Prepared:
        layouts = stored_layouts(self.writer)
        if file.job is not None:
            while True:
                try:
                    file.read = file.job.result(timeout=0.05)
                except FuturesTimeout:
                    self._meanwhile()
                    continue
                except Exception:                     # the worker failed (it died?): read it here instead
                    file.read = None
                break
            file.job = None
        if file.read is None or file.layouts != layouts:     # an editor mapped a table meanwhile
            file.read, file.layouts = read_file(file.name, file.data, layouts, sha=file.sha), layouts
        return file.read

    def _read_ahead(self) -> None:
        """Read the next files' bytes and hand those the database does not hold to the workers."""
        limit = self.workers * AHEAD_PER_WORKER if self.pool is not None else 1
        while self.next_file < len(self.files) and len(self.ahead) < limit and \
                (not self.ahead or self.ahead_bytes < AHEAD_BYTES):
            file = _File(self.files[self.next_file])
            self.next_file += 1
            self.ahead.append(file)
            try:
                file.data = file.path.read_bytes()
            except OSError as exc:
                file.error = Refused("unreadable_file", error=exc.strerror or str(exc))
                continue
            self.ahead_bytes += len(file.data)
            file.name, file.sha = clean_file_name(file.path.name), hashlib.sha256(file.data).hexdigest()
            if file.sha in self.seen or (self.writer is not None and file.sha in self.writer.by_sha):
                continue                               # held already (or will be): not read unless it must
            self.seen.add(file.sha)
            self.jobs += 1
            if self.pool is None and self.workers > 1 and self.jobs >= POOL_AFTER:
                self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=worker_started, initargs=(os.getpid(),))
                limit = self.workers * AHEAD_PER_WORKER
            if self.pool is not None:
                file.layouts = stored_layouts(self.writer) if self.writer is not None else {}
                try:
                    file.job = self.pool.submit(read_for_load, file.name, file.data, file.layouts, file.sha)
                except Exception:                      # the workers could not start or died: read here instead
                    self.pool.shutdown(wait=False, cancel_futures=True)
                    self.pool, self.workers, limit = None, 1, 1

    # ------------------------------------------------------------------ taking turns on the file

    def _open(self) -> None:
        """The connection, opened again after letting the file go; between batches, let it go while a reader
        asks for its turn, and after holding it self.hold seconds or self.hold_bytes of files."""
        if self.con is not None and self.writer.pending is None:
            asked = self._reader_waiting()
            if asked or time.monotonic() - self.opened > self.hold or self.held_bytes >= self.hold_bytes:
                self._let_go(asked)
        if self.con is None:
            (state, writer), self.left = self.left or (None, None), None
            unchanged = state is not None and db.file_state(self.db_file) == state
            self.con = db.connect_for_load(self.db_file, schema=not unchanged)
            if unchanged and db.file_state(self.db_file) == state:
                writer.reconnect(self.con)            # nobody wrote meanwhile: its index and ids still hold
                self.writer = writer
            else:
                self.writer = db.DocumentWriter(self.con, sole=True)
                if writer is not None:                # worked out from stored words alone: true whoever wrote
                    self.writer.derived = writer.derived
            self.opened, self.held_bytes = time.monotonic(), 0

    def _let_go(self, asked: bool) -> None:
        """Close the connection between two batches, remembering the file as it is left and the writer."""
        started = time.monotonic()
        _close(self.con)
        self.hold = max(HOLD_SECONDS, HOLD_PER_LET_GO * (time.monotonic() - started))
        self.left = (db.file_state(self.db_file), self.writer)
        self.con = self.writer = None
        if not asked:
            time.sleep(GAP_SECONDS)

    def _time_to_commit(self) -> bool:
        """The open batch is old enough, a reader asks for its turn, or the file is to be let go (self.hold)."""
        now = time.monotonic()
        return now - self.batch_started >= BATCH_SECONDS or now - self.opened > self.hold or \
            self.held_bytes >= self.hold_bytes or \
            self._reader_waiting()

    def _reader_waiting(self) -> bool:
        """db.reader_waiting, looked at again after READER_LOOK seconds (a look costs a path resolution and a
        lock file opened: more than a file already loaded), or at once while a reader was found."""
        now = time.monotonic()
        if self.asking or now - self.looked >= READER_LOOK:
            self.looked, self.asking = now, db.reader_waiting(self.db_file)
        return self.asking

    def _meanwhile(self) -> None:
        """While a worker reads the next file: commit the open batch when it is time, and let a waiting reader in."""
        if self.writer is not None and self.writer.pending is not None and self._time_to_commit():
            self._commit()
        if self.con is not None and self.writer.pending is None and self._reader_waiting():
            self._let_go(True)


def _close(con) -> None:
    """Close a connection whose work is committed: a checkpoint that fails on close (a full disk) loses
    nothing, the committed rows stay in the WAL (and the final check looks for them). Any other failure is
    reported: a WAL that is never folded into the file is replayed at every reopening, and a load slows down
    to a crawl without a word (seen with a memory limit of 128 MB at 10^4 documents)."""
    _give_back_freed_memory()            # before the checkpoint's own allocations
    try:
        con.close()
    except Exception as exc:
        if not db.is_disk_full(exc):
            logging.getLogger(__name__).warning(messages.CHECKPOINT_FAILED.format(error=exc))


_malloc_trim = None                 # glibc's, looked up once (False: none)


def _give_back_freed_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim; nothing elsewhere). The files'
    bytes and the workers' answers go through malloc, and freed between kept ones they leave holes it keeps
    (its heap about 100 MB at 10^4 documents, 60 MB of it free); DuckDB allocates through its own jemalloc and
    never reuses them."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL(None).malloc_trim      # the symbols the process has loaded
        except (OSError, AttributeError):          # not glibc (macOS, musl): nothing to trim
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


def _mark_lost(db_file, results: list[LoadResult]) -> None:
    """Mark 'lost' the results reported saved whose document is not in the file with its audit row (a
    document a later file of the same run replaced is gone, as it should be)."""
    superseded = {old for r in results if r.saved for old in r.replaced}
    saved = [(r.document_id, r.sha256) for r in results if r.saved and r.document_id not in superseded]
    if not saved:
        return
    with db.reading(db_file) as con:
        missing = set(db.missing_documents(con, saved))
    for result in results:
        if result.saved and (result.document_id, result.sha256) in missing:
            result.status = "lost"


def ensure_database(db_file=None, data_dir: Path | None = None) -> bool:
    """Build the database from the documents in data/ when the file does not exist yet. True if built."""
    db_file = Path(db_file or db.db_path())
    if db_file.exists():
        return False
    db_file.parent.mkdir(parents=True, exist_ok=True)
    # The lock file before this process's turn, as db.writing takes them; two first visits build it once.
    with db.run_lock(db_file, timeout=db.WRITE_WAIT), db.exclusive():
        if db_file.exists():
            return False
        data_dir = data_dir or Path(__file__).resolve().parent.parent / "data"
        db.connect(db_file).close()                       # the schema, even when data/ holds nothing
        load_paths(db_file, [data_dir], workers=1)       # no worker processes inside the dashboard
        return True

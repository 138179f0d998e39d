"""Reading a file into records, without the database: the part of a load that runs in its worker processes.

    read_input (bytes -> text -> family -> records) -> read_file (judged as read, parsed with stored layouts)

A worker imports this module and what it needs, not the database package: duckdb, pandas and pyarrow would
cost each worker about 55 MB and two seconds to start (loaders/service.py writes what the workers read).
"""
from __future__ import annotations

import functools
import gc
import hashlib
import os
import sys
import threading
import time
import types
from dataclasses import dataclass, field, replace

from cruscotto.italian import clean_cell
from cruscotto.records import MAPPED_FAMILY, DocumentColumns, ParsedDocument, Unreadable, rows_to_columns
from cruscotto.source_text import clean_lines

from . import parse_text
from .errors import InvalidCells, Refused, UnknownFamily
from .identity import document_kind, find_issuer, title_and_year
from .inputs import ExtractedText, adapter_for, collector_paused, isolated
from .lines import all_lines, is_separator
from .mapping import Layout, apply_layouts
from .rows import document_rows
from .same_report import content_words, report_key

MAX_BYTES = int(float(os.environ.get("CRUSCOTTO_MAX_MB", "50")) * 1_000_000)
UNRECOGNISED = "non_riconosciuto"          # documents.family of a document kept although no family reads it


@dataclass(frozen=True)
class ReadInput:
    """What a file turned into: its family and records, and the text they point into."""
    family: str
    parsed: ParsedDocument
    extracted: ExtractedText

    @property
    def input_format(self) -> str:
        return self.extracted.input_format


def extract(name: str, data: bytes, accept_valid: bool = False) -> ExtractedText:
    """The text of any supported file. accept_valid: load the valid rows of an Excel template that has
    invalid cells (otherwise it raises InvalidCells)."""
    if len(data) > MAX_BYTES:
        raise Refused("too_large", size=len(data), limit_bytes=MAX_BYTES)
    adapter = adapter_for(name, data)
    if adapter.FORMAT == "xlsx":
        extracted = adapter.extract(data, accept_valid)
    elif getattr(adapter, "ISOLATED", False):
        extracted = isolated.extract(adapter, data)
    else:
        extracted = adapter.extract(data)
    if extracted.input_format != "text":          # a text file is cleaned by its adapter, keeping its lines
        extracted = replace(extracted, text=clean_lines(extracted.text))
    return extracted


def read_input(name: str, data: bytes, accept_valid: bool = False) -> ReadInput:
    """Read a .txt/.md, .pdf, .docx, .odt or .xlsx file into records; UnknownFamily when no family reads it."""
    extracted = extract(name, data, accept_valid)
    if extracted.parsed is not None:
        return ReadInput(extracted.family, extracted.parsed, extracted)
    try:
        family, parsed = parse_text(extracted.text, extracted.furniture)
    except UnknownFamily as exc:
        if extracted.input_format == "xlsx":
            raise Refused("not_template") from None
        exc.extracted = extracted                         # kept: the document may still be kept as it is
        raise
    return ReadInput(family, parsed, extracted)


def unrecognised(extracted: ExtractedText) -> ParsedDocument:
    """A document no family reads, kept for a person to map by hand: what it says about itself, and every
    table line it holds as a quality issue, so that nothing it contains is lost."""
    lines = all_lines(extracted.text, extracted.furniture)
    body = [ln for ln in lines if not ln.furniture]
    title, year, _ = title_and_year(list(lines))
    first = next((ln for ln in body if not ln.is_blank), None)
    problems = [Unreadable(first.number if first else 1, (first.raw.strip() if first else "")[:200],
                           "Struttura non riconosciuta: nessuna tabella di obiettivi, indicatori, fasi o bilancio "
                           "con intestazioni note. Documento conservato con il testo estratto, da leggere a mano.",
                           "unrecognised")]
    problems += [Unreadable(ln.number, ln.raw.strip(), "Riga di tabella di un documento non riconosciuto: "
                            "conservata, non interpretata.", "unparsed_table")
                 for ln in body if ln.is_table_row and not is_separator(ln)]
    return ParsedDocument(kind=document_kind(title), issuer=find_issuer(list(lines)), report_year=year,
                          title=clean_cell(title), problems=tuple(problems))


@dataclass
class Prepared:
    """A file read and judged, ready to be saved. status: new, replaces, unchanged, refused, same_content
    (the same report already loaded from another file: saving it would count it twice), invalid (an Excel
    template with invalid cells: prepare it again with accept_valid to load its valid rows), or unrecognised
    (no family reads it: it can still be kept, with its text and tables, for a person to map by hand)."""
    name: str
    sha256: str
    status: str
    data: bytes = b""
    error: Refused | None = None
    family: str | None = None
    parsed: ParsedDocument | None = None
    rows: dict = field(default_factory=dict)
    extracted: ExtractedText | None = None
    existing: int | None = None
    existing_name: str | None = None
    replaces: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)      # invalid cells of an Excel template
    key: str | None = None
    words: frozenset[str] = frozenset()
    mapped: list[tuple[dict | None, str]] = field(default_factory=list)   # tables mapped on upload (layout, detail)
    columns: DocumentColumns | None = None         # rows as columns, made by a load's worker (read_for_load)

    @property
    def input_format(self) -> str:
        return self.extracted.input_format if self.extracted else "text"

    @property
    def counts(self) -> dict[str, int]:
        if self.columns is not None:
            return dict(self.columns.counts)
        counts = {table: len(records) for table, records in self.rows.items()}
        counts["quality_issues"] = sum(1 for r in self.rows.get("quality_issues", []) if r["category"] != "note")
        return counts


def clean_file_name(name: str) -> str:
    """A file name is one line of printable text."""
    return " ".join(clean_lines(name).split())


def read_file(name: str, data: bytes, layouts: dict[str, Layout], accept_valid: bool = False,
              sha: str | None = None) -> Prepared:
    """The part of prepare that does not look at the database (it runs in a worker process): the file read,
    parsed with the stored layouts, judged. Status: read, invalid, refused or unrecognised; data is left
    out (the caller holds it)."""
    sha = sha or hashlib.sha256(data).hexdigest()
    try:
        read = read_input(name, data, accept_valid)
    except InvalidCells as exc:
        return Prepared(name, sha, "invalid", error=exc, errors=exc.errors)
    except UnknownFamily as exc:
        extracted = exc.extracted
        parsed, used = unrecognised(extracted), []
        try:
            parsed, used = apply_layouts(parsed, extracted.text, extracted.furniture, layouts)
        except Exception:                                 # a stored layout must never stop a file being kept
            used = []
        if not used:
            return Prepared(name, sha, "unrecognised", error=exc, family=UNRECOGNISED, parsed=parsed,
                            rows=document_rows(parsed), extracted=extracted)
        read = ReadInput(MAPPED_FAMILY, parsed, extracted)     # read by the columns an editor mapped before
    except Refused as exc:
        return Prepared(name, sha, "refused", error=exc)
    except Exception as exc:                              # a file must never take the others down
        return Prepared(name, sha, "refused", error=Refused("unexpected", error=type(exc).__name__))
    else:
        if read.extracted.parsed is None:                 # tables a family left unread, mapped before
            try:
                read = replace(read, parsed=apply_layouts(read.parsed, read.extracted.text, read.extracted.furniture,
                                                          layouts)[0])
            except Exception:                             # a stored layout must never stop a file being read
                pass
    return Prepared(name, sha, "read", family=read.family, parsed=read.parsed, rows=document_rows(read.parsed),
                    extracted=read.extracted, key=report_key(read.parsed), words=content_words(read.parsed))


def read_for_load(name: str, data: bytes, layouts: dict[str, Layout], sha: str) -> Prepared:
    """read_file as a load's worker process runs it: what it hands the writer is made small and quick to
    unpickle. The rows become columns (rows_to_columns: the writer only joins lists) and the records,
    which the writer no longer needs, are left out of parsed: it keeps the document's own facts (title,
    issuer, year, kind) that its documents row is made of. A text that is the file itself, unchanged, is left
    out too (its line count kept): the writer holds the file's bytes."""
    with collector_paused():
        return _read_for_load(name, data, layouts, sha)


def _read_for_load(name: str, data: bytes, layouts: dict[str, Layout], sha: str) -> Prepared:
    prepared = read_file(name, data, layouts, sha=sha)
    _forget_now_and_then()
    if prepared.parsed is None or not prepared.rows:
        return prepared
    try:
        columns = rows_to_columns(prepared.rows)
    except Exception:                                     # written as rows, it fails in the write as it always did
        return prepared
    parsed = replace(prepared.parsed, objectives=(), milestones=(), indicators=(), budget_lines=(),
                     reported_totals=(), scores=(), problems=())
    extracted = prepared.extracted
    if not extracted.store_text:                      # the text is the file's bytes, which the writer holds
        extracted = replace(extracted, text="", line_count=extracted.lines)
    return replace(prepared, parsed=parsed, rows={}, columns=columns, extracted=extracted)


CACHE_DOCUMENTS = 250      # a worker empties the readers' caches after this many documents
_read_since_emptied = 0


def _forget_now_and_then() -> None:
    """Empty the readers' lru_caches every CACHE_DOCUMENTS documents (the largest: cruscotto.italian.clean_cell,
    lines.plain_words, tables._header_to_columns, rows' judged indicators and steps, schede_obiettivo's line
    facts). Filling up to their
    bounds they took a worker to 85 MB PSS over 5000 corpus documents; emptied every 250 documents it stays
    near 33 MB, for about 2% more CPU (every 100: 15%)."""
    global _read_since_emptied
    _read_since_emptied += 1
    if _read_since_emptied < CACHE_DOCUMENTS:
        return
    _read_since_emptied = 0
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith(("loaders", "cruscotto")):
            for value in list(vars(module).values()):
                if isinstance(value, functools._lru_cache_wrapper) or \
                        isinstance(value, types.FunctionType) and hasattr(value, "cache_clear"):
                    value.cache_clear()           # a function with its own cache says so the same way
    if not gc.isenabled():                          # a worker's collector runs here only (worker_started)
        gc.collect()


def worker_started(loader: int) -> None:
    """In each worker process: end with the loader. A worker holds its own end of the pipe it reads its
    files from, so it would outlive a loader killed with SIGKILL, waiting for ever.

    Its cyclic garbage collector runs only when the readers' caches are emptied (_forget_now_and_then):
    what a file leaves is freed by its reference count, and turned back on after each file (collector_paused)
    the collector went through the whole answer at once (8% of a worker's CPU samples at 10^4 documents)."""
    gc.disable()

    def watch():
        while os.getppid() == loader:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="loader-watch").start()

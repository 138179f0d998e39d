"""The loading service, one path for the command line and the upload page:

    read_input (bytes -> text -> family -> records) -> prepare (judged rows, nothing written) -> save.

load_paths loads files and folders in turn; ensure_database builds the database from data/ on first run.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from cruscotto import db
from cruscotto.italian import clean_cell
from cruscotto.records import ParsedDocument, Unreadable
from cruscotto.source_text import clean_lines

from . import parse_text
from .errors import InvalidCells, Refused, UnknownFamily
from .identity import document_kind, find_issuer, title_and_year
from .inputs import SUFFIXES, ExtractedText, adapter_for, isolated
from .lines import all_lines, is_separator
from .mapping import ROLES, Layout, Table, apply_layouts, guess_roles, merge, table_to_records, text_to_tables  # noqa: F401
from .rows import document_rows
from .same_report import content_words, is_same_report, report_key, text_to_words, words_to_text

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

    @property
    def input_format(self) -> str:
        return self.extracted.input_format if self.extracted else "text"

    @property
    def counts(self) -> dict[str, int]:
        counts = {table: len(records) for table, records in self.rows.items()}
        counts["quality_issues"] = sum(1 for r in self.rows.get("quality_issues", []) if r["category"] != "note")
        return counts


def prepare(name: str, data: bytes, index: db.DocumentIndex, accept_valid: bool = False) -> Prepared:
    """Read and judge a file without writing anything; compare it with what the database holds."""
    name = " ".join(clean_lines(name).split())            # a file name is one line of printable text
    sha = hashlib.sha256(data).hexdigest()
    same, older = index.find(name, sha)
    if same is not None:
        return Prepared(name, sha, "unchanged", existing=same, existing_name=index.names.get(same))
    try:
        read = read_input(name, data, accept_valid)
    except InvalidCells as exc:
        return Prepared(name, sha, "invalid", data, error=exc, errors=exc.errors)
    except UnknownFamily as exc:
        extracted = exc.extracted
        parsed, used = unrecognised(extracted), []
        try:
            parsed, used = apply_layouts(parsed, extracted.text, extracted.furniture, stored_layouts(index))
        except Exception:                                 # a stored layout must never stop a file being kept
            used = []
        if not used:
            return Prepared(name, sha, "unrecognised", data, error=exc, family=UNRECOGNISED, parsed=parsed,
                            rows=document_rows(parsed), extracted=extracted, replaces=older)
        read = ReadInput(db.MAPPED_FAMILY, parsed, extracted)     # read by the columns an editor mapped before
    except Refused as exc:
        return Prepared(name, sha, "refused", error=exc)
    except Exception as exc:                              # a file must never take the others down
        return Prepared(name, sha, "refused", error=Refused("unexpected", error=type(exc).__name__))
    else:
        if read.extracted.parsed is None:                 # tables a family left unread, mapped before
            try:
                read = replace(read, parsed=apply_layouts(read.parsed, read.extracted.text, read.extracted.furniture,
                                                          stored_layouts(index))[0])
            except Exception:                             # a stored layout must never stop a file being read
                pass
    rows = document_rows(read.parsed)
    key, words = report_key(read.parsed), content_words(read.parsed)
    twin = next((doc for doc, stored in index.same_key(key) if is_same_report(words, text_to_words(stored))), None)
    status = "replaces" if older else ("same_content" if twin is not None else "new")
    return Prepared(name, sha, status, data, family=read.family, parsed=read.parsed, rows=rows,
                    extracted=read.extracted, replaces=older, key=key, words=words, existing=twin,
                    existing_name=index.names.get(twin) if twin is not None else None)


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
    parsed, extracted = prepared.parsed, prepared.extracted
    stored_text = extracted.text if extracted.store_text else None
    document = dict(source_name=prepared.name, sha256=prepared.sha256, original=prepared.data,
                    issuer=issuer or parsed.issuer, report_year=report_year or parsed.report_year,
                    period_start=parsed.period_start, period_end=parsed.period_end, kind=parsed.kind,
                    family=prepared.family, loaded_at=datetime.now(), title=clean_cell(parsed.title),
                    line_count=len(extracted.text.splitlines()), input_format=extracted.input_format,
                    encoding=extracted.encoding, text=stored_text, line_pages=extracted.line_pages,
                    furniture_lines=sorted(extracted.furniture) or None,
                    content_sha=report_key(parsed, issuer, report_year) if prepared.key else None,
                    content_words=words_to_text(content_words(parsed, issuer)) if prepared.key else None,
                    issuer_given=bool(issuer and issuer != parsed.issuer), deviation_legend=parsed.deviation_legend)
    return writer.write(document, prepared.rows, replaces=older, editor=editor or command_line_user(),
                        mapped=prepared.mapped)


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
    if prepared.status in ("unchanged", "refused", "invalid", "same_content") or \
            (prepared.status == "unrecognised" and not keep_unrecognised):
        status = {"invalid": "refused"}.get(prepared.status, prepared.status)
        return LoadResult(path, status, error=prepared.error, document_id=prepared.existing,
                          existing_name=prepared.existing_name)
    document_id = save(writer, prepared)
    status = "kept" if prepared.status == "unrecognised" else "replaced" if prepared.replaces else "loaded"
    return LoadResult(path, status, prepared.family, prepared.counts, document_id=document_id,
                      sha256=prepared.sha256)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders contribute their documents, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


HOLD_SECONDS = 2.0        # a reader that does not ask for its turn waits at most this long
GAP_SECONDS = 0.05        # the pause that gives it the turn


def load_paths(db_file, paths: list[Path], report=None, keep_unrecognised: bool = False,
               waiting=None) -> list[LoadResult]:
    """Load files and folders into db_file; report(index, total, result) after each file.

    The whole run holds the database's lock file shared (db.run_lock): a restore cannot swap the file under
    it, and a load that starts during a restore waits for it (calling waiting() once) and then loads into
    the restored file. DuckDB allows one process at a time: between two documents the load lets the file go
    while a dashboard in another process asks for its turn (db.reader_waiting), and every HOLD_SECONDS for
    GAP_SECONDS for readers that do not ask (a person's own SQL). Letting go costs a checkpoint, hence not
    after every document.

    A full disk stops the run at the file it could not save (the rest would fail the same way). At the end
    the documents reported saved are looked up in the file: one that is not there becomes 'lost'."""
    files = expand_paths(paths)
    results = []
    with db.run_lock(db_file, timeout=db.LOAD_WAIT, on_wait=waiting):
        con, writer, opened = None, None, 0.0
        try:
            for index, path in enumerate(files, start=1):
                try:
                    asked = con is not None and db.reader_waiting(db_file)
                    if con is None or asked or time.monotonic() - opened > HOLD_SECONDS:
                        if con is not None:
                            _close(con)
                            con = None
                            if not asked:
                                time.sleep(GAP_SECONDS)
                        con = db.connect_for_load(db_file)
                        writer, opened = db.DocumentWriter(con), time.monotonic()
                    result = load_file(writer, path, keep_unrecognised)
                except db.DatabaseBusy:
                    raise
                except Exception as exc:                   # never let one file stop the others
                    code = "no_space" if db.is_disk_full(exc) else "unexpected"
                    result = LoadResult(path, "refused", error=Refused(code, error=type(exc).__name__))
                results.append(result)
                if report:
                    report(index, len(files), result)
                if getattr(result.error, "code", None) == "no_space":
                    break
        finally:
            if con is not None:
                _close(con)
        _mark_lost(db_file, results)
    return results


def _close(con) -> None:
    """Close a connection whose work is committed: a checkpoint that fails on close (a full disk) loses
    nothing, the committed rows stay in the WAL (and the final check looks for them)."""
    try:
        con.close()
    except Exception:
        pass


def _mark_lost(db_file, results: list[LoadResult]) -> None:
    """Mark 'lost' the results reported saved whose document is not in the file with its audit row."""
    saved = [(r.document_id, r.sha256) for r in results if r.saved]
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
        load_paths(db_file, [data_dir])
        return True

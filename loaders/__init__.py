"""Input adapters: file -> text -> records (one parser per document family) -> judged rows -> database.

FAMILIES is the registry: each module has NAME, identify(text) and parse(text). To add a family, add a
module, an entry here and its tests.
"""
from __future__ import annotations

import getpass
import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cruscotto import db
from cruscotto.evaluation import judge_indicator, judge_milestone
from cruscotto.italian import clean_cell, format_number, parse_amount, parse_number
from cruscotto.records import ParsedDocument
from cruscotto.source import NotText, decode_document, detect_and_decode

from . import piano_di_zona, schede_obiettivo, tabella_obiettivi

FAMILIES = [schede_obiettivo, tabella_obiettivi, piano_di_zona]
SUFFIXES = {".txt", ".md", ".text", ".pdf", ".xlsx"}


class Refused(Exception):
    """A file that cannot be loaded at all; the message is Italian and names the reason."""


class UnknownFamily(Refused):
    pass


class InvalidCells(Refused):
    """An Excel template with cells that do not validate; `errors` names them."""

    def __init__(self, message: str, errors: list[str]):
        super().__init__(message)
        self.errors = errors


def family_for(text: str):
    found = [family for family in FAMILIES if family.identify(text)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownFamily("nessuna struttura riconoscibile (attese schede obiettivo con tabelle Tempi/"
                            "Consuntivo o Indicatori, una tabella obiettivi/risultati, o un Piano di Zona)")
    raise UnknownFamily("struttura ambigua: somiglia a più formati (" + ", ".join(f.NAME for f in found) + ")")


def decode(data: bytes) -> str:
    """The text of a document file; Refused for empty, binary or unreadable bytes."""
    try:
        return decode_document(data)
    except NotText as exc:
        raise Refused(str(exc)) from exc


def parse_text(text: str) -> tuple[str, ParsedDocument]:
    family = family_for(text)
    return family.NAME, family.parse(text)


# ---------------------------------------------------------------------------- records -> rows

def document_rows(parsed: ParsedDocument) -> dict[str, list[dict]]:
    """Judge every indicator and step, read every amount; unreadable values become quality issues."""
    is_plan = parsed.kind == "piano_di_zona"
    year = parsed.report_year
    issues = [dict(source_line=p.source_line, raw_text=p.raw_text, reason=p.reason, category=p.category)
              for p in parsed.problems]
    objectives = [dict(ref=o.ref, area=o.area, number=o.number, title=o.title, description=o.description,
                       duplicate_of=o.duplicate_of, source_line=o.source_line,
                       responsibility_centre=o.responsibility_centre, peg_project=o.peg_project)
                  for o in parsed.objectives]
    milestones = []
    for m in parsed.milestones:
        judged = judge_milestone(m.planned_raw, m.actual_raw, year, parsed.period_start, is_plan)
        milestones.append(dict(objective=m.objective, activity=m.activity, planned_raw=m.planned_raw,
                               actual_raw=m.actual_raw, planned_month=judged.planned_month,
                               actual_month=judged.actual_month, status=judged.status,
                               slippage_months=judged.slippage_months, source_line=m.source_line,
                               status_reason=judged.reason))
        if m.planned_raw and judged.planned_month is None and not is_plan:
            issues.append(dict(source_line=m.source_line, raw_text=m.planned_raw, category="unreadable",
                               reason="Tempi previsti senza un mese leggibile: scadenza non calcolabile."))
    indicators = []
    for i in parsed.indicators:
        judged = judge_indicator(i.expected_raw, i.actual_raw, i.reported_deviation_raw, year, is_plan)
        indicators.append(dict(objective=i.objective, name=i.name, description=i.description, unit=i.unit,
                               baseline_raw=i.baseline_raw, expected_raw=i.expected_raw, actual_raw=i.actual_raw,
                               reported_deviation_raw=i.reported_deviation_raw,
                               expected_value=judged.expected_value, actual_value=judged.actual_value,
                               status=judged.status, attainment=judged.attainment,
                               status_reason=judged.reason, source_line=i.source_line,
                               computed_deviation=judged.computed_deviation,
                               measurement_source=i.measurement_source))
        if judged.status == "unknown":
            issues.append(dict(source_line=i.source_line, category="unjudged", reason=judged.reason,
                               raw_text=f"{i.name or ''} | atteso: {i.expected_raw or ''} | "
                                        f"consuntivo: {i.actual_raw or ''}"))
    budget = []
    for b in parsed.budget_lines:
        try:
            amount = parse_amount(b.amount_raw)
        except ValueError:
            amount = None
            issues.append(dict(source_line=b.source_line, raw_text=b.amount_raw, category="unreadable",
                               reason=f"Importo non leggibile per '{b.line}' ({b.year})."))
        budget.append(dict(table_name=b.table_name, group_name=b.group_name, line=b.line, year=b.year,
                           amount_eur=amount, amount_raw=b.amount_raw, source_line=b.source_line))
    totals = []
    for t in parsed.reported_totals:
        value = parse_number(t.as_printed)
        if value is None:
            issues.append(dict(source_line=t.source_line, raw_text=t.as_printed, category="unreadable",
                               reason=f"Totale stampato non leggibile ('{t.label}', {t.year})."))
        totals.append(dict(table_name=t.table_name, label=t.label, year=t.year, value=value,
                           as_printed=t.as_printed, source_line=t.source_line,
                           unit="%" if "%" in t.as_printed else "EUR"))
    scores = []
    for s in parsed.scores:
        score, _, top = s.as_printed.partition("/")
        scores.append(dict(area=s.area, score=int(score), max_score=int(top), as_printed=s.as_printed,
                           source_line=s.source_line))
    return dict(objectives=objectives, milestones=milestones, indicators=indicators, budget_lines=budget,
                reported_totals=totals, scores=scores, quality_issues=issues)


def content_fingerprint(parsed: ParsedDocument, rows: dict[str, list[dict]]) -> str:
    """The same report in another format (a PDF of a .txt already loaded) has the same fingerprint: issuer,
    period, kind and the raw cells of indicators, steps, budget lines and scores, whitespace ignored."""
    def norm(value):
        return " ".join(str(value).split()).lower() if value is not None else ""
    parts = [norm(parsed.issuer), norm(parsed.report_year), norm(parsed.period_start), norm(parsed.period_end),
             parsed.kind]
    for table, fields in (("indicators", ("name", "expected_raw", "actual_raw")),
                          ("milestones", ("planned_raw", "actual_raw")),
                          ("budget_lines", ("line", "year", "amount_raw")), ("scores", ("area", "as_printed"))):
        parts += sorted("|".join(norm(r[f]) for f in fields) for r in rows.get(table, []))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# ---------------------------------------------------------------------------- the loading service
# One path for the command line and the upload page: read_input -> prepare (nothing written) -> save.

MAX_BYTES = int(float(os.environ.get("CRUSCOTTO_MAX_MB", "50")) * 1_000_000)


@dataclass
class Prepared:
    """A file read and judged, ready to be saved; `status`: new, replaces, unchanged, refused, same_content
    (the same report already loaded from another file: saving it would count it twice), or invalid (an Excel
    template with invalid cells: prepare it again with accept_valid to load its valid rows)."""
    name: str
    sha256: str
    status: str
    data: bytes = b""
    message: str = ""
    family: str | None = None
    input_format: str = "text"
    parsed: ParsedDocument | None = None
    rows: dict = field(default_factory=dict)
    text: str | None = None            # the text the parser read, when it is not the file itself (PDF, Excel)
    line_pages: list[int] | None = None
    encoding: str | None = None
    existing: int | None = None
    replaces: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)      # invalid cells of an Excel template
    fingerprint: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = {table: len(records) for table, records in self.rows.items()}
        counts["quality_issues"] = sum(1 for r in self.rows.get("quality_issues", []) if r["category"] != "note")
        return counts


@dataclass(frozen=True)
class ReadInput:
    """What a file turned into: its family and records, and the text they point into when the file is
    not itself that text (PDF, Excel)."""
    family: str
    parsed: ParsedDocument
    input_format: str                  # text, pdf, xlsx
    text: str | None = None
    line_pages: list[int] | None = None
    encoding: str | None = None        # for text files: utf-8, utf-8-sig, cp1252


def read_input(name: str, data: bytes, accept_valid: bool = False) -> ReadInput:
    """Read a .txt/.md, .pdf or .xlsx file. accept_valid: load the valid rows of an Excel template that
    has invalid cells (otherwise it raises InvalidCells)."""
    from . import pdf, workbook

    suffix = Path(name).suffix.lower()
    if len(data) > MAX_BYTES:
        raise Refused(f"il file pesa {format_number(len(data) / 1e6, 1)} MB, oltre il limite di "
                      f"{format_number(MAX_BYTES / 1e6, 0)} MB")
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        if not data.startswith(b"%PDF"):
            raise Refused("ha estensione .pdf ma non è un PDF")
        try:
            extracted = pdf.pdf_to_text(data)
        except pdf.PdfRefused as exc:
            raise Refused(str(exc)) from exc
        family, parsed = parse_text(extracted.text)
        return ReadInput(family, parsed, "pdf", extracted.text, extracted.line_pages)
    if suffix in (".xlsx", ".xlsm") or data.startswith(b"PK\x03\x04"):
        try:
            family, parsed, text = workbook.read_workbook(data, accept_valid)
        except workbook.WorkbookErrors as exc:
            raise InvalidCells(str(exc), exc.errors) from exc
        except workbook.WorkbookRefused as exc:
            raise Refused(str(exc)) from exc
        return ReadInput(family, parsed, "xlsx", text)
    try:
        text, encoding = detect_and_decode(data)
    except NotText as exc:
        raise Refused(str(exc)) from exc
    family, parsed = parse_text(text)
    return ReadInput(family, parsed, "text", encoding=encoding)


def prepare(name: str, data: bytes, index: db.DocumentIndex, accept_valid: bool = False) -> Prepared:
    """Read and judge a file without writing anything; compare it with what the database holds."""
    sha = hashlib.sha256(data).hexdigest()
    same, older = index.find(name, sha)
    if same is not None:
        return Prepared(name, sha, "unchanged", message="già caricato, identico: nulla da fare", existing=same)
    try:
        read = read_input(name, data, accept_valid)
    except InvalidCells as exc:
        return Prepared(name, sha, "invalid", data, message=str(exc), errors=exc.errors)
    except Refused as exc:
        return Prepared(name, sha, "refused", message=str(exc))
    except Exception as exc:                              # a file must never take the others down
        return Prepared(name, sha, "refused", message=f"errore imprevisto durante la lettura ({type(exc).__name__})")
    rows = document_rows(read.parsed)
    fingerprint = content_fingerprint(read.parsed, rows)
    twin = index.by_content.get(fingerprint)
    status = "replaces" if older else ("same_content" if twin is not None else "new")
    return Prepared(name, sha, status, data, family=read.family, input_format=read.input_format,
                    parsed=read.parsed, rows=rows, text=read.text, line_pages=read.line_pages,
                    encoding=read.encoding, replaces=older, fingerprint=fingerprint,
                    existing=twin, message=(f"stesso contenuto di «{index.names.get(twin, twin)}», già caricato in "
                                            "un altro formato" if twin is not None else ""))


def save(writer: db.DocumentWriter, prepared: Prepared, issuer: str | None = None,
         report_year: int | None = None, editor: str | None = None) -> int:
    """Write a prepared file in one transaction (replacing its older versions). A person may give the
    issuer and year the document does not print; what the document prints is kept otherwise."""
    same, _ = writer.find(prepared.name, prepared.sha256)
    if same is not None:                                  # saved meanwhile (another session, a second click)
        return same
    parsed = prepared.parsed
    text = prepared.text if prepared.text is not None else decode(prepared.data)
    document = dict(source_name=prepared.name, sha256=prepared.sha256, original=prepared.data,
                    issuer=issuer or parsed.issuer, report_year=report_year or parsed.report_year,
                    period_start=parsed.period_start, period_end=parsed.period_end, kind=parsed.kind,
                    family=prepared.family, loaded_at=datetime.now(), title=clean_cell(parsed.title),
                    line_count=len(text.splitlines()), input_format=prepared.input_format, encoding=prepared.encoding,
                    text=prepared.text, line_pages=prepared.line_pages, content_sha=prepared.fingerprint,
                    issuer_given=bool(issuer and issuer != parsed.issuer))
    return writer.write(document, prepared.rows, replaces=prepared.replaces, editor=editor or command_line_user())


def command_line_user() -> str:
    """Who loads from the command line, for the audit trail."""
    try:
        return f"riga di comando ({getpass.getuser()})"
    except Exception:
        return "riga di comando"


@dataclass
class LoadResult:
    path: Path
    status: str                              # loaded, replaced, unchanged, refused
    family: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    message: str = ""
    document_id: int | None = None


def load_file(writer: db.DocumentWriter, path: Path) -> LoadResult:
    """Load one file in its own transaction; a refusal or failure leaves the database as it was."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return LoadResult(path, "refused", message=f"impossibile leggere il file ({exc.strerror or exc})")
    prepared = prepare(path.name, data, writer)
    if prepared.status in ("unchanged", "refused", "invalid", "same_content"):
        status = {"invalid": "refused", "same_content": "unchanged"}.get(prepared.status, prepared.status)
        return LoadResult(path, status, message=prepared.message, document_id=prepared.existing)
    document_id = save(writer, prepared)
    return LoadResult(path, "replaced" if prepared.replaces else "loaded", prepared.family, prepared.counts,
                      document_id=document_id)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders contribute their text files, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


HOLD_SECONDS = 2.0        # a dashboard waits at most this long for its turn (it retries for 5 s)
GAP_SECONDS = 0.05        # the pause that gives it the turn


def load_paths(db_file, paths: list[Path], report=None) -> list[LoadResult]:
    """Load files and folders into db_file; report(index, total, result) after each file.

    The database lock is let go every HOLD_SECONDS between two documents, for GAP_SECONDS, so a dashboard
    reading the same file in another process gets its turn during a long load (DuckDB allows one process at
    a time). Letting go costs a checkpoint, hence not after every document."""
    files = expand_paths(paths)
    results = []
    con, writer, opened = None, None, 0.0
    try:
        for index, path in enumerate(files, start=1):
            if con is None or time.monotonic() - opened > HOLD_SECONDS:
                if con is not None:
                    con.close()
                    time.sleep(GAP_SECONDS)
                con = db.connect(db_file)
                writer, opened = db.DocumentWriter(con), time.monotonic()
            try:
                result = load_file(writer, path)
            except Exception as exc:                       # never let one file stop the others
                result = LoadResult(path, "refused", message=f"errore imprevisto durante la lettura ({exc})")
            results.append(result)
            if report:
                report(index, len(files), result)
    finally:
        if con is not None:
            con.close()
    return results


def ensure_database(db_file=None, data_dir: Path | None = None) -> bool:
    """Build the database from the documents in data/ when the file does not exist yet. True if built."""
    db_file = Path(db_file or db.db_path())
    with db.exclusive():                                  # two first visits at once build it once
        if db_file.exists():
            return False
        data_dir = data_dir or Path(__file__).resolve().parent.parent / "data"
        db_file.parent.mkdir(parents=True, exist_ok=True)
        db.connect(db_file).close()                       # the schema, even when data/ holds nothing
        load_paths(db_file, [data_dir])
        return True

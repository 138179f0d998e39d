"""Excel input: the Cruscotto template (cruscotto/template.py), or any workbook holding a recognisable table.

The workbook is first written out as text, one line per row ('## Foglio' then tab-separated cells): that
text is what source_line points into and what the Documento page shows. The template is then read sheet
by sheet, every cell validated; any other workbook goes through the text family parsers unchanged.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from cruscotto.italian import clean_cell, parse_amount, parse_yes_no
from cruscotto.records import (BudgetLine, Indicator, Milestone, Objective, ParsedDocument, ReportedTotal, Score,
                               Unreadable)
from cruscotto.template import DOCUMENT_FIELDS, DOCUMENT_SHEET, KINDS, SHEETS

from ..errors import InvalidCells, Refused
from ..lines import plain_words
from . import ExtractedText

FORMAT = "xlsx"
MAX_ROWS = 100_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
TEMPLATE_FAMILY = "modello_excel"

_plain = plain_words


def accepts(name: str, data: bytes) -> bool:
    """An .xlsx/.xlsm by name, or a zip holding a workbook."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def extract(data: bytes, accept_valid: bool = False) -> ExtractedText:
    """The workbook as text; the template read cell by cell (its family and records set), any other
    workbook left to the family parsers."""
    family, parsed, text = read_workbook(data, accept_valid)
    return ExtractedText(text, FORMAT, family=family, parsed=parsed)


def _text(value) -> str | None:
    """A cell as the document would print it: 4 -> '4', 1.09 -> '1,09', a date -> '31/12/2021'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Sì" if value else "No"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else repr(float(value)).replace(".", ",")
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return clean_cell(str(value))


def _open(data: bytes):
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
            raise Refused("workbook_too_big", limit_mb=MAX_UNCOMPRESSED // 2**20)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Refused:
        raise
    except Exception as exc:
        raise Refused("workbook_damaged") from exc


def workbook_to_lines(book) -> tuple[list[str], dict[tuple[str, int], int]]:
    """Every sheet as text lines; and (sheet, row) -> 1-based line number."""
    lines: list[str] = []
    where: dict[tuple[str, int], int] = {}
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title}")
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise Refused("workbook_rows", sheet=sheet.title, limit=MAX_ROWS)
            cells = [_text(v) or "" for v in row]
            while cells and not cells[-1]:
                cells.pop()
            lines.append("\t".join(cells))
            where[(sheet.title, number)] = len(lines)
    return lines, where


def is_template(book) -> bool:
    names = set(book.sheetnames)
    return DOCUMENT_SHEET in names and ("Obiettivi" in names or "Bilancio" in names)


def read_workbook(data: bytes, accept_valid: bool = False) -> tuple[str | None, ParsedDocument | None, str]:
    """(family, parsed document, the workbook as text); family and document are None for a workbook that is
    not the template (the family parsers read its text). Raises Refused, or InvalidCells for a template with
    invalid cells (unless accept_valid: then the valid rows load and the others are reported)."""
    book = _open(data)
    try:
        lines, where = workbook_to_lines(book)
        text = "\n".join(lines)
        if is_template(book):
            return TEMPLATE_FAMILY, _TemplateReader(book, where).read(accept_valid), text
    finally:
        book.close()
    return None, None, text


class _TemplateReader:
    def __init__(self, book, where):
        self.book, self.where = book, where
        self.errors: list[str] = []

    def line(self, sheet: str, row: int) -> int:
        return self.where.get((sheet, row), 1)

    def error(self, sheet: str, row: int, column: str, reason: str) -> None:
        self.errors.append(f"foglio {sheet}, riga {row}, colonna {column}: {reason}")

    def rows(self, name: str):
        """(row number, {field: value}) for the non-empty rows of a sheet, columns found by their header."""
        if name not in self.book.sheetnames:
            return
        columns = SHEETS[name]
        sheet_rows = self.book[name].iter_rows(values_only=True)
        header = [_plain(str(h or "")) for h in next(sheet_rows, ())]
        positions = {}
        for title, key in columns:
            if _plain(title) in header:
                positions[key] = header.index(_plain(title))
            else:
                self.error(name, 1, title, "intestazione mancante")
        for number, row in enumerate(sheet_rows, start=2):
            if not any(v not in (None, "") for v in row):
                continue
            yield number, {key: (row[i] if i < len(row) else None) for key, i in positions.items()}

    def read(self, accept_valid: bool) -> ParsedDocument:
        meta = self.document()
        objectives, refs = [], {}
        for number, row in self.rows("Obiettivi"):
            ref = _text(row.get("ref"))
            if not ref:
                self.error("Obiettivi", number, "Rif.", "manca il riferimento dell'obiettivo")
                continue
            if ref in refs:
                self.error("Obiettivi", number, "Rif.", f"riferimento «{ref}» già usato")
                continue
            if not (_text(row.get("title")) or _text(row.get("description"))):
                self.error("Obiettivi", number, "Titolo", "servono almeno il titolo o la descrizione")
                continue
            refs[ref] = len(objectives)
            objectives.append((number, row))
        built = []
        for position, (number, row) in enumerate(objectives):
            repeats = _text(row.get("duplicate_of"))
            if repeats and repeats not in refs:
                self.error("Obiettivi", number, "Ripete l'obiettivo (Rif.)", f"nessun obiettivo con Rif. «{repeats}»")
            built.append(Objective(position, self.line("Obiettivi", number), _text(row.get("title")),
                                   _text(row.get("number")), _text(row.get("area")), _text(row.get("description")),
                                   _text(row.get("responsibility_centre")), _text(row.get("peg_project")),
                                   refs.get(repeats) if repeats else None))

        def objective_of(sheet, number, row):
            ref = _text(row.get("objective"))
            if ref not in refs:
                self.error(sheet, number, "Obiettivo (Rif.)", f"nessun obiettivo con Rif. «{ref or ''}»")
                return None
            return refs[ref]

        milestones = []
        for number, row in self.rows("Passi"):
            ref = objective_of("Passi", number, row)
            if ref is not None:
                milestones.append(Milestone(ref, self.line("Passi", number), _text(row.get("activity")),
                                            _text(row.get("planned_raw")), _text(row.get("actual_raw"))))
        indicators = []
        for number, row in self.rows("Indicatori"):
            ref = objective_of("Indicatori", number, row)
            if ref is None:
                continue
            if not (_text(row.get("name")) or _text(row.get("expected_raw"))):
                self.error("Indicatori", number, "Indicatore", "servono almeno il nome o il valore atteso")
                continue
            indicators.append(Indicator(ref, self.line("Indicatori", number), _text(row.get("name")),
                                        _text(row.get("expected_raw")), _text(row.get("actual_raw")),
                                        _text(row.get("description")), _text(row.get("unit")),
                                        _text(row.get("baseline_raw")), _text(row.get("reported_deviation_raw")),
                                        _text(row.get("measurement_source"))))
        budget = []
        for number, row in self.rows("Bilancio"):
            year = self.year("Bilancio", number, row.get("year"), required=True)
            raw = row.get("amount_raw")
            amount = _text(raw)
            try:
                parse_amount(amount)
            except ValueError:
                self.error("Bilancio", number, "Importo", f"«{amount}» non è un importo")
                continue
            if year is None or not _text(row.get("line")):
                if not _text(row.get("line")):
                    self.error("Bilancio", number, "Voce", "manca la voce")
                continue
            budget.append(BudgetLine(self.line("Bilancio", number), _text(row.get("table_name")) or "Bilancio",
                                     _text(row.get("group_name")), _text(row.get("line")), year, amount))
        totals = []
        for number, row in self.rows("Totali"):
            year = self.year("Totali", number, row.get("year"), required=False)
            printed = row.get("as_printed")
            printed = _text(printed)
            if not printed:
                self.error("Totali", number, "Come stampato", "manca il valore")
                continue
            totals.append(ReportedTotal(self.line("Totali", number), _text(row.get("table_name")) or "Bilancio",
                                        _text(row.get("label")) or "Totale", year, printed))
        scores = []
        for number, row in self.rows("Punteggi"):
            score = self.score(row)
            if isinstance(score, str):
                self.error("Punteggi", number, "Punteggio", score)
                continue
            scores.append(Score(self.line("Punteggi", number), _text(row.get("area")) or "", *score))
        if self.errors and not accept_valid:
            raise InvalidCells(self.errors)
        problems = [Unreadable(1, error, "Cella del modello non valida: riga non caricata.", "unreadable")
                    for error in self.errors]
        return ParsedDocument(meta["kind"], meta["issuer"], meta["report_year"], meta["period_start"],
                              meta["period_end"], meta["title"], tuple(built), tuple(milestones), tuple(indicators),
                              tuple(budget), tuple(totals), tuple(scores), tuple(problems),
                              deviation_legend=meta["deviation_legend"])

    @staticmethod
    def score(row) -> tuple[str, float, float | None] | str:
        """(as printed, score, maximum) from a Punteggi row, or the reason it is not valid. A row that only
        gives «470/500» in Punteggio (the older template) is read too."""
        printed = (_text(row.get("as_printed")) or "").strip()
        value, top = _text(row.get("score")), _text(row.get("max_score"))
        pair = re.fullmatch(r"(\d{1,4}(?:,\d{1,2})?)\s*/\s*(\d{1,4})", (value or printed or "").replace(" ", ""))
        if pair and not top:
            value, top = pair.group(1), pair.group(2)
        number = lambda text: float(text.replace(",", ".")) if text and re.fullmatch(r"\d{1,4}(?:,\d{1,2})?", text) else None
        score, maximum = number(value), number(top)
        if score is None or (top and maximum is None):
            return f"«{value or printed}» non è un punteggio come 470 su 500"
        if maximum is not None and score > maximum:
            return f"il punteggio {value} supera il massimo {top}"
        return printed or (f"{value}/{top}" if top else value), score, maximum

    def year(self, sheet, number, value, required: bool):
        text = _text(value)
        if not text:
            if required:
                self.error(sheet, number, "Anno", "manca l'anno")
            return None
        if not re.fullmatch(r"(19|20)\d{2}", text):
            self.error(sheet, number, "Anno", f"«{text}» non è un anno")
            return None
        return int(text)

    def document(self) -> dict:
        values = {}
        labels = {_plain(label): key for label, key in DOCUMENT_FIELDS}
        for number, row in enumerate(self.book[DOCUMENT_SHEET].iter_rows(values_only=True), start=1):
            if number == 1 or not row or row[0] is None:
                continue
            key = labels.get(_plain(str(row[0])))
            if key:
                values[key] = (row[1] if len(row) > 1 else None, number)
        meta = {key: None for _, key in DOCUMENT_FIELDS}
        kind_names = {_plain(label): code for code, label in KINDS.items()} | {code: code for code in KINDS}
        kind, row = values.get("kind", (None, 2))
        meta["kind"] = kind_names.get(_plain(str(kind or "")))
        if meta["kind"] is None:
            self.error(DOCUMENT_SHEET, row, "Valore", "Tipo deve essere " + ", ".join(KINDS.values()))
            meta["kind"] = "relazione_performance"
        meta["issuer"] = _text(values.get("issuer", (None, 0))[0])
        meta["title"] = _text(values.get("title", (None, 0))[0])
        for key in ("report_year", "period_start", "period_end"):
            value, row = values.get(key, (None, 0))
            meta[key] = self.year(DOCUMENT_SHEET, row, value, required=False) if value not in (None, "") else None
        meta["deviation_legend"] = parse_yes_no(_text(values.get("deviation_legend", (None, 0))[0])) is True
        return meta

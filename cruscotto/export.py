"""The table behind a chart as a formatted Excel workbook or an Italian CSV (';' and decimal comma)."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

EURO_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = "0%"
MONTH_FORMAT = "mmmm yyyy"
# What a spreadsheet may run as a formula when a cell starts with it (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")   # what no .xlsx cell can hold
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def export_value(value):
    """Every cell every export writes goes through here: no pandas NA/NaT or numpy scalars, no character an
    .xlsx cannot hold (a stray control byte in a document would make openpyxl refuse the whole file)."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        return _NOT_IN_XML.sub("", value)
    return value


def looks_like_formula(value) -> bool:
    """'=HYPERLINK(...)', '+39 011', '=> 10': a document's text that a spreadsheet would run."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def append_row(sheet, values) -> None:
    """A row of document values: cleaned, and text that looks like a formula stored as text. (The row's cells
    are made here, not looked up after the append: sheet.max_row walks every cell, and made a 5,000-row export
    take 40 s.)"""
    row = []
    for value in map(export_value, values):
        if looks_like_formula(value):
            cell = Cell(sheet, value=value)
            cell.data_type = "s"                 # '=> 10' is a target as printed, never a formula
            value = cell
        row.append(value)
    sheet.append(row)


def sheet_title(text: str) -> str:
    """An Excel sheet name from any text: no / \\ [ ] : * ?, at most 31 characters."""
    return " ".join(_NOT_IN_SHEET_TITLE.sub(" ", export_value(str(text)) or "").split())[:31] or "Foglio"


def excel_bytes(frame: pd.DataFrame, title: str, euro: tuple[str, ...] = (), percent: tuple[str, ...] = (),
                months: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with a title row, bold Italian headers, frozen header, widths that fit, Italian-ready
    number formats (the columns named in euro / percent / months)."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, list(frame.columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="305496")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        append_row(sheet, row)
    formats = {**{c: EURO_FORMAT for c in euro}, **{c: PERCENT_FORMAT for c in percent},
               **{c: MONTH_FORMAT for c in months}}
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = [str(v) for v in frame[column].head(200) if export_value(v) is not None]
        sheet.column_dimensions[letter].width = min(60, max(10, len(str(column)) + 2, *(len(v) + 2 for v in values)))
        if column in formats:
            for (cell,) in sheet.iter_rows(min_row=3, max_row=len(frame) + 2, min_col=index, max_col=index):
                cell.number_format = formats[column]
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Italian spreadsheets expect it: ';' separator, decimal comma, UTF-8 with BOM; a cell holding a
    line break of any kind is quoted (the line ends are CRLF, so a bare CR is quoted too)."""
    def convert(value):
        value = export_value(value)
        if looks_like_formula(value):
            return "'" + value                  # a spreadsheet must not run a document's text as a formula
        if isinstance(value, (date, datetime, pd.Timestamp)):
            return value.strftime("%Y-%m-%d")
        return value
    frame = frame.copy()
    frame.columns = [convert(c) for c in frame.columns]
    return frame.map(convert).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n",
                                     quoting=csv.QUOTE_MINIMAL).encode("utf-8-sig")

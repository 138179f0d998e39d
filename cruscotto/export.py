"""The table behind a chart as a formatted Excel workbook or an Italian CSV (';' and decimal comma)."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

EURO_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = "0%"
MONTH_FORMAT = "mmmm yyyy"
DATE_FORMAT = "dd/mm/yyyy"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT = "#,##0"                 # a count: 1.234 in an Italian Excel
NUMBER_FORMAT = "#,##0.0#"               # 1,5 and 1,09 (never '4,' as '#,##0.##' shows a whole number)
PLAIN_INTEGER_FORMAT = "0"               # a year or a line number: 2019, not 2.019
YEAR_COLUMNS = ("Anno",)                 # columns of years: '2019' is written as a number, '2015-2017' as printed
PLAIN_COLUMNS = (*YEAR_COLUMNS, "riga", "Riga", "N.")
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


class Share(float):
    """A number read from a cell that prints a percentage, as the share it means: '<=5%' -> Share(0.05). An Excel
    export writes it as a percent cell in a column that may hold plain numbers too ('12 utenti' -> 12)."""


def parsed_beside(table: pd.DataFrame, numbers: dict[str, pd.Series]) -> pd.DataFrame:
    """`table` with, right after each raw column named in `numbers`, the number read from it (`numbers[column]`,
    one value per row) as '<column> (numero)': the raw text stays. A value whose text prints '%' is a Share:
    'Atteso' '<=5%' with 5.0 -> 'Atteso (numero)' Share(0.05); '12 utenti' with 12.0 -> 12.0; '/' -> None."""
    if not numbers:
        return table
    out = table.copy()
    for column, values in numbers.items():
        parsed = [None if value is None or pd.isna(value)
                  else Share(float(value) / 100) if isinstance(text, str) and "%" in text else float(value)
                  for text, value in zip(out[column].tolist(), list(values))]
        out.insert(out.columns.get_loc(column) + 1, f"{column} (numero)",
                   pd.Series(parsed, index=out.index, dtype=object))      # object: a Share stays a Share
    return out


def number_format(value, column_format: str | None = None) -> str | None:
    """The number format of one cell: the column's (euro, percent, month) or one its value asks for: 12 ->
    '#,##0', 1.5 -> '#,##0.0#', Share(0.05) -> '0%', Share(0.0109) -> '0.0#%', a date -> 'dd/mm/yyyy'."""
    if isinstance(value, Share):
        return PERCENT_FORMAT if round(value * 100, 6).is_integer() else "0.0#%"
    if value is None or isinstance(value, (bool, str)):
        return None
    if column_format is not None:
        return column_format
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, (float, Decimal)):
        return INTEGER_FORMAT if value == int(value) else NUMBER_FORMAT
    if isinstance(value, datetime):
        return DATE_FORMAT if (value.hour, value.minute, value.second) == (0, 0, 0) else MOMENT_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


def append_row(sheet, values, formats=None) -> None:
    """A row of document values: cleaned, and text that looks like a formula stored as text. With `formats` (one
    column format or None per value), every number and date cell gets its number format (number_format). (The
    row's cells are made here, not looked up after the append: sheet.max_row walks every cell, and made a
    5,000-row export take 40 s.)"""
    row = []
    for index, value in enumerate(map(export_value, values)):
        if looks_like_formula(value):
            cell = Cell(sheet, value=value)
            cell.data_type = "s"                 # '=> 10' is a target as printed, never a formula
            value = cell
        elif formats is not None:
            chosen = number_format(value, formats[index] if index < len(formats) else None)
            if chosen is not None:
                cell = Cell(sheet, value=float(value) if isinstance(value, Share) else value)
                cell.number_format = chosen
                value = cell
        row.append(value)
    sheet.append(row)


def _year(value):
    """'2019' -> 2019 (a year column's text, as the queries give it); '2015-2017' and anything else as it is."""
    if isinstance(value, str) and len(value) == 4 and value.isdigit():
        return int(value)
    return value


def sheet_title(text: str) -> str:
    """An Excel sheet name from any text: no / \\ [ ] : * ?, at most 31 characters."""
    return " ".join(_NOT_IN_SHEET_TITLE.sub(" ", export_value(str(text)) or "").split())[:31] or "Foglio"


def excel_bytes(frame: pd.DataFrame, title: str, euro: tuple[str, ...] = (), percent=(),
                months: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with a title row, bold Italian headers, frozen header with an autofilter, widths that fit, and
    real number, percent and date cells with an Italian-ready format: the columns named in euro ('1.234,56 €'),
    percent (0.67 -> '67%') and months ('giugno 2021'); other whole numbers as counts ('1.234'), years and line
    numbers plain ('2019', a year column's text '2019' as a number), other numbers with up to two decimals, a
    Share as a percentage (parsed_beside)."""
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
    named = {**{c: PLAIN_INTEGER_FORMAT for c in PLAIN_COLUMNS}, **{c: EURO_FORMAT for c in euro},
             **{c: PERCENT_FORMAT for c in percent}, **{c: MONTH_FORMAT for c in months}}
    formats = [named.get(column) for column in frame.columns]
    years = [index for index, column in enumerate(frame.columns) if column in YEAR_COLUMNS]
    for row in frame.itertuples(index=False):
        if years:
            row = [(_year(value) if index in years else value) for index, value in enumerate(row)]
        append_row(sheet, row, formats)
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = [str(v) for v in frame[column].head(200) if export_value(v) is not None]
        sheet.column_dimensions[letter].width = min(60, max(10, len(str(column)) + 2, *(len(v) + 2 for v in values)))
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(max(len(frame.columns), 1))}{len(frame) + 2}"
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
        if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
            return value.strftime("%Y-%m-%d %H:%M:%S")         # a moment keeps its time
        if isinstance(value, (date, datetime, pd.Timestamp)):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, float):            # a float in a column of text or Shares: pandas would print '0.05'
            return repr(float(value)).replace(".", ",")
        return value
    frame = frame.copy()
    frame.columns = [convert(c) for c in frame.columns]
    return frame.map(convert).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n",
                                     quoting=csv.QUOTE_MINIMAL).encode("utf-8-sig")

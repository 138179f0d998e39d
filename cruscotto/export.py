"""The table behind a chart as a formatted Excel workbook or an Italian CSV (';' and decimal comma)."""
from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

EURO_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = "0%"
MONTH_FORMAT = "mmmm yyyy"
FORMULA_STARTS = ("=", "+", "-", "@")


def _plain(value):
    """Cells openpyxl can write: no pandas NA/NaT, no numpy scalars."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def excel_bytes(frame: pd.DataFrame, title: str, euro: tuple[str, ...] = (), percent: tuple[str, ...] = (),
                months: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with a title row, bold Italian headers, frozen header, widths that fit, Italian-ready
    number formats (the columns named in euro / percent / months)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(frame.columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="305496")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        sheet.append([_plain(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"             # '=>N° 6' is a document's text, never a formula
    formats = {**{c: EURO_FORMAT for c in euro}, **{c: PERCENT_FORMAT for c in percent},
               **{c: MONTH_FORMAT for c in months}}
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = [str(v) for v in frame[column].head(200) if _plain(v) is not None]
        sheet.column_dimensions[letter].width = min(60, max(10, len(str(column)) + 2, *(len(v) + 2 for v in values)))
        if column in formats:
            for cell in sheet[letter][2:]:
                cell.number_format = formats[column]
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Italian spreadsheets expect it: ';' separator, decimal comma, UTF-8 with BOM."""
    def convert(value):
        if value is None or value is pd.NaT:
            return None
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value                  # a spreadsheet must not run a document's text as a formula
        if isinstance(value, (date, datetime, pd.Timestamp)):
            return value.strftime("%Y-%m-%d")
        return value
    return frame.map(convert).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")

"""Issue 13, readability defects: every Excel export writes numbers, percentages and months as real cells with an
Italian format, a frozen header and an autofilter."""
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from cruscotto.export import (EURO_FORMAT, INTEGER_FORMAT, MONTH_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT, Share,
                              csv_bytes, excel_bytes, parsed_beside)

def rows_of(data: bytes, header_row: int = 2) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[str], list[dict]]:
    """The first sheet of an .xlsx, its headers and its rows as {header: cell}."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[header_row]]
    rows = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=header_row + 1)]
    return sheet, header, rows


def one(rows: list[dict], **where) -> dict:
    found = [r for r in rows if all(r[k].value == v for k, v in where.items())]
    assert len(found) == 1, (where, len(found))
    return found[0]


# ---------------------------------------------------------------------------- the writer

def test_every_value_gets_a_cell_of_its_kind():
    frame = pd.DataFrame({"Anno": ["2019", "2015-2017"], "Voce": ["a", "b"], "Righe": [1234, 0],
                          "Punti": [8.5, 470.0], "Importo": [1234.56, None], "Quota": [0.293, None],
                          "Mese": [date(2021, 6, 1), None], "riga": [1234, 5]})
    sheet, header, rows = rows_of(excel_bytes(frame, "Prova", euro=("Importo",), percent=("Quota",),
                                              months=("Mese",)))
    first, second = rows
    assert (first["Anno"].value, first["Anno"].data_type, first["Anno"].number_format) == (2019, "n", "0")
    assert (second["Anno"].value, second["Anno"].data_type) == ("2015-2017", "s")        # a plan's years: as printed
    assert (first["Righe"].value, first["Righe"].number_format) == (1234, INTEGER_FORMAT)  # 1.234 in Italian Excel
    assert (first["Punti"].number_format, second["Punti"].number_format) == (NUMBER_FORMAT, INTEGER_FORMAT)
    assert (first["Importo"].value, first["Importo"].number_format) == (1234.56, EURO_FORMAT)
    assert (first["Quota"].value, first["Quota"].number_format) == (0.293, PERCENT_FORMAT)
    assert first["Mese"].is_date and first["Mese"].number_format == MONTH_FORMAT
    assert (first["riga"].value, first["riga"].number_format) == (1234, "0")               # a line, not 1.234
    assert second["Importo"].value is None and second["Quota"].value is None
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:H4"


def test_a_number_read_from_a_percentage_is_a_share_beside_the_text():
    table = pd.DataFrame({"Atteso": ["<=5%", "12 utenti", "Si", "1,09%"]})
    shown = parsed_beside(table, {"Atteso": pd.Series([5.0, 12.0, None, 1.09])})
    assert list(shown.columns) == ["Atteso", "Atteso (numero)"]
    assert list(shown["Atteso"]) == ["<=5%", "12 utenti", "Si", "1,09%"]                  # the text is kept
    values = list(shown["Atteso (numero)"])
    assert isinstance(values[0], Share) and values[0] == pytest.approx(0.05)
    assert values[1] == 12.0 and not isinstance(values[1], Share) and values[2] is None
    _, _, rows = rows_of(excel_bytes(shown, "Prova"))
    assert [(r["Atteso (numero)"].value, r["Atteso (numero)"].number_format) for r in rows] == [
        (pytest.approx(0.05), "0%"), (12, INTEGER_FORMAT), (None, "General"), (pytest.approx(0.0109), "0.0#%")]
    assert csv_bytes(shown).decode("utf-8-sig").splitlines()[1:3] == ["<=5%;0,05", "12 utenti;12,0"]

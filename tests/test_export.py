"""Excel and CSV exports: Italian headers, numbers kept as numbers, document text never run as a formula."""
import io
from datetime import date

import openpyxl
import pandas as pd

from cruscotto.export import csv_bytes, excel_bytes


def sample_frame():
    return pd.DataFrame({"Indicatore": ["N° commissioni", "Reclami"], "Atteso": ["=>N° 6", "< 5"],
                         "Importo": [1234.56, None], "Quota": [0.293, 0.5],
                         "Mese": [date(2021, 6, 1), pd.NaT]})


def test_excel_keeps_text_numbers_and_formats():
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(sample_frame(), "Prova", euro=("Importo",),
                                                         percent=("Quota",), months=("Mese",))))
    sheet = book.active
    assert sheet["A1"].value == "Prova"
    assert [c.value for c in sheet[2]] == ["Indicatore", "Atteso", "Importo", "Quota", "Mese"]
    assert sheet["B3"].value == "=>N° 6" and sheet["B3"].data_type == "s"
    assert sheet["C3"].value == 1234.56 and "€" in sheet["C3"].number_format
    assert sheet["C4"].value is None
    assert sheet["D3"].number_format == "0%"
    assert sheet["E3"].value.year == 2021 and sheet["E3"].number_format == "mmmm yyyy"


def test_csv_is_italian_and_safe():
    text = csv_bytes(sample_frame()).decode("utf-8-sig")
    header, first, second = text.splitlines()
    assert header == "Indicatore;Atteso;Importo;Quota;Mese"
    assert first == "N° commissioni;'=>N° 6;1234,56;0,293;2021-06-01"
    assert second == "Reclami;< 5;;0,5;"


def test_document_text_in_charts_is_not_markup():
    from cruscotto.charts import _short

    # Quotes stay as they are: plotly.js decodes only a few entities (amp, lt, gt, nbsp...), not '&quot;'.
    assert _short('<a href="http://x">clic</a>', 60) == '&lt;a href="http://x"&gt;clic&lt;/a&gt;'


def test_document_text_in_markdown_is_escaped():
    from cruscotto.ui import plain

    assert plain("**grassetto** <b>x</b>") == "\\*\\*grassetto\\*\\* \\<b\\>x\\</b\\>"


def test_year_axes_are_years_not_numbers():
    from cruscotto.charts import budget_shares, shares_printed_and_computed

    shares = pd.DataFrame({"year": [2015, 2016], "printed": [29.0, 39.0], "computed": [0.293, 0.393]})
    lines = pd.DataFrame({"group_name": [None, None], "line": ["Voce", "Voce"], "year": [2015, 2016],
                          "share": [1.0, 1.0], "amount_eur": [1.0, 2.0], "source_line": [3, 3]})
    for figure in (shares_printed_and_computed(shares, "t"), budget_shares(lines, "t")):
        assert figure.layout.xaxis.type == "category"     # no '2.014,5' tick between two years

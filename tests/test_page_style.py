"""The copy of a table printed in place of the grid (the grid prints only its window)."""
import pandas as pd
import pyarrow as pa

from cruscotto.page_style import PRINT_ONLY, printed_table


def test_a_long_table_prints_its_first_rows_and_says_where_the_rest_is():
    table = pa.table({"Ente": [f"Consorzio {i}" for i in range(450)], "Indicatori": list(range(450))})
    html = printed_table(table)
    assert html.startswith(f'<div class="{PRINT_ONLY}">')
    assert html.count("<tr>") == 1 + 200 and "<td>Consorzio 199</td>" in html and "Consorzio 200<" not in html
    assert "Qui le prime 200 righe di 450: le altre sono nel file Excel della tabella." in html


def test_document_text_is_escaped_and_gaps_are_dashes():
    html = printed_table(pd.DataFrame({"Atteso": ["<=5%", None], "Valore": [1.5, float("nan")]}))
    assert "<td>&lt;=5%</td>" in html and html.count("<td>—</td>") == 2 and "Qui le prime" not in html

"""Issue 10, items 1-4: documents a real consortium (or an attacker) could bring must never take a page away
from the others, reach the screen as markup, or break an export. Each test failed before its fix."""
import io
import json
import re

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import DATA, ROOT, sample_text
from cruscotto import db
from cruscotto.charts import budget_shares
from cruscotto.export import csv_bytes, excel_bytes
from cruscotto.source_text import clean_lines
from cruscotto.template import write_workbook
from loaders.service import load_paths, prepare, save

LINK_NAME = "<a href=http://e.invalid>x</a><b style=font-size:60px>y</b>.txt"
PAGES = ["consorzio", "raggiungimento", "indicatori", "cronoprogramma", "risorse", "punteggi", "qualita", "documento",
         "carica", "amministrazione"]


def hostile_documents() -> dict[str, str]:
    crema = sample_text("crema")
    crema = crema.replace("Risorse triennio 2012-2014\t", "![p](http://e.invalid/p.png) Risorse 2012/2014 [*]?:\t")
    crema = crema.replace("Gruppi AMA\t€ 5.700,00", "Progetti\t€ 5.700,00")     # 'Progetti' in two groups
    crema = crema.replace("Ambito Distrettuale di Crema", "Ambito Distrettuale di Crema [x](http://e.invalid)")
    alba = sample_text("alba").replace("Incontri CdA\tN\t4\t14", "Incontri\x01 CdA\tN\t4\t14")
    return {
        "relazione [2019]/../../etc/passwd.txt": crema.replace("2015-2017", "2018-2020"),
        "=HYPERLINK(x).txt": '=HYPERLINK("http://e.invalid","clic")\n' + alba.replace("2019", "2020"),
        LINK_NAME: sample_text("iris").replace("Relazione sulla performance", "Relazione finale"),
    }


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    load_paths(path, [DATA])
    prepared = [prepare(name, text.encode("utf-8"), db.document_index(path))
                for name, text in hostile_documents().items()]
    with db.writing(path) as con:
        writer = db.DocumentWriter(con)
        for item in prepared:
            assert item.status in ("new", "same_content"), (item.name, item.status)
            save(writer, item, editor="test")
    return path


@pytest.fixture(scope="module")
def app(hostile_db):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRUSCOTTO_DB", str(hostile_db))
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        app.run()
        yield app


def markdown_shown(app) -> list[str]:
    return [m.value for m in [*app.markdown, *app.header, *app.subheader, *app.caption, *app.title, *app.error,
                              *app.warning, *app.info]]


def chart_specs(app) -> str:
    return " ".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in app.get("plotly_chart"))


@pytest.mark.parametrize("page", ["dashboard"] + PAGES)
def test_no_page_breaks_and_no_document_text_is_markup(app, page):
    if page != "dashboard":
        app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    for text in markdown_shown(app):                      # markup is escaped: '\<a href', '\]\(http'
        assert not re.search(r"\]\(http|(?<!\\)<a href|(?<!\\)<b style", text), text
    specs = chart_specs(app)
    assert "<a href" not in specs and "<b style" not in specs


def test_the_budget_table_with_a_slash_a_link_and_a_voce_twice_is_drawn(app):
    app.switch_page("pages/risorse.py")
    app.run()
    chooser = app.selectbox(key="risorse_doc")                   # the page shows one Piano di Zona at a time
    chooser.select_index(next(i for i, label in enumerate(chooser.options) if "2018-2020" in label)).run()
    assert not app.exception and not app.error
    subheaders = [s.value for s in app.subheader]
    assert r"\!\[p\]\(http\://e\.invalid/p\.png\) Risorse 2012/2014 \[\*\]?\:" in subheaders
    specs = chart_specs(app)
    assert "Progetti (PRESA IN CARICO INTEGRATA)" in specs and "Progetti (LAVORO DI COMUNITA' E PROGETTI)" in specs


def test_a_file_name_with_tags_is_shown_as_text_in_the_charts(app):
    app.switch_page("pages/qualita.py")
    app.run()
    specs = chart_specs(app)                                    # the label keeps its start and end, as text
    assert "Ente non indicato · " in specs and "&lt;a" in specs and "&lt;/b&gt;.txt" in specs


def test_a_control_character_never_breaks_an_excel_export():
    frame = pd.DataFrame({"Indicatore": ["Incontri\x01 CdA", "a\x0bb"], "Valore": [1.5, 2]})
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes(frame, "Risorse 2012/2014 [x]: *?"))).active
    assert sheet.title == "Risorse 2012 2014 x"
    assert [c.value for c in sheet["A"]][2:] == ["Incontri CdA", "ab"]


@pytest.mark.parametrize("value", ['=HYPERLINK("http://e.invalid")', "+39 011", "-1", "@SUM(A1)", "\t=1+1",
                                   "\r=1+1"])
def test_no_export_writes_a_formula(value):
    frame = pd.DataFrame({"Testo": [value]})
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes(frame, "t"))).active
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == value
    assert csv_bytes(frame).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")
    template = openpyxl.load_workbook(io.BytesIO(write_workbook({"issuer": value, "title": value}, {})))
    cells = [c for row in template["Documento"].iter_rows() for c in row if c.value == value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_bare_carriage_return_is_quoted_in_csv():
    text = csv_bytes(pd.DataFrame({"a": ["x\ry"], "b": [1]})).decode("utf-8-sig")
    assert text == 'a;b\r\n"x\ry";1\r\n'


def test_the_same_voce_twice_in_one_group_and_year_is_two_blocks():
    lines = pd.DataFrame({"group_name": ["G", "G"], "line": ["Progetti", "Progetti"], "year": [2014, 2014],
                          "share": [0.25, 0.75], "amount_eur": [1.0, 3.0], "source_line": [10, 11]})
    names = [trace.name for trace in budget_shares(lines, "t").data]
    assert names == ["Progetti", "Progetti (2)"]


def test_control_characters_are_taken_out_where_text_enters():
    # A PDF's text can hold control characters (a font mapping glyphs to them); Word and OpenDocument cannot
    # (XML 1.0 has no way to write them). The file name comes from the browser or the command line.
    assert clean_lines("Incontri\x01 CdA\tN\t4\t14\nriga\x0bdue\x00") == "Incontri CdA\tN\t4\t14\nriga due"
    prepared = prepare("relazione\x07\n2021.txt", sample_text("alba").encode(), db.DocumentIndex(None))
    assert prepared.status == "new" and prepared.name == "relazione 2021.txt"

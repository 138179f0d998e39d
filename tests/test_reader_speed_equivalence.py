"""The readers' shortcuts give what the slow way gave: the default paragraph style of a .docx found among the
styles that may be paragraph styles, a .docx read from plain XML as python-docx reads it (and a damaged one
refused as it refuses it), and the garbage collector paused while a PDF's pages are read."""
from __future__ import annotations

import gc
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from loaders.errors import Refused
from loaders.inputs import pdf, word

FILES = Path(__file__).parent / "files"
DOCX = sorted(FILES.rglob("*.docx"))
VALLE_STURA = FILES / "edge" / "valle_stura_2024.docx"


@pytest.mark.parametrize("path", DOCX, ids=lambda p: p.name)
def test_default_paragraph_style_is_python_docx_s(path):
    document = docx.Document(str(path))
    expected = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    found = word._default_paragraph_style(document.styles)
    assert found.element is expected.element
    assert found.name == expected.name


def test_default_paragraph_style_of_a_real_file_is_normal():
    assert word._default_paragraph_style(docx.Document(str(VALLE_STURA)).styles).name == "Normal"


def _with_styles(path: Path, edit) -> bytes:
    """The .docx at path with its word/styles.xml changed by edit(text) -> text."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def _make_default(text: str, style_id: str) -> str:
    """styles.xml with the style `style_id` marked default (as the last default of its type)."""
    return re.sub(rf'<w:style ([^>]*)w:styleId="{style_id}"', rf'<w:style w:default="1" \1w:styleId="{style_id}"',
                  text, count=1)


def test_last_paragraph_default_wins_and_other_types_are_skipped():
    # 'Heading1' marked default after 'Normal': python-docx takes the last one; a table style marked
    # default is not a paragraph style.
    styles_xml = zipfile.ZipFile(VALLE_STURA).read("word/styles.xml").decode("utf-8")
    heading = re.search(r'w:type="paragraph"[^>]*w:styleId="(Heading\d)"', styles_xml)
    assert heading, "the sample has a heading style"
    data = _with_styles(VALLE_STURA, lambda text: _make_default(text, heading.group(1)))
    document = docx.Document(io.BytesIO(data))
    expected = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    assert expected.style_id == heading.group(1)
    assert word._default_paragraph_style(document.styles).element is expected.element


def test_a_style_of_unknown_type_raises_as_python_docx_does():
    data = _with_styles(VALLE_STURA, lambda text: text.replace('w:type="character"', 'w:type="bogus"', 1))
    document = docx.Document(io.BytesIO(data))
    with pytest.raises(ValueError) as theirs:
        document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    with pytest.raises(ValueError) as ours:
        word._default_paragraph_style(document.styles)
    assert str(ours.value) == str(theirs.value)


def _a_pdf() -> Path:
    found = sorted(FILES.rglob("*.pdf"))
    return next(p for p in found if "hostile" not in p.parts)


def test_collector_paused_while_pages_are_read_and_restarted_after(monkeypatch):
    seen = []
    original = pdf._read_pages

    def watching(pages, settings):
        seen.append(gc.isenabled())
        return original(pages, settings)

    monkeypatch.setattr(pdf, "_read_pages", watching)
    assert gc.isenabled()
    extracted = pdf.extract(_a_pdf().read_bytes())
    assert seen == [False]
    assert gc.isenabled()
    assert extracted.text.strip()


def test_collector_left_off_when_it_was_off():
    gc.disable()
    try:
        pdf.extract(_a_pdf().read_bytes())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_restarted_when_reading_refuses(monkeypatch):
    def refusing(pages, settings):
        raise pdf.Refused("pdf_no_text")

    monkeypatch.setattr(pdf, "_read_pages", refusing)
    with pytest.raises(pdf.Refused):
        pdf.extract(_a_pdf().read_bytes())
    assert gc.isenabled()


@pytest.mark.parametrize("path", DOCX, ids=lambda p: p.name)
def test_plain_reading_of_a_docx_is_python_docx_s(path):
    # _read_plain raises on what it does not model (the file then goes to python-docx): a real file must not
    data = path.read_bytes()
    assert word._read_plain(data) == word._read_python_docx(data)


def _made_docx() -> bytes:
    """A .docx with what the Word reader reads: headings (English and Italian style names), list items, line
    breaks and tabs, hyperlinks, merged and nested cells, a content control, text boxes with their fallback
    copy, and three sections whose headers and footers differ or are linked to the previous one."""
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    namespaces = nsdecls("w") + (' xmlns:v="urn:schemas-microsoft-com:vml"'
                                 ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')

    def add(xml: str) -> None:
        document.element.body.insert(len(document.element.body) - 1, parse_xml(xml))   # before the last w:sectPr

    document = docx.Document()
    document.add_heading("Obiettivi di performance", 1)
    document.styles.add_style("Titolo 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Un titolo", style="Titolo 2")
    item = document.add_paragraph("Voce di elenco")
    item._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="1"/></w:numPr>'))
    run = document.add_paragraph("Prima riga").add_run()
    run.add_break(WD_BREAK.LINE)
    run.add_text("seconda\triga")
    run.add_break(WD_BREAK.PAGE)
    add(f'<w:p {namespaces}><w:r><w:t>a</w:t><w:cr/><w:t>b</w:t><w:noBreakHyphen/><w:ptab w:alignment="right"/>'
        '<w:br w:type="column"/><w:t>c</w:t></w:r><w:hyperlink><w:r><w:t> il sito</w:t></w:r></w:hyperlink>'
        '<w:sdt><w:sdtContent><w:r><w:t>left out</w:t></w:r></w:sdtContent></w:sdt></w:p>')
    add(f'<w:p {namespaces}><w:pPr><w:pStyle w:val="NoSuchStyle"/></w:pPr><w:r><w:t>stile ignoto</w:t></w:r></w:p>')
    table = document.add_table(rows=3, cols=3)
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            cell.text = f"r{i}c{j}"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    table.cell(1, 0).add_table(rows=1, cols=2).cell(0, 1).text = "annidata"
    add(f'<w:sdt {namespaces}><w:sdtContent><w:p><w:r><w:t>Nel controllo</w:t></w:r></w:p><w:tbl><w:tr><w:tc>'
        '<w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>cc</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
        '</w:sdtContent></w:sdt>')
    add(f'<w:p {namespaces}><w:r><w:t>Proprio</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>'
        '<w:p><w:r><w:t>Nella casella</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>Nella casella</w:t></w:r></w:p></w:txbxContent></v:textbox>'
        '</mc:Fallback></mc:AlternateContent></w:r></w:p>')
    document.sections[0].header.paragraphs[0].text = "Consorzio"
    document.sections[0].footer.paragraphs[0].text = "Pagina"
    document.add_section(WD_SECTION.NEW_PAGE).header.is_linked_to_previous = False
    document.sections[1].header.paragraphs[0].text = "Sezione due"
    document.add_paragraph("Sezione due")
    document.add_section(WD_SECTION.NEW_PAGE)          # linked to the previous one
    document.add_paragraph("Fine")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_plain_reading_of_a_made_docx_is_python_docx_s():
    data = _made_docx()
    furniture, lines = word._read_plain(data)
    assert (furniture, lines) == word._read_python_docx(data)
    assert furniture == ["Consorzio", "Pagina", "Sezione due"]
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert [word.paragraph_text(p._p) for p in paragraphs] == [p.text for p in paragraphs]   # run parts as python-docx
    assert {"# Obiettivi di performance", "## Un titolo", "- Voce di elenco", "seconda\triga", "a", "b-\tc il sito",
            "stile ignoto", "r0c0 r0c1\t\tr0c2", "Nel controllo", "cc\t", "Proprio", "Nella casella"} <= set(lines)


def _with_member(data: bytes, member: str, edit) -> bytes:
    """The .docx with one member changed by edit(bytes) -> bytes, or left out when edit gives None."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            content = edit(content) if info.filename == member else content
            if content is not None:
                target.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize("member, edit", [
    ("word/styles.xml", lambda xml: xml[: len(xml) // 2]),      # a part python-docx parses, damaged
    ("word/settings.xml", lambda xml: xml + b"<"),              # one the reader never reads, damaged
    ("word/header1.xml", lambda xml: None),                     # a part a relationship names, missing
], ids=["styles", "settings", "header"])
def test_a_damaged_part_is_refused_as_python_docx_refuses_it(member, edit):
    data = _with_member(_made_docx(), member, edit)
    with pytest.raises(Refused) as refused:
        word.extract(data)
    assert refused.value.code == "word_damaged"
    with pytest.raises(Exception):
        word._read_plain(data)

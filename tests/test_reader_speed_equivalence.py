"""The readers' shortcuts give what the slow way gave: the default paragraph style of a .docx found among the
styles that may be paragraph styles, and the garbage collector paused while a PDF's pages are read."""
from __future__ import annotations

import gc
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from loaders.inputs import pdf, word

FILES = Path(__file__).parent / "files"
DOCX = sorted(FILES.rglob("*.docx"))
VALLE_STURA = FILES / "edge" / "valle_stura_2024.docx"


@pytest.mark.parametrize("path", DOCX, ids=lambda p: p.name)
def test_default_paragraph_style_is_python_docx_s(path):
    document = docx.Document(str(path))
    expected = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    found = word._default_paragraph_style(document)
    assert found.element is expected.element
    assert found.name == expected.name


def test_default_paragraph_style_of_a_real_file_is_normal():
    assert word._default_paragraph_style(docx.Document(str(VALLE_STURA))).name == "Normal"


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
    assert word._default_paragraph_style(document).element is expected.element


def test_a_style_of_unknown_type_raises_as_python_docx_does():
    data = _with_styles(VALLE_STURA, lambda text: text.replace('w:type="character"', 'w:type="bogus"', 1))
    document = docx.Document(io.BytesIO(data))
    with pytest.raises(ValueError) as theirs:
        document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    with pytest.raises(ValueError) as ours:
        word._default_paragraph_style(document)
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

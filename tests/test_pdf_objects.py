"""loaders/inputs/pdf_objects.py gives what pdfplumber gives: the page's objects, its words, its ruled tables'
text, on office-made PDFs (ruled and borderless tables, a browser's print) and on a sample written by
tests/pdf_samples.py."""
from pathlib import Path

import pdfplumber
import pytest

from conftest import sample_text
from loaders.inputs import pdf_objects
from pdf_samples import font_path, text_to_pdf

FILES = Path(__file__).parent / "files"
OFFICE = ["office/alba.bordi.pdf", "office/cissac.senza_bordi.pdf", "office/cissac.browser.pdf",
          "edge/valle_stura_2024.bordi.pdf", "edge/intestazione_sola_2023.pdf"]


def _documents():
    for name in OFFICE:
        yield name, (FILES / name).read_bytes()
    if font_path() is not None:
        yield "sample iris", text_to_pdf(sample_text("iris"))


@pytest.fixture(scope="module", params=list(range(len(OFFICE) + 1)))
def pages(request):
    """(pdfplumber's page, the page read by pdf_objects) for the first pages of one document."""
    documents = list(_documents())
    if request.param >= len(documents):
        pytest.skip("no TrueType font to write test PDFs with")
    _, data = documents[request.param]
    import io
    theirs, ours = pdfplumber.open(io.BytesIO(data)), pdfplumber.open(io.BytesIO(data))
    pairs = list(zip(theirs.pages, ours.pages))[:4]
    for _, page in pairs:
        pdf_objects.prepare(page)
    yield pairs
    theirs.close()
    ours.close()


def _project(objects: dict) -> dict:
    """The objects as pdf_objects keeps them: every key of every object but a character's, CHAR_KEYS of it."""
    keys = getattr(pdf_objects, "CHAR_KEYS", None)
    return {kind: [{k: o[k] for k in keys} if kind == "char" and keys else o for o in found]
            for kind, found in objects.items()}


def test_objects_are_pdfplumbers(pages):
    for theirs, ours in pages:
        assert list(ours.objects) == list(theirs.objects)
        assert ours.objects == _project(theirs.objects)
        assert ours.chars, "a page with text"


def test_words_are_pdfplumbers(pages):
    for theirs, ours in pages:
        assert pdf_objects.extract_words(ours.chars) == theirs.extract_words()
        assert pdf_objects.extract_words(ours.chars, ("size", "fontname")) == \
            theirs.extract_words(extra_attrs=["size", "fontname"])


def test_table_text_is_pdfplumbers(pages):
    for theirs, ours in pages:
        tables = ours.find_tables()
        assert [t.bbox for t in tables] == [t.bbox for t in theirs.find_tables()]
        assert pdf_objects.table_texts(tables) == [t.extract() for t in theirs.find_tables()]


def test_rotated_text_goes_through_pdfplumber():
    """Characters not upright are pdfplumber's words, as its WordExtractor makes them."""
    char = {"upright": False, "x0": 10.0, "x1": 16.0, "top": 100.0, "bottom": 110.0, "doctop": 100.0,
            "text": "a", "size": 10.0, "fontname": "F"}
    chars = [dict(char, top=100.0 + 6 * i, bottom=110.0 + 6 * i, doctop=100.0 + 6 * i, text=t)
             for i, t in enumerate("abc")]
    assert pdf_objects.extract_words(chars) == pdfplumber.utils.extract_words(chars)

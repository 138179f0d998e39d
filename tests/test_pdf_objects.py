"""loaders/inputs/pdf_objects.py reads a page with PDFium and gives what pdfplumber (pdfminer) gives, on
office-made PDFs (ruled and borderless tables, a browser's print) and on a sample written by
tests/pdf_samples.py: the same words at the same places (across, within a tenth of a point, a few tenths where
PDFium widens a glyph's box; up and down, a line may sit up to two and a half points away where PDFium
reads the font's descent from the font rather than from the PDF), the same rules, the same ruled tables
and their text."""
import io
from pathlib import Path

import pdfplumber
import pytest

from conftest import sample_text
from loaders.inputs import pdf_objects
from pdf_samples import font_path, text_to_pdf

FILES = Path(__file__).parent / "files"
OFFICE = ["office/alba.bordi.pdf", "office/cissac.senza_bordi.pdf", "office/cissac.browser.pdf",
          "edge/valle_stura_2024.bordi.pdf", "edge/intestazione_sola_2023.pdf"]
ACROSS = ("x0", "x1")
DOWN = ("top", "bottom", "doctop")


def _documents():
    for name in OFFICE:
        yield name, (FILES / name).read_bytes()
    if font_path() is not None:
        yield "sample iris", text_to_pdf(sample_text("iris"))


@pytest.fixture(scope="module", params=list(range(len(OFFICE) + 1)))
def pages(request):
    """(pdfplumber's page, pdf_objects' page) for the first pages of one document."""
    documents = list(_documents())
    if request.param >= len(documents):
        pytest.skip("no TrueType font to write test PDFs with")
    _, data = documents[request.param]
    theirs = pdfplumber.open(io.BytesIO(data))
    document = pdf_objects.open_document(data)
    descents = pdf_objects.font_descents(page.page_obj for page in theirs.pages)
    pairs = list(zip(theirs.pages, pdf_objects.pages(document, descents)))[:4]
    yield pairs
    theirs.close()
    document.close()


def _close(ours: dict, theirs: dict, tolerance: float, down: float = 2.5) -> bool:
    return all(abs(ours[key] - theirs[key]) <= tolerance for key in ACROSS) and \
        all(abs(ours[key] - theirs[key]) <= down for key in DOWN)


def _untagged(fontname: str) -> str:
    """'BAAAAA+LiberationSans' -> 'LiberationSans': PDFium gives a subset font's name without its tag."""
    return fontname.split("+", 1)[-1]


def test_pages_have_pdfplumbers_size_and_place_in_the_document(pages):
    for theirs, ours in pages:
        assert (ours.page_number, ours.width, ours.height) == pytest.approx(
            (theirs.page_number, theirs.width, theirs.height))
        assert ours.initial_doctop == pytest.approx(theirs.initial_doctop)
        assert ours.chars, "a page with text"


def test_words_are_pdfplumbers(pages):
    for theirs, ours in pages:
        # the same words; the order of two lines a hair apart may differ (pdf.py sorts words by place)
        def by_place(word):
            return (word["text"], round(word["top"]), round(word["x0"]))
        mine = sorted(pdf_objects.extract_words(ours.chars, ("size", "fontname")), key=by_place)
        reference = sorted(theirs.extract_words(extra_attrs=["size", "fontname"]), key=by_place)
        assert [w["text"] for w in mine] == [w["text"] for w in reference]
        assert [w["fontname"] for w in mine] == [_untagged(w["fontname"]) for w in reference]
        assert [w["size"] for w in mine] == pytest.approx([w["size"] for w in reference], abs=0.01)
        far = [(m["text"], m["x0"], t["x0"], m["x1"], t["x1"]) for m, t in zip(mine, reference)
               if not _close(m, t, 0.1)]
        assert all(_close(m, t, 0.5) for m, t in zip(mine, reference))
        assert len(far) <= max(2, len(mine) // 20), far       # a glyph wider than its advance: 'f', 'T'


def test_characters_are_pdfminers(pages):
    """The characters PDFium drew are pdfminer's, in the same order; spaces may differ (PDFium writes the
    space of a justified line where the PDF draws a gap) and a ligature may be two characters in its box."""
    for theirs, ours in pages:
        mine = [c for c in ours.chars if not c["text"].isspace()]
        reference = [c for c in theirs.chars if not c["text"].isspace()]
        assert "".join(c["text"] for c in mine) == "".join(c["text"] for c in reference)
        assert {c["upright"] for c in mine} == {c["upright"] for c in reference}
        assert mine[0]["x0"] == pytest.approx(reference[0]["x0"], abs=0.05)
        assert mine[0]["top"] == pytest.approx(reference[0]["top"], abs=0.05)


def test_rules_and_rectangles_are_pdfplumbers(pages):
    for theirs, ours in pages:
        for kind in ("lines", "rects"):
            mine, reference = getattr(ours, kind), getattr(theirs, kind)
            assert len(mine) == len(reference), kind
            assert all(_close(m, t, 0.01) for m, t in zip(mine, reference)), kind
        assert len(ours.edges) == len(theirs.edges)


def test_ruled_tables_and_their_text_are_pdfplumbers(pages):
    for theirs, ours in pages:
        tables, reference = ours.find_tables(), theirs.find_tables()
        assert [x for t in tables for x in t.bbox] == pytest.approx([x for t in reference for x in t.bbox], abs=0.01)
        assert pdf_objects.table_texts(tables) == [t.extract() for t in reference]


def test_grid_cells_are_pdfplumbers_cells_of_the_same_intersections(pages):
    """_grid_cells finds pdfplumber's cells (intersections_to_cells) in the same order, from the same points."""
    from pdfplumber.table import intersections_to_cells

    found = 0
    for _, ours in pages:
        finder = pdf_objects._TableFinder(ours)
        assert pdf_objects._grid_cells(finder.intersections) == intersections_to_cells(finder.intersections)
        found += len(finder.cells)
    ruled = any(ours.find_tables() for _, ours in pages)
    assert found > 0 if ruled else found == 0


def test_a_ruled_table_of_the_office_fixture():
    """Real values, not only agreement: alba.bordi.pdf's first table, as Word drew it."""
    document = pdf_objects.open_document((FILES / "office" / "alba.bordi.pdf").read_bytes())
    page = next(pdf_objects.pages(document))
    texts = pdf_objects.table_texts(page.find_tables())
    assert any("Incontri CdA" in (cell or "") for table in texts for row in table for cell in row)
    assert page.height == pytest.approx(841.89, abs=0.01) and page.width == pytest.approx(595.3, abs=0.01)
    document.close()


def test_rotated_text_goes_through_pdfplumber():
    """Characters not upright are pdfplumber's words, as its WordExtractor makes them."""
    char = {"upright": False, "x0": 10.0, "x1": 16.0, "top": 100.0, "bottom": 110.0, "doctop": 100.0,
            "text": "a", "size": 10.0, "fontname": "F"}
    chars = [dict(char, top=100.0 + 6 * i, bottom=110.0 + 6 * i, doctop=100.0 + 6 * i, text=t)
             for i, t in enumerate("abc")]
    assert pdf_objects.extract_words(chars) == pdfplumber.utils.extract_words(chars)

"""PDF input: each sample written as a real PDF (tables as bordered tables) reads like its text version."""
import pytest

from conftest import SAMPLES, sample_text
from loaders import parse_text
from loaders.errors import Refused
from loaders.rows import document_rows
from loaders.service import read_input
from pdf_samples import font_path, text_to_pdf

pytestmark = pytest.mark.skipif(font_path() is None, reason="no TrueType font to write test PDFs with")

COMPARED = {
    "objectives": ("number", "title", "area"),
    "milestones": ("planned_raw", "actual_raw", "status", "slippage_months"),
    "indicators": ("name", "expected_raw", "actual_raw", "status"),
    "budget_lines": ("line", "year", "amount_eur"),
    "reported_totals": ("label", "year", "value"),
    "scores": ("area", "as_printed"),
}


@pytest.fixture(scope="module")
def pdfs():
    return {key: text_to_pdf(sample_text(key)) for key in SAMPLES}


@pytest.mark.parametrize("key", SAMPLES)
def test_pdf_reads_like_the_text_version(pdfs, key):
    read = read_input(f"{key}.pdf", pdfs[key])
    family, parsed, input_format = read.family, read.parsed, read.input_format
    text, pages = read.extracted.text, read.extracted.line_pages
    text_family, text_parsed = parse_text(sample_text(key))
    assert (family, input_format) == (text_family, "pdf")
    assert (parsed.issuer, parsed.report_year, parsed.period_start) == \
        (text_parsed.issuer, text_parsed.report_year, text_parsed.period_start)
    from_pdf, from_text = document_rows(parsed), document_rows(text_parsed)
    for table, fields in COMPARED.items():
        assert [tuple(r[f] for f in fields) for r in from_pdf[table]] == \
            [tuple(r[f] for f in fields) for r in from_text[table]], table
    assert len(pages) == len(text.splitlines()) and pages[-1] > 1
    # source_line points into the extracted text
    first = from_pdf["indicators"][0]
    assert first["name"] in text.splitlines()[first["source_line"] - 1]


def test_pdf_without_text_layer_is_refused():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")            # a "scan": drawing only, no text
    with pytest.raises(Refused, match="pdf_no_text"):
        read_input("scansione.pdf", bytes(pdf.output()))


def test_password_protected_pdf_is_refused():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="segreta")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Relazione sulla performance 2021")
    with pytest.raises(Refused, match="pdf_password"):
        read_input("protetto.pdf", bytes(pdf.output()))


def test_a_jpeg_named_pdf_is_refused():
    with pytest.raises(Refused, match="not_pdf"):
        read_input("foto.pdf", b"\xff\xd8\xff\xe0" + b"\x00" * 100)

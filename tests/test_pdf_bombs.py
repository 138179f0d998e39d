"""Issue 10, item 5: a small PDF that asks for a huge amount of work is refused before it is read, and
whatever the bounds cannot see is read in a child process whose memory and CPU time are capped, so the
dashboard or the loader that picked the file carries on. The files are in tests/files/hostile (made by
make_pdf_bombs.py); the full-size timings are in benchmarks/pdf_bombs.py."""
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from conftest import ROOT
from cruscotto.messages import refusal
from loaders.errors import Refused
from loaders.inputs import isolated, pdf, pdf_bounds
from loaders.service import read_input

HOSTILE = ROOT / "tests" / "files" / "hostile"
REAL_PDFS = sorted(p for folder in ("office", "unseen", "edge") for p in (ROOT / "tests" / "files" / folder).glob("*.pdf"))


def refused(name: str, **limits) -> Refused:
    with pytest.raises(Refused) as caught:
        isolated.extract(pdf, (HOSTILE / name).read_bytes(), isolated.ReadLimits(**limits)) if limits \
            else read_input(name, (HOSTILE / name).read_bytes())
    return caught.value


def test_a_form_drawn_thousands_of_times_is_refused_before_it_is_drawn():
    exc = refused("glyph_bomb.pdf")                  # 1 KB, 4 million glyphs: 5 GB and a crash before
    assert (exc.code, exc.details["page"], exc.details["glyphs"]) == ("pdf_heavy_page", 1, 4_000_000)
    assert "circa 4.000.000 caratteri, oltre il limite di 200.000 per pagina" in refusal(exc)


def test_a_20_mb_content_stream_is_refused():
    assert refused("stream_bomb.pdf").code == "pdf_heavy_page"          # 2.9 million 'a' shown
    with pdfplumber.open(HOSTILE / "stream_bomb.pdf") as document:    # and past a lower byte bound, by bytes
        with pytest.raises(Refused) as caught:
            pdf_bounds.check([page.page_obj for page in document.pages], pdf_bounds.PdfBounds(content_bytes=8 << 20))
    assert caught.value.code == "pdf_heavy_content"
    assert "oltre 8 MB di istruzioni" in refusal(caught.value)


@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.name)
def test_real_documents_pass_the_bounds_and_the_estimate_is_never_low(path):
    with pdfplumber.open(path) as document:
        pdf_bounds.check(page.page_obj for page in document.pages)
        for page in document.pages[:1]:
            estimate = pdf_bounds._Page(pdf_bounds.BOUNDS).cost(page.page_obj.contents, page.page_obj.resources)
            assert len(page.chars) <= estimate <= 4 * len(page.chars) + 50


def test_a_file_past_the_cpu_cap_ends_the_child_not_the_caller():
    # 150,000 separate glyphs on one page, within the bounds: seconds of work
    with pytest.raises(Refused) as caught:
        isolated.extract(pdf, dense_page(), isolated.ReadLimits(memory_mb=2048, seconds=1))
    assert caught.value.code == "read_time"
    assert refusal(caught.value).startswith("la lettura ha superato il limite di 1 secondi di calcolo")
    office = ROOT / "tests" / "files" / "office" / "cissac.bordi.pdf"    # the next file is read by a new child
    assert "Collaborazione" in isolated.extract(pdf, office.read_bytes(), isolated.ReadLimits(2048, 60)).text


def test_a_form_drawn_over_itself_is_refused_before_pdfium_sets_it_out():
    # heavy_page.pdf: one 'x' line of a form drawn over itself 150 times, 150,000 glyphs: under the page bound,
    # but PDFium compares each glyph of a form with those drawn before (minutes of work)
    exc = refused("heavy_page.pdf")
    assert (exc.code, exc.details["page"], exc.details["glyphs"]) == ("pdf_repeated_forms", 1, 150_000)
    assert "circa 150.000 caratteri dentro elementi ripetuti" in refusal(exc)
    assert "oltre il limite di 20.000" in refusal(exc)


def dense_page(lines: int = 1000, glyphs: int = 150) -> bytes:
    """One page of `lines` lines of `glyphs` separate 'x's each (150,000 glyphs, under the bounds): a file
    whose characters alone take more than 200 MB to hold."""
    sys.path.insert(0, str(HOSTILE))
    from make_pdf_bombs import FONT, pdf as write_pdf, stream

    content = b"BT /F1 1 Tf 10 790 Td " + (b"(x) Tj " * glyphs + b"-83 -0.7 Td ") * lines + b"ET"
    return write_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FONT,
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 5 0 R "
                      b"/Resources << /Font << /F1 3 0 R >> >> >>", stream(content)])


def test_a_file_past_the_memory_cap_ends_the_child_not_the_caller():
    data = dense_page()
    with pytest.raises(Refused) as caught:
        isolated.extract(pdf, data, isolated.ReadLimits(memory_mb=200, seconds=60))
    assert caught.value.code == "read_memory" and "200 MB di memoria" in refusal(caught.value)
    read = isolated.extract(pdf, data, isolated.ReadLimits(memory_mb=2048, seconds=60))   # it is a real page
    assert read.text.count("x") == 150_000 and set(read.text.splitlines()[-1]) == {"x"}


def test_uploads_and_the_command_line_read_pdfs_in_the_capped_child(monkeypatch, tmp_path):
    monkeypatch.setenv("CRUSCOTTO_READ_SECONDS", "1")
    dense = tmp_path / "dense.pdf"
    dense.write_bytes(dense_page())
    with pytest.raises(Refused) as caught:                           # the service path, as the upload page
        read_input(dense.name, dense.read_bytes())
    assert caught.value.code == "read_time"
    done = subprocess.run([sys.executable, "-m", "loaders", "--db", str(tmp_path / "b.duckdb"),
                           str(HOSTILE / "glyph_bomb.pdf"), str(dense)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CRUSCOTTO_READ_SECONDS": "1"})
    assert done.returncode == 1
    assert "4.000.000 caratteri" in done.stdout + done.stderr
    assert "limite di 1 secondi di calcolo" in done.stdout + done.stderr


def test_pdf_word_and_opendocument_go_through_the_child(monkeypatch):
    read = []
    through_child = isolated.extract
    monkeypatch.setattr(isolated, "extract", lambda adapter, data: read.append(adapter.FORMAT) or through_child(adapter, data))
    for path in sorted((ROOT / "tests" / "files" / "office").glob("alba.*")):
        assert "Incontri CdA" in read_input(path.name, path.read_bytes()).extracted.text
    assert sorted(read) == ["docx", "docx", "odt", "pdf", "pdf"]


@pytest.mark.parametrize("name, code", [("nested_parens.pdf", "pdf_heavy_page"), ("name_escape.pdf", "pdf_heavy_page"),
                                        ("deep_forms.pdf", "pdf_nested_forms")])
def test_ways_past_a_first_version_of_the_bounds_are_closed(name, code):
    exc = refused(name)
    assert exc.code == code
    assert "non è un documento da leggere" in refusal(exc)


def test_glyphs_are_the_bytes_of_text_strings():
    assert pdf_bounds._glyphs(b"(Ab) Tj <0041> Tj (a(b)c) Tj") == 9
    assert pdf_bounds._glyphs(rb"(a\)b) Tj << /K 1 >> BDC") == 4


def test_children_stopped_by_a_cap_leave_no_open_pipes():
    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    data = (ROOT / "tests" / "files" / "office" / "alba.bordi.pdf").read_bytes()
    before = open_files()
    errors = []
    for _ in range(4):               # 40 MB cannot even start Python's imports: each child dies at once
        with pytest.raises(Refused) as caught:
            isolated.extract(pdf, data, isolated.ReadLimits(memory_mb=40, seconds=5))
        errors.append(caught.value)                      # kept, as the command line keeps its results
    assert {e.code for e in errors} == {"read_memory"}
    assert open_files() <= before

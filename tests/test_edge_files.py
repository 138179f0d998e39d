"""Office files made directly in Word, for the layouts a review of issue 9 found hard (tests/files/edge,
made once by tests/files/make_edge_files.py): a phases table broken across pages whose rows wrap, 'max 5',
an 'Area:' line, a score in a sentence; a title printed only in the running header, paragraphs with no
spacing, 'OBIETTIVO N. n' at the very top of each page."""
import pytest

from conftest import ROOT
from loaders.rows import document_rows
from loaders.service import read_input

EDGE = ROOT / "tests" / "files" / "edge"


def rows_of(name: str):
    read = read_input(name, (EDGE / name).read_bytes())
    return read, document_rows(read.parsed)


@pytest.mark.parametrize("name", ["valle_stura_2024.docx", "valle_stura_2024.bordi.pdf",
                                  "valle_stura_2024.senza_bordi.pdf"])
def test_a_report_written_in_word_reads_the_same_in_every_format(name):
    read, rows = rows_of(name)
    assert read.parsed.issuer == "Consorzio Intercomunale dei Servizi Sociali Valle Stura"   # title wraps in the PDF
    assert read.parsed.report_year == 2024
    objective, = rows["objectives"]
    assert objective["area"] == "Anziani e non autosufficienza"                             # 'Area: ...' line
    assert [(i["expected_raw"], i["actual_raw"], i["status"]) for i in rows["indicators"]] == [
        ("120", "134", "exceeded"), ("15.000", "13.500", "partly"), ("≤ 10", "8", "met"), ("max 5", "2", "met")]
    steps = [(m["activity"], m["status"], m["slippage_months"]) for m in rows["milestones"]]
    assert steps == [
        ("Analisi dei bisogni del territorio", "done_undated", None),
        ("Selezione del personale aggiuntivo per il turno serale e festivo", "done_late", 1),
        ("Avvio del nuovo servizio serale nei comuni della bassa valle", "not_done", None),
        ("Monitoraggio e customer satisfaction", "not_done", None)]                          # cut by a page break
    assert [(s["area"], s["score"], s["max_score"]) for s in rows["scores"]] == \
        [("Anziani e non autosufficienza", 90, 100)]


def test_a_title_only_in_the_running_header_and_headings_at_the_top_of_each_page():
    read, rows = rows_of("intestazione_sola_2023.pdf")
    assert (read.parsed.report_year, read.parsed.issuer) == (2023, "Unione dei Comuni Alta Langa")
    assert [o["number"] for o in rows["objectives"]] == ["1", "2", "3"]       # not taken for page furniture
    assert [(i["name"], i["status"]) for i in rows["indicators"]] == \
        [(f"Utenti del servizio {n}", "exceeded") for n in (1, 2, 3)]

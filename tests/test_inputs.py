"""Input formats and what the loader does with a whole file (issue 9): text with stray control bytes,
UTF-16, Word and OpenDocument through the command line, the same report in another format, documents whose
structure no family recognises."""
import subprocess
import sys

import duckdb
import pytest

from conftest import DATA, ROOT, SAMPLES, sample_text
from cruscotto import db, messages
from cruscotto.source_text import clean_text, detect_and_decode
from loaders import parse_text
from loaders.__main__ import main
from loaders.rows import document_rows
from loaders.service import load_paths, prepare, read_input

OFFICE = ROOT / "tests" / "files" / "office"
CHECK_SCHEMA = ROOT.parent / "shared" / "tools" / "check_schema.py"


def test_issue_9_a_text_with_stray_nul_and_control_bytes_loads():
    original = sample_text("alba").encode()
    lines = original.split(b"\n")
    lines[3] = b"\x00" + lines[3] + b"\x07\x00"                  # text pulled out of an old PDF
    lines[60] = lines[60] + b"\x1b"
    data = b"\n".join(lines)
    prepared = prepare("alba_sporco.txt", data, db.DocumentIndex(None))
    assert prepared.status == "new"
    assert prepared.rows["indicators"] == document_rows(parse_text(sample_text("alba"))[1])["indicators"]
    assert prepared.extracted.store_text and "\x00" not in prepared.extracted.text
    assert prepared.data == data                                  # the original bytes are kept as they were


def test_control_characters_never_move_a_line():
    text = "uno\x00\ndue\x0ctre\r\nquattro\x07"
    assert clean_text(text) == "uno\ndue\ntre\r\nquattro"
    assert len(clean_text(text).splitlines()) == len(text.splitlines())


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (bytes(range(256)) * 4, "binary"), (b"%PDF-1.4 ...", "pdf_damaged"), (b"\x00\x01" * 500, "binary"),
])
def test_what_is_not_text_is_still_refused(data, reason):
    prepared = prepare("x.txt", data, db.DocumentIndex(None))
    assert prepared.status == "refused" and prepared.error.code == reason
    assert messages.about(prepared.status, prepared.error)[0].islower()


def test_notepad_unicode_text_is_read():
    text, encoding = detect_and_decode(sample_text("cissac").encode("utf-16"))
    assert encoding == "utf-16" and parse_text(text)[0] == "tabella_obiettivi"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_unicode_text_without_a_byte_order_mark_is_read(encoding):
    source = sample_text("cissac")
    text, found = detect_and_decode(source.encode(encoding))
    assert found == encoding and text == source and parse_text(text)[0] == "tabella_obiettivi"


def test_word_and_opendocument_load_from_the_command_line(tmp_path, capsys):
    database = tmp_path / "office.duckdb"
    code = main(["--db", str(database), str(OFFICE / "alba.senza_bordi.docx"), str(OFFICE / "crema.odt")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "caricato   alba.senza_bordi.docx [schede_obiettivo]: 3 obiettivi, 9 passi, 7 indicatori" in out
    assert "caricato   crema.odt [piano_di_zona]: 10 obiettivi" in out
    con = duckdb.connect(str(database), read_only=True)
    formats = dict(con.execute("SELECT source_name, input_format FROM documents").fetchall())
    assert formats == {"alba.senza_bordi.docx": "docx", "crema.odt": "odt"}
    line, text = con.execute("SELECT i.source_line, d.text FROM indicators i JOIN objectives o USING (objective_id) "
                             "JOIN documents d USING (document_id) WHERE i.name = 'Incontri CdA'").fetchall()[0]
    assert text.splitlines()[line - 1].startswith("Incontri CdA\tN\t4\t14")   # source_line points into the text
    con.close()


def test_issue_9_the_pdf_twin_of_a_loaded_text_is_flagged_even_when_a_cell_differs(tmp_path):
    database = tmp_path / "twins.duckdb"
    load_paths(database, [DATA / SAMPLES["cissac"]])
    pdf = OFFICE / "cissac.senza_bordi.pdf"                  # its reading differs from the text by a few cells
    read = read_input(pdf.name, pdf.read_bytes())
    assert document_rows(read.parsed)["indicators"] != document_rows(parse_text(sample_text("cissac"))[1])["indicators"]
    prepared = prepare(pdf.name, pdf.read_bytes(), db.document_index(database))
    assert prepared.status == "same_content" and prepared.existing_name == SAMPLES["cissac"]
    result, = load_paths(database, [pdf])                     # the command line skips it
    assert result.status == "same_content"
    other_year = sample_text("cissac").replace("Caluso li 14/07/2022", "Caluso li 14/07/2023")
    path = tmp_path / "cissac_2022.txt"
    path.write_text(other_year, encoding="utf-8")
    assert load_paths(database, [path])[0].status == "loaded"  # the next year's report is another report


def test_issue_9_the_final_report_after_a_monitoring_is_not_a_twin(tmp_path):
    """Same consortium, year and objectives, other results: another report, loaded; the same file's PDF whose
    title wraps and cuts the issuer's name is still the same report."""
    database = tmp_path / "monitoring.duckdb"
    monitoring = sample_text("alba")
    final = monitoring.replace("Incontri CdA\tN\t4\t14", "Incontri CdA\tN\t4\t6").replace(
        "Incontri Comuni\tN\t6\t6", "Incontri Comuni\tN\t6\t2").replace("\tattuato", "\tno")
    cut = monitoring.replace("CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", "CONS. SOC. ASSIST. ALBA-LANGHE")
    for name, text in (("monitoraggio.txt", monitoring), ("finale.txt", final), ("copia.txt", cut)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    results = load_paths(database, [tmp_path / "monitoraggio.txt", tmp_path / "finale.txt", tmp_path / "copia.txt"])
    assert [r.status for r in results] == ["loaded", "loaded", "same_content"]
    assert results[2].existing_name == "monitoraggio.txt"


def test_issue_9_an_unrecognised_document_is_reported_and_kept_only_when_asked(tmp_path, capsys):
    letter = tmp_path / "tabella_qualsiasi.txt"
    letter.write_text("Consorzio Esempio\nElenco fornitori 2022\n\nFornitore\tCittà\tImporto\n"
                      "Alfa srl\tTorino\t1.000,00\nBeta spa\tCuneo\t2.500,00\n", encoding="utf-8")
    database = tmp_path / "kept.duckdb"
    assert main(["--db", str(database), str(letter)]) == 1
    assert "NON RICONOSCIUTO  tabella_qualsiasi.txt: nessuna struttura riconoscibile" in capsys.readouterr().out
    assert main(["--db", str(database), "--conserva-non-riconosciuti", str(letter)]) == 1
    assert "conservato tabella_qualsiasi.txt" in capsys.readouterr().out
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT family, issuer FROM documents").fetchall() == [("non_riconosciuto", "Consorzio Esempio")]
    issues = con.execute("SELECT category, raw_text FROM quality_issues ORDER BY source_line").fetchall()
    assert issues[0][0] == "unrecognised"
    assert [raw for category, raw in issues if category == "unparsed_table"] == \
        ["Fornitore\tCittà\tImporto", "Alfa srl\tTorino\t1.000,00", "Beta spa\tCuneo\t2.500,00"]
    con.close()
    if CHECK_SCHEMA.exists():                              # the contract checker lives beside the project
        check = subprocess.run([sys.executable, str(CHECK_SCHEMA), str(database)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout


def _docx_with(document_xml: bytes) -> bytes:
    """A real .docx (from the fixtures) with its document.xml replaced."""
    import io
    import zipfile
    source = zipfile.ZipFile(OFFICE / "alba.bordi.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, document_xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


def test_a_word_file_that_expands_to_tens_of_megabytes_of_text_is_refused_at_once():
    import time
    bomb = _docx_with(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                      b'2006/main"><w:body>' + b"<w:p/>" * 6_000_000 + b"</w:body></w:document>")
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    prepared = prepare("bomba.docx", bomb, db.DocumentIndex(None))
    assert prepared.status == "refused" and prepared.error.code == "word_too_big"
    assert time.perf_counter() - started < 5


def test_word_content_controls_text_boxes_and_nested_tables():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    cell = lambda text: f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    row = lambda *texts: "<w:tr>" + "".join(cell(t) for t in texts) + "</w:tr>"
    nested = "<w:tc><w:tbl>" + row("Sede A", "7") + row("Sede B", "9") + "</w:tbl><w:p/></w:tc>"
    body = ("<w:p><w:r><w:t>Relazione sulla performance 2023</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>Obiettivo 1 - Sportello</w:t></w:r></w:p>"
            "<w:sdt><w:sdtContent><w:tbl>" + row("Indicatore", "Target", "Risultato") + row("Accessi", "500", "620")
            + "<w:tr>" + cell("Attesa") + cell("10") + nested + "</w:tr></w:tbl></w:sdtContent></w:sdt>")
    data = _docx_with(f'<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body></w:document>'.encode())
    read = read_input("controlli.docx", data)
    lines = read.extracted.text.splitlines()
    assert "Accessi\t500\t620" in lines                         # a table inside a content control is read
    assert "Attesa\t10\tSede A | 7; Sede B | 9" in lines         # a nested table is kept, marked as one
    assert [i["name"] for i in document_rows(read.parsed)["indicators"]] == ["Accessi", "Attesa"]

"""The loader command and the database contract: exit codes, refusals, idempotence, replacement, atomicity."""
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import DATA, ROOT, SAMPLES
from cruscotto import db, messages
from loaders.service import ensure_database, load_paths
from loaders.__main__ import main

CHECK_SCHEMA = ROOT.parent / "shared" / "tools" / "check_schema.py"


def counts(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return db.table_counts(con)
    finally:
        con.close()


def test_sample_database_counts(con):
    per_document = con.execute("""
        SELECT d.source_name,
               (SELECT count(*) FROM objectives o WHERE o.document_id = d.document_id),
               (SELECT count(*) FROM milestones m JOIN objectives o USING (objective_id) WHERE o.document_id = d.document_id),
               (SELECT count(*) FROM indicators i JOIN objectives o USING (objective_id) WHERE o.document_id = d.document_id),
               (SELECT count(*) FROM budget_lines b WHERE b.document_id = d.document_id),
               (SELECT count(*) FROM scores s WHERE s.document_id = d.document_id)
        FROM documents d ORDER BY 1""").fetchall()
    assert [row[1:] for row in per_document] == [
        (3, 9, 7, 0, 0), (12, 52, 35, 0, 0), (8, 0, 24, 0, 4), (10, 8, 33, 66, 0), (9, 21, 17, 0, 1)]


def test_documents_keep_their_bytes_and_metadata(con):
    rows = con.execute("SELECT source_name, issuer, report_year, period_start, period_end, kind, family, original "
                       "FROM documents ORDER BY source_name").fetchall()
    assert bytes(rows[0][7]) == (DATA / SAMPLES["alba"]).read_bytes()
    assert [r[1:7] for r in rows] == [
        ("CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", 2019, None, None, "rendicontazione_obiettivi", "schede_obiettivo"),
        ("Consorzio IN.RE.TE.", 2019, None, None, "relazione_performance", "schede_obiettivo"),
        ("Consorzio Intercomunale Servizi Socio-Assistenziali Caluso", 2021, None, None, "relazione_performance",
         "tabella_obiettivi"),
        ("Ambito Distrettuale di Crema", None, 2015, 2017, "piano_di_zona", "piano_di_zona"),
        (None, 2021, None, None, "relazione_performance", "schede_obiettivo")]


def test_every_row_points_back_to_its_source_line(con):
    for table in ("objectives", "milestones", "indicators", "budget_lines", "reported_totals", "scores"):
        assert con.execute(f"SELECT count(*) FROM {table} WHERE source_line IS NULL OR source_line < 1").fetchall() \
            == [(0,)]
    text = (DATA / SAMPLES["crema"]).read_text(encoding="utf-8").splitlines()
    for line, raw in con.execute("SELECT source_line, amount_raw FROM budget_lines WHERE amount_raw IS NOT NULL "
                                 "AND document_id = (SELECT document_id FROM documents WHERE period_start = 2015)"
                                 ).fetchall():
        assert raw in text[line - 1]


def test_budget_check_query_shows_printed_totals_beside_the_lines(con):
    check = db.totals_check(con)
    totals = check[check.label == "Totale"]
    assert list(totals.year) == [2015, 2016, 2017]
    assert (totals.printed.round(2) == totals.sum_of_lines.astype(float).round(2)).all()


def test_schema_contract(sample_db):
    if not CHECK_SCHEMA.exists():
        pytest.skip("shared/tools/check_schema.py is not beside the project")
    out = subprocess.run([sys.executable, str(CHECK_SCHEMA), str(sample_db)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_loading_the_same_bytes_twice_changes_nothing(tmp_path):
    path = tmp_path / "twice.duckdb"
    load_paths(path, [DATA])
    before = counts(path)
    results = load_paths(path, [DATA])
    assert {r.status for r in results} == {"unchanged"}
    assert counts(path) == before


def test_changed_file_replaces_its_older_version(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    target = folder / SAMPLES["alba"]
    shutil.copy(DATA / SAMPLES["alba"], target)
    path = tmp_path / "replace.duckdb"
    load_paths(path, [target])
    target.write_text(target.read_text(encoding="utf-8").replace("Incontri CdA\tN\t4\t14", "Incontri CdA\tN\t4\t1"),
                      encoding="utf-8")
    result, = load_paths(path, [target])
    assert result.status == "replaced"
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchall() == [(1,)]
    assert con.execute("SELECT count(*) FROM indicators").fetchall() == [(7,)]
    assert con.execute("SELECT actual_raw, status FROM indicators WHERE name = 'Incontri CdA'").fetchall() == \
        [("1", "not_met")]
    con.close()


def test_failure_mid_document_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "atomic.duckdb"
    load_paths(path, [DATA / SAMPLES["alba"]])
    before = counts(path)
    original_append = db.records.append_rows

    def failing_append(con, table, frame):
        if table == "indicators":
            raise RuntimeError("disk full")
        original_append(con, table, frame)

    monkeypatch.setattr(db.records, "append_rows", failing_append)
    result, = load_paths(path, [DATA / SAMPLES["iris"]])
    assert result.status == "refused" and "RuntimeError" in messages.about(result.status, result.error)
    monkeypatch.undo()
    assert counts(path) == before


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_command_refuses_bad_files_and_loads_the_rest(tmp_path, capsys):
    bad = [write(tmp_path / "vuoto.txt", b""), write(tmp_path / "binario.txt", bytes(range(256)) * 4),
           write(tmp_path / "lettera.txt", "Gentile sindaco,\nle scrivo per invitarla.\n".encode()),
           write(tmp_path / "scansione.pdf", b"%PDF-1.4\n...")]
    code = main(["--db", str(tmp_path / "cli.duckdb"), *map(str, bad), str(DATA / SAMPLES["cissac"])])
    out = capsys.readouterr().out
    assert code == 1
    assert "RIFIUTATO  vuoto.txt: il file è vuoto" in out
    assert "RIFIUTATO  binario.txt: è un file binario" in out
    assert "NON RICONOSCIUTO  lettera.txt: nessuna struttura riconoscibile" in out
    assert "RIFIUTATO  scansione.pdf: il PDF è danneggiato" in out
    assert "caricato   002_1cd2a7c4668a1a79.txt [tabella_obiettivi]: 8 obiettivi" in out
    assert "Totale: 5 file, 1 caricati, 0 già presenti, 3 rifiutati, 1 non riconosciuti" in out
    assert "Traceback" not in out


def test_command_exit_codes(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "ok.duckdb"), str(DATA)]) == 0
    assert "[5/5]" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main([])
    assert usage.value.code == 2
    assert "Uso non corretto" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "ok.duckdb"), str(tmp_path / "manca.txt")]) == 1


def test_command_as_a_process(tmp_path):
    out = subprocess.run([sys.executable, "-m", "loaders", "--db", str(tmp_path / "p.duckdb"), str(DATA)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1].startswith("Totale: 5 file, 5 caricati")


def test_database_path_from_environment_and_first_run_build(tmp_path, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "env" / "cruscotto.duckdb"))
    assert db.db_path() == tmp_path / "env" / "cruscotto.duckdb"
    assert ensure_database() is True
    assert counts(db.db_path())["documents"] == 5
    assert ensure_database() is False


def test_files_over_the_size_limit_are_refused(tmp_path, monkeypatch):
    import loaders.reading

    monkeypatch.setattr(loaders.reading, "MAX_BYTES", 1000)
    big = tmp_path / "grande.txt"
    big.write_bytes((DATA / SAMPLES["alba"]).read_bytes())
    result, = load_paths(tmp_path / "limite.duckdb", [big])
    assert result.status == "refused" and "oltre il limite" in messages.about(result.status, result.error)


def caluso_pdf(folder):
    """Sample 002 written as a real PDF (skips where no TrueType font is installed)."""
    from pdf_samples import font_path, text_to_pdf

    if font_path() is None:
        pytest.skip("no TrueType font to write a test PDF")
    pdf = folder / "caluso.pdf"
    pdf.write_bytes(text_to_pdf((DATA / SAMPLES["cissac"]).read_text(encoding="utf-8")))
    return pdf


def test_the_command_loads_pdf_and_excel_too(tmp_path, capsys):
    from cruscotto.template import write_workbook
    pdf = caluso_pdf(tmp_path)
    workbook = tmp_path / "vuoto_modello.xlsx"
    workbook.write_bytes(write_workbook({"issuer": "Consorzio Prova", "report_year": 2022,
                                         "kind": "relazione_performance"}, {}))
    assert main(["--db", str(tmp_path / "misti.duckdb"), str(pdf), str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "caluso.pdf [tabella_obiettivi]: 8 obiettivi, 0 passi, 24 indicatori" in out
    assert "vuoto_modello.xlsx [modello_excel]: 0 obiettivi" in out


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8-sig", b"\xef\xbb\xbf"), ("cp1252", b"")])
def test_text_encodings_are_detected_and_recorded(tmp_path, encoding, prefix):
    text = (DATA / SAMPLES["alba"]).read_text(encoding="utf-8").replace("\n", "\r\n")   # Windows line ends too
    path = tmp_path / f"alba_{encoding}.txt"
    path.write_bytes(prefix + text.encode("cp1252" if encoding == "cp1252" else "utf-8"))
    result, = load_paths(tmp_path / "enc.duckdb", [path])
    assert result.status == "loaded" and result.counts["indicators"] == 7
    con = duckdb.connect(str(tmp_path / "enc.duckdb"), read_only=True)
    assert con.execute("SELECT encoding, input_format FROM documents").fetchall() == [(encoding, "text")]
    assert con.execute("SELECT count(*) FROM objectives WHERE title LIKE 'Progettare, realizzare%'").fetchall() == [(1,)]
    assert con.execute("SELECT expected_raw FROM indicators WHERE name = 'Incontri CdA'").fetchall() == [("4",)]
    con.close()


def test_the_same_report_in_another_format_is_not_counted_twice(tmp_path, capsys):
    pdf = caluso_pdf(tmp_path)
    path = tmp_path / "twin.duckdb"
    assert main(["--db", str(path), str(DATA / SAMPLES["cissac"]), str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "saltato    caluso.pdf: è lo stesso rapporto di «002_1cd2a7c4668a1a79.txt», già caricato" in out
    assert counts(path)["documents"] == 1


# ---------------------------------------------------------------------------- issue 12: batches and workers

def audit(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT change_id, action, document_id, source_name, detail FROM changes "
                           "ORDER BY change_id").fetchall()
    finally:
        con.close()


def rows_by_document(path):
    """What each document holds, by file name (ids left out: they depend on the order of writing)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("""
            SELECT d.source_name, d.sha256, list(i.name || '=' || coalesce(i.actual_raw, '') || ':' || i.status
                                                 ORDER BY i.source_line, i.name)
            FROM documents d LEFT JOIN objectives o USING (document_id) LEFT JOIN indicators i USING (objective_id)
            GROUP BY ALL ORDER BY 1""").fetchall()
    finally:
        con.close()


def test_issue12_a_batch_whose_write_fails_is_written_again_one_document_at_a_time(tmp_path, monkeypatch):
    """Only the file that fails alone is refused; the others of its batch are loaded, whole, in order."""
    real_append = db.records.append_rows

    def refuse_iris(con, table, records):
        if table == "documents" and any(r["source_name"] == SAMPLES["iris"] for r in records):
            raise RuntimeError("this document cannot be written")
        real_append(con, table, records)

    monkeypatch.setattr(db.records, "append_rows", refuse_iris)
    reported = []
    results = load_paths(tmp_path / "b.duckdb", [DATA], report=lambda i, n, r: reported.append((i, n, r.path.name)),
                         workers=1)
    names = sorted(p.name for p in DATA.glob("*.txt"))
    assert [r.path.name for r in results] == names
    assert reported == [(i, 5, name) for i, name in enumerate(names, start=1)]
    assert [r.status for r in results] == ["refused" if n == SAMPLES["iris"] else "loaded" for n in names]
    monkeypatch.undo()
    assert [name for name, *_ in rows_by_document(tmp_path / "b.duckdb")] == [n for n in names if n != SAMPLES["iris"]]
    assert [action for _, action, *_ in audit(tmp_path / "b.duckdb")] == ["caricato"] * 4


def test_issue12_the_old_and_new_version_of_a_file_in_one_run(tmp_path):
    """Same name in two folders of one run: the second replaces the first, as when they were loaded apart."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    shutil.copy(DATA / SAMPLES["alba"], first / SAMPLES["alba"])
    (second / SAMPLES["alba"]).write_text((DATA / SAMPLES["alba"]).read_text(encoding="utf-8").replace(
        "Incontri CdA\tN\t4\t14", "Incontri CdA\tN\t4\t1"), encoding="utf-8")
    results = load_paths(tmp_path / "one.duckdb", [first, second, first / SAMPLES["alba"]], workers=1)
    # the first two are gone by the end of the run, replaced by a later file: loaded, not lost
    assert [r.status for r in results] == ["loaded", "replaced", "replaced"]   # the first again: its bytes are gone
    assert [(a, d) for _, a, _, _, d in audit(tmp_path / "one.duckdb")] == [
        ("caricato", None), ("sostituito", f"sostituisce [{results[0].document_id}]"),
        ("sostituito", f"sostituisce [{results[1].document_id}]")]
    load_paths(tmp_path / "apart.duckdb", [first], workers=1)
    load_paths(tmp_path / "apart.duckdb", [second], workers=1)
    load_paths(tmp_path / "apart.duckdb", [first], workers=1)
    assert rows_by_document(tmp_path / "one.duckdb") == rows_by_document(tmp_path / "apart.duckdb")
    assert [a[1:] for a in audit(tmp_path / "one.duckdb")] == [a[1:] for a in audit(tmp_path / "apart.duckdb")]


def test_issue12_the_same_bytes_twice_in_one_run_are_loaded_once(tmp_path):
    shutil.copy(DATA / SAMPLES["cissac"], tmp_path / "copia.txt")
    results = load_paths(tmp_path / "x.duckdb", [DATA / SAMPLES["cissac"], tmp_path / "copia.txt"], workers=1)
    assert [r.status for r in results] == ["loaded", "unchanged"]
    assert results[1].document_id == results[0].document_id


def test_issue12_unchanged_files_are_not_even_decoded(tmp_path, monkeypatch):
    from loaders import reading, service

    load_paths(tmp_path / "x.duckdb", [DATA], workers=1)

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(service, "read_file", no_reading)
    monkeypatch.setattr(reading, "extract", no_reading)
    assert {r.status for r in load_paths(tmp_path / "x.duckdb", [DATA], workers=1)} == {"unchanged"}


def test_issue12_worker_processes_give_the_same_database_as_one_process(tmp_path, monkeypatch):
    from loaders import service

    folder = tmp_path / "docs"
    folder.mkdir()
    for n, sample in enumerate(sorted(DATA.glob("*.txt")) * 2):
        (folder / f"{n:02d}_{sample.name}").write_bytes(f"Consorzio Copia {n}\n".encode() + sample.read_bytes())
    (folder / "vuoto.txt").write_bytes(b"")
    monkeypatch.setattr(service, "POOL_AFTER", 1)
    alone = load_paths(tmp_path / "alone.duckdb", [folder], workers=1)
    pooled = load_paths(tmp_path / "pooled.duckdb", [folder], workers=2)
    assert [(r.path, r.status, r.counts, getattr(r.error, "code", None)) for r in pooled] == \
        [(r.path, r.status, r.counts, getattr(r.error, "code", None)) for r in alone]
    assert rows_by_document(tmp_path / "pooled.duckdb") == rows_by_document(tmp_path / "alone.duckdb")


def test_issue12_a_file_written_by_an_earlier_version_gets_ids_after_its_own(tmp_path):
    """Ids are max(id) + 1 of each table, whatever wrote the rows before (here: rows with far larger ids)."""
    path = tmp_path / "old.duckdb"
    load_paths(path, [DATA / SAMPLES["alba"]], workers=1)
    con = db.connect(path)
    for table, column in {"documents": "document_id", "changes": "change_id", **db.schema.TABLES}.items():
        con.execute(f"UPDATE {table} SET {column} = {column} + 1000")
    con.execute("UPDATE objectives SET document_id = document_id + 1000")
    for table in ("milestones", "indicators"):
        con.execute(f"UPDATE {table} SET objective_id = objective_id + 1000")
    con.execute("UPDATE changes SET document_id = document_id + 1000")
    con.close()
    result, = load_paths(path, [DATA / SAMPLES["cissac"]], workers=1)
    assert result.document_id == 1002
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT min(objective_id) FROM objectives WHERE document_id = 1002").fetchone()[0] > \
            con.execute("SELECT max(objective_id) FROM objectives WHERE document_id = 1001").fetchone()[0]
        assert con.execute("SELECT max(change_id) FROM changes").fetchone()[0] == 1002
    finally:
        con.close()


def test_issue12_refusals_made_in_a_worker_keep_their_code_and_data():
    import pickle

    from loaders.errors import InvalidCells, Refused, UnknownFamily

    for exc in (Refused("too_large", size=3, limit_bytes=2), UnknownFamily(), InvalidCells(["A1: vuota"])):
        back = pickle.loads(pickle.dumps(exc))
        assert (type(back), back.code, back.details, str(back)) == (type(exc), exc.code, exc.details, str(exc))
        assert messages.about("refused", back) == messages.about("refused", exc)


def test_the_default_database_sits_beside_the_samples_and_a_misplaced_one_moves_there(tmp_path, monkeypatch):
    """data/cruscotto.duckdb at the project's top, as the README says. The versions of 1-2 December put it in
    cruscotto/data/ by mistake: a database found only there moves to its place, with its WAL and the
    corrections made in it, instead of a new one being built from the samples."""
    from cruscotto.db import connection

    monkeypatch.delenv("CRUSCOTTO_DB", raising=False)
    assert connection.DEFAULT_DB == ROOT / "data" / "cruscotto.duckdb"
    right, wrong = tmp_path / "data" / "cruscotto.duckdb", tmp_path / "cruscotto" / "data" / "cruscotto.duckdb"
    monkeypatch.setattr(connection, "DEFAULT_DB", right)
    monkeypatch.setattr(connection, "MISPLACED_DB", wrong)
    wrong.parent.mkdir(parents=True)
    with db.writing(wrong) as con:
        con.execute("INSERT INTO changes (change_id, changed_at, editor, action, detail) "
                    "VALUES (7, now(), 'nucleo', 'test', 'kept')")
    assert db.db_path() == right
    assert not wrong.exists() and right.exists()
    with db.reading(right) as con:
        assert con.execute("SELECT editor FROM changes WHERE change_id = 7").fetchone() == ("nucleo",)
    wrong.write_bytes(b"other")                      # both there: the right one is used, the other left alone
    assert db.db_path() == right and wrong.read_bytes() == b"other"

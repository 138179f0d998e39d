"""The loader's write path at 10^4 documents (issue 12): rows handed over as columns, the same-report index
without every stored document's words in memory. Same rows, same ids, same twins as before."""
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from conftest import DATA, SAMPLES
from cruscotto import db
from loaders.service import document_row, load_paths, read_file, read_for_load


def table_contents(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table in ("documents", *db.TABLES):
            found = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
            columns = [c for c, kind in found if not kind.startswith("TIMESTAMP")]
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def samples():
    return sorted(DATA.glob("*.txt"))


def write_all(path, prepared: list, as_columns: bool) -> None:
    con = db.connect(path)
    writer = db.DocumentWriter(con, sole=True)
    writer.begin()
    for p in prepared:
        rows = db.rows_to_columns(p.rows) if as_columns else p.rows
        writer.add(document_row(replace(p, status="new", data=b"x")), rows, [], "prova")
    writer.commit()
    con.close()


def test_issue12_columns_write_the_same_rows_and_ids_as_rows(tmp_path):
    prepared = [read_file(p.name, p.read_bytes(), {}) for p in samples()]
    assert sum(len(p.rows["indicators"]) for p in prepared) > 0
    write_all(tmp_path / "rows.duckdb", prepared, as_columns=False)
    write_all(tmp_path / "columns.duckdb", prepared, as_columns=True)
    by_rows, by_columns = table_contents(tmp_path / "rows.duckdb"), table_contents(tmp_path / "columns.duckdb")
    assert by_rows["indicators"] and by_rows["milestones"] and by_rows["budget_lines"]
    assert by_columns == by_rows


def test_issue12_a_worker_hands_over_columns_without_records():
    path = DATA / SAMPLES["alba"]
    full = read_file(path.name, path.read_bytes(), {})
    slim = read_for_load(path.name, path.read_bytes(), {}, full.sha256)
    assert slim.counts == full.counts and slim.counts["indicators"] > 0
    assert slim.parsed.indicators == () and slim.parsed.issuer == full.parsed.issuer
    assert slim.columns.tables["indicators"]["name"] == [r["name"] for r in full.rows["indicators"]]
    # an indicator's objective is the position of its objective among the document's objectives
    refs = [o["ref"] for o in full.rows["objectives"]]
    assert [refs[i] for i in slim.columns.tables["indicators"]["objective"]] == \
        [r["objective"] for r in full.rows["indicators"]]
    assert not full.extracted.store_text and slim.extracted.text == ""      # the file itself: the writer holds it
    assert document_row(replace(slim, data=b"x")) | {"loaded_at": None} == \
        document_row(replace(full, data=b"x")) | {"loaded_at": None}


def test_issue12_the_writer_keeps_issuers_not_words_and_reads_words_when_an_issuer_matches(tmp_path):
    database = tmp_path / "twins.duckdb"
    load_paths(database, [DATA])
    con = db.connect(database)
    try:
        writer = db.DocumentWriter(con, sole=True)
        assert writer.words == {}                          # nothing but issuers kept per stored document
        stored = [entry for entries in writer.by_content.values() for entry in entries]
        assert len(stored) == 5 and all(isinstance(issuer, frozenset) for _, issuer in stored)
        alba = next(d for d, name in writer.names.items() if name == SAMPLES["alba"])
        words = writer.words_of(alba)
        assert "v:incontricda=14" in words.split()
        assert con.execute("SELECT content_words FROM documents WHERE document_id = ?", [alba]).fetchall() == \
            [(words,)]
    finally:
        con.close()
    again = DATA / SAMPLES["alba"]
    copy = tmp_path / "alba_copia.txt"
    copy.write_bytes(again.read_bytes() + b"\n")             # other bytes, the same report
    result, = load_paths(database, [copy])
    assert result.status == "same_content" and result.existing_name == SAMPLES["alba"]


def test_a_load_worker_reads_files_without_importing_the_database_stack():
    # what a spawned worker imports: reading.read_for_load and its initializer, nothing of duckdb/pandas/pyarrow
    probe = ("import sys; from loaders.reading import read_for_load, worker_started; "
             "print(sorted(m for m in ('duckdb', 'pandas', 'pyarrow', 'cruscotto.db') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    from loaders import service
    assert service.read_for_load.__module__ == "loaders.reading"      # what the pool pickles by name


def test_issue12_a_worker_reading_text_and_word_files_imports_no_workbook_or_pdf_stack():
    # A worker imports an input format's reader only for a file of that format: the workbook's (pandas,
    # pyarrow, openpyxl: about 65 MB a worker) for none of these, the PDF's only once a file could be a PDF.
    probe = ("import sys; from pathlib import Path; from loaders.reading import read_for_load\n"
             "for path in sys.argv[1:]:\n"
             "    read = read_for_load(Path(path).name, Path(path).read_bytes(), {}, 'x')\n"
             "    print(read.status, read.family, read.columns.counts['indicators'],\n"
             "          sorted(m for m in ('pandas', 'pyarrow', 'openpyxl', 'pdfplumber') if m in sys.modules))")
    text, word = DATA / SAMPLES["alba"], Path(__file__).parent / "files" / "office" / "alba.bordi.docx"
    done = subprocess.run([sys.executable, "-c", probe, str(text), str(word)], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    alone = read_file(text.name, text.read_bytes(), {})
    count = len(alone.rows["indicators"])
    assert count > 0
    first, second = done.stdout.strip().splitlines()
    assert first == f"read schede_obiettivo {count} []"            # text: no other reader imported
    assert second.startswith("read schede_obiettivo ") and not {"pandas", "pyarrow", "openpyxl"} & set(eval(second[second.index("["):]))


def test_issue12_a_worker_empties_the_readers_caches_every_few_hundred_documents(monkeypatch):
    from cruscotto.italian import clean_cell
    from loaders import reading

    path = DATA / SAMPLES["alba"]
    monkeypatch.setattr(reading, "_read_since_emptied", 0)
    for _ in range(reading.CACHE_DOCUMENTS - 1):
        read_for_load(path.name, path.read_bytes(), {}, "x")
    assert clean_cell.cache_info().currsize > 0
    read_for_load(path.name, path.read_bytes(), {}, "x")
    assert clean_cell.cache_info().currsize == 0


def test_a_workers_collector_runs_only_when_it_empties_the_readers_caches(monkeypatch):
    """In a worker the cyclic garbage collector is off (worker_started) and runs when the caches are emptied,
    every CACHE_DOCUMENTS documents: a cycle a file leaves is collected there."""
    import gc
    import os

    from loaders import reading

    class Cycle:
        pass

    path = DATA / SAMPLES["alba"]
    monkeypatch.setattr(reading, "_read_since_emptied", 0)
    monkeypatch.setattr(reading, "CACHE_DOCUMENTS", 3)
    try:
        reading.worker_started(os.getppid())        # this test process's parent: its watch goes on
        assert not gc.isenabled()
        loop = Cycle()
        loop.itself = loop
        del loop
        read_for_load(path.name, path.read_bytes(), {}, "x")
        read_for_load(path.name, path.read_bytes(), {}, "x")
        assert not gc.isenabled()                   # not turned back on after a file
        assert any(type(o) is Cycle for o in gc.get_objects())
        read_for_load(path.name, path.read_bytes(), {}, "x")     # the third: caches emptied, cycles collected
        assert not any(type(o) is Cycle for o in gc.get_objects())
    finally:
        gc.enable()


class _FailingClose:
    def __init__(self, error):
        self.error = error

    def close(self):
        raise self.error


def test_a_checkpoint_that_fails_on_close_is_reported_unless_the_disk_is_full(caplog):
    """A failed checkpoint leaves the committed rows in the WAL: nothing lost, but a WAL never folded into the
    file is replayed at every reopening, so the load says so instead of slowing down without a word."""
    import duckdb

    from loaders.service import _close

    with caplog.at_level("WARNING"):
        _close(_FailingClose(duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB")))
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "non è stato riordinato alla chiusura (could not allocate block" in caplog.records[0].getMessage()
    caplog.clear()
    with caplog.at_level("WARNING"):
        _close(_FailingClose(OSError(28, "No space left on device")))   # the final check looks for the rows
    assert caplog.records == []


def _rss_mb() -> int:
    with open("/proc/self/status") as found:
        return next(int(line.split()[1]) for line in found if line.startswith("VmRSS:")) // 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the resident memory from /proc")
def test_the_writer_gives_the_c_heaps_free_pages_back_before_a_checkpoint():
    """Files' bytes and workers' answers freed in between kept ones leave the C heap full of holes that it
    keeps; the writer hands them back before DuckDB's checkpoint takes its own memory."""
    from loaders.service import _give_back_freed_memory

    files = [b"x" * 64_000 for _ in range(2000)]      # under malloc's mmap threshold: inside its heap
    kept = files[::16]
    del files
    before = _rss_mb()
    _give_back_freed_memory()
    assert before - _rss_mb() > 60                  # about 117 MB of the 128 freed
    assert len(kept) == 125



def test_a_slow_let_go_makes_the_load_hold_the_file_longer(tmp_path, monkeypatch):
    """Letting the file go costs a checkpoint, which grows with the file: after a let-go that took half a
    second the load holds the file ten times as long before letting go again for readers that do not ask, so
    that checkpoints stay a small part of a long load. The documents are all saved."""
    import time

    from loaders import service

    real_close, let_goes = service._close, []

    def slow_close(con):
        time.sleep(0.5)
        real_close(con)

    real_let_go = service._Load._let_go

    def counted(run, asked):
        let_goes.append(time.monotonic())
        real_let_go(run, asked)

    monkeypatch.setattr(service, "_close", slow_close)
    monkeypatch.setattr(service._Load, "_let_go", counted)
    monkeypatch.setattr(service, "BATCH_DOCUMENTS", 1)   # a commit, hence a chance to let go, after each file
    monkeypatch.setattr(service, "HOLD_SECONDS", 0)      # without the rule: a let-go before every file
    results = load_paths(tmp_path / "held.duckdb", [DATA], workers=1)
    assert [r.status for r in results] == ["loaded"] * len(SAMPLES)
    assert len(let_goes) == 1                          # before the second file; then held for about 5 s
    monkeypatch.setattr(service, "HOLD_PER_LET_GO", 0)
    let_goes.clear()
    results = load_paths(tmp_path / "every.duckdb", [DATA], workers=1)
    assert len(let_goes) == len(SAMPLES) - 1


def test_a_load_of_big_files_stays_within_duckdbs_memory_cap(tmp_path, monkeypatch):
    """Files of a megabyte each, more of them than the load's memory cap (LOAD_MEMORY_MB): DuckDB keeps what is
    committed and not yet checkpointed in memory, and a checkpoint's vacuum built the merged row groups of the
    originals in memory whole, so such a load failed past the cap and DuckDB gave up ('database has been
    invalidated'). Every file is saved, with its bytes."""
    import random

    from cruscotto.db import connection

    monkeypatch.setattr(connection, "LOAD_MEMORY_MB", 24)      # the load lets the file go every 6 MB of files
    sample = (DATA / "000_5219ceada02bc870.txt").read_bytes()
    noise = random.Random(12)
    files = []
    for n in range(40):                          # each its own year, with a long annex of unreadable codes
        path = tmp_path / "in" / f"{n:02d}.txt"
        path.parent.mkdir(exist_ok=True)
        annex = b"\n".join(noise.randbytes(600).hex().encode() for _ in range(850))
        path.write_bytes(sample.replace(b"2019", b"%d" % (1960 + n)) + b"\n\nAllegato\n" + annex + b"\n")
        files.append(path)
    results = load_paths(tmp_path / "big.duckdb", files, workers=1)
    assert [r.status for r in results] == ["loaded"] * len(files)
    with duckdb.connect(str(tmp_path / "big.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT count(*), sum(octet_length(original)) FROM documents").fetchone()
    assert stored == (len(files), sum(f.stat().st_size for f in files))


def _change_row_groups(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('changes')").fetchone()[0]


def test_writers_compact_a_small_database_and_leave_a_big_one_as_it_is(tmp_path, monkeypatch):
    """Each dashboard write is a checkpoint that gives its rows a row group of their own. A small database is
    compacted as it goes (DuckDB's vacuum merges them): thirty audit lines leave the file as large as it was.
    Past VACUUM_UP_TO_MB no writer merges (the merge would hold the originals in memory whole): each write keeps
    its own row group."""
    from cruscotto.db import connection

    path = tmp_path / "small.duckdb"
    load_paths(path, [DATA], workers=1)
    size = path.stat().st_size
    for n in range(30):
        with db.writing(path) as con:
            db.record_change(con, "prova", "login_failed", None, None, f"tentativo {n}")
    assert _change_row_groups(path) <= 2
    assert path.stat().st_size <= size + 1_000_000
    monkeypatch.setattr(connection, "VACUUM_UP_TO_MB", 0)
    before = _change_row_groups(path)
    for n in range(5):
        with db.writing(path) as con:
            db.record_change(con, "prova", "login_failed", None, None, f"tentativo {n}")
    assert _change_row_groups(path) == before + 5

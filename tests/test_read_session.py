"""Issue 12, cold pages: one read-only connection per page run (db.read_session) instead of one per query, and a
loader in another process that still gets the file while a page runs and after it."""
import subprocess
import sys
import threading
import time

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest import DATA, ROOT, SAMPLES
from cruscotto import db
from cruscotto.db import connection
from loaders.service import load_paths


@pytest.fixture()
def opened(monkeypatch):
    """Every opening of a database file by cruscotto.db, as (path, read_only)."""
    calls = []
    connect = connection.connect

    def counted(path, read_only=False, **options):
        calls.append((str(path), read_only))
        return connect(path, read_only=read_only, **options)

    monkeypatch.setattr(connection, "connect", counted)
    return calls


@pytest.fixture()
def small_db(tmp_path):
    path = tmp_path / "one.duckdb"
    assert [r.status for r in load_paths(path, [DATA / SAMPLES["alba"]])] == ["loaded"]
    return path


def other_process(script: str, *args, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n" % str(ROOT) + script,
                           *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


WRITE_ONE_CHANGE = """
from cruscotto import db
con = db.connect_for_load(sys.argv[1])
con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, detail) "
            "VALUES (4242, now(), 'loader', 'test', 1, 'x.txt', 'written while a page reads')")
con.close()
print("written")
"""


def test_queries_inside_a_read_session_open_the_file_once(small_db, opened):
    with db.read_session(small_db) as session:
        for _ in range(3):
            with db.reading(small_db) as con:
                assert len(db.documents(con)) == 1
            with db.reading(str(small_db)) as con:        # the same file however it is named
                assert db.document_totals(con)["documents"] == 1
    assert opened == [(str(small_db), True)]
    assert session.opened == 1 and session.con is None   # closed when the block ends


def test_without_a_session_each_reading_opens_and_closes(small_db, opened):
    for _ in range(2):
        with db.reading(small_db) as con:
            db.documents(con)
    assert len(opened) == 2


def test_a_session_opens_the_file_only_when_a_query_needs_it(small_db, opened):
    with db.read_session(small_db):
        pass                                           # a page whose queries were all cached
    assert opened == []
    assert not db.reader_waiting(small_db)


def test_the_file_is_free_for_another_process_once_the_session_ends(small_db):
    with db.read_session(small_db):
        with db.reading(small_db) as con:
            db.documents(con)
        assert db.reader_waiting(small_db)             # a loader between two batches would let the file go
    assert not db.reader_waiting(small_db)
    started = time.monotonic()
    done = other_process(WRITE_ONE_CHANGE, small_db)
    assert done.stdout.strip() == "written", done.stderr[-2000:]
    assert time.monotonic() - started < db.TURN_WAIT     # nobody inside: it opened at once
    with db.reading(small_db) as con:
        assert db.first_row(con, "SELECT editor FROM changes WHERE change_id = 4242") == ("loader",)


def test_a_loader_writes_while_a_page_session_goes_on_reading(small_db):
    """The loader asks for the file (<db>.want) while the session holds it open: the session's next query lets
    it go, the loader writes, and the session opens the file again and sees the new row."""
    with db.read_session(small_db) as session:
        with db.reading(small_db) as con:
            db.documents(con)
        loader = subprocess.Popen([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n" % str(ROOT)
                                   + WRITE_ONE_CHANGE, str(small_db)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT)
        seen = None
        deadline = time.monotonic() + 60
        while seen is None and time.monotonic() < deadline:
            with db.reading(small_db) as con:             # a page's queries, one after another
                assert len(db.documents(con)) == 1
                seen = db.first_row(con, "SELECT editor FROM changes WHERE change_id = 4242")
            time.sleep(0.02)
        out, err = loader.communicate(timeout=60)
        assert (loader.returncode, out.strip()) == (0, "written"), err[-2000:]
        assert seen == ("loader",)
        assert session.opened >= 2                     # it let the file go and opened it again


def test_a_write_on_the_session_thread_closes_the_session_first(small_db):
    """DuckDB refuses a writer beside a reader of the same file in one process: a correction saved during a
    page run closes the page's connection, and the next query opens the file again and sees the change."""
    with db.read_session(small_db) as session:
        with db.reading(small_db) as con:
            before = db.first_row(con, "SELECT count(*) FROM changes")[0]
        with db.writing(small_db) as con:
            db.record_change(con, "editor", "test", 1, "x.txt", "a correction")
        assert session.con is None
        with db.reading(small_db) as con:
            assert db.first_row(con, "SELECT count(*) FROM changes")[0] == before + 1
    assert session.opened == 2


def test_another_threads_write_waits_for_the_session_to_end(small_db):
    """Inside one process, a write of another thread (another person's correction) waits for a page run's
    session to end: DuckDB refuses a writer beside an open reader of the same file."""
    written = []
    with db.read_session(small_db):
        with db.reading(small_db) as con:
            db.documents(con)

        def correction():
            with db.writing(small_db) as con:
                db.record_change(con, "editor", "test", 1, "x.txt", "another person's correction")
            written.append(True)

        other = threading.Thread(target=correction)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive() and written == []
    other.join(timeout=30)
    assert written == [True]


def test_two_page_runs_waiting_on_each_others_cache_entries_both_finish(small_db):
    """Two people's page runs at once: the first holds its session and then needs a cache entry the second is
    computing, while the second reads the database for it (Streamlit computes an entry under a lock of its own).
    Reads share their turn, so the second is not waiting for the first run to end, and both finish."""
    entry = threading.Lock()                 # the cache entry both runs need
    entry_taken, done = threading.Event(), []

    def second_run():
        with entry:
            entry_taken.set()
            with db.read_session(small_db), db.reading(small_db) as con:
                time.sleep(0.2)
                done.append(("second", len(db.documents(con))))

    with db.read_session(small_db):
        with db.reading(small_db) as con:
            db.documents(con)
        other = threading.Thread(target=second_run, daemon=True)
        other.start()
        assert entry_taken.wait(10)
        assert entry.acquire(timeout=20), "the two page runs wait for each other"
        entry.release()
        with db.reading(small_db) as con:
            done.append(("first", len(db.documents(con))))
    other.join(timeout=10)
    assert sorted(done) == [("first", 1), ("second", 1)]


def test_a_broken_query_leaves_the_session_usable(small_db):
    with db.read_session(small_db) as session:
        with pytest.raises(duckdb.Error):
            with db.reading(small_db) as con:
                con.execute("SELECT no_such_column FROM documents")
        assert session.con is None                     # let go: the next query starts afresh
        with db.reading(small_db) as con:
            assert len(db.documents(con)) == 1


def test_an_old_file_still_gets_its_missing_tables_at_every_opening(tmp_path):
    """The check of the file's tables is skipped only for a file seen whole; one written before area names
    (no area_aliases) is given its empty stand-in each time it is opened."""
    path = tmp_path / "old.duckdb"
    load_paths(path, [DATA / SAMPLES["alba"]])
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE area_aliases")
    con.close()
    for _ in range(2):
        with db.reading(path) as con:
            assert db.first_row(con, "SELECT count(*) FROM area_aliases") == (0,)
            assert len(db.indicators(con)) > 0


def test_a_whole_file_is_checked_once_until_it_changes(small_db, monkeypatch):
    checks = []
    prepare = connection._prepare
    monkeypatch.setattr(connection, "_prepare", lambda con: checks.append(1) or prepare(con))
    connection._CURRENT_FILES.clear()
    for _ in range(3):
        with db.reading(small_db) as con:
            db.documents(con)
    assert len(checks) == 1
    with db.writing(small_db) as con:
        db.record_change(con, "editor", "test", 1, "x.txt", "the file changes")
    with db.reading(small_db) as con:
        db.documents(con)
    assert len(checks) == 2


def test_a_page_run_opens_the_database_once(sample_db, monkeypatch, opened):
    """Through the entry script, as the server runs a page (AppTest alone runs a page file by itself while the
    app has a pages/ folder; the server only until dashboard.py's st.navigation): the sidebar's and the page's
    queries share one connection."""
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    made = PagesManager.__init__

    def without_pages_folder(self, *args, **kwargs):
        made(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", without_pages_folder)
    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    for page in ("consorzio", "indicatori", "cronoprogramma"):
        app.switch_page(f"pages/{page}.py")
        st.cache_data.clear()
        st.cache_resource.clear()
        opened.clear()
        app.run()
        assert not app.exception, app.exception
        assert len(app.sidebar.multiselect) > 0          # the entry script ran: its filters are drawn
        assert opened == [(str(sample_db), True)], page
        assert not db.reader_waiting(sample_db)          # and nothing holds the file between runs


def test_the_corrected_reading_is_worked_out_once_per_session_and_again_after_a_write(small_db, monkeypatch):
    from cruscotto.db import views

    looks = []
    views_of = views._views_of
    monkeypatch.setattr(views, "_views_of", lambda con: looks.append(1) or views_of(con))
    with db.read_session(small_db):
        for _ in range(3):
            with db.reading(small_db) as con:
                db.documents(con)
                db.indicators(con, limit=5)
        assert len(looks) == 1
        with db.writing(small_db) as con:              # a correction changes what the views must apply
            db.record_change(con, "editor", "test", 1, "x.txt", "a write")
        assert len(looks) == 2                         # the write looks once, for the summaries it stores
        with db.reading(small_db) as con:
            db.documents(con)
        assert len(looks) == 3
    with db.reading(small_db) as con:                  # outside a session: looked at each time
        db.documents(con)
        db.documents(con)
    assert len(looks) == 5

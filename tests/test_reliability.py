"""Nothing lost when things break or run at once: killed loads, a dashboard reading during a load, two
uploads at the same moment. Real processes, real SIGKILLs."""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from conftest import DATA, ROOT, SAMPLES
from cruscotto import db
from loaders import parse_text
from loaders.rows import document_rows
from loaders.service import load_paths, prepare, save


def copies(folder, count):
    """count distinct documents made from the five samples: each copy names its own consortium, so it is
    neither the same bytes nor the same report as another (both would be skipped)."""
    folder.mkdir(exist_ok=True)
    samples = sorted(DATA.glob("*.txt"))
    for n in range(count):
        sample = samples[n % len(samples)]
        (folder / f"{sample.stem}_{n:03d}.txt").write_bytes(f"Consorzio Copia {n}\n".encode() + sample.read_bytes())
    return folder


EXPECTED = {}


def expected_counts(name: str) -> tuple:
    stem = re.sub(r"_\d{3}$", "", name.rsplit(".", 1)[0])
    if stem not in EXPECTED:
        rows = document_rows(parse_text((DATA / f"{stem}.txt").read_text(encoding="utf-8"))[1])
        EXPECTED[stem] = tuple(len(rows[t]) for t in ("objectives", "milestones", "indicators", "budget_lines"))
    return EXPECTED[stem]


def check_whole_documents(path) -> int:
    """Every stored document has all its rows, and no row lacks its document. Returns the documents."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        for name, *counts in con.execute("""
                SELECT d.source_name,
                  (SELECT count(*) FROM objectives o WHERE o.document_id = d.document_id),
                  (SELECT count(*) FROM milestones m JOIN objectives o USING (objective_id) WHERE o.document_id = d.document_id),
                  (SELECT count(*) FROM indicators i JOIN objectives o USING (objective_id) WHERE o.document_id = d.document_id),
                  (SELECT count(*) FROM budget_lines b WHERE b.document_id = d.document_id)
                FROM documents d""").fetchall():
            assert tuple(counts) == expected_counts(name), name
        orphans = con.execute("""
            SELECT (SELECT count(*) FROM objectives WHERE document_id NOT IN (SELECT document_id FROM documents))
                 + (SELECT count(*) FROM milestones WHERE objective_id NOT IN (SELECT objective_id FROM objectives))
                 + (SELECT count(*) FROM indicators WHERE objective_id NOT IN (SELECT objective_id FROM objectives))
                 + (SELECT count(*) FROM quality_issues WHERE document_id NOT IN (SELECT document_id FROM documents))
        """).fetchall()[0][0]
        assert orphans == 0
        return con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    finally:
        con.close()


def loader(path, folder):
    return subprocess.Popen([sys.executable, "-m", "loaders", "--db", str(path), str(folder)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("trial", range(3))
def test_killed_load_leaves_only_whole_documents_and_a_rerun_completes(tmp_path, trial):
    folder = copies(tmp_path / "docs", 40)
    path = tmp_path / "killed.duckdb"
    process = loader(path, folder)
    time.sleep(random.Random(trial).uniform(1.0, 2.5))       # python start-up takes about a second
    process.send_signal(signal.SIGKILL)
    process.wait()
    if path.exists():
        check_whole_documents(path)
    results = load_paths(path, [folder])
    assert {r.status for r in results} <= {"loaded", "unchanged"}
    assert check_whole_documents(path) == 40


def test_dashboard_reads_while_another_process_loads(tmp_path):
    path = tmp_path / "shared.duckdb"
    load_paths(path, [DATA / SAMPLES["alba"]])
    process = loader(path, copies(tmp_path / "docs", 60))
    reads, busy = 0, 0
    while process.poll() is None:
        try:
            with db.reading(path) as con:
                db.documents(con)
            reads += 1
        except db.DatabaseBusy:
            busy += 1
        time.sleep(0.05)
    assert process.returncode == 0
    assert reads > 0 and busy == 0
    assert check_whole_documents(path) == 61


def test_command_line_loads_while_the_dashboard_reads(tmp_path):
    path = tmp_path / "open.duckdb"
    load_paths(path, [DATA / SAMPLES["cissac"]])
    reader = subprocess.Popen([sys.executable, "-c", """
import sys, time
from cruscotto import db
end = time.time() + 6
while time.time() < end:
    with db.reading(sys.argv[1]) as con:
        db.documents(con); db.indicators(con)
""", str(path)], cwd=ROOT)
    try:
        time.sleep(1.5)
        results = load_paths(path, [DATA])
        assert [r.status for r in results].count("loaded") == 4
    finally:
        reader.wait(timeout=30)
    assert reader.returncode == 0


def test_two_uploads_at_the_same_moment_are_both_saved(tmp_path):
    path = tmp_path / "uploads.duckdb"
    db.connect(path).close()
    errors = []

    def upload(key):
        try:
            data = (DATA / SAMPLES[key]).read_bytes()
            prepared = prepare(f"{key}.txt", data, db.document_index(path))
            with db.writing(path) as con:
                save(db.DocumentWriter(con), prepared, editor=f"editor {key}")
        except Exception as exc:  # pragma: no cover - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(key,)) for key in ("alba", "cissac", "iris")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    con = duckdb.connect(str(path), read_only=True)
    assert sorted(r[0] for r in con.execute("SELECT editor FROM changes").fetchall()) == \
        ["editor alba", "editor cissac", "editor iris"]
    con.close()


# ---------------------------------------------------------------------------- issue 10, item 7: restore during a load

def loader_with_output(path, folder):
    return subprocess.Popen([sys.executable, "-m", "loaders", "--db", str(path), str(folder)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def reported_loaded(out: str) -> list[str]:
    return re.findall(r"\] caricato\s+(\S+) \[", out)


def stored_with_audit(path) -> set[str]:
    """Names of the documents the file holds together with their 'caricato' audit row."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name for (name,) in con.execute(
            "SELECT d.source_name FROM documents d JOIN changes c ON c.document_id = d.document_id "
            "AND c.action = 'caricato'").fetchall()}
    finally:
        con.close()


def test_issue10_a_restore_during_a_command_line_load_is_refused_and_nothing_reported_is_lost(tmp_path, sample_db):
    from cruscotto import backup

    archive = backup.export_zip(sample_db)
    path = tmp_path / "live.duckdb"
    process = loader_with_output(path, copies(tmp_path / "docs", 100))
    first = process.stdout.readline()                 # one document saved: the load is under way
    assert "caricato" in first, first + process.stderr.read()
    # A hundred documents load in well under a second now: the loader is paused, holding its lock, so that the
    # restore surely meets the load under way rather than a load that has just ended.
    os.kill(process.pid, signal.SIGSTOP)
    try:
        with pytest.raises(db.LoadInProgress):
            backup.restore_zip(archive, path, "Maria Rossi", wait=0.5)
    finally:
        os.kill(process.pid, signal.SIGCONT)
    out = first + process.stdout.read()
    assert process.wait() == 0, process.stderr.read()
    reported = reported_loaded(out)
    assert len(reported) == 100
    assert set(reported) <= stored_with_audit(path)
    assert check_whole_documents(path) == 100
    assert not (tmp_path / "live.duckdb.ripristino").exists()
    assert backup.restore_zip(archive, path, "Maria Rossi")["documents"] == 5      # the load over, it may go


def test_issue10_a_load_started_during_a_restore_waits_and_loads_into_the_restored_file(tmp_path, sample_db):
    from cruscotto import backup

    archive = backup.export_zip(sample_db)
    path = tmp_path / "live.duckdb"
    load_paths(path, [DATA / SAMPLES["alba"]])
    with db.run_lock(path, exclusive=True):           # a restore under way, held until the loader has met it
        process = loader_with_output(path, copies(tmp_path / "docs", 20))
        waiting = process.stdout.readline()
        assert waiting.startswith("Ripristino del database in corso: attendo"), waiting + process.stderr.read()
        assert backup.restore_zip(archive, path, "Maria Rossi")["documents"] == 5
    out = process.stdout.read()
    assert process.wait() == 0, process.stderr.read()
    reported = reported_loaded(out)
    # The copies of sample 001 keep its issuer, and the restored file holds sample 001: the loader skips them
    # as the same report, which shows it read the restored file, not the one it found when it started.
    skipped = re.findall(r"\] saltato\s+(001_\S+): è lo stesso rapporto di «001_", out)
    assert (len(reported), len(skipped)) == (16, 4), out
    assert set(reported) <= stored_with_audit(path)
    assert check_whole_documents(path) == 5 + 16      # the backup's five, then the sixteen loaded after it
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM changes WHERE action = 'ripristinato'").fetchall() == [(1,)]
    con.close()


def test_issue10_a_restore_inside_this_threads_own_writes_is_refused_at_once(tmp_path, sample_db):
    from cruscotto import backup

    archive = backup.export_zip(sample_db)
    path = tmp_path / "own.duckdb"
    db.connect(path).close()
    started = time.monotonic()
    with db.writing(path):
        with pytest.raises(db.LoadInProgress):
            backup.restore_zip(archive, path, "x")
    assert time.monotonic() - started < 2            # refused, not waited for (nor deadlocked)
    assert backup.restore_zip(archive, path, "x")["documents"] == 5


def test_issue10_a_dashboard_write_during_a_restore_waits_and_writes_into_the_restored_file(tmp_path, sample_db):
    from cruscotto import backup

    archive = backup.export_zip(sample_db)
    path = tmp_path / "dash.duckdb"
    db.connect(path).close()
    deleted = []

    def delete_one():
        with db.writing(path) as con:
            deleted.append(db.delete_document(con, 1, "Maria Rossi"))

    with db.run_lock(path, exclusive=True):
        writer = threading.Thread(target=delete_one)
        writer.start()
        time.sleep(0.3)
        assert deleted == []                         # waiting for the restore
        backup.restore_zip(archive, path, "x")
    writer.join(timeout=30)
    assert deleted and deleted[0] is not None        # document 1 of the restored file
    assert snapshot_count(path) == 4


def snapshot_count(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    finally:
        con.close()


def test_issue10_a_document_reported_loaded_but_missing_from_the_file_is_an_error(tmp_path, monkeypatch, capsys):
    """The safety net under the lock: a program that swaps the file without taking it (here, by hand,
    after the first document) cannot make the loader report a document saved that the file lacks."""
    import os

    from loaders import __main__ as command, service

    path = tmp_path / "swapped.duckdb"
    real_commit, calls = db.DocumentWriter.commit, []

    def commit_then_swap(writer):
        written = real_commit(writer)
        if not calls:
            other = tmp_path / "other.duckdb"
            db.connect(other).close()
            os.replace(other, path)
        calls.append(written)
        return written

    monkeypatch.setattr(db.DocumentWriter, "commit", commit_then_swap)
    monkeypatch.setattr(service, "BATCH_DOCUMENTS", 1)   # one document per transaction
    monkeypatch.setattr(service, "HOLD_SECONDS", 0)      # a new connection, to the swapped file, for each file
    monkeypatch.setattr(service, "HOLD_PER_LET_GO", 0)
    assert command.main(["--db", str(path), str(DATA)]) == 1
    err = capsys.readouterr().err
    assert f"ERRORE     {SAMPLES['alba']}: dato per salvato ma assente dal database" in err
    assert "ERRORE: 1 documento dato per caricato non è nel database" in err
    assert stored_with_audit(path) == {SAMPLES[k] for k in ("inrete", "cissac", "crema", "iris")}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("runuser"),
                    reason="needs root to act as another user")
def test_a_lock_file_left_by_another_user_does_not_block_the_dashboards_writes():
    """The review's case: root runs the loader once (its lock file is root's, 0644); the dashboard, running
    as another user, must still write."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="lock-owner-"))
    try:
        folder.chmod(0o777)
        database = folder / "c.duckdb"
        with db.writing(database):                       # root makes the database and its lock file
            pass
        shutil.chown(database, "nobody")
        assert db.lock_path(database).stat().st_uid == 0
        script = ("import sys; sys.path.insert(0, %r)\n"
                  "from cruscotto import db\n"
                  "with db.writing(%r) as con: print(con.execute('SELECT count(*) FROM changes').fetchone()[0])"
                  % (str(ROOT), str(database)))
        done = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-c", script],
                              capture_output=True, text=True, timeout=60, cwd=folder)
        assert (done.returncode, done.stdout.strip()) == (0, "0"), done.stderr[-500:]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_loader_sees_a_reader_asking_for_its_turn(tmp_path):
    path = tmp_path / "turns.duckdb"
    db.connect(path).close()
    assert not db.reader_waiting(path)
    with db.reading(path):
        assert db.reader_waiting(path)
    assert not db.reader_waiting(path)
    db.connect_for_load(path).close()             # nobody inside: it opens at once


def test_a_new_database_file_appears_only_with_its_tables(tmp_path, monkeypatch):
    from cruscotto.db import connection

    path = tmp_path / "new.duckdb"
    monkeypatch.setattr(connection, "SCHEMA", "CREATE TABLE documents (document_id INTEGER); SELECT broken FROM;")
    with pytest.raises(duckdb.ParserException):
        db.connect(path)
    assert list(tmp_path.iterdir()) == []                 # nothing half-made, nothing left beside
    monkeypatch.undo()
    db.connect(path).close()
    assert check_whole_documents(path) == 0

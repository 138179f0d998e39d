"""A full disk (issue 10, item 8): nothing half-written, 'spazio su disco esaurito' instead of a traceback or
'errore imprevisto', no leftover restore file, the current database untouched.

Two real ways to fill a disk: a 2 MB tmpfs (needs root and Linux; skipped elsewhere) and, everywhere on
Linux/macOS, a process whose files may not grow past RLIMIT_FSIZE (the kernel answers EFBIG, DuckDB
'File too large'), with SIGXFSZ ignored so that the write fails instead of killing the process."""
import errno
import io
import os
import platform
import shutil
import subprocess
import sys
import zipfile

import duckdb
import pytest

from conftest import DATA, ROOT
from cruscotto import backup, db
from test_reliability import check_whole_documents, copies

LIMITED = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv[0] = sys.argv[1]
runpy.run_module(sys.argv.pop(1), run_name="__main__", alter_sys=True)
"""


def run(module: str, *args, limit: int | None = None) -> subprocess.CompletedProcess:
    """python -m module args, its files limited to `limit` bytes when given."""
    if limit is None:
        command = [sys.executable, "-m", module, *map(str, args)]
    else:
        pytest.importorskip("resource", reason="RLIMIT_FSIZE needs a POSIX system")
        command = [sys.executable, "-c", LIMITED, str(limit), module, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture()
def small_disk(tmp_path):
    """A 2 MB filesystem of its own (tmpfs), unmounted afterwards."""
    if platform.system() != "Linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root on Linux (the RLIMIT_FSIZE tests cover the rest)")
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder) -> None:
    """Take whatever space the filesystem still has."""
    with open(folder / "riempitivo", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError as exc:
            assert exc.errno in (errno.ENOSPC, errno.EFBIG)


def snapshot(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return db.table_counts(con), con.execute("SELECT source_name, sha256 FROM documents ORDER BY 1").fetchall()
    finally:
        con.close()


def assert_load_stopped_whole(out: subprocess.CompletedProcess, path) -> None:
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "Traceback" not in text and "errore imprevisto" not in text, text
    assert "spazio su disco esaurito" in text
    assert "Caricamento interrotto: spazio su disco esaurito" in out.stderr
    loaded = text.count("] caricato ")
    assert 0 < loaded < 60
    assert check_whole_documents(path) == loaded          # every document reported loaded, whole; no other


def assert_restore_refused(out: subprocess.CompletedProcess, target, before) -> None:
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    assert "Operazione non riuscita: spazio su disco esaurito: il database è rimasto com'era" in out.stderr
    assert not list(target.parent.glob("*.ripristino*"))
    assert snapshot(target) == before


def test_issue10_loader_on_a_full_disk_says_so_and_leaves_whole_documents(tmp_path, small_disk):
    path = small_disk / "cruscotto.duckdb"
    assert_load_stopped_whole(run("loaders", "--db", path, copies(tmp_path / "docs", 60)), path)


def test_issue10_loader_past_its_file_size_limit_says_so_and_leaves_whole_documents(tmp_path):
    path = tmp_path / "limited.duckdb"
    assert_load_stopped_whole(run("loaders", "--db", path, copies(tmp_path / "docs", 60), limit=1_000_000), path)


@pytest.fixture()
def backup_file(tmp_path):
    """A backup of a database of many documents (bigger than what is left on the small disk)."""
    from loaders.service import load_paths

    source = tmp_path / "sorgente.duckdb"
    load_paths(source, [copies(tmp_path / "docs", 30)])
    archive = tmp_path / "copia.zip"
    archive.write_bytes(backup.export_zip(source))
    return archive


def test_issue10_restore_on_a_full_disk_says_so_and_leaves_nothing_behind(small_disk, backup_file):
    target = small_disk / "cruscotto.duckdb"
    from loaders.service import load_paths

    load_paths(target, [DATA / "000_5219ceada02bc870.txt"])
    fill(small_disk)
    before = snapshot(target)
    assert_restore_refused(run("cruscotto.backup", "ripristina", backup_file, "--db", target), target, before)


def test_issue10_restore_past_its_file_size_limit_says_so_and_leaves_nothing_behind(tmp_path, backup_file):
    from loaders.service import load_paths

    target = tmp_path / "limited.duckdb"
    load_paths(target, [DATA / "000_5219ceada02bc870.txt"])
    before = snapshot(target)
    out = run("cruscotto.backup", "ripristina", backup_file, "--db", target, limit=300_000)
    assert_restore_refused(out, target, before)


def test_issue10_export_to_a_full_disk_says_so_and_leaves_no_half_zip(small_disk, backup_file, tmp_path):
    source = tmp_path / "sorgente.duckdb"
    fill(small_disk)
    out = run("cruscotto.backup", "esporta", small_disk / "copia.zip", "--db", source)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "spazio su disco esaurito: la copia di sicurezza non è stata scritta" in out.stderr
    assert not (small_disk / "copia.zip").exists()


def test_issue10_a_failed_commit_is_reported_as_a_full_disk_not_as_a_rollback_error(tmp_path, monkeypatch):
    """Without a small disk: the write fails as DuckDB fails it, and the reason survives the rollback."""
    from loaders.service import load_paths
    from cruscotto import messages

    real_append = db.records.append_rows

    def append_then_fail(con, table, records):
        real_append(con, table, records)
        if table == "quality_issues":
            raise duckdb.IOException('IO Error: Could not write file "x.duckdb.wal": No space left on device')

    monkeypatch.setattr(db.records, "append_rows", append_then_fail)
    results = load_paths(tmp_path / "x.duckdb", [DATA])
    assert len(results) == 1                              # stopped at the first file: the rest would fail alike
    assert messages.about(results[0].status, results[0].error) == messages.REFUSALS["no_space"]
    assert check_whole_documents(tmp_path / "x.duckdb") == 0


def test_issue10_no_space_is_recognised_through_the_exception_chain():
    try:
        try:
            raise duckdb.TransactionException('Failed to commit: Could not write file "a.wal": No space left on device')
        except duckdb.Error:
            raise duckdb.TransactionException("TransactionContext Error: cannot rollback - no transaction is active")
    except duckdb.Error as exc:
        assert db.is_disk_full(exc)
    assert db.is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert not db.is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not db.is_disk_full(duckdb.TransactionException("cannot rollback - no transaction is active"))

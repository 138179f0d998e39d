"""Nothing lost when things break or run at once: killed loads, a dashboard reading during a load, two
uploads at the same moment. Real processes, real SIGKILLs."""
import random
import re
import signal
import subprocess
import sys
import threading
import time

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

"""Restore a backup while the command-line loader runs (issue 10, item 7): at a random moment of each trial
this process restores; afterwards every document the loader reported 'caricato' must be in the file with
its audit row. Prints, per trial, what the restore did and the documents reported vs found.

    .venv/bin/python benchmarks/restore_during_load.py [--trials 20] [--documents 60] [--wait 0.5]

A restore attempted while the loader holds the lock is refused after --wait seconds; one that comes before
the loader has taken it goes through, and the loader then waits for it and loads into the restored file.
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import duckdb  # noqa: E402

from cruscotto import backup, db  # noqa: E402
from loaders.service import load_paths  # noqa: E402
from test_reliability import copies  # noqa: E402


def stored_with_audit(path: Path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name for (name,) in con.execute(
            "SELECT d.source_name FROM documents d JOIN changes c ON c.document_id = d.document_id "
            "AND c.action = 'caricato'").fetchall()}
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--wait", type=float, default=0.5, help="how long a restore waits for a running load")
    args = parser.parse_args()
    rng = random.Random(2026)
    lost_total, outcomes = 0, {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = copies(tmp / "docs", args.documents)
        source = tmp / "source.duckdb"
        load_paths(source, [ROOT / "data"])
        archive = backup.export_zip(source)
        for trial in range(args.trials):
            path = tmp / f"trial_{trial}.duckdb"
            load_paths(path, [ROOT / "data" / "000_5219ceada02bc870.txt"])
            process = subprocess.Popen([sys.executable, "-m", "loaders", "--db", str(path), str(folder)], cwd=ROOT,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            delay = rng.uniform(0.5, 3.0)
            time.sleep(delay)
            started = time.monotonic()
            try:
                backup.restore_zip(archive, path, "benchmark", wait=args.wait)
                outcome = "restored"
            except db.LoadInProgress:
                outcome = "refused"
            took = time.monotonic() - started
            out, _ = process.communicate()
            reported = re.findall(r"\] caricato\s+(\S+) \[", out)
            found = stored_with_audit(path)
            missing = [name for name in reported if name not in found]
            lost_total += len(missing)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            waited = "waited for the restore" if "Ripristino del database in corso" in out else ""
            print(f"trial {trial:2d}: restore at {delay:.1f} s {outcome:8s} in {took:.2f} s; loader exit "
                  f"{process.returncode}, reported {len(reported):3d}, found {len(reported) - len(missing):3d}, "
                  f"missing {len(missing)} {waited}", flush=True)
    print(f"{args.trials} trials of {args.documents} documents: restores {outcomes}; documents reported loaded "
          f"but missing from the file: {lost_total}")


if __name__ == "__main__":
    main()

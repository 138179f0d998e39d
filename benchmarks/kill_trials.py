"""Kill the loader (SIGKILL) at random moments while it loads many documents; check after each kill that
the database holds only whole documents, and that a re-run completes the rest.

    .venv/bin/python benchmarks/kill_trials.py [--trials 50] [--documents 40]
"""
from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from loaders.service import load_paths  # noqa: E402
from test_reliability import check_whole_documents, copies  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--documents", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(2026)
    partial, failures, stored_at_kill = 0, 0, []
    with tempfile.TemporaryDirectory() as tmp:
        folder = copies(Path(tmp) / "docs", args.documents)
        for trial in range(args.trials):
            path = Path(tmp) / f"trial_{trial}.duckdb"
            process = subprocess.Popen([sys.executable, "-m", "loaders", "--db", str(path), str(folder)], cwd=ROOT,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.8, 3.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
            try:
                stored_at_kill.append(check_whole_documents(path) if path.exists() else 0)
                load_paths(path, [folder])
                if check_whole_documents(path) != args.documents:
                    failures += 1
            except AssertionError:
                partial += 1
    print(f"kill trials: {args.trials}; documents stored when killed: min {min(stored_at_kill)}, "
          f"max {max(stored_at_kill)}; half-loaded documents found: {partial}; re-runs that did not complete: "
          f"{failures}")


if __name__ == "__main__":
    main()

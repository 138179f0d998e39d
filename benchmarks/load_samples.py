"""Load the five samples many times over into a fresh database and print documents per second.

    .venv/bin/python benchmarks/load_samples.py [--copies 40] [--workers N] [--skip-parse]

Beside the loader it measures, in the same run and on the same files, the physical limit: read the bytes,
hash them, decode them and run one regular expression over every line. Each copy gets a distinct last
line, so every file has its own sha256 and is really loaded (identical bytes would be skipped).
Then it loads the same files again (all unchanged: nothing is parsed or written) and prints how long that took.
Prints the loader's peak memory (process RSS, and the largest worker's) and the CPU seconds spent by the
loader and by its worker processes: on a machine other programs keep busy, the wall clock says little.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import parse_text  # noqa: E402
from loaders.rows import document_rows  # noqa: E402
from loaders.service import extract, load_paths  # noqa: E402

LINE_PATTERN = re.compile(r"[^\t]+")


def make_copies(folder: Path, copies: int) -> list[Path]:
    files = []
    for sample in sorted((ROOT / "data").glob("*.txt")):
        data = sample.read_bytes()
        for n in range(copies):
            path = folder / f"{sample.stem}_{n:04d}.txt"
            path.write_bytes(f"Consorzio Copia {n}\n".encode() + data)    # another consortium: not a duplicate
            files.append(path)
    return files


def physical_limit(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        for line in data.decode("utf-8").splitlines():
            LINE_PATTERN.findall(line)
    return time.perf_counter() - start


def parse_only(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        extracted = extract(path.name, path.read_bytes())
        document_rows(parse_text(extracted.text, extracted.furniture)[1])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40, help="copies of each sample (default 40)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--skip-parse", action="store_true", help="do not time parsing alone (long at 10^4)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        files = make_copies(folder, args.copies)
        count = len(files)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        limit = physical_limit(files)
        parsing = parse_only(files) if not args.skip_parse else None
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu_before = os.times()
        start = time.perf_counter()
        results = load_paths(Path(tmp) / "bench.duckdb", [folder], workers=args.workers)
        loading = time.perf_counter() - start
        cpu = os.times()
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        loaded = sum(r.status == "loaded" for r in results)
        start = time.perf_counter()
        again = load_paths(Path(tmp) / "bench.duckdb", [folder], workers=args.workers)
        reloading = time.perf_counter() - start
        unchanged = sum(r.status == "unchanged" for r in again)
        limit_again = physical_limit(files)
    print(f"documents: {count} ({megabytes:.1f} MB), loaded: {loaded}")
    print(f"physical limit (read+hash+decode+regex per line): {count / limit:10.0f} doc/s  ({limit * 1000:.1f} ms)")
    if parsing is not None:
        print(f"parse + judge only (no database, one process):    {count / parsing:10.0f} doc/s  ({parsing * 1000:.1f} ms)")
    print(f"loader into DuckDB (workers + batches):            {count / loading:10.0f} doc/s  ({loading * 1000:.1f} ms)")
    print(f"loader / limit: {loading / limit:.1f}x"
          + (f"; parse only / limit: {parsing / limit:.1f}x" if parsing is not None else ""))
    print(f"loader CPU: {cpu.user + cpu.system - cpu_before.user - cpu_before.system:.1f} s in this process, "
          f"{cpu.children_user + cpu.children_system - cpu_before.children_user - cpu_before.children_system:.1f} s "
          f"in workers; wall {loading:.1f} s")
    print(f"re-load of the same files: {unchanged} unchanged in {reloading * 1000:.1f} ms "
          f"({reloading / limit_again:.2f}x the limit measured just after: {limit_again * 1000:.1f} ms)")
    print(f"peak memory (process RSS): {rss_peak:.0f} MB (before loading: {rss_before:.0f} MB); "
          f"largest worker: {rss_child:.0f} MB")


if __name__ == "__main__":
    main()

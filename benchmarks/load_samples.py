"""Load the five samples many times over into a fresh database and print documents per second.

    .venv/bin/python benchmarks/load_samples.py [--copies 40]

Beside the loader it measures, in the same run and on the same files, the physical limit: read the bytes,
hash them, decode them and run one regular expression over every line. Each copy gets a distinct last
line, so every file has its own sha256 and is really loaded (identical bytes would be skipped).
Prints the loader's peak memory (process RSS) as well.
"""
from __future__ import annotations

import argparse
import hashlib
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        files = make_copies(folder, args.copies)
        count = len(files)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        limit = physical_limit(files)
        parsing = parse_only(files)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        results = load_paths(Path(tmp) / "bench.duckdb", [folder])
        loading = time.perf_counter() - start
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        loaded = sum(r.status == "loaded" for r in results)
    print(f"documents: {count} ({megabytes:.1f} MB), loaded: {loaded}")
    print(f"physical limit (read+hash+decode+regex per line): {count / limit:10.0f} doc/s  ({limit * 1000:.1f} ms)")
    print(f"parse + judge only (no database):                 {count / parsing:10.0f} doc/s  ({parsing * 1000:.1f} ms)")
    print(f"loader into DuckDB (one transaction per document): {count / loading:10.0f} doc/s  ({loading * 1000:.1f} ms)")
    print(f"loader / limit: {loading / limit:.0f}x slower; parse only / limit: {parsing / limit:.0f}x")
    print(f"peak memory (process RSS): {rss_peak:.0f} MB (before loading: {rss_before:.0f} MB)")


if __name__ == "__main__":
    main()

"""Render time of every page on the sample database, cold (empty cache) and warm (a page switch).

    .venv/bin/python benchmarks/page_render.py [--runs 5] [--documents 1000] [--pages risorse documento]
                                               [--database /tmp/pages_1000.duckdb]

--documents N loads N copies of the five samples, each copy with its own issuer and year (the samples are
read once; each copy is written with its own name, hash, issuer and year), to see how pages grow with a
region's or a nation's documents.

--database keeps the database in that file: built when it does not exist, reused as it is when it does (to
compare code changes on the same data without building it again).

Uses Streamlit's AppTest, so it measures the server side of a page: queries, charts, tables (not the
browser's drawing). Prints one line per page with the median of the warm runs.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["panoramica", "raggiungimento", "indicatori", "cronoprogramma", "risorse", "punteggi", "qualita",
         "correzioni", "aree", "documento"]


def build_database(database: Path, documents: int) -> None:
    """The five samples, or `documents` copies of them, each copy its own consortium and year."""
    from dataclasses import replace

    from cruscotto import db
    from loaders.service import load_paths, prepare, save

    load_paths(database, [ROOT / "data"])
    if documents <= 5:
        return
    samples = sorted((ROOT / "data").glob("*.txt"))
    prepared = [prepare(path.name, path.read_bytes(), db.DocumentIndex(None)) for path in samples]
    with db.writing(database) as con:
        writer = db.DocumentWriter(con)
        for number in range(5, documents):
            sample = prepared[number % len(prepared)]
            copy = replace(sample, name=f"copia_{number:05d}_{sample.name}", sha256=f"{number:064x}",
                           replaces=[])
            save(writer, copy, issuer=f"Consorzio di prova {number // 5:04d}", report_year=2015 + number % 9,
                 editor="benchmark")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--documents", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=PAGES, help="only these pages")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one page run may take")
    parser.add_argument("--database", type=Path, help="keep the database here (reused when it exists)")
    args = parser.parse_args()
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or Path(tmp) / "samples.duckdb"
        if not database.exists():
            started = time.perf_counter()
            build_database(database, args.documents)
            print(f"{args.documents} documenti caricati in {time.perf_counter() - started:.1f} s")
        os.environ["CRUSCOTTO_DB"] = str(database)
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=args.timeout)
        print(f"{'pagina':<16}{'a freddo (ms)':>15}{'mediana a caldo (ms)':>24}")
        for page in args.pages:
            times = []
            for run in range(args.runs + 1):
                if page != "panoramica":
                    app.switch_page(f"pages/{page}.py")
                started = time.perf_counter()
                app.run()
                times.append((time.perf_counter() - started) * 1000)
                assert not app.exception, (page, app.exception)
            print(f"{page:<16}{times[0]:>15.0f}{statistics.median(times[1:]):>24.0f}")


if __name__ == "__main__":
    main()

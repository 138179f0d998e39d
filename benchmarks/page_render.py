"""Render time of every page on the sample database, cold (empty cache) and warm (a page switch).

    .venv/bin/python benchmarks/page_render.py [--runs 5] [--documents 1000] [--pages risorse documento]
                                               [--database /tmp/pages_1000.duckdb]

--documents N loads N copies of the five samples, each copy with its own issuer and year (the samples are
read once; each copy is written with its own name, hash, issuer and year), to see how pages grow with a
region's or a nation's documents.

--database keeps the database in that file: built when it does not exist, reused as it is when it does (to
compare code changes on the same data without building it again).

Uses Streamlit's AppTest, so it measures the server side of a page: queries, charts, tables (not the
browser's drawing). Each page's cold run starts with empty caches (st.cache_data and st.cache_resource
cleared, and the counts cruscotto.db keeps for a state of the file: as after a load), after one run of the entry script that pays for the imports. Prints one line per
page: the cold run, the median and the 95th percentile of the warm runs, how many times the database file
was opened in the cold run, the sum and the slowest of its query calls (every cruscotto.db function taking
a connection, timed as benchmarks/run.py does), and the process's CPU time of the cold and the warm runs (every
thread: on a busy machine the wall times mostly measure the others); --queries also lists each query of the cold
run.

Every page runs as the server runs it: its scripts compiled once (--compile-each-run: at every run, as AppTest
alone does), through the entry script (dashboard.py: the sidebar, the read session,
then the page). AppTest alone runs a page file by itself when the app has a pages/ folder (Streamlit's first
way of making multipage apps; the server leaves it after the entry script's first st.navigation); --alone
measures that way, as benchmarks/run.py does.
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["panoramica", "consorzio", "raggiungimento", "indicatori", "cronoprogramma", "risorse", "punteggi",
         "qualita", "correzioni", "aree", "documento"]


def up_to_date(database: Path) -> None:
    """A database reused from an earlier run made as this version's writes leave a file: the pages' summaries
    stored (an empty write stores them when they are not current)."""
    from cruscotto import db

    with db.writing(database):
        pass


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


def timed_queries(log: list, opened: list) -> None:
    """Wrap every query function of cruscotto.db (first argument a connection) so that its calls are timed
    into log, as (name, ms); and the opening of the database file, counted into opened."""
    import functools
    import inspect

    from cruscotto import db
    from cruscotto.db import connection

    for name, function in list(vars(db).items()):
        if (not inspect.isfunction(function) or not function.__module__.startswith(db.__name__ + ".")
                or name.startswith("_")):
            continue
        params = list(inspect.signature(function).parameters)
        if not params or params[0] != "con":
            continue

        def wrapper(*args, __f=function, __name=name, **kwargs):
            start = time.perf_counter()
            try:
                return __f(*args, **kwargs)
            finally:
                log.append((__name, (time.perf_counter() - start) * 1000))

        setattr(db, name, functools.wraps(function)(wrapper))
    connect = connection.connect

    def counted_connect(*args, **kwargs):
        opened.append(1)
        return connect(*args, **kwargs)

    connection.connect = counted_connect


def through_entry_script() -> None:
    """AppTest runs dashboard.py at every run, which runs the page chosen (st.navigation), as the server does:
    AppTest sets the pages/ folder way anew before each run, the server only until st.navigation is called."""
    from streamlit.runtime.pages_manager import PagesManager

    made = PagesManager.__init__

    def without_pages_folder(self, *args, **kwargs):
        made(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = without_pages_folder


def compiled_once() -> None:
    """Every run compiles the entry script and the page from a cache shared by every run, as the server does
    (one ScriptCache per runtime): AppTest makes a new cache at each run, and compiling dashboard.py and a page
    anew (with Streamlit's magic) cost 20-40 ms of every warm run that the server never pays."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    local_script_runner.ScriptCache = app_test.ScriptCache = lambda: shared


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: percentile([1, 2, 3, 4], 0.95) -> 4."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--documents", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=PAGES, help="only these pages")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one page run may take")
    parser.add_argument("--database", type=Path, help="keep the database here (reused when it exists)")
    parser.add_argument("--queries", action="store_true", help="list each query of every cold run")
    parser.add_argument("--alone", action="store_true", help="each page file by itself, without dashboard.py")
    parser.add_argument("--compile-each-run", action="store_true",
                        help="compile the scripts at every run, as AppTest does (figures before 2 December 2026)")
    args = parser.parse_args()
    if not args.alone:
        through_entry_script()
    if not args.compile_each_run:
        compiled_once()
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cruscotto.db import queries

    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or Path(tmp) / "samples.duckdb"
        if not database.exists():
            started = time.perf_counter()
            build_database(database, args.documents)
            print(f"{args.documents} documenti caricati in {time.perf_counter() - started:.1f} s")
        else:
            up_to_date(database)
        os.environ["CRUSCOTTO_DB"] = str(database)
        log: list[tuple[str, float]] = []
        opened: list[int] = []
        timed_queries(log, opened)
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=args.timeout)
        app.run()                                  # imports and the entry script's first run: no page's time
        print(f"{'pagina':<16}{'a freddo':>9}{'a caldo: mediana':>18}{'p95':>6}{'aperture':>10}"
              f"{'query: somma':>14}{'max':>6}{'CPU: a freddo':>15}{'a caldo':>9}{'p95':>6}   (ms)")
        for page in args.pages:
            times, cpu = [], []                   # cpu: this process's CPU time, every thread (DuckDB's too)
            for run in range(args.runs + 1):
                if page == "panoramica":           # a function page: AppTest switches only to files
                    if run == 0:
                        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=args.timeout)
                else:
                    app.switch_page(f"pages/{page}.py")
                if run == 0:
                    st.cache_data.clear()
                    st.cache_resource.clear()      # the figures the pages keep (ui.query_chart)
                    queries.forget_kept_for_state()  # the counts kept for this state of the file, as after a load
                    log.clear()
                    opened.clear()
                started, used = time.perf_counter(), time.process_time()
                app.run()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
                assert not app.exception, (page, app.exception)
                if run == 0:
                    cold_queries, cold_opened = list(log), len(opened)
            warm = times[1:] or [float("nan")]
            query_ms = [ms for _, ms in cold_queries] or [0.0]
            print(f"{page:<16}{times[0]:>9.0f}{statistics.median(warm):>18.0f}{percentile(warm, 0.95):>6.0f}"
                  f"{cold_opened:>10}{sum(query_ms):>14.0f}{max(query_ms):>6.0f}{cpu[0]:>15.0f}"
                  f"{statistics.median(cpu[1:] or [float('nan')]):>9.0f}{percentile(cpu[1:] or [float('nan')], 0.95):>6.0f}",
                  flush=True)
            if args.queries:
                for name, ms in sorted(cold_queries, key=lambda q: -q[1]):
                    print(f"    {name:<28}{ms:>8.1f}")


if __name__ == "__main__":
    main()

"""Render time of every page on the sample database, cold (empty cache) and warm (a page switch).

    .venv/bin/python benchmarks/page_render.py [--runs 5]

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
         "documento"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from loaders.service import load_paths
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "samples.duckdb"
        load_paths(database, [ROOT / "data"])
        os.environ["CRUSCOTTO_DB"] = str(database)
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        print(f"{'pagina':<16}{'a freddo (ms)':>15}{'mediana a caldo (ms)':>24}")
        for page in PAGES:
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

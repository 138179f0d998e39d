"""The figures of issue 12, one line each (`name value unit`), and the same as JSON.

    .venv/bin/python benchmarks/run.py [--docs 1000] [--json figures.json] [--loader-only]

What it does, in order:
1. writes a corpus of --docs documents (benchmarks/corpus.py: the samples varied, a share as .docx and PDF);
2. the physical limit on those files: read the bytes, hash them, decode them, one regex pass over the lines;
3. loads the corpus into an empty database in a child process (peak memory of the load as a whole: the summed
   PSS of that process, its workers and their readers; and of the writer process alone) and checks that
   every file gives the counts of the manifest (corpus_mismatches: files that do not); loads it again
   (every file unchanged: time and rows written);
4. pages: for each size of --page-sizes (default 100 and --docs) a database of that many documents made by
   copying the prepared samples with their own issuer and year (benchmarks/page_render.py: fast enough for
   10^4; --page-databases DIR keeps them for the next run); in a child process every page of the dashboard
   rendered by AppTest through the entry script, as the server runs it (dashboard.py: the sidebar, the read
   session, then the page): cold (empty caches) once, warm --warm-runs times; every db query the pages call is timed; the largest plotly figure sent; the process RSS
   after all pages. Page figures are those of the largest size; the growth exponents are the slopes of
   log(time) against log(documents) over the sizes;
5. PDF pages per second (text PDFs of the samples) and Excel template rows per second.

load_10k_s is measured when --docs >= 10000, else extrapolated linearly from --docs (the JSON's "notes"
says which).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PYTHON = sys.executable
LINE_PATTERN = re.compile(r"[^\t]+")
UNITS = {
    "corpus_docs": "docs", "corpus_mismatches": "files", "limit_docs_per_s": "docs/s", "loader_docs_per_s": "docs/s",
    "loader_vs_limit": "x", "reload_vs_limit": "x", "reload_rows_written": "rows", "load_10k_s": "s",
    "loader_rss_mb": "MB", "loader_writer_rss_mb": "MB", "loader_tree_rss_mb": "MB", "query_p95_ms": "ms",
    "page_queries_max_ms": "ms", "page_p95_ms": "ms",
    "page_cold_max_ms": "ms", "chart_bytes_max": "bytes", "dashboard_rss_mb": "MB", "pdf_pages_per_s": "pages/s",
    "xlsx_rows_per_s": "rows/s", "page_warm_exponent": "", "page_cold_exponent": "", "query_exponent": "",
    "page_docs": "docs",
}
RECORD_TABLES = ("documents", "objectives", "milestones", "indicators", "budget_lines", "reported_totals", "scores",
                 "quality_issues")


def rss_mb() -> float:
    """This process's resident memory now (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)] if ordered else float("nan")


def slope(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) against log(size): 0 flat, 1 linear."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(t, 1e-6)) for t in times]
    if len(xs) < 2:
        return float("nan")
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def child(mode: str, *args: str, timeout: float | None = None) -> dict:
    """Run this script in a fresh process for one measurement; its last stdout line is JSON."""
    done = subprocess.run([PYTHON, __file__, "--child", mode, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"child {mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- loader

def physical_limit(files: list[Path]) -> float:
    """Seconds to read, hash, decode and scan every line of the files once (the floor any loader pays)."""
    start = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        for line in data.decode("utf-8", errors="replace").splitlines():
            LINE_PATTERN.findall(line)
    return time.perf_counter() - start


def _proc_kb(pid: int, file: str, field: str) -> int:
    """A field in kB of /proc/<pid>/<file> ('status' VmRSS, 'smaps_rollup' Pss); 0 for a process that has ended."""
    try:
        with open(f"/proc/{pid}/{file}") as found:
            for line in found:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _rss_kb(pid: int) -> int:
    """The resident memory of a process in kB from /proc/<pid>/statm (cheaper than status); 0 once it ended."""
    try:
        with open(f"/proc/{pid}/statm") as found:
            return int(found.read().split()[1]) * PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def descendants(root: int) -> list[int]:
    """The processes under root: a load's workers and the readers they start for PDF and Word files."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as found:
                    parent = int(found.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child_pid in children.get(todo.pop(), []):
            out.append(child_pid)
            todo.append(child_pid)
    return out


class LoadMemory:
    """Samples the memory of this process and of every process under it while a load runs, from a separate
    sampling process (a thread here took the writer's GIL: 18% of its samples in the profile): RSS every 50 ms
    (the process list every 0.5 s), PSS when their summed RSS passes its peak by PSS_STEP_KB since the last reading
    and every PSS_EVERY samples otherwise (the peak of PSS may be missed by as much). Keeps
    the peak of their summed PSS (each shared page counted once: what the load as a whole takes), of their summed
    RSS (shared libraries counted in each) and of this process (the writer). PSS is read at peaks only because
    reading smaps_rollup makes the kernel walk every page of a process."""

    def __init__(self):
        self.pss_kb = self.tree_kb = self.writer_kb = self.samples = 0

    def __enter__(self):
        self._sampler = subprocess.Popen([PYTHON, __file__, "--child", "memory", str(os.getpid())],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        return self

    def __exit__(self, *exc):
        out, _ = self._sampler.communicate("")    # its stdin closed: it stops and prints the peaks
        peaks = json.loads(out.strip().splitlines()[-1])
        self.pss_kb, self.tree_kb, self.writer_kb, self.samples = (
            peaks["pss_kb"], peaks["tree_kb"], peaks["writer_kb"], peaks["samples"])


# PSS is read again when the summed RSS passed its peak by this much since the last reading, and every PSS_EVERY
# samples (5 s): a reading walks every page (15 ms for a 600 MB process); read at every new peak it took 13% of a
# core during a 10^4 load (py-spy), every second 4% (6.7 CPU-s of a 170 s load), a share of the load's 2 cores
PSS_STEP_KB = 16 * 1024
PSS_EVERY = 100


def child_memory(writer: int) -> dict:
    """The sampling loop of LoadMemory, in its own process: runs until its stdin closes."""
    import select

    me, others, turn, read_at = os.getpid(), [], 0, 0
    peaks = dict(pss_kb=0, tree_kb=0, writer_kb=0, samples=0)
    while not select.select([sys.stdin], [], [], 0.05)[0]:
        if turn % 10 == 0:
            others = [pid for pid in descendants(writer) if pid != me]
        rss = [_rss_kb(pid) for pid in [writer] + others]
        peaks["writer_kb"] = max(peaks["writer_kb"], rss[0])
        if sum(rss) > max(peaks["tree_kb"], read_at + PSS_STEP_KB) or turn % PSS_EVERY == 0:
            pss = sum(_proc_kb(pid, "smaps_rollup", "Pss:") for pid in [writer] + others)
            peaks["pss_kb"], read_at = max(peaks["pss_kb"], pss), sum(rss)
        peaks["tree_kb"] = max(peaks["tree_kb"], sum(rss))
        turn += 1
        peaks["samples"] += 1
    return peaks


def child_load(database: str, folder: str) -> dict:
    from loaders.service import load_paths

    start = time.perf_counter()
    with LoadMemory() as memory:
        results = load_paths(Path(database), [Path(folder)])
    seconds = time.perf_counter() - start
    return dict(seconds=seconds, rss_mb=memory.pss_kb / 1024, tree_rss_mb=memory.tree_kb / 1024,
                writer_rss_mb=max(peak_rss_mb(), memory.writer_kb / 1024),
                files={r.path.name: dict(status=r.status, counts=r.counts, error=str(r.error or "")) for r in results})


def table_rows(database: Path) -> int:
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        return sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RECORD_TABLES)   # noqa: S608
    finally:
        con.close()


def mismatches(manifest: dict, loaded: dict) -> list[str]:
    from corpus import COUNTED

    wrong = []
    for name, expected in manifest["files"].items():
        got = loaded.get(name)
        if got is None:
            wrong.append(f"{name}: not loaded")
            continue
        counts = {t: got["counts"].get(t, 0) for t in COUNTED}
        if got["status"] != "loaded" or counts != expected["counts"]:
            diff = {t: (expected["counts"][t], counts[t]) for t in COUNTED if expected["counts"][t] != counts[t]}
            wrong.append(f"{name}: {got['status']} {diff} {got['error']}".strip())
    return wrong


# ---------------------------------------------------------------------------- pages

def page_paths() -> list[str]:
    """Every page of the dashboard: Panoramica (dashboard.py itself) and pages/*.py in the menu's order."""
    text = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    return ["panoramica"] + re.findall(r'"pages/(\w+)\.py"', text)


def figure_bytes(app) -> int:
    """The largest plotly figure (its JSON spec) the page sent."""
    largest = 0
    for element in app.get("plotly_chart"):
        proto = getattr(element, "proto", None)
        if proto is not None:
            largest = max(largest, len(proto.spec.encode()))
    return largest


def child_pages(database: str, warm_runs: int, pages: list[str]) -> dict:
    """Render the pages in turn in this process; one JSON line per page on stdout as soon as it is done (the
    parent kills this process when a page overruns), then the process RSS."""
    from page_render import compiled_once, through_entry_script, timed_queries

    through_entry_script()                         # every page through dashboard.py, as the server runs it
    compiled_once()                                # ... with its scripts compiled once, as the server does
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cruscotto.db import queries as kept_counts
    os.environ["CRUSCOTTO_DB"] = database
    log: list[tuple[str, float]] = []
    timed_queries(log, [])
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=3600)
    app.run()                                      # imports and first build: not a page's time
    for page in pages:
        if page == "panoramica":                   # a function page: AppTest switches only to files
            app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=3600)
        else:
            app.switch_page(f"pages/{page}.py")
        st.cache_data.clear()
        st.cache_resource.clear()                  # the figures the pages keep (ui.query_chart)
        kept_counts.forget_kept_for_state()        # the counts kept for this state of the file, as after a load
        log.clear()
        start = time.perf_counter()
        app.run()
        cold = (time.perf_counter() - start) * 1000
        queries = [ms for _, ms in log]
        warm = []
        for _ in range(warm_runs):
            start = time.perf_counter()
            app.run()
            warm.append((time.perf_counter() - start) * 1000)
        print(json.dumps(dict(page=page, cold_ms=cold, warm_ms=warm, queries_ms=queries, timed_out=False,
                              chart_bytes=figure_bytes(app), exception=[str(e.value)[:300] for e in app.exception])),
              flush=True)
    return dict(rss_mb=rss_mb(), peak_rss_mb=peak_rss_mb())


def render_pages(database: Path, warm_runs: int, pages: list[str], page_timeout: float) -> dict:
    """Every page in one child process; a page still running after page_timeout seconds (cold and warm runs
    together) is recorded as timed out, the child killed and the remaining pages rendered by a new one."""
    import queue
    import threading

    results, rss, remaining = {}, [], list(pages)
    while remaining:
        proc = subprocess.Popen([PYTHON, __file__, "--child", "pages", str(database), str(warm_runs),
                                 ",".join(remaining)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                cwd=ROOT)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stdout] + [lines.put(None)],
                         daemon=True).start()
        started = time.perf_counter()
        while True:
            try:
                line = lines.get(timeout=page_timeout + 60 if not results and remaining == pages else page_timeout)
            except queue.Empty:                    # the page in hand overran: stopped, the next ones go on
                try:
                    status = Path(f"/proc/{proc.pid}/status").read_text()
                    rss.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
                except (OSError, AttributeError):
                    pass
                proc.kill()
                proc.wait()
                page = remaining.pop(0)
                results[page] = dict(cold_ms=(time.perf_counter() - started) * 1000, warm_ms=[], queries_ms=[],
                                     timed_out=True, chart_bytes=0, exception=[])
                print(f"# pages {database.stem}: {page} stopped after {page_timeout:.0f} s", file=sys.stderr,
                      flush=True)
                break
            if line is None:
                proc.wait()
                if remaining:                      # died without a word on the page in hand
                    results[remaining.pop(0)] = dict(cold_ms=float("nan"), warm_ms=[], queries_ms=[], timed_out=False,
                                                     chart_bytes=0, exception=["page process died"])
                break
            found = json.loads(line)
            if "page" in found:
                page = found.pop("page")
                results[page] = found
                remaining.remove(page)
                started = time.perf_counter()
                print(f"# pages {database.stem}: {page} cold {found['cold_ms']:.0f} ms, warm "
                      f"{[round(w) for w in found['warm_ms']]} ms", file=sys.stderr, flush=True)
            else:
                rss.append(found["rss_mb"])
    return dict(pages={p: results[p] for p in pages}, rss_mb=max(rss) if rss else float("nan"),
                rss_complete=len(rss) == 1 and not any(r["timed_out"] for r in results.values()))


def child_build(database: str, documents: int) -> dict:
    from page_render import build_database

    start = time.perf_counter()
    build_database(Path(database), documents)
    return dict(seconds=time.perf_counter() - start)


def child_up_to_date(database: str) -> dict:
    from page_render import up_to_date

    up_to_date(Path(database))
    return dict(seconds=None)                    # reused: not built


# ---------------------------------------------------------------------------- PDF and Excel

def child_pdf(samples: int) -> dict:
    import pypdfium2

    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_samples import text_to_pdf

    from loaders.service import extract

    pages, seconds = 0, 0.0
    for path in sorted((ROOT / "data").glob("*.txt"))[:samples]:
        data = text_to_pdf(path.read_text(encoding="utf-8"))
        pages += len(pypdfium2.PdfDocument(data))
        start = time.perf_counter()
        extract(path.stem + ".pdf", data)
        seconds += time.perf_counter() - start
    return dict(pages=pages, seconds=seconds)


def child_xlsx() -> dict:
    from cruscotto import db
    from cruscotto.template import write_workbook
    from loaders.inputs import workbook  # noqa: F401  imported when first asked: its import is not reading
    from loaders.service import load_paths, read_input

    rows, seconds = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "x.duckdb"
        load_paths(database, [ROOT / "data"])
        with db.reading(database) as con:
            ids = [r[0] for r in con.execute("SELECT document_id FROM documents ORDER BY document_id").fetchall()]
            books = [db.template_rows(con, i) for i in ids]
        for number, (document, records) in enumerate(books):
            data = write_workbook(document, records)
            rows += sum(len(v) for v in records.values() if isinstance(v, list))
            start = time.perf_counter()
            read_input(f"modello_{number}.xlsx", data)
            seconds += time.perf_counter() - start
    return dict(rows=rows, seconds=seconds)


# ---------------------------------------------------------------------------- main

def loader_figures(args, tmp: Path, figures: dict, notes: dict) -> int:
    """Steps 1-3: the corpus, the physical limit, the load and the reload; the number of documents."""
    import corpus

    if args.corpus:                  # a corpus written before (corpus.py --out DIR): 10^4 documents take minutes
        folder = args.corpus
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        notes["corpus"] = (f"{folder}, written before by corpus.py: " +
                           ", ".join(f"{k} {v}" for k, v in manifest["totals"].items()))
    else:
        folder = tmp / "corpus"
        start = time.perf_counter()
        manifest = corpus.generate(args.docs, folder, args.seed, args.docx, args.pdf)
        notes["corpus"] = (f"{args.docs} documents in {time.perf_counter() - start:.0f} s: " +
                           ", ".join(f"{k} {v}" for k, v in manifest["totals"].items()))
    files = sorted(p for p in folder.iterdir() if p.name != "manifest.json")
    figures["corpus_docs"] = len(files)

    limit = min(physical_limit(files) for _ in range(3))
    figures["limit_docs_per_s"] = len(files) / limit

    database = tmp / "corpus.duckdb"
    loaded = child("load", str(database), str(folder))
    wrong = mismatches(manifest, loaded["files"])
    figures["corpus_mismatches"] = len(wrong)
    if wrong:
        notes["corpus_mismatches"] = "; ".join(wrong[:20])
    figures["loader_docs_per_s"] = len(files) / loaded["seconds"]
    figures["loader_vs_limit"] = loaded["seconds"] / limit
    figures["loader_rss_mb"] = loaded["rss_mb"]
    figures["loader_writer_rss_mb"] = loaded["writer_rss_mb"]
    figures["loader_tree_rss_mb"] = loaded["tree_rss_mb"]
    notes["loader_rss_mb"] = ("peak of the summed PSS of the load's processes (the writer, its workers and the "
                              "readers they start for PDF and Word), read when their summed RSS (sampled every 50 ms "
                              "by a separate process) passes its peak by 16 MB since the last reading, and every "
                              "second; loader_writer_rss_mb: "
                              "the writer process alone (peak RSS, what loader_rss_mb was before); "
                              "loader_tree_rss_mb: summed RSS (shared libraries counted again in every process)")
    figures["load_10k_s"] = loaded["seconds"] * 10000 / len(files)
    if len(files) >= 10000:
        notes["load_10k_s"] = f"measured on {len(files)} documents" + (" (scaled to 10^4)" if len(files) > 10000 else "")
    else:
        notes["load_10k_s"] = f"EXTRAPOLATED linearly from {len(files)} documents, not measured"

    before = table_rows(database)
    reloaded = child("load", str(database), str(folder))
    figures["reload_vs_limit"] = reloaded["seconds"] / limit
    figures["reload_rows_written"] = table_rows(database) - before
    statuses = {f["status"] for f in reloaded["files"].values()}
    if statuses != {"unchanged"}:
        notes["reload"] = f"statuses on reload: {sorted(statuses)}"
    database.unlink(missing_ok=True)
    return len(files)


def measure(args) -> tuple[dict, dict]:
    figures: dict[str, float] = {}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        documents = 0 if args.pages_only else loader_figures(args, tmp, figures, notes)
        if args.loader_only:
            return figures, notes

        sizes = sorted({s for s in (args.page_sizes or [100, documents or args.docs])})
        per_size = {}
        for size in sizes:
            page_db = (args.page_databases or tmp) / f"pages_{size}.duckdb"
            kept = page_db.exists()              # --page-databases: built once, reused by later runs as it is
            made = child("up_to_date" if kept else "build", str(page_db), str(size))
            rendered = render_pages(page_db, args.warm_runs, args.pages or page_paths(), args.page_timeout)
            rendered["build_s"] = made["seconds"]
            per_size[size] = rendered
            if not args.page_databases:
                page_db.unlink(missing_ok=True)
        figures.update(page_figures(per_size, notes))
        notes["page_detail"] = {size: {page: dict(cold_ms=round(v["cold_ms"]), warm_ms=[round(w) for w in v["warm_ms"]],
                                                  queries_ms=round(sum(v["queries_ms"])), chart_bytes=v["chart_bytes"],
                                                  timed_out=v["timed_out"])
                                       for page, v in rendered["pages"].items()} for size, rendered in per_size.items()}

    pdf = child("pdf", str(args.pdf_samples))
    figures["pdf_pages_per_s"] = pdf["pages"] / pdf["seconds"]
    notes["pdf"] = f"{pdf['pages']} pages of {args.pdf_samples} sample PDFs in {pdf['seconds']:.1f} s"
    xlsx = child("xlsx")
    figures["xlsx_rows_per_s"] = xlsx["rows"] / xlsx["seconds"]
    notes["xlsx"] = f"{xlsx['rows']} rows of the samples' Excel templates in {xlsx['seconds']:.2f} s"
    return figures, notes


def built(seconds: float | None) -> str:
    return "reused" if seconds is None else f"built in {seconds:.0f} s"


def page_figures(per_size: dict[int, dict], notes: dict) -> dict:
    sizes = sorted(per_size)
    top = per_size[sizes[-1]]
    figures = {"page_docs": sizes[-1]}
    figures["page_p95_ms"] = max(p95(p["warm_ms"] or [p["cold_ms"]]) for p in top["pages"].values())
    figures["page_cold_max_ms"] = max(p["cold_ms"] for p in top["pages"].values())
    figures["query_p95_ms"] = p95([ms for p in top["pages"].values() for ms in p["queries_ms"]])
    figures["page_queries_max_ms"] = max(sum(p["queries_ms"]) for p in top["pages"].values())
    figures["chart_bytes_max"] = max(p["chart_bytes"] for p in top["pages"].values())
    figures["dashboard_rss_mb"] = top["rss_mb"]
    if not top["rss_complete"]:
        notes["dashboard_rss_mb"] = "largest RSS of the page processes (a page overran: not one process for all)"
    if len(sizes) >= 2:
        exponents = {}
        for page in top["pages"]:
            warm = [statistics.median(per_size[s]["pages"][page]["warm_ms"] or [per_size[s]["pages"][page]["cold_ms"]])
                    for s in sizes]
            exponents[page] = slope(sizes, warm)
        figures["page_warm_exponent"] = max(exponents.values())
        figures["page_cold_exponent"] = max(slope(sizes, [per_size[s]["pages"][p]["cold_ms"] for s in sizes])
                                            for p in top["pages"])
        figures["query_exponent"] = slope(sizes, [p95([ms for p in per_size[s]["pages"].values()
                                                       for ms in p["queries_ms"]]) for s in sizes])
        notes["page_warm_exponent"] = "max over pages; per page: " + ", ".join(
            f"{p} {e:.2f}" for p, e in sorted(exponents.items(), key=lambda kv: -kv[1]))
    else:
        figures["page_warm_exponent"] = figures["page_cold_exponent"] = figures["query_exponent"] = float("nan")
    notes["pages"] = "; ".join(
        f"{s} docs ({built(per_size[s]['build_s'])}): " + ", ".join(
            f"{p} {statistics.median(v['warm_ms'] or [float('nan')]):.0f}/{v['cold_ms']:.0f}"
            for p, v in per_size[s]["pages"].items()) for s in sizes) + " (page warm median/cold ms)"
    late = [f"{s}:{p}" for s in sizes for p, v in per_size[s]["pages"].items() if v["timed_out"]]
    if late:
        notes["page_timeouts"] = ("stopped at --page-timeout (their time is a lower bound, no warm run): "
                                  + ", ".join(late))
    failed = {f"{s}:{p}": v["exception"] for s in sizes for p, v in per_size[s]["pages"].items() if v["exception"]}
    if failed:
        notes["page_exceptions"] = json.dumps(failed, ensure_ascii=False)[:2000]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--corpus", type=Path, help="a corpus written before by corpus.py (with its manifest.json); "
                                                    "--docs, --seed, --docx and --pdf are then not used")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--docx", type=float, default=0.05, help="share of the corpus as .docx")
    parser.add_argument("--pdf", type=float, default=0.02, help="share of the corpus as PDF")
    parser.add_argument("--page-sizes", type=int, nargs="*", help="documents in the page databases "
                        "(default 100 and --docs)")
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", help="only these pages (default every page)")
    parser.add_argument("--page-timeout", type=float, default=300,
                        help="seconds a page may take, cold and warm runs together, before it is stopped")
    parser.add_argument("--pdf-samples", type=int, default=5, help="samples made into PDFs for pdf_pages_per_s")
    parser.add_argument("--page-databases", type=Path, help="keep the page databases in this folder "
                        "(pages_<N>.duckdb), built when missing and reused as they are (10^4 takes minutes to build)")
    parser.add_argument("--loader-only", action="store_true", help="only the corpus and loader figures (steps 1-3): "
                        "no page, PDF or Excel figure")
    parser.add_argument("--pages-only", action="store_true", help="no corpus and no load (steps 1-3): the pages, "
                        "PDF and Excel figures, on the page databases of --page-sizes")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        if mode == "load":
            result = child_load(*rest)
        elif mode == "build":
            result = child_build(rest[0], int(rest[1]))
        elif mode == "up_to_date":
            result = child_up_to_date(rest[0])
        elif mode == "pages":
            result = child_pages(rest[0], int(rest[1]), rest[2].split(","))
        elif mode == "pdf":
            result = child_pdf(int(rest[0]))
        elif mode == "memory":
            result = child_memory(int(rest[0]))
        else:
            result = child_xlsx()
        print(json.dumps(result))
        return
    started = time.perf_counter()
    figures, notes = measure(args)
    for name, value in figures.items():
        print(f"{name} {value:.4g} {UNITS.get(name, '')}".rstrip())
    for name, note in notes.items():
        if isinstance(note, str):
            print(f"# {name}: {note}")
    if args.json:
        args.json.write_text(json.dumps(dict(figures=figures, units={k: UNITS.get(k, "") for k in figures},
                                             notes=notes, command=" ".join(sys.argv),
                                             seconds=round(time.perf_counter() - started, 1)),
                                        ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""The benchmark harness of issue 12 runs end to end at a tiny size: every figure is there and is a number, and
the generated corpus loads with exactly the counts its manifest promises (so the benchmark measures parsing, not
refusals). The figures themselves are not checked here: benchmarks/README.md holds them."""
import json
import math
import subprocess
import sys

from conftest import ROOT

FIGURES = ["limit_docs_per_s", "loader_docs_per_s", "loader_vs_limit", "reload_vs_limit", "reload_rows_written",
           "load_10k_s", "loader_rss_mb", "query_p95_ms", "page_p95_ms", "page_cold_max_ms", "chart_bytes_max",
           "dashboard_rss_mb", "pdf_pages_per_s", "xlsx_rows_per_s", "page_warm_exponent", "page_cold_exponent",
           "query_exponent", "corpus_mismatches"]


def test_benchmark_runs_at_a_tiny_size(tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--docs", "10", "--docx", "0.2",
                           "--pdf", "0", "--page-sizes", "5", "10", "--warm-runs", "1", "--pages", "indicatori",
                           "--pdf-samples", "1", "--json", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    for name in FIGURES:
        assert isinstance(figures[name], (int, float)) and math.isfinite(figures[name]), name
        assert f"\n{name} " in "\n" + done.stdout, name
    assert figures["corpus_mismatches"] == 0, json.loads(out.read_text(encoding="utf-8"))["notes"]
    assert figures["reload_rows_written"] == 0


def test_corpus_is_deterministic_and_varied(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    first = corpus.generate(10, tmp_path / "a", seed=3, docx_share=0, pdf_share=0)
    second = corpus.generate(10, tmp_path / "b", seed=3, docx_share=0, pdf_share=0)
    assert first == second
    assert [p.read_bytes() for p in sorted((tmp_path / "a").glob("*.txt"))] == \
        [p.read_bytes() for p in sorted((tmp_path / "b").glob("*.txt"))]
    files = list(first["files"].values())
    assert len({f["issuer"] for f in files}) == 10
    assert len({tuple(f["counts"].values()) for f in files}) > 5      # not five counts repeated


def test_big_files_pads_a_pdf_without_changing_what_it_reads():
    """benchmarks/big_files.py makes real reports a few megabytes big: the padded PDF reads the same text."""
    import random

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import big_files
    from loaders.service import extract

    pdf = (ROOT / "tests" / "files" / "unseen" / "doc1_monviso_2022.bordi.pdf").read_bytes()
    bigger = big_files.padded(pdf, 2**20, random.Random(1))
    assert len(bigger) > len(pdf) + 2**20
    text = extract("small.pdf", pdf).text
    assert len(text) > 1000 and extract("big.pdf", bigger).text == text

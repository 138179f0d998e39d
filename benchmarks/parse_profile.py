"""CPU time of parsing text documents, a snapshot of what parsing gives, and a profile of where the time goes.

    .venv/bin/python benchmarks/parse_profile.py time CORPUS [--passes 3] [--cold]
    .venv/bin/python benchmarks/parse_profile.py snapshot OUT.json CORPUS [--compare OLD.json]
    .venv/bin/python benchmarks/parse_profile.py profile CORPUS [--top 30]

CORPUS is a folder written by benchmarks/corpus.py. `time` measures, per .txt file, the CPU time
(time.process_time) of the chain the loader's worker runs on a file (loaders.service.read_file with no stored
layouts: decode, clean, family, parse, judged rows, report key and words), and of the part after decoding
(parse_text to words). The first pass starts with cold caches, as a fresh worker does; the figures per
document are the median over files of the fastest pass. `snapshot` writes everything read_file gives for every
file of the corpus, of data/ and of tests/files/ (records, rows, quality issues, source lines) as JSON, and
with --compare says which files differ from an earlier snapshot: an optimisation must change nothing.
"""
from __future__ import annotations

import argparse
import cProfile
import dataclasses
import hashlib
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import parse_text  # noqa: E402
from loaders.inputs import text as text_input  # noqa: E402
from loaders.rows import document_rows  # noqa: E402
from loaders.same_report import content_words, report_key  # noqa: E402
from loaders.service import read_file  # noqa: E402


def text_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


def after_decoding(text: str, furniture: frozenset[int]) -> None:
    """What read_file does to a text file once decoded."""
    family, parsed = parse_text(text, furniture)
    document_rows(parsed)
    report_key(parsed)
    content_words(parsed)


def caches() -> list:
    """Every lru_cache of the modules that read documents: cleared before each document with --cold."""
    found = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("loaders", "cruscotto") and module is not None:
            for value in vars(module).values():
                if hasattr(value, "cache_clear") and getattr(value, "__module__", "").split(".")[0] in (
                        "loaders", "cruscotto"):
                    found.append(value)
    return found


def measure(files: list[Path], passes: int, cold: bool = False) -> None:
    """cold: every cache emptied before each document, so that nothing learnt from one document helps the
    next (the generated corpus repeats its samples' lines far more than real documents do)."""
    data = [(path.name, path.read_bytes()) for path in files]
    extracted = [text_input.extract(raw) for _, raw in data]
    whole: list[list[float]] = [[] for _ in data]
    parse_only: list[list[float]] = [[] for _ in data]
    to_clear = caches() if cold else []
    for _ in range(passes):
        for i, (name, raw) in enumerate(data):
            for cache in to_clear:
                cache.cache_clear()
            start = time.process_time()
            read_file(name, raw, {})
            whole[i].append(time.process_time() - start)
        for i, ex in enumerate(extracted):
            for cache in to_clear:
                cache.cache_clear()
            start = time.process_time()
            after_decoding(ex.text, ex.furniture)
            parse_only[i].append(time.process_time() - start)
    first = [t[0] for t in whole]
    best = [min(t) for t in whole]
    best_parse = [min(t) for t in parse_only]
    print(f"files {len(files)}  passes {passes}  caches {'emptied before each document' if cold else 'kept'}")
    print(f"read_file ms/doc: median {statistics.median(best) * 1000:.2f} (first pass {statistics.median(first) * 1000:.2f})"
          f"  total {sum(best):.2f} s (first pass {sum(first):.2f} s)")
    print(f"parse after decoding ms/doc: median {statistics.median(best_parse) * 1000:.2f}  total {sum(best_parse):.2f} s")


def snapshot_files(corpus: Path) -> list[Path]:
    tests = ROOT / "tests" / "files"
    return sorted(corpus.glob("*.txt")) + sorted(corpus.glob("*.docx")) + sorted((ROOT / "data").glob("*.txt")) + \
        sorted(p for p in tests.rglob("*") if p.suffix in (".txt", ".md", ".docx", ".odt"))


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return f"{type(value).__name__}:{value}"


def snapshot(files: list[Path]) -> dict:
    out = {}
    for path in files:
        prepared = read_file(path.name, path.read_bytes(), {})
        extracted = prepared.extracted
        out[str(path.relative_to(path.parents[1]))] = _plain(dict(
            status=prepared.status, family=prepared.family, error=repr(prepared.error), parsed=prepared.parsed,
            rows=prepared.rows, key=prepared.key, words=prepared.words,
            text_sha=hashlib.sha256(extracted.text.encode()).hexdigest() if extracted else None,
            furniture=extracted.furniture if extracted else None))
    return out


def profile(files: list[Path], top: int) -> None:
    extracted = [text_input.extract(path.read_bytes()) for path in files]
    profiler = cProfile.Profile()
    profiler.enable()
    for ex in extracted:
        after_decoding(ex.text, ex.furniture)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    timing = sub.add_parser("time")
    timing.add_argument("corpus", type=Path)
    timing.add_argument("--passes", type=int, default=3)
    timing.add_argument("--cold", action="store_true", help="empty every cache before each document")
    snap = sub.add_parser("snapshot")
    snap.add_argument("out", type=Path)
    snap.add_argument("corpus", type=Path)
    snap.add_argument("--compare", type=Path)
    prof = sub.add_parser("profile")
    prof.add_argument("corpus", type=Path)
    prof.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    if args.command == "time":
        measure(text_files(args.corpus), args.passes, args.cold)
    elif args.command == "profile":
        profile(text_files(args.corpus), args.top)
    else:
        found = snapshot(snapshot_files(args.corpus))
        args.out.write_text(json.dumps(found, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
        print(f"{len(found)} files in {args.out}")
        if args.compare:
            old = json.loads(args.compare.read_text(encoding="utf-8"))
            differ = sorted(k for k in old.keys() | found.keys() if old.get(k) != found.get(k))
            print("\n".join(f"differs: {k}" for k in differ) if differ else "identical")
            sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()

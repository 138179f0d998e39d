"""CPU time of parse_text (text -> family and records) per document, and a dump of what it gives to compare.

    .venv/bin/python benchmarks/parse_speed.py CORPUS [--txt 2000] [--docx 100] [--passes 3] [--dump OUT.pkl]
    .venv/bin/python benchmarks/parse_speed.py --compare OLD.pkl NEW.pkl

Takes --txt .txt and --docx .docx files of CORPUS (a folder written by benchmarks/corpus.py, chosen with a fixed
seed), extracts their text once through the loader's own path (loaders.service.extract), then times
loaders.parse_text on every text with time.process_time; caches are emptied at the start of each pass, and kept
from one document to the next as in a loader's worker. Prints ms/document and documents/s of the fastest pass.
--dump writes every document's family and records (every field) to a pickle; --compare says which differ:
an optimisation must change nothing.
"""
from __future__ import annotations

import argparse
import dataclasses
import pickle
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import parse_text  # noqa: E402
from loaders.service import extract  # noqa: E402


def plain(value):
    """A value as nested tuples of builtins, record class names kept: compared by repr."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__, {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return "dict", [(plain(k), plain(v)) for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [plain(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return "set", sorted(repr(plain(v)) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return type(value).__name__, repr(value)


def parsed(text: str, furniture) -> object:
    try:
        return parse_text(text, furniture)
    except Exception as exc:                      # UnknownFamily: what it says is part of the result
        return "error", type(exc).__name__, repr(exc.args)


def texts(corpus: Path, txt: int, docx: int) -> list[tuple[str, str, frozenset]]:
    chosen = sorted(random.Random(7).sample(sorted(corpus.glob("*.txt")), txt)) + \
        random.Random(7).sample(sorted(corpus.glob("*.docx")), docx)
    out = []
    for path in chosen:
        extracted = extract(path.name, path.read_bytes())
        if extracted.parsed is None:
            out.append((path.name, extracted.text, extracted.furniture))
    return out


def caches() -> list:
    found = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("loaders", "cruscotto") and module is not None:
            found += [v for v in vars(module).values() if hasattr(v, "cache_clear")
                      and getattr(v, "__module__", "").split(".")[0] in ("loaders", "cruscotto")]
    return found


def measure(documents, passes: int) -> None:
    totals = []
    for _ in range(passes):
        for cache in caches():
            cache.cache_clear()
        start = time.process_time()
        for _, text, furniture in documents:
            parsed(text, furniture)
        totals.append(time.process_time() - start)
    best = min(totals)
    print(f"{len(documents)} documents, passes {', '.join(f'{t:.2f}' for t in totals)} s CPU")
    print(f"parse_text: {best / len(documents) * 1000:.2f} ms/document, {len(documents) / best:.0f} documents/s")


def compare_dumps(paths: list[Path], what: str) -> int:
    """Print whether two --dump files hold the same results, by name; 1 when some differ (the exit status)."""
    old, new = (pickle.loads(p.read_bytes()) for p in paths)
    differ = sorted(k for k in old.keys() | new.keys() if repr(old.get(k)) != repr(new.get(k)))
    print(f"{len(old)} and {len(new)} {what}; " + (f"{len(differ)} differ: {differ[:20]}" if differ else "identical"))
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--txt", type=int, default=2000)
    parser.add_argument("--docx", type=int, default=100)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", type=Path, nargs=2)
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare_dumps(args.compare, "documents"))
    documents = texts(args.corpus, args.txt, args.docx)
    measure(documents, args.passes)
    if args.dump:
        args.dump.write_bytes(pickle.dumps({name: plain(parsed(text, f)) for name, text, f in documents}))
        print(f"records of {len(documents)} documents in {args.dump}")


if __name__ == "__main__":
    main()

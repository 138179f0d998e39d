"""CPU time of reading PDF, Word and ODT files into text (the input adapters), and a dump of what they give.

    .venv/bin/python benchmarks/input_speed.py [PATHS...] [--passes 3] [--dump OUT.pkl] [--only pdf|docx|odt]
    .venv/bin/python benchmarks/input_speed.py --compare OLD.pkl NEW.pkl

PATHS are files or folders (default: /tmp/corpus10k, tests/files and data); every .pdf, .docx and .odt in them
is read. Each file goes through the function a load's isolated child runs for it: adapter_for(name, data) then
adapter.extract(data) (loaders/inputs/isolated.py sends the bytes to a child that calls just that). Here it
runs in this process, so that time.process_time counts all of its CPU. Prints the CPU ms per file of each
format (the fastest pass's total over the files). --dump writes each file's result (text, line pages,
furniture and the other fields of ExtractedText, or the refusal with its details) to a pickle; --compare
says which files differ: an optimisation must change nothing.
"""
from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.errors import Refused  # noqa: E402
from loaders.inputs import adapter_for  # noqa: E402

SUFFIXES = (".pdf", ".docx", ".odt")
DEFAULT_PATHS = [Path("/tmp/corpus10k"), ROOT / "tests" / "files", ROOT / "data"]


def files(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
    return found


def read(name: str, data: bytes):
    """What the adapter gives: the ExtractedText's fields, or the refusal, or the error."""
    try:
        extracted = adapter_for(name, data).extract(data)
    except Refused as exc:
        return "refused", exc.code, sorted(exc.details.items())
    except Exception as exc:                       # noqa: BLE001 - what it raises is part of the result
        return "error", type(exc).__name__, str(exc)
    fields = dataclasses.asdict(extracted)
    fields["furniture"] = sorted(extracted.furniture)
    return "ok", sorted(fields.items())


def measure(documents: list[tuple[Path, bytes]], passes: int) -> None:
    by_format: dict[str, list[tuple[str, bytes]]] = {}
    for path, data in documents:
        by_format.setdefault(path.suffix.lower().lstrip("."), []).append((path.name, data))
    for input_format, members in sorted(by_format.items()):
        totals = []
        for _ in range(passes):
            start = time.process_time()
            for name, data in members:
                read(name, data)
            totals.append(time.process_time() - start)
        best = min(totals)
        print(f"{input_format}: {len(members)} files, passes {', '.join(f'{t:.2f}' for t in totals)} s CPU; "
              f"{best / len(members) * 1000:.1f} ms CPU/file (fastest pass)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", type=Path, nargs="*")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--only", choices=[s.lstrip(".") for s in SUFFIXES])
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", type=Path, nargs=2)
    args = parser.parse_args()
    if args.compare:
        from parse_speed import compare_dumps
        sys.exit(compare_dumps(args.compare, "files"))
    chosen = [p for p in files(args.paths or DEFAULT_PATHS) if not args.only or p.suffix.lower() == "." + args.only]
    documents = [(path, path.read_bytes()) for path in chosen]
    read(documents[0][0].name, documents[0][1])          # imports (pdfminer, PDFium, python-docx) out of the timing
    if args.passes:
        measure(documents, args.passes)
    if args.dump:
        args.dump.write_bytes(pickle.dumps({str(path.resolve()): read(path.name, data) for path, data in documents}))
        print(f"results of {len(documents)} files in {args.dump}")


if __name__ == "__main__":
    main()

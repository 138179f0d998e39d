"""Files as big as real reports (a PDF of a few megabytes) loaded into a new database: that the load ends with
every file saved, how long it takes and the writer's peak memory. Prints one line per figure.

    .venv/bin/python benchmarks/big_files.py --corpus /tmp/corpus10k [--size-mb 3] [--out /tmp/big_pdfs]

Each PDF of the corpus (written by corpus.py, so each its own report) gets --size-mb megabytes of random bytes
as an incremental update the way an editor appends one: a stream object nothing refers to, its own xref and a
trailer pointing back (/Prev). PDFium reads the report as before; the file, and its `original`, are that much
bigger. Loading such files used to end in DuckDB's "Out of Memory ... database has been invalidated" past the
load's memory cap (256 MB): 192 files of 3 MB did.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def padded(pdf: bytes, size: int, noise: random.Random) -> bytes:
    """The PDF with an incremental update holding `size` random bytes in an unreferenced stream."""
    previous = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    objects = int(re.findall(rb"/Size\s+(\d+)", pdf)[-1])
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", pdf)[-1]
    body = b"\n%d 0 obj\n<< /Length %d >>\nstream\n%b\nendstream\nendobj\n" % (objects, size, noise.randbytes(size))
    xref = len(pdf) + len(body)
    return pdf + body + (b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %b /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
                         % (objects, len(pdf) + 1, objects + 1, root, previous, xref))


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder written by corpus.py (its PDFs)")
    parser.add_argument("--size-mb", type=float, default=3.0)
    parser.add_argument("--out", type=Path, help="where the big PDFs go (default: a temporary folder)")
    args = parser.parse_args()
    from loaders.service import load_paths       # after the path is set

    sources = sorted(args.corpus.glob("*.pdf"))
    if not sources:
        sys.exit(f"no PDF in {args.corpus}: write a corpus with corpus.py first")
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "pdfs"
        out.mkdir(parents=True, exist_ok=True)
        noise = random.Random(12)
        for source in sources:
            (out / source.name).write_bytes(padded(source.read_bytes(), int(args.size_mb * 2**20), noise))
        files = sorted(out.glob("*.pdf"))
        total_mb = sum(f.stat().st_size for f in files) / 2**20
        peak, done = [rss_mb()], threading.Event()

        def sample():                            # the writer is this process: its RSS every 50 ms
            while not done.wait(0.05):
                peak[0] = max(peak[0], rss_mb())

        threading.Thread(target=sample, daemon=True).start()
        started = time.monotonic()
        results = load_paths(Path(scratch) / "big.duckdb", files)
        took = time.monotonic() - started
        done.set()
    saved = sum(1 for r in results if r.saved)
    print(f"big_files {len(files)} files")
    print(f"big_files_mb {total_mb:.0f} MB")
    print(f"big_files_saved {saved} files")
    print(f"big_files_load_s {took:.1f} s")
    print(f"big_files_writer_rss_mb {peak[0]:.0f} MB")
    return 0 if saved == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())

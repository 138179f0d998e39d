"""Hostile PDFs at full size (issue 10, item 5): what reading each costs this process and the child that
reads it, and how it ends. Prints one line per file.

    .venv/bin/python benchmarks/pdf_bombs.py [--pages 24] [--glyphs 60000]

- glyph_bomb.pdf, stream_bomb.pdf (tests/files/hostile): refused by the bounds before anything is drawn;
- within_bounds.pdf, made here: --pages pages of --glyphs glyphs each, every page under the per-page bound
  and the whole under the per-document one, so only the child's caps (CRUSCOTTO_READ_MEMORY_MB,
  CRUSCOTTO_READ_SECONDS) stand between it and the caller;
- past_document_bound.pdf, made here: twice as many such pages, refused by the per-document bound.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "files" / "hostile"))

from cruscotto.messages import refusal  # noqa: E402
from loaders.errors import Refused  # noqa: E402
from loaders.inputs import isolated  # noqa: E402
from loaders.inputs.isolated import ReadLimits  # noqa: E402
from loaders.service import read_input  # noqa: E402
from make_pdf_bombs import FONT, pdf, stream  # noqa: E402

HOSTILE = ROOT / "tests" / "files" / "hostile"


def within_bounds(pages: int, glyphs: int) -> bytes:
    """Each page (objects 4, 6, ...) shows `glyphs` separate 'x's from its content stream (objects 5, 7, ...),
    150 to a line: under every bound, forms included (a form drawn over itself is refused by the bounds)."""
    lines = b"(x) Tj " * 150 + b"-83 -0.7 Td "
    kids = b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               FONT]
    for n in range(pages):
        objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * n),
                    stream(b"BT /F1 1 Tf 10 790 Td " + lines * (glyphs // 150) + b"ET")]
    return pdf(objects)


def children_peak_kb() -> int:
    """The highest resident memory of the reading children: the ones that ended, and the live ones."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for child in isolated._IDLE:
        status = Path(f"/proc/{child.process.pid}/status")
        if status.exists():
            line = next((ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM:")), "VmHWM: 0 kB")
            peak = max(peak, int(line.split()[1]))
    return peak


def megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--glyphs", type=int, default=60_000)
    args = parser.parse_args()
    files = {name: (HOSTILE / name).read_bytes() for name in ("glyph_bomb.pdf", "stream_bomb.pdf")}
    files["within_bounds.pdf"] = within_bounds(args.pages, args.glyphs)
    files["past_document_bound.pdf"] = within_bounds(args.pages * 2, args.glyphs)
    limits = ReadLimits.from_environment()
    print(f"caps of the child: {limits.memory_mb} MB, {limits.seconds} CPU seconds")
    for name, data in files.items():
        start = time.perf_counter()
        try:
            read = read_input(name, data)
            outcome = f"read: {len(read.extracted.text):,} characters of text"
        except Refused as exc:
            outcome = f"refused ({exc.code}): {refusal(exc)}"
        elapsed = time.perf_counter() - start
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        child = children_peak_kb()
        print(f"{name}: {len(data) / 1024:,.1f} KB, {elapsed:,.1f} s; peak memory so far: this process "
              f"{megabytes(own)}, children {megabytes(child)}\n    {outcome}")


if __name__ == "__main__":
    main()

"""How much work a PDF asks for, measured before it is read, so a small file cannot ask for a huge one.

A PDF is a program: a page's content stream draws text, and may draw a form (an XObject) that draws another
form, many times over. A 13 KB file can so ask for millions of glyphs, and a 21 KB file can hold a 20 MB
content stream. Reading them takes minutes and gigabytes. Here each page's content is decompressed with a
bound, and its glyphs are estimated (the bytes of its text strings, with every form multiplied by the number
of times it is drawn) before pdfplumber interprets anything. Over a limit the file is refused, with the
figure and the limit.

The estimate counts string bytes, so it is generous with two-byte fonts (never lower than the glyphs).
The child process the PDF is read in (loaders/inputs/isolated.py) caps memory and time for what these
checks cannot see.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

from ..errors import Refused


@dataclass(frozen=True)
class PdfBounds:
    content_bytes: int = 32 * 1024 ** 2     # a page's decompressed content, forms included, once each
    page_glyphs: int = 200_000              # a dense A4 page holds about 5,000
    # About 500 pages of 4,000 glyphs. pdfplumber reads 13,000-20,000 glyphs a second (benchmarks/pdf_bombs.py
    # and the office fixtures), so this is about what the child's default 180 CPU seconds allow.
    document_glyphs: int = 2_000_000


BOUNDS = PdfBounds()

_STRINGS = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>", re.S)
_DRAWN = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")


class _TooMuch(Exception):
    pass


def decoded(stream, limit: int) -> bytes:
    """A stream's bytes after its filters, never more than limit + 1 of them (Flate is decompressed with a
    bound; the other text filters expand little)."""
    from pdfminer.pdftypes import (LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE,
                                   LITERALS_LZW_DECODE, LITERALS_RUNLENGTH_DECODE, ascii85decode,
                                   asciihexdecode, lzwdecode, rldecode)

    data = stream.rawdata if stream.rawdata is not None else stream.data
    if stream.rawdata is not None and stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    decoders = [(LITERALS_ASCII85_DECODE, ascii85decode), (LITERALS_ASCIIHEX_DECODE, asciihexdecode),
                (LITERALS_LZW_DECODE, lzwdecode), (LITERALS_RUNLENGTH_DECODE, rldecode)]
    for name, _params in (stream.get_filters() if stream.rawdata is not None else []):
        if name in LITERALS_FLATE_DECODE:
            try:
                data = zlib.decompressobj().decompress(data, limit + 1)
            except zlib.error:
                return b""                       # pdfminer reads what it can of a damaged stream: so do we
        else:
            decoder = next((d for names, d in decoders if name in names), None)
            if decoder is None:
                return b""                       # an image filter: no text in it
            data = decoder(data)
        if len(data) > limit:
            break
    return data


def _glyphs(content: bytes) -> int:
    """The bytes inside text strings: '(Ab) Tj <0041> Tj' -> 3."""
    return sum(len(m) - 2 if m[:1] == b"(" else len(re.sub(rb"\s", b"", m)) // 2 - 1
               for m in _STRINGS.findall(content))


class _Page:
    """One page's cost: bytes decompressed and glyphs drawn, each form's cost counted once and multiplied by
    the times it is drawn."""

    def __init__(self, bounds: PdfBounds):
        self.bounds = bounds
        self.bytes = 0
        self.forms: dict[int, int] = {}          # objid -> glyphs one drawing of the form costs

    def cost(self, streams, resources, depth: int = 0) -> int:
        from pdfminer.pdftypes import resolve1

        content = b"".join(decoded(resolve1(s), self.bounds.content_bytes - self.bytes) for s in streams)
        self.bytes += len(content)
        if self.bytes > self.bounds.content_bytes:
            raise _TooMuch
        total = _glyphs(content)
        xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
        for name, times in Counter(_DRAWN.findall(content)).items():
            ref = xobjects.get(name.decode("latin-1"))
            form = resolve1(ref)
            if depth > 12 or getattr(getattr(form, "attrs", {}).get("Subtype"), "name", None) != "Form":
                continue
            key = getattr(ref, "objid", id(form))
            if key not in self.forms:
                self.forms[key] = 0              # a form that draws itself costs nothing more
                self.forms[key] = self.cost([form], form.attrs.get("Resources") or resources, depth + 1)
            total += times * self.forms[key]
            if total > self.bounds.page_glyphs:
                return total
        return total


def check(pages, bounds: PdfBounds = BOUNDS) -> None:
    """Refuse a PDF whose pages ask for more than the bounds; pages are pdfminer's PDFPage objects."""
    document = 0
    for number, page in enumerate(pages, start=1):
        meter = _Page(bounds)
        try:
            glyphs = meter.cost(page.contents, page.resources)
        except _TooMuch:
            raise Refused("pdf_heavy_content", page=number,
                          limit_mb=bounds.content_bytes // 1024 ** 2) from None
        if glyphs > bounds.page_glyphs:
            raise Refused("pdf_heavy_page", page=number, glyphs=glyphs, limit=bounds.page_glyphs)
        document += glyphs
        if document > bounds.document_glyphs:
            raise Refused("pdf_heavy_document", glyphs=document, limit=bounds.document_glyphs)

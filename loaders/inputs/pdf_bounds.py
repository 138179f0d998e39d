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

import io
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
    # Glyphs drawn through forms (XObjects). PDFium sets a form's text out comparing each glyph with those of
    # the form drawn before it, so the time grows with their square: 20,000 on one page took 2.7 s, 40,000
    # took 16 s (a 7 KB file could hold the reading child for its whole CPU cap). Real documents draw a logo
    # or, at most, a page's text through a form.
    page_form_glyphs: int = 20_000
    document_form_glyphs: int = 500_000


BOUNDS = PdfBounds()

# Literal strings nest balanced parentheses ('(a(b)c)' is one string); hex strings are '<0041>', not '<<'.
_STRING_TOKENS = re.compile(rb"\\.|[()]|<<|<[0-9A-Fa-f\s]*>", re.S)
_DRAWN = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_FORM_DEPTH = 12                     # forms drawing forms: real documents nest two or three


class _TooMuch(Exception):
    pass


class _TooDeep(Exception):
    pass


def decoded(stream, limit: int) -> bytes:
    """A stream's bytes after its filters, never more than limit + 1 of them: Flate and LZW are decompressed
    with a bound, run-length (at most 64 times its size) only when that bound allows."""
    from pdfminer.lzw import LZWDecoder
    from pdfminer.pdftypes import (LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE,
                                   LITERALS_LZW_DECODE, LITERALS_RUNLENGTH_DECODE, ascii85decode,
                                   asciihexdecode, rldecode)

    data = stream.rawdata if stream.rawdata is not None else stream.data
    if stream.rawdata is not None and stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, _params in (stream.get_filters() if stream.rawdata is not None else []):
        if name in LITERALS_FLATE_DECODE:
            try:
                data = zlib.decompressobj().decompress(data, limit + 1)
            except zlib.error:
                return b""                       # pdfminer reads what it can of a damaged stream: so do we
        elif name in LITERALS_LZW_DECODE:
            out = bytearray()
            for chunk in LZWDecoder(io.BytesIO(data)).run():
                out += chunk
                if len(out) > limit:
                    break
            data = bytes(out)
        elif name in LITERALS_RUNLENGTH_DECODE:
            if len(data) * 64 > 4 * limit:
                raise _TooMuch
            data = rldecode(data)
        elif name in LITERALS_ASCII85_DECODE:
            data = ascii85decode(data)
        elif name in LITERALS_ASCIIHEX_DECODE:
            data = asciihexdecode(data)
        else:
            return b""                           # an image filter: no text in it
        if len(data) > limit:
            break
    return data


# A literal string with no parenthesis inside, as one token: most strings are. A parenthesis left alone
# (a nested or unfinished string) sends the whole content to _nested_glyphs.
_FLAT_TOKENS = re.compile(rb"\\.|\((?:[^\\()]++|\\.)*+\)|[()]|<<|<[0-9A-Fa-f\s]*>", re.S)


def _glyphs(content: bytes) -> int:
    """The bytes inside text strings: '(Ab) Tj <0041> Tj (a(b)c) Tj' -> 2 + 2 + 5 = 9."""
    total = 0
    for token in _FLAT_TOKENS.findall(content):
        first = token[:1]
        if first == b"(":
            if len(token) == 1:
                return _nested_glyphs(content)
            total += len(token) - 2
        elif first == b")":
            return _nested_glyphs(content)
        elif first == b"<" and token != b"<<":
            total += len(re.sub(rb"\s", b"", token)) // 2 - 1
    return total


def _nested_glyphs(content: bytes) -> int:
    """_glyphs, one parenthesis at a time (strings within strings)."""
    total = depth = start = 0
    for match in _STRING_TOKENS.finditer(content):
        token = match.group()
        if depth:
            depth += token == b"("
            if token == b")":
                depth -= 1
                if not depth:
                    total += match.start() - start
        elif token == b"(":
            depth, start = 1, match.end()
        elif token[:1] == b"<" and token != b"<<":
            total += len(re.sub(rb"\s", b"", token)) // 2 - 1
    return total + (len(content) - start if depth else 0)


def _name(raw: bytes) -> str:
    """'X#31' -> 'X1': a name as pdfminer looks it up."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


class _Page:
    """One page's cost: bytes decompressed and glyphs drawn, each form's cost counted once and multiplied by
    the times it is drawn."""

    def __init__(self, bounds: PdfBounds):
        self.bounds = bounds
        self.bytes = 0
        self.forms: dict[int, int] = {}          # objid -> glyphs one drawing of the form costs
        self.through_forms = 0                   # glyphs the page's own content draws through forms

    def cost(self, streams, resources, depth: int = 0) -> int:
        from pdfminer.pdftypes import resolve1

        content = b"".join(decoded(resolve1(s), self.bounds.content_bytes - self.bytes) for s in streams)
        self.bytes += len(content)
        if self.bytes > self.bounds.content_bytes:
            raise _TooMuch
        total = _glyphs(content)
        xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
        for name, times in Counter(_DRAWN.findall(content)).items():
            ref = xobjects.get(_name(name))
            form = resolve1(ref)
            if getattr(getattr(form, "attrs", {}).get("Subtype"), "name", None) != "Form":
                continue
            if depth >= MAX_FORM_DEPTH:
                raise _TooDeep
            key = getattr(ref, "objid", id(form))
            if key not in self.forms:
                self.forms[key] = 0              # a form that draws itself costs nothing more
                self.forms[key] = self.cost([form], form.attrs.get("Resources") or resources, depth + 1)
            total += times * self.forms[key]
            if not depth:
                self.through_forms += times * self.forms[key]
            if total > self.bounds.page_glyphs:
                return total
        return total


def check(pages, bounds: PdfBounds = BOUNDS) -> None:
    """Refuse a PDF whose pages ask for more than the bounds; pages are pdfminer's PDFPage objects."""
    document = through_forms = 0
    for number, page in enumerate(pages, start=1):
        meter = _Page(bounds)
        try:
            glyphs = meter.cost(page.contents, page.resources)
        except _TooMuch:
            raise Refused("pdf_heavy_content", page=number,
                          limit_mb=bounds.content_bytes // 1024 ** 2) from None
        except _TooDeep:
            raise Refused("pdf_nested_forms", page=number, limit=MAX_FORM_DEPTH) from None
        if glyphs > bounds.page_glyphs:
            raise Refused("pdf_heavy_page", page=number, glyphs=glyphs, limit=bounds.page_glyphs)
        if meter.through_forms > bounds.page_form_glyphs:
            raise Refused("pdf_repeated_forms", page=number, glyphs=meter.through_forms, limit=bounds.page_form_glyphs)
        document += glyphs
        through_forms += meter.through_forms
        if through_forms > bounds.document_form_glyphs:
            raise Refused("pdf_repeated_forms", page=number, glyphs=through_forms, limit=bounds.document_form_glyphs)
        if document > bounds.document_glyphs:
            raise Refused("pdf_heavy_document", glyphs=document, limit=bounds.document_glyphs)

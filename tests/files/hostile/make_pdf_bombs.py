"""Make, once, the hostile PDFs of issue 10 (run by hand; the tests read the committed files):

    .venv/bin/python tests/files/hostile/make_pdf_bombs.py

- glyph_bomb.pdf (about 1 KB): one page draws a form 2,000 times that shows 'x' 2,000 times: 4 million glyphs.
- stream_bomb.pdf (about 30 KB): one page whose content stream is 20 MB once decompressed.
- heavy_page.pdf (about 1 KB): one page with 150,000 glyphs, under the per-page bound, but drawn through a
  form over itself, which PDFium sets out in quadratic time: refused by the bound on glyphs in forms.
- Ways a review found past a first version of the bounds, each 400,000 glyphs or more from about 1 KB:
  nested_parens.pdf (a string '(()xxx...)' whose first ')' is not its end), name_escape.pdf (the form drawn
  as '/X#31', which is '/X1'), deep_forms.pdf (20 forms each drawing the next twice: 100 million glyphs).

They are written byte by byte (no office suite makes such files); each is a valid PDF 1.4.
"""
from __future__ import annotations

import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(raw: bytes, attributes: bytes = b"") -> bytes:
    data = zlib.compress(raw, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(data), attributes) + data + b"\nendstream"


FORM = b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] "


def form_bomb(glyphs_per_form: int, times: int, inner: bytes | None = None, drawn_as: bytes = b"/X1") -> bytes:
    """Object 5 shows 'x' glyphs_per_form times (or `inner`); object 6 draws it `times` times (by the name
    `drawn_as`); the page draws object 6."""
    form = FORM
    inner = inner or b"BT /F1 1 Tf 10 400 Td " + b"(x) Tj " * glyphs_per_form + b"ET"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                FONT,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 7 0 R "
                b"/Resources << /XObject << /X2 6 0 R >> >> >>",
                stream(inner, form + b"/Resources << /Font << /F1 3 0 R >> >>"),
                stream((drawn_as + b" Do ") * times, form + b"/Resources << /XObject << /X1 5 0 R >> >>"),
                stream(b"/X2 Do")])


def deep_forms(levels: int, fan: int) -> bytes:
    """Form k draws form k + 1 `fan` times; the last shows 100 glyphs: 100 * fan ** levels glyphs."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FONT,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 5 0 R "
               b"/Resources << /XObject << /F 6 0 R >> >> >>",
               stream(b"/F Do")]
    for level in range(levels):
        objects.append(stream(b"/F Do " * fan, FORM + b"/Resources << /XObject << /F %d 0 R >> >>" % (7 + level)))
    objects.append(stream(b"BT /F1 1 Tf 10 400 Td " + b"(x) Tj " * 100 + b"ET", FORM + b"/Resources << /Font << /F1 3 0 R >> >>"))
    return pdf(objects)


def stream_bomb(megabytes: int) -> bytes:
    content = b"BT /F1 12 Tf 72 700 Td " + b"(a) Tj " * (megabytes * 1_000_000 // 7) + b"ET"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                FONT,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 5 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>",
                stream(content)])


def main() -> None:
    (OUT / "glyph_bomb.pdf").write_bytes(form_bomb(2000, 2000))
    (OUT / "stream_bomb.pdf").write_bytes(stream_bomb(20))
    (OUT / "heavy_page.pdf").write_bytes(form_bomb(1000, 150))
    (OUT / "nested_parens.pdf").write_bytes(form_bomb(0, 2000, inner=b"BT /F1 1 Tf 10 400 Td (()" + b"x" * 200 + b") Tj ET"))
    (OUT / "name_escape.pdf").write_bytes(form_bomb(200, 2000, drawn_as=b"/X#31"))
    (OUT / "deep_forms.pdf").write_bytes(deep_forms(20, 2))


if __name__ == "__main__":
    main()

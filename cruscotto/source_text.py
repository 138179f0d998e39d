"""The text of a document file: decoding its bytes, cleaning what parsers must not see, the lines around a record.

Shared by the loaders (what the parsers read) and the pages (what a person sees beside a record).
"""
from __future__ import annotations

import re

# Bytes no text file holds on purpose. Tab, line feed, carriage return and form feed (a page break in
# text pulled out of a PDF) are text.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
# What str.splitlines() treats as a line break besides \n and \r: kept as line breaks, so that line numbers
# in the cleaned text are the line numbers of the file.
_LINE_BREAK_CHARS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INVISIBLE_CHARS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0e, 0x1c), 0x7f, *range(0x80, 0x85),
                                     *range(0x86, 0xa0), 0xfeff, 0xfffe]))
_LINE_BREAKS = re.compile(f"[{_LINE_BREAK_CHARS}]")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Looking for each character with `in` is several times faster than a search for the character class.
_UNUSUAL = _LINE_BREAK_CHARS + _INVISIBLE_CHARS
BINARY_SHARE = 0.05            # above this share of control bytes a file is not text


class NotText(ValueError):
    """Bytes that are not a text document. reason: empty, pdf, binary."""

    def __init__(self, reason: str):
        super().__init__(f"not a text file: {reason}")
        self.reason = reason


def control_share(data: bytes) -> float:
    """Share of bytes in the first 64 KB that no text file holds: b'ab\\x00c' -> 0.25."""
    sample = data[:65536]
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 text saved without a byte-order mark (some exports do): a NUL in
    almost every odd (LE) or even (BE) byte, almost none in the others, and the decoded text printable."""
    sample = data[:65536]
    sample = sample[:len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, letters in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and letters.count(0) <= 0.01 * len(letters):
            text = sample.decode(encoding, errors="replace")
            if sum(not (c.isprintable() or c in "\t\r\n\f") for c in text) <= BINARY_SHARE * len(text):
                return encoding
    return None


def detect_and_decode(data: bytes) -> tuple[str, str]:
    """(text, encoding found): 'utf-8', 'utf-8-sig' (with BOM), 'utf-16' (with BOM), 'utf-16-le' or
    'utf-16-be' (without), or 'cp1252'.

    A handful of stray NUL or control bytes (common in text pulled out of old PDFs) does not make a file
    binary: only a share above BINARY_SHARE does. Raises NotText for empty, PDF and binary bytes."""
    if not data.strip():
        raise NotText("empty")
    if data.startswith(b"%PDF"):
        raise NotText("pdf")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):          # Notepad's "Unicode": full of NUL bytes, still text
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise NotText("binary") from exc
    wide = _utf16_without_bom(data)
    if wide:
        return data.decode(wide, errors="replace"), wide
    if control_share(data) > BINARY_SHARE:
        raise NotText("binary")
    try:
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > BINARY_SHARE * max(len(text), 1):
        raise NotText("binary")
    return text, encoding


def decode_document(data: bytes) -> str:
    """The text of a document file as stored (see detect_and_decode)."""
    return detect_and_decode(data)[0]


def _has_unusual(text: str) -> bool:
    """True when the text holds a control character or an unusual line break: 'a\\x0cb' -> True."""
    return any(char in text for char in _UNUSUAL)


def clean_text(text: str) -> str:
    """The text the parsers see: control characters removed, unusual line breaks made plain ones, so that
    line N of the result is line N of the file. 'a\\x00b\\x0cc' -> 'ab\\nc'."""
    if not _has_unusual(text):
        return text
    return _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))


def clean_lines(text: str) -> str:
    """Text whose line numbering is already fixed (a PDF's lines and their pages, a Word file's cells): control
    characters removed, unusual line breaks made spaces, so no line is added. 'a\x01b\x0bc' -> 'ab c'."""
    if not _has_unusual(text):
        return text
    return _INVISIBLE.sub("", _LINE_BREAKS.sub(" ", text))


def excerpt(text: str, line: int, context: int = 3) -> list[tuple[int, str, bool]]:
    """The lines around `line` (1-based): [(number, text, is_the_line), ...]."""
    lines = text.splitlines()
    first, last = max(1, line - context), min(len(lines), line + context)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]

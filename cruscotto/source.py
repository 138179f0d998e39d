"""The original text of a document: decoding its stored bytes, and the lines around a record."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


class NotText(Exception):
    """Bytes that are not a text document; the message is Italian and names the reason."""


def decode_document(data: bytes) -> str:
    """The text of a document file: UTF-8 (with or without BOM), else Windows-1252.

    Raises NotText for empty, PDF, binary or mostly unprintable bytes."""
    return detect_and_decode(data)[0]


def detect_and_decode(data: bytes) -> tuple[str, str]:
    """(text, encoding found): 'utf-8', 'utf-8-sig' (with BOM) or 'cp1252' (Windows/latin-1 files)."""
    if not data.strip():
        raise NotText("il file è vuoto")
    if data.startswith(b"%PDF"):
        raise NotText("è un PDF: va caricato con estensione .pdf")
    if b"\x00" in data[:4096]:
        raise NotText("è un file binario, non un testo")
    try:
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252", errors="replace")
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise NotText("contiene troppi caratteri non stampabili per essere un testo")
    return text, encoding


def excerpt(text: str, line: int, context: int = 3) -> list[tuple[int, str, bool]]:
    """The lines around `line` (1-based): [(number, text, is_the_line), ...]."""
    lines = text.splitlines()
    first, last = max(1, line - context), min(len(lines), line + context)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]

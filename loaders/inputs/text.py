"""Text files (.txt, .md): decoded, with control characters taken out of what the parsers see.

The original bytes are kept by the database; when cleaning changed the text, the cleaned text is stored
beside them and source_line points into it.
"""
from __future__ import annotations

from cruscotto.source_text import NotText, clean_text, detect_and_decode

from ..errors import Refused
from . import ExtractedText
from .furniture import text_furniture

FORMAT = "text"


def accepts(name: str, data: bytes) -> bool:
    return True                                  # what no other adapter takes is read as text


def extract(data: bytes) -> ExtractedText:
    try:
        text, encoding = detect_and_decode(data)
    except NotText as exc:
        raise Refused({"pdf": "pdf_as_text"}.get(exc.reason, exc.reason)) from exc
    cleaned = clean_text(text)
    return ExtractedText(cleaned, FORMAT, encoding=encoding, store_text=cleaned != text,
                         furniture=text_furniture(cleaned))

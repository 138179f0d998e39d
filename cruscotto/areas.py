"""Area names (issue 11): suggestions of one canonical name for the many ways documents print an area.

Pure: no connection, no Streamlit. The Aree page shows what `suggest` proposes and an editor accepts it or
types another name; nothing here is ever applied by itself. The alias table and the place where the
canonical name replaces the printed one are in cruscotto/db/ (areas.py, views.py: OBJECTIVES).
"""
from __future__ import annotations

import re
import unicodedata

from .vocabulary import AREA_FILLER, AREA_NAMES

_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset(AREA_FILLER)
_LEADING_FILLER = re.compile(r"^\s*(?:area|aree|settore)\b[\s\-–:.,]*", re.IGNORECASE)


def name_words(name: str | None) -> tuple[str, ...]:
    """A printed area name as the words that tell it apart: case, accents, punctuation, filler words ('area',
    'e', 'di'...) and the final vowel (plural/singular) left out.
    'AREA ANZIANI' -> ('anzian',); 'Minori e famiglie' -> ('minor', 'famigli')."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode().lower()
    return tuple(_stem(w) for w in _WORD.findall(text) if w not in _FILLER)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "aeiou" else word


def tidy(name: str) -> str:
    """A printed name as a canonical one: the leading 'area' out, an all-capitals name in sentence case.
    'AREA MINORI' -> 'Minori'; 'DIREZIONE- AREA AMMINISTRATIVA' -> 'Direzione- area amministrativa'."""
    text = " ".join(_LEADING_FILLER.sub("", name).split()) or " ".join(name.split())
    if text.upper() == text:
        text = text[:1].upper() + text[1:].lower()
    return text


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


_VOCABULARY = {canonical: [name_words(p) for p in phrases] for canonical, phrases in AREA_NAMES.items()}


def vocabulary_match(name: str, vocabulary: dict[str, list[tuple[str, ...]]] | None = None) -> str | None:
    """The canonical area of vocabulary.AREA_NAMES whose words the name holds, when exactly one does.
    'Area anziani e non autosufficienza' -> 'Anziani'; 'Anziani e disabili' -> None (two areas)."""
    words = name_words(name)
    found = {canonical for canonical, phrases in (vocabulary or _VOCABULARY).items()
             if any(_contains(words, p) for p in phrases)}
    return found.pop() if len(found) == 1 else None


def _known_match(words: frozenset, known: dict[frozenset, str]) -> str | None:
    """A canonical name an editor already chose whose words are the name's, or the only one inside it."""
    if words in known:
        return known[words]
    inside = {canonical for key, canonical in known.items() if key and key < words}
    return inside.pop() if len(inside) == 1 else None


def _representative(names: list[str]) -> str:
    """The printed name that reads best as the canonical one: not in capitals, then the shortest."""
    return tidy(min(names, key=lambda n: (n.upper() == n, len(name_words(n)), len(n), n)))


def suggest(printed: list[str], known: list[str] = ()) -> dict[str, str]:
    """{printed name: suggested canonical name}, only for names whose suggestion differs from them.

    In order: a canonical name an editor already chose (`known`) with the same words, or the only one whose
    words the name holds; the area of the vocabulary whose key words the name holds (when only one area's);
    else the name joins the other printed names with the same words (case, accents, 'area', punctuation,
    plural/singular) or the only group whose words it holds (one name containing the other's key word).
    ['AREA ANZIANI', 'Anziani', 'Area anziani e non autosufficienza', 'Funzioni Generali']
      -> {'AREA ANZIANI': 'Anziani', 'Area anziani e non autosufficienza': 'Anziani'}"""
    names = sorted({n for n in printed if n and name_words(n)})
    known_keys = {frozenset(name_words(k)): k for k in known if k and name_words(k)}
    groups: dict[frozenset, list[str]] = {}
    for name in names:
        groups.setdefault(frozenset(name_words(name)), []).append(name)

    def direct(name: str) -> str | None:
        return _known_match(frozenset(name_words(name)), known_keys) or vocabulary_match(name)

    def group_name(key: frozenset) -> str:
        members = groups[key]
        for member in members:
            found = direct(member)
            if found:
                return found
        return _representative(members)

    result = {}
    for name in names:
        key = frozenset(name_words(name))
        target = direct(name)
        if target is None:
            inside = [other for other in groups if other < key]
            if len(inside) == 1:
                target = group_name(inside[0])
            elif len(groups[key]) > 1:
                target = group_name(key)
        if target and target != name:
            result[name] = target
    return result

"""The document families: each reads one kind of layout from text into records.

Each family module has NAME, identify(text, furniture) and parse(text, furniture). FAMILIES are tried in
order and the first that recognises the document reads it; FALLBACK reads any document whose tables have
recognisable headers when no family claims it. To add a family, add a module, an entry here and its tests.
The loading service (file -> text -> records -> database) is loaders/service.py.
"""
from __future__ import annotations

from cruscotto.records import ParsedDocument

from . import piano_di_zona, schede_obiettivo, tabella_obiettivi, tabelle_indicatori
from .errors import UnknownFamily

FAMILIES = [piano_di_zona, schede_obiettivo, tabella_obiettivi]
FALLBACK = tabelle_indicatori


def family_for(text: str, furniture: frozenset[int] = frozenset()):
    """The family that reads this text: the first of FAMILIES that recognises it, else FALLBACK if it finds a
    readable table, else UnknownFamily."""
    for family in FAMILIES:
        if family.identify(text, furniture):
            return family
    if FALLBACK.identify(text, furniture):
        return FALLBACK
    raise UnknownFamily()


def parse_text(text: str, furniture: frozenset[int] = frozenset()) -> tuple[str, ParsedDocument]:
    """(family name, records) for a text: 'RELAZIONE SULLA PERFORMANCE 2019 ...' -> ('schede_obiettivo', ...)."""
    family = family_for(text, furniture)
    return family.NAME, family.parse(text, furniture)

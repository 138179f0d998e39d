"""The audit trail (`changes`): who did what, when; and how a person's name is cleaned before it is stored."""
from __future__ import annotations

import unicodedata

import pandas as pd

from .connection import first_row


# Characters that change how a name looks without being seen: controls (Cc), format characters (Cf: the
# bidi overrides U+202A-U+202E and isolates U+2066-U+2069, the marks U+200E/U+200F, zero-width spaces)
# and line or paragraph separators. '\u202e)toor( odnamoc id agir' shows as 'riga di comando (root)'.
# Characters a name never needs and that can hide or pad it: controls and format characters (bidi
# overrides), line separators, combining marks left after NFC (variation selectors, U+034F), unassigned and
# private code points, and the letters and symbols that print as nothing (Hangul fillers, the braille blank).
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Mn", "Me", "Co", "Cn", "Cs"})
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")
MAX_NAME = 120


def clean_name(name, default: str = "sconosciuto", limit: int = MAX_NAME) -> str:
    r"""A person's name as the audit trail stores it: invisible characters out, spaces collapsed, at most
    `limit` characters. '\u202eMaria\u200f  Rossi\x07' -> 'Maria Rossi'; nothing left -> `default`."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(" " if ch.isspace() else ch for ch in text
                   if (unicodedata.category(ch) not in _INVISIBLE and ch not in _BLANK) or ch in "\t\n\r")
    text = " ".join(text.split())[:limit].strip()
    return text or default


def record_change(con, editor: str, action: str, document_id: int | None, source_name: str | None,
                  detail: str | None = None) -> None:
    """One line of the audit trail, inside the caller's transaction; the editor's name goes through clean_name."""
    con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, detail) "
                "SELECT coalesce(max(change_id), 0) + 1, current_timestamp, ?, ?, ?, ?, ? FROM changes",
                [clean_name(editor), action, document_id, source_name, detail])


CHANGE_SEARCH = ("editor", "action", "source_name", "detail")


def changes(con, filters=None, *, search: str = "", limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """The audit trail, newest first (of the whole database: `filters` is not applied, it is there so that a
    paged list can call it like the page queries); narrowed to a search box's words; with `limit`, one page
    of it (column total_rows: how many in every page). A database last written before `restored` existed
    (pages read it read-only, so the column is only added at the next write) holds no restored line."""
    from .queries import _listing

    restored = "restored" if first_row(con, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'changes' "
                                       "AND column_name = 'restored'")[0] else "false AS restored"
    select = (f"SELECT changed_at, editor, action, source_name, document_id, detail, {restored}, change_id "
              "FROM changes")
    found = _listing(con, select, [], "change_id DESC", search, CHANGE_SEARCH, limit, offset)
    return found.drop(columns=["change_id"])

"""Area names (issue 11): the common name an editor gives each way documents print an area."""
from __future__ import annotations

import pandas as pd

from ..messages import AREAS
from .audit import clean_name, record_change
from .connection import first_row, roll_back
from .views import OBJECTIVES


# One canonical name for the ways documents print an area: a row of area_aliases per printed name, applied
# by OBJECTIVES (so every page query, the Area filter and attainment by area use it); objectives.area stays.

class InvalidAlias(ValueError):
    """An alias that cannot be saved; code: 'empty', 'long', 'printed'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


MAX_AREA = 200


def area_names(con) -> pd.DataFrame:
    """Every printed area (after a person's correction of it) with how many documents and objectives print
    it and its canonical name (None: it keeps its printed name), plus the aliases of names no document prints
    any more (documents 0). Repeated objective blocks are counted once."""
    return con.execute(f"""
        WITH printed AS (
            SELECT o.printed_area, count(DISTINCT o.document_id) AS documents, count(*) AS objectives
            FROM {OBJECTIVES} o WHERE o.printed_area IS NOT NULL AND o.duplicate_of IS NULL GROUP BY ALL)
        SELECT coalesce(p.printed_area, a.printed_area) AS printed_area, coalesce(p.documents, 0) AS documents,
               coalesce(p.objectives, 0) AS objectives, a.canonical_area, a.editor, a.changed_at
        FROM printed p FULL OUTER JOIN area_aliases a ON a.printed_area = p.printed_area
        ORDER BY lower(coalesce(p.printed_area, a.printed_area)), 1
    """).df()


def save_area_aliases(con, aliases: dict[str, str], editor: str) -> list[tuple[str, str | None, str | None]]:
    """Give printed areas a canonical name, in one transaction with one audit line each ('area unificata');
    a canonical name equal to the printed one removes the alias ('area separata'). Returns the changes made
    as (printed, old canonical or None, new canonical or None). Raises InvalidAlias."""
    cleaned = {}
    for printed, canonical in aliases.items():
        if printed is None or not str(printed).strip():
            raise InvalidAlias("printed")
        canonical = " ".join(str(canonical or "").split())
        if not canonical:
            raise InvalidAlias("empty")
        if len(canonical) > MAX_AREA:
            raise InvalidAlias("long")
        cleaned[str(printed)] = canonical
    editor = clean_name(editor)
    done = []
    con.execute("BEGIN TRANSACTION")
    try:
        for printed, canonical in cleaned.items():
            found = first_row(con, "SELECT canonical_area FROM area_aliases WHERE printed_area = ?", [printed])
            old = found[0] if found else None
            new = None if canonical == printed else canonical
            if old == new:
                continue
            con.execute("DELETE FROM area_aliases WHERE printed_area = ?", [printed])
            if new is None:
                record_change(con, editor, AREAS["action_split"], None, None,
                              AREAS["detail_split"].format(printed=printed, old=old))
            else:
                con.execute("INSERT INTO area_aliases (printed_area, canonical_area, editor, changed_at) "
                            "VALUES (?, ?, ?, current_timestamp)", [printed, new, editor])
                record_change(con, editor, AREAS["action_merged"], None, None,
                              AREAS["detail_merged" if old is None else "detail_renamed"].format(
                                  printed=printed, new=new, old=old))
            done.append((printed, old, new))
        con.execute("COMMIT")
    except BaseException:
        roll_back(con)
        raise
    return done


def remove_area_alias(con, printed: str, editor: str) -> str | None:
    """Remove a printed area's alias, so that it shows its printed name again, with an audit line
    ('area separata'); returns the canonical name it had (None: it had no alias, nothing changed)."""
    found = first_row(con, "SELECT canonical_area FROM area_aliases WHERE printed_area = ?", [printed])
    if not found:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM area_aliases WHERE printed_area = ?", [printed])
        record_change(con, editor, AREAS["action_split"], None, None,
                      AREAS["detail_split"].format(printed=printed, old=found[0]))
        con.execute("COMMIT")
    except BaseException:
        roll_back(con)
        raise
    return found[0]

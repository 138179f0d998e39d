"""Summaries stored in the file: the counts per document and area and the keys of the indicators and steps
that the page queries read (queries.KEPT_SELECTS), written as tables `summary_<name>` by whoever writes (the
end of a load, a dashboard write) so that the first page after a write does not make them (40-85 ms each at
10^4 documents, several a page).

They are a cache, never the truth: `summary_state` holds the fingerprint of what they were made from (the
selects' SQL and the record tables' counts, last ids and corrections) and a reader uses them only when the
file gives the same fingerprint now; otherwise the page queries make the same rows themselves. A write that
forgets to refresh them costs speed, never a wrong number.
"""
from __future__ import annotations

import hashlib
import logging

from ..messages import SUMMARIES_NOT_STORED
from .connection import first_row, roll_back

PREFIX = "summary_"
STATE = "summary_state"

# What a summary reads and how it can change: record tables only gain rows with new ids or lose rows (a count
# and the last id tell), the documents' names and years and the corrections are edited in place (hashed whole).
_SOURCES = """
    SELECT count(*), max(document_id),
           sum(hash(issuer, title, report_year, period_start, period_end, kind, source_name, family)) FROM documents
    UNION ALL SELECT count(*), max(objective_id), 0 FROM objectives
    UNION ALL SELECT count(*), max(indicator_id), 0 FROM indicators
    UNION ALL SELECT count(*), max(milestone_id), 0 FROM milestones
    UNION ALL SELECT count(*), 0, sum(hash(o)) FROM overrides o
    UNION ALL SELECT count(*), 0, sum(hash(a)) FROM area_aliases a"""


def fingerprint(con, selects: dict[str, str]) -> str:
    """What the summaries made by `selects` (name -> select) on this file as it is now would be made from."""
    sources = con.execute(_SOURCES).fetchall()
    text = repr(sorted(selects.items())) + repr(sources)
    return hashlib.sha256(text.encode()).hexdigest()


def current(con, selects: dict[str, str]) -> bool:
    """True when the file has every summary table and they were made by these selects from the file as it is
    now."""
    names = [STATE, *(PREFIX + name for name in selects)]
    if first_row(con, "SELECT count(*) FROM duckdb_tables() WHERE list_contains(?, table_name) AND "
                      "database_name = current_database()", [names])[0] < len(names):
        return False
    stored = first_row(con, f"SELECT fingerprint FROM {STATE}")
    return stored is not None and stored[0] == fingerprint(con, selects)


def refresh(con, selects: dict[str, str]) -> bool:
    """Make the summary tables again when they are not current (a connection that writes, no open
    transaction); True when made. A failure is logged and leaves the old ones, which readers then ignore:
    the write that came before stays whole."""
    try:
        if current(con, selects):
            return False
        con.execute("BEGIN TRANSACTION")
        try:
            for name, select in selects.items():
                con.execute(f"CREATE OR REPLACE TABLE {PREFIX}{name} AS {select}")
            con.execute(f"CREATE OR REPLACE TABLE {STATE} AS "
                        "SELECT ? AS fingerprint, CAST(now() AS TIMESTAMP) AS made_at", [fingerprint(con, selects)])
            con.execute("COMMIT")
        except BaseException:
            roll_back(con)
            raise
        return True
    except Exception as exc:                  # a full disk, a file opened read-only: the pages make their own
        logging.getLogger(__name__).warning(SUMMARIES_NOT_STORED.format(error=exc))
        return False

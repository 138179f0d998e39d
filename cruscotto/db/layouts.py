"""Column mapping (issue 11): the layouts an editor gave tables the tool did not recognise, and the records
read with them."""
from __future__ import annotations

import pandas as pd

from ..records import MAPPED_FAMILY
from .audit import clean_name, record_change
from .connection import first_row, roll_back
from .records import insert_rows, next_ids




def stored_layouts(con) -> list[tuple]:
    """(layout_id, header_key, roles JSON, editor) of every stored layout, oldest first; [] in a database
    written before layouts existed (pages read it read-only, so the table only appears at the next write)."""
    if not first_row(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'layouts'")[0]:
        return []
    return con.execute("SELECT layout_id, header_key, roles, editor FROM layouts ORDER BY layout_id").fetchall()


def layouts(con) -> pd.DataFrame:
    """The stored layouts for the Amministrazione page, newest first."""
    if not stored_layouts(con):
        return pd.DataFrame(columns=["layout_id", "header_text", "roles", "editor", "created_at", "source_name"])
    return con.execute("SELECT layout_id, header_text, roles, editor, created_at, source_name FROM layouts "
                       "ORDER BY layout_id DESC").df()


def document_facts(con, document_id: int) -> dict | None:
    """What judging a document's records needs: {'kind': ..., 'report_year': 2022, 'period_start': None,
    'deviation_legend': False, 'family': ..., 'source_name': ...}."""
    columns = ["kind", "report_year", "period_start", "deviation_legend", "family", "source_name"]
    found = first_row(con, f"SELECT {', '.join(columns)} FROM documents WHERE document_id = ?", [document_id])
    return dict(zip(columns, found)) if found else None


def unread_lines(con, document_id: int) -> list[int]:
    """Lines of a document kept as table lines no reader read (quality_issues 'unparsed_table')."""
    return [n for (n,) in con.execute("SELECT DISTINCT source_line FROM quality_issues WHERE document_id = ? AND "
                                      "category = 'unparsed_table' ORDER BY 1", [document_id]).fetchall()]


def save_mapped_table(con, document_id: int, rows: dict[str, list[dict]], lines: list[int], layout: dict | None,
                      editor: str, detail: str) -> int | None:
    """In one transaction: a mapped table's rows added to its document, its lines no longer unread, an
    unrecognised document now read by mapped columns, the layout stored (replacing one with the same
    header_key) and a 'tabella mappata' line in the audit trail. Returns the new layout_id (or None)."""
    found = first_row(con, "SELECT source_name, family FROM documents WHERE document_id = ?", [document_id])
    if not found:
        raise KeyError(document_id)
    source_name, family = found
    con.execute("BEGIN TRANSACTION")
    try:
        first = first_row(con, "SELECT coalesce(max(position), -1) + 1 FROM objectives WHERE document_id = ?",
                     [document_id])[0]
        insert_rows(con, next_ids(con), rows, document_id, first)
        con.execute("DELETE FROM quality_issues WHERE document_id = ? AND category = 'unparsed_table' "
                    "AND list_contains(?, source_line)", [document_id, list(lines)])
        if family == "non_riconosciuto":
            con.execute("DELETE FROM quality_issues WHERE document_id = ? AND category = 'unrecognised'",
                        [document_id])
            con.execute("UPDATE documents SET family = ? WHERE document_id = ?", [MAPPED_FAMILY, document_id])
        layout_id = None
        if layout is not None:
            layout_id = store_layout(con, layout, editor, document_id, source_name)
            detail += f"; modello di tabella n. {layout_id}"
        record_change(con, editor, "tabella mappata", document_id, source_name, detail)
        con.execute("COMMIT")
    except BaseException:
        roll_back(con)
        raise
    return layout_id


def store_layout(con, layout: dict, editor: str, document_id: int, source_name: str) -> int:
    """Insert a layout inside the caller's transaction, replacing any with the same header_key; its id."""
    con.execute("DELETE FROM layouts WHERE header_key = ?", [layout["header_key"]])
    layout_id = first_row(con, "SELECT coalesce(max(layout_id), 0) + 1 FROM layouts")[0]
    con.execute("INSERT INTO layouts (layout_id, header_key, header_text, roles, editor, created_at, document_id, "
                "source_name) VALUES (?, ?, ?, ?, ?, current_timestamp, ?, ?)",
                [layout_id, layout["header_key"], layout["header_text"], layout["roles"], clean_name(editor),
                 document_id, source_name])
    return layout_id


def delete_layout(con, layout_id: int, editor: str) -> str | None:
    """Remove a stored layout, recording who did it; returns its header as printed (None: no such layout).
    What was read with it stays: the layout only decides how later tables are read."""
    found = first_row(con, "SELECT header_text FROM layouts WHERE layout_id = ?", [layout_id]) \
        if stored_layouts(con) else None
    if not found:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM layouts WHERE layout_id = ?", [layout_id])
        record_change(con, editor, "modello di tabella eliminato", None, None,
                      f"modello n. {layout_id}: " + found[0].replace("\t", " | "))
        con.execute("COMMIT")
    except BaseException:
        roll_back(con)
        raise
    return found[0]

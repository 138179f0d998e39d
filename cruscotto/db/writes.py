"""Writing documents: which files the database holds (DocumentIndex), one document per transaction
(DocumentWriter), deleting one, and checking that what a load reported saved is really there."""
from __future__ import annotations

from pathlib import Path

from . import records
from .audit import clean_name, record_change
from .connection import db_path, first_row, reading, roll_back
from .layouts import store_layout, stored_layouts
from .overrides import orphan_overrides, reattach_overrides
from .schema import TABLES


def document_index(path: str | Path | None = None) -> "DocumentIndex":
    """What the database holds, read and closed at once (an absent file holds nothing)."""
    path = Path(path or db_path())
    if not path.exists():
        return DocumentIndex(None)
    with reading(path) as con:
        return DocumentIndex(con)


class DocumentIndex:
    """Which files the database holds already: by the hash of their bytes and by their name."""

    def __init__(self, con):
        self.by_sha: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_content: dict[str, list[tuple[int, str]]] = {}     # report key -> (document_id, its words)
        self.names: dict[int, str] = {}
        rows = con.execute("SELECT document_id, source_name, sha256, content_sha, content_words "
                           "FROM documents").fetchall() if con else []
        for document_id, name, sha, content, words in rows:
            self.remember(document_id, name, sha, content, words)
        self.layouts: list[tuple] = stored_layouts(con) if con else []

    def remember(self, document_id: int, name: str, sha: str, content: str | None, words: str | None = None) -> None:
        self.by_sha.setdefault(sha, document_id)
        self.by_name.setdefault(name, []).append(document_id)
        if content:
            self.by_content.setdefault(content, []).append((document_id, words or ""))
        self.names[document_id] = name

    def same_key(self, content: str) -> list[tuple[int, str]]:
        """(document_id, words) of the documents with this report key (issuer, period, kind)."""
        return self.by_content.get(content, [])

    def find(self, source_name: str, sha256: str) -> tuple[int | None, list[int]]:
        """(document_id holding the same bytes or None, ids of older versions under the same name)."""
        same = self.by_sha.get(sha256)
        older = [d for d in self.by_name.get(source_name, []) if d != same]
        return same, older


class DocumentWriter(DocumentIndex):
    """Writes documents through one open connection, one transaction per document.

    It reads the stored hashes and the next free ids once, then keeps them itself: a DuckDB file has a
    single writer process, and a round trip per lookup cost more than writing the rows."""

    def __init__(self, con):
        super().__init__(con)
        self.con = con
        self.next_ids = self._readnext_ids()

    def _readnext_ids(self) -> dict[str, int]:
        columns = {"documents": "document_id", "changes": "change_id", **TABLES}
        sql = "SELECT " + ", ".join(f"(SELECT coalesce(max({c}), 0) + 1 FROM {t})" for t, c in columns.items())
        return dict(zip(columns, first_row(self.con, sql)))

    def write(self, document: dict, rows: dict[str, list[dict]], replaces: list[int] = (),
              editor: str = "sconosciuto", mapped: list[tuple[dict | None, str]] = ()) -> int:
        """Write one document and its rows in one transaction, replacing older versions of the same file.

        `rows[table]` are dicts without ids; objectives carry `ref`, and milestones/indicators an
        `objective` ref that becomes objective_id here. `mapped`: (layout or None, detail) of each table whose
        columns the editor mapped on upload: the layout is stored and a 'tabella mappata' line written, in the
        same transaction. Returns the new document_id."""
        con, ids = self.con, dict(self.next_ids)
        con.execute("BEGIN TRANSACTION")
        try:
            records.delete_rows(con, list(replaces))
            document_id = ids["documents"]
            records.append_rows(con, "documents", [{"document_id": document_id, **document}])
            records.insert_rows(con, ids, rows, document_id)
            con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, detail) "
                        "VALUES (?, current_timestamp, ?, ?, ?, ?, ?)",
                        [ids["changes"], clean_name(editor), "sostituito" if replaces else "caricato", document_id,
                         document["source_name"], f"sostituisce {list(replaces)}" if replaces else None])
            ids["changes"] += 1
            for layout, detail in mapped:
                if layout is not None:
                    detail += f"; modello di tabella n. {store_layout(con, layout, editor, document_id, document['source_name'])}"
                con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, "
                            "detail) VALUES (?, current_timestamp, ?, 'tabella mappata', ?, ?, ?)",
                            [ids["changes"], clean_name(editor), document_id, document["source_name"], detail])
                ids["changes"] += 1
            reattach_overrides(con, document_id, list(replaces), editor)
            ids["changes"] = first_row(con, "SELECT coalesce(max(change_id), 0) + 1 FROM changes")[0]
            con.execute("COMMIT")
        except BaseException:
            roll_back(con)
            self.next_ids = self._readnext_ids()
            raise
        ids["documents"] += 1
        self.next_ids = ids
        for old in replaces:
            self.by_sha = {sha: d for sha, d in self.by_sha.items() if d != old}
            self.by_content = {c: [(d, w) for d, w in docs if d != old] for c, docs in self.by_content.items()}
        self.by_name[document["source_name"]] = []
        self.remember(document_id, document["source_name"], document["sha256"], document.get("content_sha"),
                      document.get("content_words"))
        return document_id


def missing_documents(con, saved: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Of the (document_id, sha256) a load reports saved, those the file does not hold with their audit row:
    [(12, 'ab…'), (13, 'cd…')] -> [(13, 'cd…')] when document 13 is not there (or is another file's)."""
    if not saved:
        return []
    found = set(con.execute("SELECT d.document_id, d.sha256 FROM documents d WHERE list_contains(?, d.document_id) "
                            "AND EXISTS (SELECT 1 FROM changes c WHERE c.document_id = d.document_id)",
                            [[doc for doc, _ in saved]]).fetchall())
    return [pair for pair in saved if tuple(pair) not in found]


def delete_document(con, document_id: int, editor: str) -> str | None:
    """Remove one document and all its rows in one transaction, recording who did it; returns its file name."""
    found = first_row(con, "SELECT source_name FROM documents WHERE document_id = ?", [document_id])
    if not found:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        records.delete_rows(con, [document_id])
        record_change(con, editor, "eliminato", document_id, found[0])
        orphan_overrides(con, [document_id], editor)
        con.execute("COMMIT")
    except BaseException:
        roll_back(con)
        raise
    return found[0]

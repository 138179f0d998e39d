"""Writing documents: which files the database holds (DocumentIndex), documents in batches of one
transaction each (DocumentWriter), deleting one, and checking that what a load reported saved is really there."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa

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
    """Which files the database holds already: by the hash of their bytes and by their name; and, to recognise
    the same report in another file, each report key's documents with their issuer's words.

    A document's content words (several kilobytes) are not kept for every stored document: words_of() reads
    them when a new file's issuer matches (rarely), from the open connection of a writer, or from what an
    index read and closed at once (document_index: the upload page's few files) kept."""

    def __init__(self, con, keep_words: bool = True):
        self.by_sha: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_content: dict[str, list[tuple[int, frozenset[str]]]] = {}   # report key -> (document_id, issuer words)
        self.names: dict[int, str] = {}
        self.facts: dict[int, tuple[str, str | None]] = {}         # document_id -> (sha256, report key)
        self.derived: dict = {}                  # what the loading service works out from these, kept with them
        self.words: dict[int, str] = {}          # document_id -> content words, of the documents not to be read again
        self._keep_words = keep_words
        self._issuers: dict[frozenset[str], frozenset[str]] = {}   # one set per issuer, however many documents
        rows = con.execute("SELECT document_id, source_name, sha256, content_sha, content_words "
                           "FROM documents").fetchall() if con else []
        for document_id, name, sha, content, words in rows:
            self.remember(document_id, name, sha, content, words)
        self._keep_words = True                  # what is added from now on is not in the file yet
        self.layouts: list[tuple] = stored_layouts(con) if con else []

    def remember(self, document_id: int, name: str, sha: str, content: str | None, words: str | None = None) -> None:
        self.by_sha.setdefault(sha, document_id)
        self.by_name.setdefault(name, []).append(document_id)
        if content:
            issuer = frozenset(w[2:] for w in (words or "").split() if w.startswith("i:"))
            issuer = self._issuers.setdefault(issuer, issuer)
            self.by_content.setdefault(content, []).append((document_id, issuer))
            if self._keep_words:
                self.words[document_id] = words or ""
        self.names[document_id] = name
        self.facts[document_id] = (sha, content)

    def forget(self, document_id: int) -> None:
        """A replaced document is no longer found by its bytes or its report key (its name goes with the
        document that replaces it)."""
        sha, content = self.facts.pop(document_id, (None, None))
        if sha is not None and self.by_sha.get(sha) == document_id:
            del self.by_sha[sha]
        if content in self.by_content:
            self.by_content[content] = [(d, w) for d, w in self.by_content[content] if d != document_id]

    def same_key(self, content: str) -> list[tuple[int, frozenset[str]]]:
        """(document_id, its issuer's words) of the documents with this report key (period and kind):
        [(12, frozenset({'consorzio', 'alba'}))]."""
        return self.by_content.get(content, [])

    def words_of(self, document_id: int) -> str:
        """The content words of a document of same_key(): 'i:alba i:consorzio t:domiciliarita v:incontricda=14'."""
        if document_id in self.words:
            return self.words[document_id]
        if getattr(self, "con", None) is None:
            return ""
        found = first_row(self.con, "SELECT content_words FROM documents WHERE document_id = ?", [document_id])
        return (found[0] if found else None) or ""

    def find(self, source_name: str, sha256: str) -> tuple[int | None, list[int]]:
        """(document_id holding the same bytes or None, ids of older versions under the same name)."""
        same = self.by_sha.get(sha256)
        older = [d for d in self.by_name.get(source_name, []) if d != same]
        return same, older

    def _state(self):
        return (dict(self.by_sha), {k: list(v) for k, v in self.by_name.items()},
                {k: list(v) for k, v in self.by_content.items()}, dict(self.names), dict(self.facts), dict(self.words))


class DocumentWriter(DocumentIndex):
    """Writes documents through one open connection: one transaction per batch of documents (begin, add,
    commit), or per document (write).

    It reads the stored hashes once and then keeps them itself: a DuckDB file has a single writer process,
    and a round trip per lookup cost more than writing the rows. A document added to a batch is found at
    once (a later file of the same batch with its name replaces it, one with its bytes is unchanged); a
    batch that fails leaves the database and this index as they were before it began.

    sole: nothing but this writer writes through con while it holds it (a load's own connection). Then the
    next ids it counted on, and that no correction is waiting, stay true from one batch to the next: they
    are read when it opens and after a failure, not for every batch."""

    def __init__(self, con, sole: bool = False):
        super().__init__(con, keep_words=False)          # read again through con when asked (words_of)
        self.con, self.sole = con, sole
        self.next_ids = self._read_next_ids()
        self.pending: list[dict] | None = None          # the open batch: documents added, not yet committed
        self._before = None
        self._ids_known = True                          # next_ids as the file holds them (sole writers)
        self._no_corrections = False                    # no correction active or orphaned (sole writers)

    def reconnect(self, con) -> None:
        """Go on through a new connection to a file nobody wrote to since this writer's last connection closed
        (db.file_state): what it read and counted is still true."""
        self.con = con

    def _read_next_ids(self) -> dict[str, int]:
        return records.next_ids(self.con, {"documents": "document_id", "changes": "change_id", **TABLES})

    # ------------------------------------------------------------------ one document

    def write(self, document: dict, rows: dict[str, list[dict]], replaces: list[int] = (),
              editor: str = "sconosciuto", mapped: list[tuple[dict | None, str]] = ()) -> int:
        """Write one document and its rows in one transaction, replacing older versions of the same file.

        `rows[table]` are dicts without ids; objectives carry `ref`, and milestones/indicators an
        `objective` ref that becomes objective_id here. `mapped`: (layout or None, detail) of each table whose
        columns the editor mapped on upload: the layout is stored and a 'tabella mappata' line written, in the
        same transaction. Returns the new document_id."""
        self.begin()
        document_id = self.add(document, rows, replaces, editor, mapped)
        self.commit()
        return document_id

    # ------------------------------------------------------------------ a batch of documents

    @property
    def batch_ids(self) -> set[int]:
        """The document_ids given to the documents of the open batch."""
        return {p["document_id"] for p in self.pending or ()}

    def begin(self) -> None:
        """Open a batch: a transaction, and the next free ids read inside it."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            if not (self.sole and self._ids_known):
                self.next_ids = self._read_next_ids()
            self._ids_known = False                     # until this batch is committed
        except BaseException:
            roll_back(self.con)
            raise
        self.pending, self._before = [], self._state()

    def add(self, document: dict, rows: dict[str, list[dict]], replaces: list[int] = (),
            editor: str = "sconosciuto", mapped: list[tuple[dict | None, str]] = ()) -> int:
        """Give a document of the open batch its id and make it known to this index; nothing is written
        before commit(). Returns its document_id."""
        document_id = self.next_ids["documents"]
        self.next_ids["documents"] += 1
        self.pending.append(dict(document_id=document_id, document=document, rows=rows, replaces=list(replaces),
                                 editor=editor, mapped=list(mapped)))
        for old in replaces:
            self.forget(old)
        self.by_name[document["source_name"]] = []
        self.remember(document_id, document["source_name"], document["sha256"], document.get("content_sha"),
                      document.get("content_words"))
        return document_id

    def commit(self) -> list[int]:
        """Write the batch's documents in its transaction and commit; on any failure roll back, forget the
        batch and raise. Returns the document_ids written."""
        con, pending = self.con, self.pending or []
        try:
            replaced = sorted({old for p in pending for old in p["replaces"]})
            if any(p["mapped"] for p in pending) or set(replaced) & self.batch_ids or \
                    self._corrections_waiting(replaced):
                for p in pending:                        # as one document after the other (see _write_one)
                    self._write_one(p)
            else:
                self._write_all(pending, replaced)
            con.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise
        self.pending, self._before, self._ids_known = None, None, True
        self.words.clear()                                # in the file now: words_of reads them there
        return [p["document_id"] for p in pending]

    def rollback(self) -> None:
        """Undo the open batch: nothing written, the index as it was before begin()."""
        roll_back(self.con)
        if self._before is not None:
            self.by_sha, self.by_name, self.by_content, self.names, self.facts, self.words = self._before
        self.pending, self._before = None, None
        try:
            self.next_ids = self._read_next_ids()
        except Exception:                              # a connection that is gone: the next begin() reads them
            pass

    def _corrections_waiting(self, replaced: list[int]) -> bool:
        """True when writing documents may move a correction (reattach_overrides): one is orphaned, or active
        on a document that is gone or that this batch replaces. Otherwise none can move, whatever the batch
        holds, and the documents are written all at once."""
        if self.sole and not self._no_corrections:
            self._no_corrections = not first_row(self.con, "SELECT count(*) FROM overrides "
                                                 "WHERE status IN ('active', 'orphaned')")[0]
        if self._no_corrections:                       # none to move, and only this writer could add one
            return False
        return bool(first_row(self.con, "SELECT count(*) FROM overrides WHERE status = 'orphaned' OR "
                              "(status = 'active' AND (list_contains(?, document_id) OR document_id NOT IN "
                              "(SELECT document_id FROM documents)))", [replaced])[0])

    def _write_all(self, pending: list[dict], replaced: list[int]) -> None:
        """Every document of the batch, one append per table: no correction can move (_corrections_waiting),
        and no document of the batch replaces another of it."""
        ids = self.next_ids
        records.delete_rows(self.con, replaced)
        records.append_rows(self.con, "documents", [{"document_id": p["document_id"], **p["document"]}
                                                    for p in pending])
        records.insert_documents_rows(self.con, ids, [(p["document_id"], p["rows"]) for p in pending])
        changes = []
        for p in pending:
            replaces = p["replaces"]
            changes.append(dict(change_id=ids["changes"], editor=clean_name(p["editor"]),
                                action="sostituito" if replaces else "caricato", document_id=p["document_id"],
                                source_name=p["document"]["source_name"],
                                detail=f"sostituisce {replaces}" if replaces else None))
            ids["changes"] += 1
        incoming = pa.Table.from_pylist(changes)
        self.con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, "
                         "detail) SELECT change_id, current_timestamp, editor, action, document_id, source_name, "
                         "detail FROM incoming")

    def _write_one(self, p: dict) -> None:
        """One document exactly as when each had its own transaction: its older versions deleted, its rows,
        its audit lines and layouts, then the corrections that find its records re-attached."""
        con, ids, document, replaces, editor = self.con, self.next_ids, p["document"], p["replaces"], p["editor"]
        document_id = p["document_id"]
        records.delete_rows(con, replaces)
        records.append_rows(con, "documents", [{"document_id": document_id, **document}])
        records.insert_rows(con, ids, p["rows"], document_id)
        con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, detail) "
                    "VALUES (?, current_timestamp, ?, ?, ?, ?, ?)",
                    [ids["changes"], clean_name(editor), "sostituito" if replaces else "caricato", document_id,
                     document["source_name"], f"sostituisce {replaces}" if replaces else None])
        ids["changes"] += 1
        for layout, detail in p["mapped"]:
            if layout is not None:
                detail += f"; modello di tabella n. {store_layout(con, layout, editor, document_id, document['source_name'])}"
            con.execute("INSERT INTO changes (change_id, changed_at, editor, action, document_id, source_name, "
                        "detail) VALUES (?, current_timestamp, ?, 'tabella mappata', ?, ?, ?)",
                        [ids["changes"], clean_name(editor), document_id, document["source_name"], detail])
            ids["changes"] += 1
        reattach_overrides(con, document_id, list(replaces), editor)
        ids["changes"] = first_row(con, "SELECT coalesce(max(change_id), 0) + 1 FROM changes")[0]   # its lines


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

"""What the pages show: one function per table or figure, filtered in SQL, read through the corrected views."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from ..italian import format_month
from . import summaries
from .connection import file_state, first_row, session_memo
from .views import INDICATORS, ISSUER, YEAR, Filters, objective_label, views_for


def _where(filters: Filters, with_area: bool = True, document_id: int | None = None) -> tuple[str, list]:
    """SQL conditions on d (documents) and o (objectives) for the filters (and one document, when given),
    with bound parameters."""
    clauses, params = ["TRUE"], []
    if document_id is not None:
        clauses.append("d.document_id = ?")
        params.append(int(document_id))
    if filters.issuers:
        clauses.append(f"list_contains(?, {ISSUER})")
        params.append(list(filters.issuers))
    if filters.years:
        clauses.append("(list_contains(?, d.report_year) OR (d.report_year IS NULL AND "
                       "list_has_any(?, range(d.period_start, d.period_end + 1))))")
        params += [list(filters.years), list(filters.years)]
    if filters.kinds:
        clauses.append("list_contains(?, d.kind)")
        params.append(list(filters.kinds))
    if with_area and filters.areas:
        clauses.append("list_contains(?, o.area)")
        params.append(list(filters.areas))
    return " AND ".join(clauses), params


def _words(search: str, columns: tuple[str, ...]) -> tuple[str, list]:
    """A search box's words as SQL: every word must appear, in any case, somewhere in the columns.
    _words('cda 50%', ('name',)) -> ("(concat_ws(' ', CAST(name AS VARCHAR)) ILIKE ? ... AND ...)", ['%cda%', '%50\\%%'])"""
    words = str(search or "").split()
    if not words or not columns:
        return "TRUE", []
    text = f"concat_ws(' ', {', '.join(f'CAST({c} AS VARCHAR)' for c in columns)})"
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return "(" + " AND ".join(f"{text} ILIKE ? ESCAPE '\\'" for _ in words) + ")", [f"%{w}%" for w in escaped]


def kept_rows(con, select: str, params: list) -> tuple[str, list]:
    """Inside a read session, `select` made once into a temporary table that lives as long as the session's
    connection, and a query of it: a page that lists the same rows several times (Raggiungimento's best, worst
    and whole table of one count per area) computes them once. The file cannot change while the session holds it
    (connection.session_memo). Elsewhere `select` as it is."""
    memo = session_memo(con)
    if memo is None:
        return select, params
    kept = memo.setdefault("kept", {})
    key = (select, repr(params))
    if key not in kept:
        kept[key] = f"kept_rows_{len(kept)}"
        try:
            con.execute(f"CREATE TEMP TABLE {kept[key]} AS {select}", params)
        except BaseException:
            del kept[key]
            raise
    return f"SELECT * FROM {kept[key]}", []


# ---------------------------------------------------------------------------- counts per document and area
# Attainment and the consortium's status counts sum the indicators' and steps' statuses per document (and area):
# at 10^4 documents, grouping 10^5 rows by document and area text costs 70-120 ms a query, several times a page.
# The same counts, made once per state of the file (connection.file_state) and kept in memory, are a few
# thousand rows each query sums in a few milliseconds. A write (a load, a correction) changes the file's state,
# and stores them in the file (summaries): the first page after it reads them instead of making them.

TALLY_STATUSES = {"indicators": ("met", "exceeded", "partly", "not_met", "not_reported", "unknown"),
                  "steps": ("done_on_time", "done_early", "done_late", "not_done")}


def _tally_sql(v, documents: str | None = None) -> str:
    """One row per document and area (the corrected area, NULL when none) of the objectives that are not
    repeated blocks: how many objectives, indicators and steps, indicators and steps per status (i_<status>,
    s_<status>), the indicators whose status is a person's (i_by_person), the steps judged (s_judged: not
    'planned', or a person's) and those whose status is a person's (s_by_person). `documents`: only the
    documents where this condition on d (the corrected document) holds; its parameters, once, are the caller's."""
    statuses = ", ".join([f"count(*) FILTER (WHERE i.status = '{s}') AS i_{s}" for s in TALLY_STATUSES["indicators"]])
    steps = ", ".join([f"count(*) FILTER (WHERE m.status = '{s}') AS s_{s}" for s in TALLY_STATUSES["steps"]])
    columns = ["objectives", "indicators", *(f"i_{s}" for s in TALLY_STATUSES["indicators"]), "i_by_person",
               "steps", *(f"s_{s}" for s in TALLY_STATUSES["steps"]), "s_judged", "s_by_person"]
    chosen = f" AND o.document_id IN (SELECT d.document_id FROM {v.docs} d WHERE {documents})" if documents else ""
    return f"""
        WITH o AS (SELECT o.objective_id, o.document_id, o.area FROM {v.objectives} o
                   WHERE o.duplicate_of IS NULL{chosen}),
        obj AS (SELECT o.document_id, o.area, count(*) AS objectives FROM o GROUP BY ALL),
        ind AS (SELECT o.document_id, o.area, count(*) AS indicators, {statuses},
                       count(*) FILTER (WHERE i.status_by_person) AS i_by_person
                FROM {v.indicators} i JOIN o USING (objective_id) GROUP BY ALL),
        st AS (SELECT o.document_id, o.area, count(*) AS steps, {steps},
                      count(*) FILTER (WHERE m.status <> 'planned' OR m.status_by_person) AS s_judged,
                      count(*) FILTER (WHERE m.status_by_person) AS s_by_person
               FROM {v.milestones} m JOIN o USING (objective_id) GROUP BY ALL)
        SELECT obj.document_id, obj.area, {", ".join(f"coalesce({c}, 0)::INTEGER AS {c}" for c in columns)}
        FROM obj LEFT JOIN ind ON ind.document_id = obj.document_id AND ind.area IS NOT DISTINCT FROM obj.area
          LEFT JOIN st ON st.document_id = obj.document_id AND st.area IS NOT DISTINCT FROM obj.area"""


def _indicator_tally_sql(v, one_document: bool = False) -> str:
    """The indicators' columns of _tally_sql (indicators, i_<status>, i_by_person) per document and area, of the
    documents and areas that have indicators: what attainment reads, at half the cost of every column.
    one_document: of the document whose id is its one parameter."""
    statuses = ", ".join([f"count(*) FILTER (WHERE i.status = '{s}')::INTEGER AS i_{s}"
                          for s in TALLY_STATUSES["indicators"]])
    return f"""
        SELECT o.document_id, o.area, count(*)::INTEGER AS indicators, {statuses},
               count(*) FILTER (WHERE i.status_by_person)::INTEGER AS i_by_person
        FROM {v.indicators} i JOIN (SELECT o.objective_id, o.document_id, o.area FROM {v.objectives} o
                                    WHERE {'o.document_id = ? AND ' if one_document else ''}o.duplicate_of IS NULL) o
          USING (objective_id)
        GROUP BY ALL"""


def tallies_of(con, documents: str | None) -> str:
    """The counts per document and area (_tally_sql) of the documents where `documents` (a condition on d, the
    corrected document) holds, counted by the query that reads them (in parentheses; its parameters, once, are
    the caller's): a few documents' counts cost less than making every document's (tallies). None: every
    document's, kept (tallies)."""
    return tallies(con) if documents is None else f"({_tally_sql(views_for(con), documents)})"


_KEPT: dict[str, "_Kept"] = {}     # realpath -> what is kept for one state of that file


@dataclass
class _Kept:
    state: tuple                              # connection.file_state
    tables: dict = field(default_factory=dict)    # name -> Arrow table of its select
    stored: bool | None = None                # the file's own summaries are current (summaries.current), once looked


def kept_for_state(con, name: str, make: bool = True) -> str:
    """What a query reads the rows of KEPT_SELECTS[name] from: inside a read session, the file's stored summary
    (summaries) when it is current, else the rows made at the first query that needs them after a write, kept
    in memory for this state of the file and registered on the connection as `name`; elsewhere the select
    itself, in parentheses. make=False: the kept rows only when stored or made already, else the select (read by
    the query itself, nothing kept)."""
    import os

    memo = session_memo(con)
    if memo is None:
        return f"({KEPT_SELECTS[name](views_for(con))})"
    read_from = memo.setdefault("kept_for_state", {})         # name -> what this session reads it from
    if name not in read_from:
        path = first_row(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")[0]
        key, state = os.path.realpath(path), file_state(path)
        if key not in _KEPT or _KEPT[key].state != state:
            _KEPT[key] = _Kept(state)
        kept = _KEPT[key]
        if kept.stored is None:
            kept.stored = summaries.current(con, _kept_selects(con))
        if kept.stored:
            read_from[name] = summaries.PREFIX + name
        else:
            if name not in kept.tables:
                if not make:
                    return f"({KEPT_SELECTS[name](views_for(con))})"
                kept.tables[name] = con.sql(KEPT_SELECTS[name](views_for(con))).to_arrow_table()
            con.register(name, kept.tables[name])
            read_from[name] = name
    return read_from[name]


def stored(con, name: str) -> bool:
    """True when a query reads KEPT_SELECTS[name]'s rows from the file's own current summary (kept_for_state):
    reading a few documents' rows from it costs less than counting them, which costs less than making every
    document's when nothing is stored. Outside a read session, False (nothing is looked at)."""
    return session_memo(con) is not None and kept_for_state(con, name, make=False).startswith(summaries.PREFIX)


def tallies(con) -> str:
    """The counts per document and area (_tally_sql) of this state of the file (kept_for_state)."""
    return kept_for_state(con, "document_area_tallies")


def indicator_tallies(con) -> str:
    """The indicators' counts per document and area (_indicator_tally_sql) of this state of the file
    (kept_for_state)."""
    return kept_for_state(con, "document_area_indicator_tallies")


def _name_ranks_sql(v) -> str:
    return f"""
        SELECT d.document_id, row_number() OVER (ORDER BY {ISSUER}, {YEAR}, d.source_name, d.document_id) AS name_rank
        FROM {v.docs} d"""


def name_ranks(con) -> str:
    """Every document's place (name_rank) in the order of its issuer, year, file and id: a page of counts per
    document is sorted by this number instead of three texts of 10^4 documents (kept_for_state)."""
    return kept_for_state(con, "document_name_ranks")


# The indicators' and steps' lists filter on a status, an area, the documents and sort by file and line: at 10^4
# documents every page scanned the wide corrected views (10^5 rows with their texts) to find 100 keys. Their keys
# with what the filters and orders read (the corrected status, the area, ranks for the orders' texts), kept per
# state of the file, are scanned in a few milliseconds; the page's rows are then read whole by key.

# each objective outside repeated blocks with what the keys read of it and its document: its document's file name
# as its place among the names (equal names, one place: the orders by file, objective and line sort integers; a
# rank of every row made once cost a sort of 10^5 rows by text at the first cold page) and whether it is a
# report's; joined to 10^4 documents once, then to each indicator or step (joining each row to both cost a
# fifth more)
_KEPT_OBJECTIVES = """(SELECT o.objective_id, o.document_id, o.area, o.position, d.kind <> 'piano_di_zona' AS report,
        d.file_rank
    FROM {objectives} o JOIN (SELECT d.document_id, d.kind, dense_rank() OVER (ORDER BY d.source_name) AS file_rank
                              FROM {docs} d) d USING (document_id)
    WHERE o.duplicate_of IS NULL)"""


def _indicator_keys_sql(v) -> str:
    judged = ", ".join(f"'{s}'" for s in JUDGED_STATUSES)
    return f"""
        SELECT i.indicator_id, o.objective_id, o.document_id, i.status, o.area, o.report,
               coalesce(i.expected_value IS NOT NULL AND i.actual_value IS NOT NULL AND i.expected_value <> 0
                        AND i.status IN ({judged}), FALSE) AS numeric,
               i.actual_value / i.expected_value AS ratio, o.file_rank, o.position, i.source_line
        FROM {v.indicators} i JOIN {_KEPT_OBJECTIVES.format(objectives=v.objectives, docs=v.docs)} o
          USING (objective_id)"""


def indicator_keys(con, make: bool = True) -> str:
    """Every indicator outside repeated objective blocks (kept_for_state): indicator_id, objective_id,
    document_id, the corrected status and area (o.area), report (not a Piano di Zona), numeric (a judged status
    and a non-zero target and a result read as numbers), ratio (actual over expected value), and what the orders
    read: file_rank (_KEPT_OBJECTIVES), the objective's position and source_line. make=False: kept only when
    stored or made already (kept_for_state)."""
    return kept_for_state(con, "indicator_keys", make=make)


def _milestone_keys_sql(v) -> str:
    return f"""
        SELECT m.milestone_id, o.document_id, m.status, o.area, m.slippage_months,
               m.planned_month IS NOT NULL AND m.actual_month IS NOT NULL AS dated, o.file_rank, o.position,
               m.source_line
        FROM {v.milestones} m JOIN {_KEPT_OBJECTIVES.format(objectives=v.objectives, docs=v.docs)} o
          USING (objective_id)"""


def milestone_keys(con, make: bool = True) -> str:
    """Every schedule step outside repeated objective blocks (kept_for_state): milestone_id, document_id, the
    corrected status, area (o.area) and slippage_months, dated (both months known), and what the orders read:
    file_rank (_KEPT_OBJECTIVES), the objective's position and source_line. make=False: kept only when stored
    or made already (kept_for_state)."""
    return kept_for_state(con, "milestone_keys", make=make)


# name -> its select on the corrected reading: what kept_for_state keeps and summaries stores in the file
KEPT_SELECTS: dict[str, Callable] = {
    "document_area_tallies": _tally_sql, "document_area_indicator_tallies": _indicator_tally_sql,
    "document_name_ranks": _name_ranks_sql, "indicator_keys": _indicator_keys_sql,
    "milestone_keys": _milestone_keys_sql}


def _kept_selects(con) -> dict[str, str]:
    v = views_for(con)
    return {name: make(v) for name, make in KEPT_SELECTS.items()}


def refresh_summaries(con) -> bool:
    """Store the summaries of the file as it is now, unless current (summaries.refresh); True when made."""
    return summaries.refresh(con, _kept_selects(con))


# A list of a few rows (the Panoramica's six indicators not met, six steps late) is found by one query over the
# keys' select, unless the keys are kept already: making every key for the state of the file cost twice that query.
FEW_ROWS = 10


def _kept_where(con, filters: Filters, alias: str = "k") -> tuple[str, list]:
    """The filters as conditions on a kept table of keys (its document_id and area), with their parameters: the
    documents' filters through the documents of the corrected view, only when some is chosen."""
    clauses, params = ["TRUE"], []
    documents = Filters(issuers=filters.issuers, years=filters.years, kinds=filters.kinds)
    if documents != Filters():
        where, where_params = _where(documents, with_area=False)
        clauses.append(f"{alias}.document_id IN (SELECT d.document_id FROM {views_for(con).docs} d WHERE {where})")
        params += where_params
    if filters.areas:
        clauses.append(f"list_contains(?, {alias}.area)")
        params.append(list(filters.areas))
    return " AND ".join(clauses), params


def _kept_page(con, keys: str, condition: str, params: list, order: str, narrow: Narrow, full_order: str,
               limit: int, offset: int) -> pd.DataFrame:
    """One page of a listing found among the keys (`keys` a kept table, or its select in parentheses when not
    kept: indicator_keys(make=False); `order` on its columns), its rows read whole through `narrow` in
    `full_order` (the same order on the whole rows)."""
    named = (narrow.key, *narrow.links)
    if keys.startswith("("):
        # the keys' select read by this query: counted beside the page, not made a second time by a count
        found = con.execute(f"SELECT {', '.join(named)}, count(*) OVER () FROM {keys} k WHERE {condition} "
                            f"ORDER BY {order} LIMIT ? OFFSET ?", params + [int(limit), int(offset)]).fetchall()
        total = found[0][-1] if found else offset
    else:
        found = con.execute(f"SELECT {', '.join(named)} FROM {keys} k WHERE {condition} ORDER BY {order} "
                            "LIMIT ? OFFSET ?", params + [int(limit), int(offset)]).fetchall()
        total = first_row(con, f"SELECT count(*) FROM {keys} k WHERE {condition}", params)[0] if found else offset
    return _whole_rows(con, narrow, full_order, found, total)


def forget_kept_for_state() -> None:
    """Drop what kept_for_state keeps in memory (a benchmark's cold run: as after a load)."""
    _KEPT.clear()


@dataclass(frozen=True)
class Narrow:
    """A listing's select made of chosen columns: select(None, keys) gives every column of the rows `keys` (a
    select may compute only those), select(('a', 'b'), None) those columns (aliases) of every row; each with its
    parameters. `key` names each row, `ordered` are the columns its orders and its `having` read; `links`, the
    columns that join a row to its objective and document (their values narrow each table to the page's rows);
    `count_apart`, the rows counted by a query of their own rather than beside the sort (for a select that is
    cheap to make twice: the sort then keeps only the page's rows)."""
    select: Callable[[tuple[str, ...] | None, list | None], tuple[str, list]]
    key: str
    ordered: tuple[str, ...]
    links: tuple[str, ...] = ()
    count_apart: bool = False


def _page_by_key(con, narrow: Narrow, order: str, search: str, columns: tuple[str, ...], limit: int, offset: int,
                 having: tuple[str, list] = ("TRUE", [])) -> pd.DataFrame:
    """One page of a wide listing in two steps: its keys and the number of matching rows from narrow rows, then
    those rows whole. At 10^4 documents a page of indicators read this way costs a third: carrying 10^5 rows
    with every text through the joins and the sort cost more than finding them."""
    condition, words = _words(search, columns)
    condition, words = f"({having[0]}) AND {condition}", list(having[1]) + words
    named = (narrow.key, *narrow.links)
    wanted = tuple(dict.fromkeys((*named, *narrow.ordered, *(columns if words else ()))))
    select, params = narrow.select(wanted, None)
    # count_apart: the keys of the page, then the count by itself; count(*) OVER () beside the sort keeps every
    # row (a top-N keeps only the page's): the quality issues' page cost twice the time of the two. A select
    # that counts lines per document (the documents') costs more made twice.
    found = con.execute(f"SELECT {', '.join(named)}{'' if narrow.count_apart else ', count(*) OVER ()'} "
                        f"FROM ({select}) WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
                        params + words + [int(limit), int(offset)]).fetchall()
    if not found:
        total = offset                             # past the last page (the pager goes back to the first)
    elif narrow.count_apart:
        total = first_row(con, f"SELECT count(*) FROM ({select}) WHERE {condition}", params + words)[0]
    else:
        total = found[0][-1]
    return _whole_rows(con, narrow, order, found, total)


def _whole_rows(con, narrow: Narrow, order: str, found: list, total: int) -> pd.DataFrame:
    """The rows of a page found by their key and links (found: tuples of them), read whole, in `order`, with
    the number of rows of every page in the column `total_rows`."""
    named = (narrow.key, *narrow.links)
    # each table filtered by the page's own values: else the join may read every objective's texts for 100 rows
    values = [sorted({row[n] for row in found}) for n in range(len(named))]
    select, params = narrow.select(None, values[0])
    rows = con.execute(f"SELECT * FROM ({select}) WHERE "
                       + " AND ".join(f"{column} = ANY(?)" for column in named) + f" ORDER BY {order}",
                       params + values).df()
    rows["total_rows"] = pd.Series(total, index=rows.index, dtype="int64")
    return rows


def _listing(con, select: str, params: list, order: str, search: str, columns: tuple[str, ...],
             limit: int | None, offset: int, kept: bool = False, having: tuple[str, list] = ("TRUE", []),
             narrow: Narrow | None = None) -> pd.DataFrame:
    """`select` (a query without ORDER BY) narrowed by a search box's words, in `order`; with `limit`, one page
    of it and the number of rows of every page in the column `total_rows`.

    kept: the select's rows kept for the rest of the read session (kept_rows), for a select a page lists several
    times in other orders or pages; `having`, a condition on them and its parameters (outside the kept rows).

    narrow: for a select of many wide rows (every indicator with its texts), the page is found among narrow rows
    (the key, the order's columns, the searched ones) and only its rows are read whole (_page_by_key)."""
    if narrow is not None and limit is not None:
        return _page_by_key(con, narrow, order, search, columns, limit, offset, having)
    if kept:
        select, params = kept_rows(con, select, params)
    condition, words = _words(search, columns)
    condition, words = f"({having[0]}) AND {condition}", list(having[1]) + words
    if limit is None:
        return con.execute(f"SELECT * FROM ({select}) WHERE {condition} ORDER BY {order}", params + words).df()
    return con.execute(f"SELECT *, count(*) OVER () AS total_rows FROM ({select}) WHERE {condition} "
                       f"ORDER BY {order} LIMIT ? OFFSET ?", params + words + [int(limit), int(offset)]).df()


def filter_options(con, filters: Filters = Filters()) -> dict[str, list]:
    """The values each filter can take, narrowed by the choices made in the others (a year offers only the
    issuers that published that year, an issuer only its areas): no combination leads to an empty page. What
    is chosen in a filter always stays among its own options, so a choice never disappears under the hand."""
    v = views_for(con)

    def documents_of(without: str) -> tuple[str, list]:
        # the documents the other filters leave; an area chosen keeps the documents with an objective there
        others = Filters(**{f: (() if f in (without, "areas") else getattr(filters, f))
                            for f in ("issuers", "years", "areas", "kinds")})
        where, params = _where(others, with_area=False)
        if filters.areas and without != "areas":
            where += (f" AND EXISTS (SELECT 1 FROM {v.objectives} o WHERE o.document_id = d.document_id "
                      "AND list_contains(?, o.area))")
            params = params + [list(filters.areas)]
        return where, params

    def values(sql: str, without: str) -> list:
        where, params = documents_of(without)
        found = [r[0] for r in con.execute(sql.format(where=where), params).fetchall() if r[0] is not None]
        return sorted(set(found) | set(getattr(filters, without)))

    return {
        "issuers": values(f"SELECT DISTINCT {ISSUER} FROM {v.docs} d WHERE {{where}}", "issuers"),
        "years": values("SELECT DISTINCT unnest(CASE WHEN d.report_year IS NOT NULL THEN [d.report_year] "
                        f"ELSE range(d.period_start, d.period_end + 1) END) FROM {v.docs} d WHERE {{where}}", "years"),
        "areas": values(f"SELECT DISTINCT o.area FROM {v.objectives} o JOIN {v.docs} d USING (document_id) "
                        "WHERE o.area IS NOT NULL AND {where}", "areas"),
        "kinds": values(f"SELECT DISTINCT d.kind FROM {v.docs} d WHERE {{where}}", "kinds"),
    }


DOCUMENT_SEARCH = ("issuer", "year", "source_name")


def documents(con, filters: Filters = Filters(), *, search: str = "", limit: int | None = None,
              offset: int = 0, order: str = "source_name", family: str | None = None,
              document_id: int | None = None) -> pd.DataFrame:
    """One row per document with what was read from it and its headline figures (of one family, or all, or
    the one document_id); with `limit`, one page of them (order 'source_name', or 'issues' for the most unread
    lines first)."""
    v = views_for(con)
    tallied = tallies(con) if stored(con, "document_area_tallies") else None
    select, params = _documents_sql(v, filters, [document_id] if document_id is not None else None, tallied=tallied)

    def narrow(columns, keys) -> tuple[str, list]:
        # a page of documents: found by their own columns (and lines not read), counted for those 100 only
        if columns is None:
            return _documents_sql(v, filters, keys, tallied=tallied)
        return _documents_sql(v, filters, [document_id] if document_id is not None else None, columns)
    return _listing(con, select, params, DOCUMENT_ORDERS[order], search, DOCUMENT_SEARCH, limit, offset, kept=True,
                    having=("family = ?", [family]) if family is not None else ("TRUE", []),
                    narrow=Narrow(narrow, "document_id", ("source_name", "issues", "family")))


DOCUMENT_ORDERS = {"source_name": "source_name, document_id",
                   "issues": "issues DESC, source_name, document_id"}


def document_totals(con, filters: Filters = Filters()) -> dict:
    """The Panoramica's headline figures summed over the documents of the filters, in one row: counted at once
    over every row of those documents (the documents' list counts only the page it shows), with no grouping
    (the counts per document and area, tallies, cost three times as much to make)."""
    v = views_for(con)
    where, params = _where(filters, with_area=False)
    area, area_params = ("AND list_contains(?, o.area)", [list(filters.areas)]) if filters.areas else ("", [])
    # every document: no need to look each row's document up among the chosen
    of_chosen = "TRUE" if where == "TRUE" else "document_id IN (SELECT document_id FROM chosen)"
    objective_of_chosen = "TRUE" if where == "TRUE" else f"o.{of_chosen}"
    if stored(con, "document_area_tallies"):
        # summed from the counts per document and area stored in the file (a few 10^4 rows, not 10^5)
        records = f"""
            SELECT sum(o.objectives) AS objectives, sum(o.indicators) AS indicators,
                   sum(o.i_met + o.i_exceeded) AS reached, sum(o.indicators - o.i_not_reported - o.i_unknown) AS judged,
                   sum(o.steps) AS steps, sum(o.s_done_on_time + o.s_done_early) AS on_time,
                   sum(o.s_done_on_time + o.s_done_early + o.s_done_late) AS dated
            FROM {tallies(con)} o WHERE {objective_of_chosen} {area}"""
    else:
        # the indicators' judged are all but the unassessed, as the counts per status give them (tallies)
        records = f"""
            WITH obj AS (SELECT o.objective_id FROM {v.objectives} o
                         WHERE o.duplicate_of IS NULL AND {objective_of_chosen} {area})
            SELECT (SELECT count(*) FROM obj) AS objectives, indicators, reached, judged, steps, on_time, dated
            FROM (SELECT count(*) AS indicators, count(*) FILTER (WHERE i.status IN ('met', 'exceeded')) AS reached,
                         count(*) - count(*) FILTER (WHERE i.status = 'not_reported')
                           - count(*) FILTER (WHERE i.status = 'unknown') AS judged
                  FROM {v.indicators} i JOIN obj USING (objective_id)),
                 (SELECT count(*) AS steps,
                         count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early')) AS on_time,
                         count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early', 'done_late')) AS dated
                  FROM {v.milestones} m JOIN obj USING (objective_id))"""
    row = first_row(con, f"""
        WITH chosen AS (SELECT d.document_id FROM {v.docs} d WHERE {where}),
        records AS ({records}),
        budget AS (SELECT count(*) AS budget_lines FROM budget_lines WHERE {of_chosen}),
        sc AS (SELECT count(*) AS scores FROM scores WHERE {of_chosen}),
        qi AS (SELECT count(*) AS issues FROM quality_issues WHERE category <> 'note' AND {of_chosen})
        SELECT (SELECT count(*) FROM chosen), coalesce(objectives, 0), coalesce(reached, 0), coalesce(judged, 0),
               coalesce(on_time, 0), coalesce(dated, 0), issues,
               coalesce(objectives + indicators + steps, 0) + budget_lines + scores
        FROM records, budget, sc, qi""", params + area_params)
    return dict(zip(["documents", "objectives", "reached", "judged", "on_time", "dated", "issues", "read"],
                    map(int, row)))


def unnamed_documents(con, filters: Filters = Filters(), most: int = 20) -> tuple[int, list[str]]:
    """How many documents of the filters do not name their issuer, and the files of the first `most`."""
    where, params = _where(filters, with_area=False)         # the documents of the filters, as db.documents lists
    rows = con.execute(f"SELECT d.source_name, count(*) OVER () FROM {views_for(con).docs} d "
                       f"WHERE {where} AND d.issuer IS NULL ORDER BY d.source_name LIMIT ?", params + [most]).fetchall()
    return (rows[0][1] if rows else 0), [r[0] for r in rows]


def document_choices(con, filters: Filters = Filters(), search: str = "", most: int = 100,
                     document_id: int | None = None) -> pd.DataFrame:
    """The documents of the filters (or the one document_id), the first `most` matching a search, by file
    name: what a choice of one document lists; column total_rows: how many match."""
    v = views_for(con)
    where, params = _where(filters, with_area=False, document_id=document_id)
    select = f"SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year FROM {v.docs} d WHERE {where}"
    return _listing(con, select, params, "source_name, document_id", search, ("issuer", "year", "source_name"),
                    most, 0)


def _documents_sql(v, filters: Filters, document_ids: list | None = None,
                   columns: tuple[str, ...] | None = None, tallied: str | None = None) -> tuple[str, list]:
    """One row per document of the filters (of document_ids only, when given) with its counts; with `columns`,
    only those of document_id, source_name, issuer, year, family and issues (no other count is made). tallied:
    the stored counts per document and area to sum them from (queries.stored), else counted from the rows."""
    where, params = _where(filters, with_area=False)
    if document_ids is not None:                 # some documents: count their rows only, not every document's
        where += f" AND d.document_id IN ({', '.join(str(int(d)) for d in document_ids) or 'NULL'})"
    if columns is not None:
        every = {"document_id": "d.document_id", "source_name": "d.source_name", "issuer": ISSUER, "year": YEAR,
                 "family": "d.family", "issues": "coalesce(qi.issues, 0)"}
        lines = ("LEFT JOIN (SELECT document_id, count(*) AS issues FROM quality_issues WHERE category <> 'note' "
                 "GROUP BY ALL) qi USING (document_id)" if "issues" in columns else "")
        return (f"SELECT {', '.join(f'{every[c]} AS {c}' for c in columns)} FROM {v.docs} d {lines} WHERE {where}",
                params)
    area = "AND list_contains(?, o.area)" if filters.areas else ""
    area_params = [list(filters.areas)] * 3 if filters.areas else []
    one = ""
    if document_ids is not None:
        listed = ", ".join(str(int(d)) for d in document_ids) or "NULL"
        area = f"AND o.document_id IN ({listed}) " + area
        one = f"WHERE document_id IN ({listed})"
    if tallied is not None:
        # summed from the stored counts per document and area (queries.stored)
        records = f"""
        ind AS (
            SELECT o.document_id, sum(o.indicators)::BIGINT AS indicators,
                   sum(o.i_met + o.i_exceeded)::BIGINT AS reached,
                   sum(o.indicators - o.i_not_reported - o.i_unknown)::BIGINT AS judged
            FROM {tallied} o WHERE o.indicators > 0 {area} GROUP BY ALL),
        steps AS (
            SELECT o.document_id, sum(o.steps)::BIGINT AS milestones,
                   sum(o.s_done_on_time + o.s_done_early)::BIGINT AS on_time,
                   sum(o.s_done_on_time + o.s_done_early + o.s_done_late)::BIGINT AS dated,
                   sum(o.s_done_late)::BIGINT AS late
            FROM {tallied} o WHERE o.steps > 0 {area} GROUP BY ALL),
        obj AS (SELECT o.document_id, sum(o.objectives)::BIGINT AS objectives FROM {tallied} o
                WHERE TRUE {area} GROUP BY ALL),"""
    else:
        records = f"""
        ind AS (
            SELECT o.document_id,
                   count(*) AS indicators,
                   count(*) FILTER (WHERE i.status IN ('met', 'exceeded')) AS reached,
                   count(*) FILTER (WHERE i.status NOT IN ('not_reported', 'unknown')) AS judged
            FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id)
            WHERE o.duplicate_of IS NULL {area} GROUP BY ALL),
        steps AS (
            SELECT o.document_id, count(*) AS milestones,
                   count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early')) AS on_time,
                   count(*) FILTER (WHERE m.status IN ('done_on_time', 'done_early', 'done_late')) AS dated,
                   count(*) FILTER (WHERE m.status = 'done_late') AS late
            FROM {v.milestones} m JOIN {v.objectives} o USING (objective_id)
            WHERE o.duplicate_of IS NULL {area} GROUP BY ALL),
        obj AS (SELECT o.document_id, count(*) AS objectives FROM {v.objectives} o
                WHERE o.duplicate_of IS NULL {area} GROUP BY ALL),"""
    return f"""
        WITH {records}
        budget AS (SELECT document_id, count(*) AS budget_lines FROM budget_lines {one} GROUP BY ALL),
        sc AS (SELECT document_id, count(*) AS scores FROM scores {one} GROUP BY ALL),
        qi AS (SELECT document_id, count(*) AS issues FROM quality_issues WHERE category <> 'note'
               {one.replace('WHERE', 'AND')} GROUP BY ALL)
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, d.issuer IS NULL AS issuer_missing,
               {YEAR} AS year, d.report_year, d.period_start, d.period_end, d.kind, d.family, d.loaded_at,
               d.document_corrected, d.original_issuer, d.original_year, d.original_period_start,
               d.original_period_end,
               coalesce(obj.objectives, 0) AS objectives,
               coalesce(steps.milestones, 0) AS milestones, coalesce(ind.indicators, 0) AS indicators,
               coalesce(ind.reached, 0) AS reached, coalesce(ind.judged, 0) AS judged,
               coalesce(steps.on_time, 0) AS on_time, coalesce(steps.dated, 0) AS dated,
               coalesce(steps.late, 0) AS late,
               coalesce(budget.budget_lines, 0) AS budget_lines, coalesce(sc.scores, 0) AS scores,
               coalesce(qi.issues, 0) AS issues
        FROM {v.docs} d LEFT JOIN ind USING (document_id) LEFT JOIN steps USING (document_id)
          LEFT JOIN obj USING (document_id) LEFT JOIN budget USING (document_id) LEFT JOIN sc USING (document_id)
          LEFT JOIN qi USING (document_id)
        WHERE {where}
    """, area_params + params


INDICATOR_SEARCH = ("issuer", "year", "area", "objective", "name", "unit", "expected_raw", "actual_raw",
                    "status_reason", "source_name")
JUDGED_STATUSES = ("exceeded", "met", "partly", "not_met")
INDICATOR_ORDERS = {
    "document": "source_name, objective_position, source_line, indicator_id",
    "ratio_high": "actual_value / expected_value DESC, source_name, source_line, indicator_id",
    "ratio_low": "actual_value / expected_value ASC, source_name, source_line, indicator_id",
}


def _indicator_where(filters: Filters, numeric: bool | None, reports_only: bool) -> tuple[str, list]:
    where, params = _where(filters)
    if numeric is not None:
        test = ("i.expected_value IS NOT NULL AND i.actual_value IS NOT NULL AND i.expected_value <> 0 "
                "AND list_contains(?, i.status)")
        where += f" AND {test}" if numeric else f" AND NOT coalesce({test}, FALSE)"
        params.append(list(JUDGED_STATUSES))
    if reports_only:
        where += " AND d.kind <> 'piano_di_zona'"
    return where, params


def indicators(con, filters: Filters = Filters(), *, numeric: bool | None = None, reports_only: bool = False,
               statuses: tuple[str, ...] = (), area: str | None = None, objective: str | None = None,
               search: str = "", limit: int | None = None, offset: int = 0, order: str = "document") -> pd.DataFrame:
    """Every indicator with its objective and document, repeated objective blocks left out. Narrowed to the
    numeric ones (a judged result and a non-zero target read as numbers: numeric=True) or the others
    (numeric=False), to reports (no Piano di Zona), to statuses, to one area and objective title, to a
    search box's words; with `limit`, one page of them (column total_rows: how many in every page)."""
    v = views_for(con)
    where, params = _indicator_where(filters, numeric, reports_only)
    if statuses:
        where += " AND list_contains(?, i.status)"
        params.append(list(statuses))
    if area is not None:
        where += " AND coalesce(o.area, '(area non indicata)') = ?"
        params.append(area)
    if objective is not None:
        where += " AND coalesce(o.title, o.description, '(obiettivo senza titolo)') = ?"
        params.append(objective)
    narrow = Narrow(lambda columns, _: (_indicator_select(v, where, columns), params), "indicator_id",
                    INDICATOR_ORDERED, ("objective_id", "document_id"))
    if limit is not None and not str(search or "").split():
        # a page: its keys found among the indicators' kept keys (indicator_keys), its rows read whole
        condition, kept_params = _kept_where(con, filters)
        if numeric is not None:
            condition += " AND k.numeric" if numeric else " AND NOT k.numeric"
        if reports_only:
            condition += " AND k.report"
        if statuses:
            condition += " AND list_contains(?, k.status)"
            kept_params.append(list(statuses))
        if area is not None:
            condition += " AND coalesce(k.area, '(area non indicata)') = ?"
            kept_params.append(area)
        if objective is not None:
            condition += (f" AND k.objective_id IN (SELECT o.objective_id FROM {v.objectives} o "
                          "WHERE coalesce(o.title, o.description, '(obiettivo senza titolo)') = ?)")
            kept_params.append(objective)
        # the rows of the keys found are read whole by their keys alone: the keys met every condition already
        return _kept_page(con, indicator_keys(con, make=limit > FEW_ROWS), condition, kept_params,
                          INDICATOR_KEPT_ORDERS[order],
                          Narrow(lambda columns, _: (_indicator_select(v, "TRUE", columns), []), "indicator_id",
                                 INDICATOR_ORDERED, ("objective_id", "document_id")),
                          INDICATOR_ORDERS[order], limit, offset)
    return _listing(con, _indicator_select(v, where), params, INDICATOR_ORDERS[order], search, INDICATOR_SEARCH,
                    limit, offset, narrow=narrow)


INDICATOR_KEPT_ORDERS = {"document": "k.file_rank, k.position, k.source_line, k.indicator_id",
                         "ratio_high": "k.ratio DESC, k.file_rank, k.source_line, k.indicator_id",
                         "ratio_low": "k.ratio ASC, k.file_rank, k.source_line, k.indicator_id"}     # INDICATOR_ORDERS on indicator_keys


INDICATOR_ORDERED = ("source_name", "objective_position", "source_line", "actual_value", "expected_value")


def _indicator_select(v, where: str, columns: tuple[str, ...] | None = None) -> str:
    """Every indicator of `where` with its objective and document: the columns named (aliases), or all."""
    # the objective a person moved an indicator from; with no correction of indicators there is none, and the
    # subquery would still be joined to every row before the page is cut
    original = (f"""CASE WHEN i.objective_id <> i.original_objective_id THEN
                   (SELECT {objective_label('p')} FROM objectives p WHERE p.objective_id = i.original_objective_id)
               END""" if v.indicators == INDICATORS else "NULL::VARCHAR")
    every = {
        "document_id": "d.document_id", "source_name": "d.source_name", "issuer": ISSUER, "year": YEAR,
        "kind": "d.kind", "objective_id": "o.objective_id", "area": "coalesce(o.area, '(area non indicata)')",
        "objective_number": "o.number", "objective": "coalesce(o.title, o.description)",
        "objective_line": "o.source_line", "indicator_id": "i.indicator_id",
        "name": "coalesce(i.name, i.description, '(indicatore senza nome)')", "description": "i.description",
        "unit": "i.unit", "baseline_raw": "i.baseline_raw", "expected_raw": "i.expected_raw",
        "actual_raw": "i.actual_raw", "reported_deviation_raw": "i.reported_deviation_raw",
        "expected_value": "i.expected_value", "actual_value": "i.actual_value",
        "computed_deviation": "i.computed_deviation", "status": "i.status", "attainment": "i.attainment",
        "status_reason": "i.status_reason", "source_line": "i.source_line",
        "corrected": "i.indicator_corrected OR o.area_corrected OR d.document_corrected",
        "indicator_corrected": "i.indicator_corrected", "status_by_person": "i.status_by_person",
        "original_status": "i.original_status", "original_expected_raw": "i.original_expected_raw",
        "original_actual_raw": "i.original_actual_raw", "original_reason": "i.original_reason",
        "original_area": "o.original_area", "printed_area": "o.printed_area",
        "document_corrected": "d.document_corrected", "original_issuer": "d.original_issuer",
        "original_year": "d.original_year", "original_objective": original, "objective_position": "o.position"}
    chosen = every if columns is None else {c: every[c] for c in columns}
    return f"""
        SELECT {", ".join(f"{expression} AS {alias}" for alias, expression in chosen.items())}
        FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND {where}"""


def indicator_counts(con, filters: Filters = Filters(), *, numeric: bool | None = None,
                     reports_only: bool = False) -> dict[str, int]:
    """How many indicators have each status: {'met': 12, 'not_met': 3, ...} (counted among the kept keys:
    indicator_keys)."""
    condition, params = _kept_where(con, filters)
    if numeric is not None:
        condition += " AND k.numeric" if numeric else " AND NOT k.numeric"
    if reports_only:
        condition += " AND k.report"
    return dict(con.execute(f"SELECT k.status, count(*) FROM {indicator_keys(con)} k WHERE {condition} GROUP BY ALL",
                            params).fetchall())


def indicator_areas(con, filters: Filters = Filters()) -> list[str]:
    """The areas that have indicators of a report, for the drill-down."""
    v = views_for(con)
    where, params = _where(filters)
    return [r[0] for r in con.execute(f"""
        SELECT DISTINCT coalesce(o.area, '(area non indicata)') FROM {v.indicators} i JOIN {v.objectives} o
        USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND d.kind <> 'piano_di_zona' AND {where} ORDER BY 1""", params).fetchall()]


def area_objectives(con, filters: Filters, area: str, search: str = "", most: int = 200) -> tuple[list[str], int]:
    """The objective titles of an area (with indicators, in reports): the first `most` matching the search,
    and how many match."""
    v = views_for(con)
    where, params = _where(filters)
    condition, words = _words(search, ("title",))
    rows = con.execute(f"""
        SELECT title, count(*) OVER () FROM (
            SELECT coalesce(o.title, o.description, '(obiettivo senza titolo)') AS title,
                   min(d.source_name) AS first_file, min(o.position) AS first_position
            FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
            WHERE o.duplicate_of IS NULL AND d.kind <> 'piano_di_zona' AND {where}
              AND coalesce(o.area, '(area non indicata)') = ?
            GROUP BY 1)
        WHERE {condition} ORDER BY first_file, first_position, title LIMIT ?""",
                       params + [area] + words + [most]).fetchall()
    return [r[0] for r in rows], (rows[0][1] if rows else 0)


ATTAINMENT_ORDERS = {"name": "issuer, year, source_name, document_id",
                     "rate_high": "(met + exceeded) / judged DESC, issuer, year, source_name, document_id",
                     "rate_low": "(met + exceeded) / judged ASC, issuer, year, source_name, document_id"}


def attainment(con, filters: Filters = Filters(), by: str = "area", *, search: str = "", limit: int | None = None,
               offset: int = 0, order: str = "name", judged_only: bool = False,
               document_id: int | None = None) -> pd.DataFrame:
    """Indicator statuses counted per document and area (by='area') or per document (by='document'), of one
    document or all; with `limit`, one page of them, by name or by rate of indicators reached (order
    'rate_high', 'rate_low')."""
    v = views_for(con)
    where, params = _where(filters, with_area=False, document_id=document_id)
    areas, area_params = ("list_contains(?, t.area)", [list(filters.areas)]) if filters.areas else ("TRUE", [])
    group = "coalesce(t.area, '(area non indicata)') AS area," if by == "area" else ""
    # summed from the indicators' counts per document and area (indicator_tallies), then the documents' names
    # are joined; one document's counts are made by the query
    statuses = TALLY_STATUSES["indicators"]
    tallied = indicator_tallies(con) if document_id is None else f"({_indicator_tally_sql(v, one_document=True)})"
    tallied_params = [int(document_id)] if document_id is not None else []
    counts = f"""
        WITH counts AS (
            SELECT t.document_id, {group}
                   {", ".join(f"sum(t.i_{s})::BIGINT AS {s}" for s in statuses)},
                   sum(t.i_met + t.i_exceeded + t.i_partly + t.i_not_met)::BIGINT AS judged
            FROM {tallied} t
            WHERE t.indicators > 0 AND {areas} AND t.document_id IN (
                SELECT d.document_id FROM {v.docs} d WHERE d.kind <> 'piano_di_zona' AND {where})
            GROUP BY ALL)"""
    select = f"""{counts}
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year, counts.* EXCLUDE (document_id)
        FROM counts JOIN {v.docs} d USING (document_id)"""
    params = tallied_params + area_params + params
    order_by = ATTAINMENT_ORDERS[order] + (", area" if by == "area" else "")
    having = ("judged > 0", []) if judged_only else ("TRUE", [])
    if limit is not None and not str(search or "").split():
        # a page: found among the counts by the documents' place in name order (name_ranks), the names of its
        # rows joined last; sorting 3*10^4 rows by three texts cost more than counting them
        ranked = order_by.replace("issuer, year, source_name, document_id", "name_rank")
        return con.execute(f"""{counts},
            page AS (SELECT counts.*, r.name_rank, count(*) OVER () AS total_rows
                     FROM counts JOIN {name_ranks(con)} r USING (document_id)
                     WHERE {having[0]} ORDER BY {ranked} LIMIT ? OFFSET ?)
            SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year,
                   page.* EXCLUDE (document_id, name_rank)
            FROM page JOIN {v.docs} d USING (document_id) ORDER BY {ranked}""",
                           params + [int(limit), int(offset)]).df()
    return _listing(con, select, params, order_by, search, ("issuer", "year", "source_name")
                    + (("area",) if by == "area" else ()), limit, offset, kept=True, having=having)


MILESTONE_SEARCH = ("issuer", "year", "area", "objective", "activity", "planned_raw", "actual_raw", "status_reason",
                    "source_name")
SLIPPAGE_BANDS = ("early", "on_time", "one", "two_three", "more")


def _milestone_select(v, where: str, columns: tuple[str, ...] | None = None) -> str:
    """Every schedule step of `where` with its objective and document: the columns named (aliases), or all."""
    every = {
        "document_id": "d.document_id", "source_name": "d.source_name", "issuer": ISSUER, "year": YEAR,
        "kind": "d.kind", "area": "coalesce(o.area, '(area non indicata)')", "objective_number": "o.number",
        "objective": "coalesce(o.title, o.description)", "milestone_id": "m.milestone_id", "activity": "m.activity",
        "planned_raw": "m.planned_raw", "actual_raw": "m.actual_raw", "planned_month": "m.planned_month",
        "actual_month": "m.actual_month", "status": "m.status", "slippage_months": "m.slippage_months",
        "status_reason": "m.status_reason", "source_line": "m.source_line",
        "corrected": "m.step_corrected OR o.area_corrected OR d.document_corrected",
        "step_corrected": "m.step_corrected", "status_by_person": "m.status_by_person",
        "original_planned_month": "m.original_planned_month", "original_actual_month": "m.original_actual_month",
        "original_status": "m.original_status", "original_reason": "m.original_reason",
        "original_area": "o.original_area", "printed_area": "o.printed_area",
        "document_corrected": "d.document_corrected", "original_issuer": "d.original_issuer",
        "original_year": "d.original_year", "objective_position": "o.position"}
    chosen = every if columns is None else {c: every[c] for c in columns}
    return f"""
        SELECT {", ".join(f"{expression} AS {alias}" for alias, expression in chosen.items())}
        FROM {v.milestones} m JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND {where}"""


MILESTONE_ORDERED = ("slippage_months", "source_name", "objective_position", "source_line")


def milestones(con, filters: Filters = Filters(), *, statuses: tuple[str, ...] = (), document_id: int | None = None,
               dated: bool = False, search: str = "", limit: int | None = None, offset: int = 0,
               order: str = "document") -> pd.DataFrame:
    """Every schedule step with its objective and document, repeated objective blocks left out; narrowed to
    statuses, one document, the steps with both months (dated=True), a search box's words; with `limit`, one
    page of them (column total_rows: how many in every page)."""
    where, params = _where(filters, document_id=document_id)
    if statuses:
        where += " AND list_contains(?, m.status)"
        params.append(list(statuses))
    if dated:
        where += " AND m.planned_month IS NOT NULL AND m.actual_month IS NOT NULL"
    v = views_for(con)
    narrow = Narrow(lambda columns, _: (_milestone_select(v, where, columns), params), "milestone_id",
                    MILESTONE_ORDERED, ("document_id",))
    if limit is not None and not str(search or "").split():
        # a page: its keys found among the steps' kept keys (milestone_keys), its rows read whole
        condition, kept_params = _kept_where(con, filters)
        if document_id is not None:
            condition += " AND k.document_id = ?"
            kept_params.append(int(document_id))
        if statuses:
            condition += " AND list_contains(?, k.status)"
            kept_params.append(list(statuses))
        if dated:
            condition += " AND k.dated"
        # the rows of the keys found are read whole by their keys alone: the keys met every condition already
        return _kept_page(con, milestone_keys(con, make=limit > FEW_ROWS), condition, kept_params,
                          MILESTONE_KEPT_ORDERS[order],
                          Narrow(lambda columns, _: (_milestone_select(v, "TRUE", columns), []), "milestone_id",
                                 MILESTONE_ORDERED, ("document_id",)),
                          MILESTONE_ORDERS[order], limit, offset)
    return _listing(con, _milestone_select(v, where), params, MILESTONE_ORDERS[order], search, MILESTONE_SEARCH,
                    limit, offset, narrow=narrow)


MILESTONE_ORDERS = {"document": "source_name, objective_position, source_line, milestone_id",
                    "slippage": "slippage_months DESC NULLS LAST, source_name, objective_position, source_line, "
                                "milestone_id"}


MILESTONE_KEPT_ORDERS = {"document": "k.file_rank, k.position, k.source_line, k.milestone_id",  # on milestone_keys
                         "slippage": "k.slippage_months DESC NULLS LAST, k.file_rank, k.position, k.source_line, "
                                     "k.milestone_id"}


def milestone_counts(con, filters: Filters = Filters()) -> dict[str, int]:
    """How many steps have each status: {'done_late': 17, ...} (counted among the kept keys: milestone_keys)."""
    condition, params = _kept_where(con, filters)
    return dict(con.execute(f"SELECT k.status, count(*) FROM {milestone_keys(con)} k WHERE {condition} GROUP BY ALL",
                            params).fetchall())


def slippage_by_area(con, filters: Filters = Filters(), statuses: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per area, the dated steps (a slippage in months) counted by band: early, on_time, one, two_three, more
    (counted among the kept keys: milestone_keys)."""
    condition, params = _kept_where(con, filters)
    if statuses:
        condition += " AND list_contains(?, k.status)"
        params.append(list(statuses))
    return con.execute(f"""
        SELECT area, count(*) FILTER (WHERE slippage_months < 0) AS early,
               count(*) FILTER (WHERE slippage_months = 0) AS on_time,
               count(*) FILTER (WHERE slippage_months = 1) AS one,
               count(*) FILTER (WHERE slippage_months BETWEEN 2 AND 3) AS two_three,
               count(*) FILTER (WHERE slippage_months > 3) AS more, count(*) AS dated
        FROM (SELECT coalesce(k.area, '(area non indicata)') AS area, k.slippage_months FROM {milestone_keys(con)} k
              WHERE k.slippage_months IS NOT NULL AND {condition})
        GROUP BY area ORDER BY dated DESC, area""", params).df()


def step_documents(con, filters: Filters = Filters(), search: str = "", most: int = 100) -> pd.DataFrame:
    """The documents with steps dated both ways (planned and done), the first `most` matching a search;
    column total_rows: how many match."""
    condition, params = _kept_where(con, filters)     # the documents found among the steps' kept keys
    select = (f"SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year FROM {views_for(con).docs} d "
              f"WHERE d.document_id IN (SELECT k.document_id FROM {milestone_keys(con)} k "
              f"WHERE k.dated AND k.status <> 'planned' AND {condition})")
    return _listing(con, select, params, "source_name, document_id", search, ("issuer", "year", "source_name"),
                    most, 0)


def budget_shares(con, filters: Filters = Filters(), document_id: int | None = None) -> pd.DataFrame:
    """Budget lines with their share of the table's yearly sum of lines (of one document, or all)."""
    v = views_for(con)
    where, params = _where(filters, with_area=False, document_id=document_id)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS period, b.table_name,
               b.group_name, b.line, b.year, b.amount_eur, b.amount_raw, b.source_line,
               b.amount_eur / sum(b.amount_eur) OVER (PARTITION BY b.document_id, b.table_name, b.year) AS share
        FROM budget_lines b JOIN {v.docs} d USING (document_id)
        WHERE {where}
        ORDER BY d.source_name, b.table_name, b.source_line, b.year
    """, params).df()


def totals_check(con, filters: Filters = Filters(), document_id: int | None = None) -> pd.DataFrame:
    """Each total the document prints beside the sum of the lines of its table and year."""
    v = views_for(con)
    where, params = _where(filters, with_area=False, document_id=document_id)
    return con.execute(f"""
        SELECT d.document_id, {ISSUER} AS issuer, t.table_name, t.label, t.year, t.value AS printed,
               t.as_printed, t.unit, t.source_line,
               (SELECT sum(b.amount_eur) FROM budget_lines b WHERE b.document_id = t.document_id
                  AND b.table_name = t.table_name AND b.year = t.year) AS sum_of_lines
        FROM reported_totals t JOIN {v.docs} d USING (document_id)
        WHERE {where}
        ORDER BY d.source_name, t.source_line, t.year
    """, params).df()


def documents_with(con, filters: Filters = Filters(), what: str = "budget_lines", search: str = "",
                   most: int = 100) -> pd.DataFrame:
    """The documents that have rows of `what` (budget_lines or scores), the first `most` matching a search,
    by file name; column total_rows: how many match."""
    v = views_for(con)
    table = {"budget_lines": "budget_lines", "scores": "scores"}[what]
    where, params = _where(filters, with_area=False)
    select = (f"SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year FROM {v.docs} d "
              f"WHERE {where} AND EXISTS (SELECT 1 FROM {table} x WHERE x.document_id = d.document_id)")
    return _listing(con, select, params, "source_name, document_id", search, ("issuer", "year", "source_name"),
                    most, 0)


def scores(con, filters: Filters = Filters(), document_id: int | None = None) -> pd.DataFrame:
    v = views_for(con)
    where, params = _where(filters, with_area=False, document_id=document_id)
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {ISSUER} AS issuer, {YEAR} AS year,
               coalesce(a.canonical_area, s.area) AS area, s.area AS printed_area, s.score, s.max_score,
               s.as_printed, s.source_line
        FROM scores s JOIN {v.docs} d USING (document_id)
        LEFT JOIN area_aliases a ON a.printed_area = s.area      -- the same common name as the objectives'
        WHERE {where} ORDER BY d.source_name, s.source_line
    """, params).df()


QUALITY_SEARCH = ("issuer", "source_name", "reason", "raw_text")


def quality_issues(con, filters: Filters = Filters(), document_id: int | None = None, *,
                   categories: tuple[str, ...] = (), search: str = "", limit: int | None = None,
                   offset: int = 0) -> pd.DataFrame:
    """Lines not read, narrowed to one document, to categories, to a search box's words; with `limit`, one
    page of them (column total_rows: how many in every page)."""
    v = views_for(con)
    where, params = _where(filters, with_area=False, document_id=document_id)
    if categories:
        where += " AND list_contains(?, q.category)"
        params.append(list(categories))

    def select(columns: tuple[str, ...] | None, keys: list | None) -> tuple[str, list]:
        # the issues of `where` (of the issue_id keys, when given): the columns named (aliases), or every one
        every = {"document_id": "d.document_id", "source_name": "d.source_name", "issuer": ISSUER,
                 "source_line": "q.source_line", "category": "q.category", "reason": "q.reason",
                 "raw_text": "q.raw_text", "issue_id": "q.issue_id"}
        narrowed = "" if keys is None else f" AND q.issue_id IN ({', '.join(str(int(k)) for k in keys) or 'NULL'})"
        return (f"SELECT {', '.join(f'{every[c]} AS {c}' for c in columns or every)} "
                f"FROM quality_issues q JOIN {v.docs} d USING (document_id) WHERE {where}{narrowed}", params)

    # a page is found among the issues' narrow columns (the order's and the key), then its rows are read whole:
    # carrying 2*10^5 raw texts through the sort cost twice as much; issue_id, last in the order, keeps rows that
    # tie in the same place on every page
    rows = _listing(con, *select(None, None), "source_name, source_line, category, reason, issue_id", search,
                    QUALITY_SEARCH, limit, offset,
                    narrow=Narrow(select, "issue_id", ("source_name", "source_line", "category", "reason"),
                                  ("document_id",), count_apart=True))
    return rows.drop(columns="issue_id")


def quality_by_issuer(con, filters: Filters = Filters(), categories: tuple[str, ...] = (), *, search: str = "",
                      limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Per issuer, the lines not read counted by category (one column per category that has any)."""
    v = views_for(con)
    where, params = _where(filters, with_area=False)
    present = [c for (c,) in con.execute(f"""SELECT DISTINCT q.category FROM quality_issues q JOIN {v.docs} d
        USING (document_id) WHERE {where} ORDER BY 1""", params).fetchall() if c in categories]
    columns = ", ".join(f"count(*) FILTER (WHERE q.category = ?) AS \"{c}\"" for c in present)
    select = f"""
        SELECT {ISSUER} AS issuer{', ' + columns if columns else ''}
        FROM quality_issues q JOIN {v.docs} d USING (document_id) WHERE {where} GROUP BY ALL"""
    return _listing(con, select, present + params, "issuer", search, ("issuer",), limit, offset)


def objectives(con, document_id: int) -> pd.DataFrame:
    v = views_for(con)
    return con.execute(f"""
        SELECT o.objective_id, o.number, o.area, coalesce(o.title, o.description) AS title, o.description,
               o.duplicate_of, o.source_line, o.area_corrected, o.original_area, o.printed_area,
               (SELECT count(*) FROM milestones m WHERE m.objective_id = o.objective_id) AS milestones,
               (SELECT count(*) FROM indicators i WHERE i.objective_id = o.objective_id) AS indicators
        FROM {v.objectives} o WHERE o.document_id = ? ORDER BY o.position
    """, [document_id]).df()


def document_text(con, document_id: int) -> tuple[str | None, list[int] | None]:
    """The text source_line points into: the extracted text of a PDF/workbook, else None (the file itself)."""
    row = first_row(con, "SELECT text, line_pages FROM documents WHERE document_id = ?", [document_id])
    return (row[0], row[1]) if row else (None, None)


def furniture_lines(con, document_id: int) -> list[int]:
    """Lines of the extracted text that are page furniture (running headers, footers, page numbers)."""
    row = first_row(con, "SELECT furniture_lines FROM documents WHERE document_id = ?", [document_id])
    return list(row[0] or []) if row else []


def original(con, document_id: int) -> bytes | None:
    row = first_row(con, "SELECT original FROM documents WHERE document_id = ?", [document_id])
    return bytes(row[0]) if row else None


def template_rows(con, document_id: int) -> tuple[dict, dict[str, list[dict]]]:
    """One document's raw cells, shaped for the Excel template (cruscotto/template.py), with a person's
    corrections applied: a corrected month is written as a month ('giugno 2021') in place of the printed
    times, so that the template read back gives the corrected step."""
    v = views_for(con)
    columns = ["issuer", "report_year", "kind", "period_start", "period_end", "title", "deviation_legend"]
    found = first_row(con, f"SELECT {', '.join(columns)} FROM {v.docs} d WHERE document_id = ?", [document_id])
    document = dict(zip(columns, found or [None] * len(columns)))

    def records(sql: str) -> list[dict]:
        frame = con.execute(sql, [document_id]).df()
        return [{k: (None if v is None or v != v else v) for k, v in row.items()} for row in frame.to_dict("records")]

    objectives = records("SELECT objective_id, position + 1 AS ref, printed_area AS area, number, title, description, "
                         f"responsibility_centre, peg_project, duplicate_of FROM {v.objectives} o WHERE document_id = ? "
                         "ORDER BY position")
    ref = {o["objective_id"]: o["ref"] for o in objectives}
    for objective in objectives:
        objective["duplicate_of"] = ref.get(objective["duplicate_of"])
    steps = records("SELECT m.objective_id, activity, CASE WHEN m.planned_month IS DISTINCT FROM "
                    "m.original_planned_month THEN m.planned_month END AS planned_fix, planned_raw, "
                    "CASE WHEN m.actual_month IS DISTINCT FROM m.original_actual_month THEN m.actual_month END "
                    f"AS actual_fix, actual_raw FROM {v.milestones} m JOIN objectives o "
                    "USING (objective_id) WHERE o.document_id = ? ORDER BY o.position, m.source_line, m.milestone_id")
    for step in steps:
        for fix, raw in (("planned_fix", "planned_raw"), ("actual_fix", "actual_raw")):
            month = step.pop(fix)
            if month is not None:
                step[raw] = format_month(month)
    indicators = records("SELECT i.objective_id, name, i.description, unit, baseline_raw, expected_raw, actual_raw, "
                         f"reported_deviation_raw, measurement_source FROM {v.indicators} i JOIN objectives o "
                         "USING (objective_id) WHERE o.document_id = ? "
                         "ORDER BY o.position, i.source_line, i.indicator_id")
    for row in steps + indicators:
        row["objective"] = ref[row.pop("objective_id")]
    return document, {
        "Obiettivi": objectives, "Passi": steps, "Indicatori": indicators,
        "Bilancio": records("SELECT table_name, group_name, line, year, amount_raw FROM budget_lines "
                            "WHERE document_id = ? ORDER BY source_line, year"),
        "Totali": records("SELECT table_name, label, year, as_printed FROM reported_totals WHERE document_id = ? "
                          "ORDER BY source_line, year"),
        "Punteggi": records("SELECT area, score, max_score, as_printed FROM scores WHERE document_id = ? "
                            "ORDER BY source_line"),
    }

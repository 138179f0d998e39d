"""Streamlit pieces every page shares: cached queries, the filters, exports, 'where does this number come from'.

Pages stay thin: they call `load(db.some_query, filters)`, draw a chart from cruscotto.charts, write one
sentence under it and offer the table behind it with `table_with_exports`.
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from . import db, page_style
from .messages import PART_FAILED, SAVE_NO_SPACE
from .evaluation import MILESTONE_LABELS, STATUS_LABELS
from .export import csv_bytes, excel_bytes, parsed_beside
from .italian import format_eur, format_moment, format_month, format_number, format_percent
from .source_text import decode_document, excerpt
from .template import KINDS
from .vocabulary import MAPPING_ROLES

KIND_LABELS = KINDS
FILTERS_KEY = "filtri"
BUSY = "Il database è occupato da un caricamento in corso: riprova tra qualche secondo."
FOCUS_KEY = "documento_in_vista"


# ---------------------------------------------------------------------------- data

_FROZEN = False


def freeze_modules() -> None:
    """Once per process, after the imports: the objects that live as long as the process (pandas, plotly's
    validators, DuckDB, Streamlit: some 140,000) are moved out of the garbage collector's sight. Streamlit
    runs a full collection after every rerun (runner.postScriptGC), which otherwise walks all of them each
    time: about 25 ms of every page on this machine. What a run creates is still collected."""
    global _FROZEN
    if not _FROZEN:
        import atexit
        import gc

        import plotly.graph_objects  # noqa: F401  (the charts' module, with its validators, before the freeze)

        gc.collect()
        gc.freeze()
        atexit.register(gc.unfreeze)                 # freed at exit as before (no leak reported by DuckDB's types)
        _FROZEN = True


def database_stamp() -> tuple[str, float]:
    """(path, modification time): part of every cache key, so a new load shows at once."""
    path = db.db_path()
    return str(path), (path.stat().st_mtime if path.exists() else 0.0)


@st.cache_data(show_spinner=False, max_entries=256)
def _query(name: str, stamp: tuple[str, float], args: tuple, kwargs: tuple, then: str | None = None, _then=None):
    # the rows from their own entry, called as load() calls it (then=None is part of the key): a query with two
    # then=, or drawn by query_chart and also loaded, runs once
    if _then is not None:
        return _then(_query(name, stamp, args, kwargs, None))
    with db.reading(stamp[0]) as con:
        return getattr(db, name)(con, *args, **dict(kwargs))


@st.cache_resource(show_spinner=False, max_entries=32)
def _shared(name: str, stamp: tuple[str, float], args: tuple, kwargs: tuple, then: str | None = None, _then=None):
    # the object itself, shared by every rerun and session (load(shared=True)): the sidebar's choices among 10^3
    # issuers, unpickled from st.cache_data at every rerun of every page, cost a time that grew with the database
    return _query(name, stamp, args, kwargs, then, _then)


def _name_of(function) -> str:
    """What tells a function apart in a cache key: where it is defined (a page's functions all live in
    '__main__', and two lambdas share a name)."""
    code = getattr(function, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code is not None else function.__module__
    return f"{where}:{function.__qualname__}"


def load(query, *args, then=None, then_key: str = "", shared: bool = False, **kwargs):
    """Run a db query (open, query, close), cached until the database file changes; with then=f, f(result)
    is what is cached and returned (a page's computation on a query, e.g. the shares of a budget, done once
    and not at every rerun; f must be a pure function of the rows; then_key tells apart two f made by one
    function, e.g. with other formats); shared=True: the cached object itself, not a copy, for a caller that
    only reads it (what every rerun of every page reads). A locked database gets an Italian message and stops
    the page instead of a traceback."""
    try:
        return (_shared if shared else _query)(query.__name__, database_stamp(), args, tuple(sorted(kwargs.items())),
                                               _name_of(then) + then_key if then is not None else None, then)
    except db.DatabaseBusy:
        st.warning(BUSY)
        st.stop()


def write(change, *args, failed: str = "Modifica non salvata"):
    """change(con, *args) in one batch of writes. A busy database or a full disk is said in Italian and
    returns (False, None); otherwise (True, what change returned). Other errors (a refused value) go on."""
    try:
        with db.writing() as con:
            return True, change(con, *args)
    except db.DatabaseBusy:
        st.warning(BUSY)
    except Exception as exc:
        if not db.is_disk_full(exc):
            raise
        st.error(f"{failed}: {SAVE_NO_SPACE}.")
    return False, None


def forget_cached() -> None:
    """Drop every cached query at once (after a correction: the page must show it at the next run, even when
    the file's modification time has not moved)."""
    _query.clear()
    _shared.clear()
    _figure.clear()


REQUESTED_KEY = "pagina_richiesta"


def current_filters() -> db.Filters:
    return st.session_state.get(FILTERS_KEY, db.Filters())


def entry_guard(page_path: str) -> None:
    """A page opened straight from its address before the entry script ran (a bookmark, right after a
    restart: Streamlit then serves pages/ files on their own) goes through dashboard.py first, which
    draws the navigation and the filters and comes back here."""
    if FILTERS_KEY not in st.session_state:
        st.session_state[REQUESTED_KEY] = page_path
        st.switch_page("dashboard.py")


def sidebar_filters() -> db.Filters:
    """Ente, anno, area, tipo: drawn once in the entry script, so every page shares and remembers them. Each
    offers what the others leave (the choices are read before the widgets are drawn)."""
    chosen = db.Filters(*(tuple(st.session_state.get(key) or ()) for key in ("f_enti", "f_anni", "f_aree", "f_tipi")))
    options = load(db.filter_options, chosen, shared=True)
    with st.sidebar:
        st.header("Filtri")
        issuers = searchable_multiselect("Ente / consorzio", options["issuers"], "f_enti", "Tutti")
        years = st.multiselect("Anno", options["years"], key="f_anni", placeholder="Tutti", select_all=False)
        areas = searchable_multiselect("Area", options["areas"], "f_aree", "Tutte")
        kinds = st.multiselect("Tipo di documento", options["kinds"], key="f_tipi", placeholder="Tutti",
                               format_func=lambda k: KIND_LABELS.get(k, k), select_all=False)
    filters = db.Filters(tuple(issuers), tuple(years), tuple(areas), tuple(kinds))
    st.session_state[FILTERS_KEY] = filters
    return filters


FILTER_CHOICES = 200       # a multiselect sends every option to the browser: past this many, a search comes first


def searchable_multiselect(label: str, options: list, key: str, placeholder: str) -> list:
    """A multiselect of `options`; when there are more than FILTER_CHOICES (the issuers of a whole region or
    country) a «Cerca» box comes first and the list holds what is chosen plus the first matches."""
    if len(options) > FILTER_CHOICES:
        chosen = [o for o in st.session_state.get(key, []) if o in set(options)]
        words = st.text_input(f"Cerca: {label.lower()}", key=f"{key}_cerca",
                              placeholder="scrivi una parte del nome").lower().split()
        matching = [o for o in options if all(w in str(o).lower() for w in words)] if words else options
        shown = list(dict.fromkeys([*chosen, *matching[:FILTER_CHOICES]]))
        st.caption(f"{format_number(len(matching), 0)} su {format_number(len(options), 0)}"
                   + (f": qui i primi {FILTER_CHOICES}; scrivi nel campo per trovare gli altri."
                      if len(matching) > FILTER_CHOICES else "."))
        options = shown
    return st.multiselect(label, options, key=key, placeholder=placeholder, select_all=False)


DOCUMENT_CHOICES = 100     # documents a choice of one lists; past this many, a search comes first


def search_choice(query, filters: db.Filters, label: str, key: str, most: int | None = None,
                  focus: int | None = None, **options) -> tuple[int, str] | None:
    """Choose one document among those `query` lists (document_id, source_name, issuer, year, total_rows): a
    plain choice when they are few, with a search box in front when there are more than `most` (a choice
    among 10^4 documents would send every name to the browser). `focus`, a document_id, is offered whatever
    the search and chosen when the choice is drawn anew (a page that opens a document there; `query` then
    takes document_id=). (document_id, its label), or None."""
    most = most or DOCUMENT_CHOICES
    search = st.session_state.get(f"{key}_cerca", "")
    found = load(query, filters, search="", most=most, **options)
    total = int(found.total_rows.iloc[0]) if len(found) else 0
    if total > most:
        search = st.text_input(f"Cerca {label.lower()}", key=f"{key}_cerca",
                               placeholder="ente, anno o nome del file")
        found = load(query, filters, search=search, most=most, **options) if search.strip() else found
        matching = int(found.total_rows.iloc[0]) if len(found) else 0
        st.caption(f"{format_number(total, 0)} documenti: qui i primi {len(found)} "
                   + (f"di {format_number(matching, 0)} che contengono «{plain(search)}»." if search.strip()
                      else "in ordine di file; scrivi nel campo per trovarne altri."))
    ids = found.document_id.astype(int).tolist()
    if focus is not None and int(focus) not in ids:
        # a document opened from another page's link is offered even when the filters leave it out
        focused = load(query, db.Filters(), search="", most=1, document_id=int(focus), **options)
        if len(focused):
            found = pd.concat([focused, found], ignore_index=True)
            ids = found.document_id.astype(int).tolist()
    if found.empty:
        if total:
            st.caption("Nessun documento contiene queste parole.")
        return None
    # a choice of documents names each with its file too: a person often knows the file they loaded
    labels = {i: label if name in label else f"{label} · {name}"
              for i, label, name in zip(ids, document_labels(found).tolist(), found.source_name.tolist())}
    index = ids.index(int(focus)) if focus is not None and int(focus) in ids else 0
    chosen = st.selectbox(label, ids, index=index, format_func=lambda i: labels.get(i, str(i)), key=key)
    return (int(chosen), labels[chosen]) if chosen is not None else None


def document_labels(frame: pd.DataFrame) -> pd.Series:
    """'Consorzio X · 2021', with the file name added when two documents share consortium and year."""
    base = [f"{issuer} · {year}" for issuer, year in zip(frame["issuer"].tolist(), frame["year"].tolist())]
    documents: dict[str, set] = {}
    for label, document in zip(base, frame["document_id"].tolist()):
        documents.setdefault(label, set()).add(document)
    return pd.Series([f"{label} · {name}" if len(documents[label]) > 1 else label
                      for label, name in zip(base, frame["source_name"].tolist())], index=frame.index, dtype=object)


def objective_labels(frame: pd.DataFrame, most: int = 80) -> pd.Series:
    """'3. Riorganizzazione degli uffici…' from objective_number and objective (the title), cut at `most`."""
    titles = frame["objective"].fillna("(obiettivo senza titolo)").astype(str)
    titles = titles.where(titles.str.len() <= most, titles.str[:most - 1] + "…")
    numbers = frame["objective_number"]
    return titles.where(numbers.isna() | (numbers == ""), numbers.astype(str) + ". " + titles)


def counted(count: int, one: str, many: str) -> str:
    """counted(1, 'documento', 'documenti') -> '1 documento'."""
    return f"{count} {one if count == 1 else many}"


def empty_state(message: str = "Nessun dato per i filtri scelti: allarga la selezione nella barra laterale.") -> None:
    st.info(message)


@contextmanager
def isolated(part: str):
    """One document's table or chart that fails to draw shows an Italian message in its place; the page goes
    on with the others. (st.stop and reruns are not errors: Streamlit raises them as BaseException.)"""
    try:
        yield
    except Exception as exc:
        logging.getLogger(__name__).exception("part of a page failed: %s", part)
        st.error(PART_FAILED.format(part=plain(part), error=type(exc).__name__))


def chart(figure_of, *args, key: str) -> None:
    """A chart built and drawn in isolation: ui.chart(charts.budget_shares, lines, title, key=...)."""
    with isolated("Il grafico"):
        st.plotly_chart(figure_of(*args), key=key)


@st.cache_resource(show_spinner=False, max_entries=128)
def _figure(name: str, stamp: tuple[str, float], args: tuple, kwargs: tuple, draw: str, labels: tuple,
            _draw=None):
    # The figure object itself, shared by every rerun and session (st.plotly_chart only reads it: it copies
    # the figure into its message); st.cache_data would pickle it, and unpickling a figure validates it anew.
    return _draw(_query(name, stamp, args, kwargs, None), *labels)


def query_chart(draw, labels: tuple, query, *args, key: str, **kwargs) -> None:
    """ui.chart of draw(rows, *labels), rows = load(query, *args, **kwargs); the figure is built once per
    database and arguments, not at every rerun: ui.query_chart(charts.slippage_by_area, (title,),
    db.slippage_by_area, filters, key="slippage")."""
    with isolated("Il grafico"):
        try:
            figure = _figure(query.__name__, database_stamp(), args, tuple(sorted(kwargs.items())), _name_of(draw),
                             tuple(labels), draw)
        except db.DatabaseBusy:
            st.warning(BUSY)
            st.stop()
        st.plotly_chart(figure, key=key)


# ---------------------------------------------------------------------------- tables and exports

def slug(text: str) -> str:
    """A file name from any text: 'Risorse 2012/2014' -> 'risorse_2012_2014', '../../x' -> 'x'."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")[:80] or "tabella"


def _number(value) -> str:
    return format_number(value, 0 if float(value).is_integer() else 2)


def _percent(value) -> str:
    return format_percent(value, 1)


def for_display(frame: pd.DataFrame, euro=(), percent=(), months=()) -> pa.Table:
    """Italian text for the screen: '1.234,56 €', '29,3%', 'giugno 2021', a moment '01/12/2026 11:02:48', '—' for
    missing values; whole numbers stay numbers. `percent`: column names (one decimal), or {column: decimals} ('67%'
    with 0). An
    Arrow table, which st.dataframe sends as it is: a pandas map per column and a new DataFrame cost more than
    formatting the 100 rows shown."""
    arrays = []
    for column, values in frame.items():
        if column in euro:
            format_cell = format_eur
        elif column in percent:
            format_cell = ((lambda v, decimals=percent[column]: format_percent(v, decimals))
                           if isinstance(percent, dict) else _percent)
        elif column in months:
            format_cell = format_month
        elif pd.api.types.is_datetime64_any_dtype(values):    # a moment stays a date in the files
            format_cell = format_moment
        elif pd.api.types.is_float_dtype(values):
            format_cell = _number
        elif pd.api.types.is_integer_dtype(values) and not values.isna().any():
            arrays.append(pa.array(values))
            continue
        elif isinstance(values.dtype, pd.StringDtype):   # text already: only the missing cells change
            arrays.append(pc.fill_null(pa.array(values, pa.string()), "—"))
            continue
        else:                                    # one type per column: text, with '—' where nothing is printed
            format_cell = str
        missing = values.isna().tolist()
        arrays.append(pa.array(["—" if gap else format_cell(v) for v, gap in zip(values.tolist(), missing)],
                               pa.string()))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


# A wide table keeps the column that says what a row is in view while the rest scrolls: the most specific first.
KEY_COLUMNS = ("Indicatore", "Attività", "Voce", "Obiettivo", "Area", "Ente", "File")
WIDE_TABLE = 7                 # columns from which a table scrolls sideways on a laptop


def grid(table: pa.Table | pd.DataFrame, height: int | str = "auto") -> None:
    """A table on screen (its key column pinned when it is wide) and, for paper, the same rows with every
    column (page_style: the grid prints only what its window shows)."""
    names = table.column_names if isinstance(table, pa.Table) else [str(c) for c in table.columns]
    key = next((c for c in KEY_COLUMNS if c in names), None) if len(names) >= WIDE_TABLE else None
    config = {key: st.column_config.TextColumn(pinned=True, width="medium")} if key else None
    st.dataframe(table, hide_index=True, height=height, column_config=config)
    st.html(page_style.printed_table(table))


def table_with_exports(frame: pd.DataFrame, title: str, key: str, euro=(), percent=(), months=(),
                       height: int | str = "auto", every_row=None, shown: pa.Table | None = None,
                       numbers: dict[str, str] | None = None) -> None:
    """The table behind a chart in Italian formats, with Excel (numbers kept as numbers, formatted) and CSV
    downloads of the same headers. The files are made when a person clicks (an Excel file of 10^4 rows costs
    seconds): of `frame`, or of every_row() when the table shows one page of a longer list. An empty table is
    said in Italian (the grid would print 'empty'). `shown`: for_display(frame, …) when already made.
    `numbers`: {column of document text: column of `frame` with the number read from it}, e.g. {'Consuntivo':
    'actual_value'}: the files have the number beside the text ('Consuntivo (numero)'), the screen neither."""
    if frame.empty:
        st.caption("Nessuna riga.")
        return
    numbers = numbers or {}
    sources = list(numbers.values())
    grid(shown if shown is not None else for_display(frame.drop(columns=sources), euro, percent, months), height)
    every = every_row or (lambda: frame)

    def rows() -> pd.DataFrame:
        found = every()
        if not numbers:
            return found
        return parsed_beside(found.drop(columns=sources), {text: found[source] for text, source in numbers.items()})
    left, right, _ = st.columns([1, 1, 3])
    with isolated("Il file Excel di questa tabella"), left:
        download(left, "Scarica Excel", lambda: excel_bytes(rows(), title, euro, percent, months),
                 f"{slug(title)}.xlsx", f"xlsx_{key}", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    with isolated("Il file CSV di questa tabella"), right:
        download(right, "Scarica CSV", lambda: csv_bytes(rows()), f"{slug(title)}.csv", f"csv_{key}", "text/csv")


def download(where, label: str, make, file_name: str, key: str, mime: str) -> None:
    """A download button whose file make() builds when it is clicked, on a thread of its own (Streamlit's
    deferred download): nothing is built on a rerun, and the page does not wait for it."""
    where.download_button(label, make, file_name=file_name, key=key, mime=mime, on_click="ignore")


PAGE_SIZE = 100


def _pager(key: str) -> tuple[str, int]:
    """The search box of a long list and the page asked for: (words, page number)."""
    search = st.text_input("Cerca", key=f"cerca_{key}", placeholder="Cerca: ente, nome, testo… (tutte le parole)")
    return search, int(st.session_state.get(f"pagina_{key}") or 1)


def _pager_footer(key: str, search: str, page: int, shown: int, total: int) -> None:
    """The page chooser and the sentence on which rows are shown."""
    pages = max(1, -(-total // PAGE_SIZE))
    if pages > 1:
        left, right = st.columns([1, 4])
        left.number_input("Pagina", min_value=1, max_value=pages, step=1, key=f"pagina_{key}")
        first = (page - 1) * PAGE_SIZE + 1
        right.caption(f"Righe {format_number(first, 0)}–{format_number(first + shown - 1, 0)} di "
                      f"{format_number(total, 0)}{' che contengono «' + plain(search) + '»' if search.strip() else ''}"
                      f" (pagina {page} di {pages}). I file Excel e CSV contengono tutte le "
                      f"{format_number(total, 0)} righe.")
    elif search.strip():
        st.caption(f"{counted(total, 'riga contiene', 'righe contengono')} «{plain(search)}».")


def _every_row(query, filters: db.Filters, search: str, options: dict):
    path = str(db.db_path())

    def every_row() -> pd.DataFrame:
        with db.reading(path) as con:
            return query(con, filters, search=search, **options)
    return every_row


def paged(query, filters: db.Filters, key: str, **options) -> tuple[pd.DataFrame, int, callable]:
    """A search box and a page chooser for a long list: (the rows of the page shown, how many rows match,
    every_row) where every_row() runs the same query for every matching row (for the exports, on a click).
    `query` takes filters, search=, limit=, offset= and the options; the page is cut in SQL."""
    search, page = _pager(key)
    rows = load(query, filters, search=search, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **options)
    if rows.empty and page > 1:                  # the list got shorter (a filter, a search): back to page 1
        page = 1
        st.session_state[f"pagina_{key}"] = 1
        rows = load(query, filters, search=search, limit=PAGE_SIZE, offset=0, **options)
    total = int(rows.total_rows.iloc[0]) if len(rows) else 0
    rows = rows.drop(columns=["total_rows"])
    _pager_footer(key, search, page, len(rows), total)
    return rows, total, _every_row(query, filters, search, options)


class _PageOf:
    """then= of one page of a list: (rows, how many match, shape(rows), its display), made once per database
    and page instead of at every rerun (shaping and formatting 100 rows costs more than the query's cache)."""

    def __init__(self, shape, hidden: tuple, euro: tuple, percent: tuple, months: tuple):
        self.shape, self.hidden, self.formats = shape, hidden, (euro, percent, months)
        self.__code__, self.__qualname__ = shape.__code__, shape.__qualname__       # its name in the cache key
        self.key = f"|{hidden}|{euro}|{percent}|{months}"

    def __call__(self, rows: pd.DataFrame):
        total = int(rows.total_rows.iloc[0]) if len(rows) else 0
        rows = rows.drop(columns=["total_rows"])
        table = self.shape(rows)
        return rows, total, table, for_display(table.drop(columns=list(self.hidden)), *self.formats)


def paged_table(query, filters: db.Filters, key: str, title: str, shape, *, euro=(), percent=(), months=(),
                hidden=("document_id",), numbers: dict[str, str] | None = None,
                **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """paged() and table_with_exports() of shape(rows) in one: a long list with its search box, page chooser,
    table and exports, where shape turns query rows into the table (Italian headers) and `hidden` columns
    are left out of the screen and the files. The shaped and formatted page is cached with the query.
    `numbers`: {column of document text: query column with the number read from it}, e.g. {'Atteso':
    'expected_value'}: the files have the number beside the text ('Atteso (numero)'), the screen does not.
    (the raw rows of the page, the shaped rows with the hidden columns)."""
    search, page = _pager(key)
    then = _PageOf(shape, tuple(hidden), tuple(euro), percent if isinstance(percent, dict) else tuple(percent),
                   tuple(months))
    rows, total, table, shown = load(query, filters, search=search, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                     then=then, then_key=then.key, **options)
    if rows.empty and page > 1:                  # the list got shorter (a filter, a search): back to page 1
        page = 1
        st.session_state[f"pagina_{key}"] = 1
        rows, total, table, shown = load(query, filters, search=search, limit=PAGE_SIZE, offset=0, then=then,
                                         then_key=then.key, **options)
    _pager_footer(key, search, page, len(rows), total)
    every = _every_row(query, filters, search, options)

    def every_row() -> pd.DataFrame:
        found = every()
        shaped = shape(found).drop(columns=list(hidden))           # shape keeps the rows' order: one per row
        return parsed_beside(shaped, {text: found[source] for text, source in (numbers or {}).items()})
    table_with_exports(table, title, key, euro, percent, months, shown=shown,       # frame: only whether empty
                       every_row=every_row)
    return rows, table


# ':' too: an escaped 'http\://' is not turned into a link by the markdown renderer (GFM autolinks).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text) -> str:
    """Document text inside st.markdown: every markdown/HTML sign escaped, so it shows as printed."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, MILESTONE_LABELS.get(status, status))


def money(value) -> str:
    return format_eur(value) if pd.notna(value) else "—"


def percent(value) -> str:
    return format_percent(value) if pd.notna(value) else "—"


def month(value) -> str:
    return format_month(value) if pd.notna(value) else "—"


# ---------------------------------------------------------------------------- where a number comes from

def document_text(document_id: int) -> tuple[str, list[int] | None]:
    """The text source_line points into (extracted from a PDF or workbook, or the file itself) and, for a
    PDF, the page of each line."""
    text, pages = load(db.document_text, int(document_id))
    if text is None:
        data = load(db.original, int(document_id))
        text = decode_document(data) if data else ""
    return text, pages


def source_lines(document_id: int, line: int, context: int = 3) -> list[tuple[int, str, bool]]:
    text, _ = document_text(document_id)
    return excerpt(text, int(line), context) if text else []


def show_source(document_id: int, line: int, context: int = 3) -> None:
    """The original lines around a record, the record's own line marked with ▶."""
    rows = source_lines(document_id, line, context)
    st.code("\n".join(f"{'▶' if mine else ' '} {n:>5} | {text.replace(chr(9), '  ⇥  ')}"
                      for n, text, mine in rows), language=None, wrap_lines=True)


def open_in_document(document_id: int, line: int) -> None:
    st.session_state[FOCUS_KEY] = (int(document_id), int(line))


def source_picker(frame: pd.DataFrame, label_column: str, key: str) -> None:
    """'Da dove viene questo numero?': pick a row, see its original lines, open the whole document there."""
    if frame.empty:
        return
    with st.expander("Da dove viene questo numero? (testo originale del documento)"):
        lines, documents = frame["riga"].tolist(), frame["document_id"].tolist()
        labels = [f"{label} — {file} riga {line}"
                  for label, file, line in zip(frame[label_column].tolist(), frame["file"].tolist(), lines)]
        choice = st.selectbox("Riga", range(len(labels)), format_func=lambda i: labels[i], key=f"src_{key}")
        show_source(documents[choice], lines[choice])
        if st.button("Apri nel documento", key=f"open_{key}"):
            open_in_document(documents[choice], lines[choice])
            st.switch_page("pages/documento.py")


# ---------------------------------------------------------------------------- column mapping

NO_ROLE = "— non usare —"


def extracted_table(table) -> pd.DataFrame:
    """A table of unread lines (loaders.mapping.Table) as a person reads it: 'riga', then one column per
    header cell ('Colonna 3' for an empty one, a number added to a repeated one)."""
    names: list[str] = []
    for index, cell in enumerate(table.header.cells, start=1):
        name = cell.strip() or f"Colonna {index}"
        while name in names or name == "riga":
            name = f"{name} ({index})"
        names.append(name)
    rows = [{"riga": line.number, **dict(zip(names, line.cells))} for line in table.rows]
    return pd.DataFrame(rows, columns=["riga", *names])


def role_pickers(table, guesses, key: str) -> list[str | None]:
    """One choice of role per column (vocabulary.MAPPING_ROLES), first set to `guesses`; the roles chosen."""
    options = [None, *MAPPING_ROLES]
    roles: list[str | None] = []
    columns = st.columns(min(len(table.header.cells), 4))
    for index, cell in enumerate(table.header.cells):
        guess = guesses[index] if index < len(guesses) else None
        label = f"{index + 1}. {cell.strip() or 'senza intestazione'}"
        roles.append(columns[index % len(columns)].selectbox(
            label, options, index=options.index(guess) if guess in options else 0, key=f"{key}_{index}",
            format_func=lambda role: NO_ROLE if role is None else MAPPING_ROLES[role]))
    return roles


def mapping_preview(rows: dict[str, list[dict]]) -> None:
    """What a mapping would store, with the statuses the same evaluation gives parsed records."""
    shown = False
    if rows.get("indicators"):
        st.dataframe(pd.DataFrame([{"riga": r["source_line"], "Indicatore": r["name"], "Atteso": r["expected_raw"],
                                    "Consuntivo": r["actual_raw"], "Stato": status_label(r["status"]),
                                    "Motivo": r["status_reason"]} for r in rows["indicators"]]), hide_index=True)
        shown = True
    if rows.get("milestones"):
        st.dataframe(pd.DataFrame([{"riga": r["source_line"], "Attività": r["activity"], "Previsto": r["planned_raw"],
                                    "Effettivo": r["actual_raw"], "Stato": status_label(r["status"]),
                                    "Slittamento (mesi)": r["slippage_months"], "Motivo": r["status_reason"]}
                                   for r in rows["milestones"]]), hide_index=True)
        shown = True
    if rows.get("budget_lines") or rows.get("reported_totals"):
        st.dataframe(pd.DataFrame([{"riga": r["source_line"], "Voce": r["line"], "Anno": r["year"],
                                    "Importo": money(r["amount_eur"]), "Come stampato": r["amount_raw"]}
                                   for r in rows.get("budget_lines", [])]
                                  + [{"riga": r["source_line"], "Voce": r["label"], "Anno": r["year"],
                                      "Importo": r["as_printed"], "Come stampato": r["as_printed"]}
                                     for r in rows.get("reported_totals", [])]), hide_index=True)
        shown = True
    if rows.get("scores"):
        st.dataframe(pd.DataFrame([{"riga": r["source_line"], "Area": r["area"], "Punteggio": r["as_printed"]}
                                   for r in rows["scores"]]), hide_index=True)
        shown = True
    if not shown and rows.get("objectives"):
        st.dataframe(pd.DataFrame([{"riga": r["source_line"], "Obiettivo": r["title"], "Area": r["area"]}
                                   for r in rows["objectives"]]), hide_index=True)
        shown = True
    if not shown:
        st.info("Con questi ruoli la tabella non dà ancora nessun dato: assegna almeno una colonna.")
    issues = [q for q in rows.get("quality_issues", []) if q["category"] != "note"]
    if issues:
        st.caption(counted(len(issues), "riga resterebbe da verificare", "righe resterebbero da verificare") + ": "
                   + "; ".join(f"riga {q['source_line']}: {q['reason']}" for q in issues[:5]))


def role_summary(header_text: str, roles_json: str) -> str:
    """'Misura\\tNote', '["indicator", null]' -> 'Misura → indicatore'; columns left out are not listed."""
    import json

    cells = header_text.split("\t")
    roles = json.loads(roles_json)
    return "; ".join(f"{cell or '(senza intestazione)'} → {MAPPING_ROLES.get(role, role)}"
                     for cell, role in zip(cells, roles) if role)

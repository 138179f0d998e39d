"""Plotly figures for the pages: plain graph_objects, Italian labels, one colour-blind-safe palette.

Every status has a colour (Okabe-Ito) and a text label, so no chart relies on colour alone.
"""
from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from .evaluation import MILESTONE_LABELS, STATUS_LABELS
from .italian import format_eur, format_month, format_month_short, format_number, format_percent

STATUS_COLOURS = {
    "met": "#009E73", "exceeded": "#0072B2", "partly": "#E69F00", "not_met": "#D55E00",
    "not_reported": "#BBBBBB", "unknown": "#CC79A7",
}
STEP_COLOURS = {
    "done_on_time": "#009E73", "done_early": "#56B4E9", "done_late": "#D55E00", "done_undated": "#999999",
    "not_done": "#000000", "not_reported": "#BBBBBB", "planned": "#0072B2",
}
JUDGED = ["exceeded", "met", "partly", "not_met"]
# Many categories (budget lines): Okabe-Ito first, then Paul Tol's muted scheme; every block also has a label.
MANY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288",
                "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14)


def chart_text(value) -> str:
    """A document's text inside a figure, shown as printed: plotly renders '<a href>', '<b style>' and
    '<br>' in every label, title and hover text. (Quotes stay: plotly would print '&quot;' as is.)"""
    return html.escape(str(value), quote=False)


def _figure(traces: list[dict], title: str, height: int = 420, xaxis: dict | None = None,
            yaxis: dict | None = None, legend: dict | None = None, **extra) -> go.Figure:
    """A figure from plain trace and layout dicts, with the common layout. Built unvalidated: plotly's
    validation of every property (add_bar, update_layout) costs tens of milliseconds a figure on every rerun,
    and these dicts only use properties the figures above have always used (tests draw every page)."""
    layout = dict(title=dict(text=chart_text(title), x=0, xanchor="left"), font=FONT, height=height,
                  margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="white", separators=",.",
                  legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1) | (legend or {}),
                  xaxis=dict(showgrid=True, gridcolor="#EEEEEE", zeroline=False) | (xaxis or {}),
                  yaxis=dict(showgrid=False, automargin=True) | (yaxis or {}), **extra)
    return go.Figure(dict(data=traces, layout=layout), _validate=False)


def _values(values) -> list:
    """A column as a plain list for a trace: NaN and NaT as None (a gap)."""
    return [None if v is None or v != v or v is pd.NaT else v for v in values.tolist()] if hasattr(values, "tolist") \
        else [None if v is None or v != v else v for v in values]


def _short(text: str, width: int = 48) -> str:
    """A long label broken at words over up to three lines of about 3/5 of `width` (the consortium, the year and
    the area all stay: a label never loses its middle or a word's end); past that, '…' after a whole word."""
    return wrapped(text, max(20, width * 3 // 5), most=3)


def _ends_kept(text: str, width: int = 36, most: int = 3) -> str:
    """A long label over at most `most` lines of about `width` characters, broken at words, keeping its first
    line and its end ('…' between them): the end is what tells rows apart ('· 2021 · Area Minori')."""
    lines = textwrap.wrap(" ".join(str(text).split()), width, break_on_hyphens=False) or [""]
    if len(lines) > most:
        words = " ".join(lines).split(" ")
        tail = ["… " + words[-1][-(width - 2):]]           # one word longer than the room left: its end
        for first in range(len(words) - 1, 0, -1):
            candidate = textwrap.wrap("… " + " ".join(words[first:]), width, break_on_hyphens=False)
            if len(candidate) > most - 1:
                break
            tail = candidate
        lines = lines[:1] + tail
    return "<br>".join(chart_text(line) for line in lines)


def _one_line(text, width: int) -> str:
    """A label on one line of at most `width` characters: whole words (a hyphenated name stays whole) and '…'
    after them; a single word too long for the line keeps its start."""
    text = " ".join(str(text).split())
    line = textwrap.shorten(text, width, placeholder=" …", break_on_hyphens=False)
    return chart_text(line if line.strip(" …") else text[:width - 1] + "…")


def _line_count(label: str) -> int:
    return label.count("<br>") + 1


def _rows_axis(labels: list[str]) -> tuple[list[int], dict]:
    """One position per row and the y axis that writes each row's label at its position: on a category axis
    two rows whose shortened labels are the same text would be drawn as one (their bars stacked)."""
    positions = list(range(len(labels)))
    axis = dict(tickmode="array", tickvals=positions, ticktext=labels, zeroline=False)
    return positions, axis | (dict(range=[-0.5, len(labels) - 0.5]) if labels else {})


def _row_height(labels: list[str], least: int) -> int:
    """Pixels a row needs: at least `least`, and room for its longest label's lines (about 18 px a line)."""
    return max(least, 12 + 18 * max((_line_count(label) for label in labels), default=1))


def _value(raw: str, value: float) -> str:
    """The cell as printed when it is short ('<=5%', '1,09%'), else the number read from it."""
    raw = chart_text(" ".join(str(raw).split()))
    return raw if len(raw) <= 10 else format_number(value, 0 if float(value).is_integer() else 2)


def attainment_bars(counts: pd.DataFrame, label_column: str, title: str) -> go.Figure:
    """Stacked bars: each row's judged indicators split by status (shares of the judged, with counts);
    not reported and to-check indicators are written beside the bar, never counted in it."""
    rows = counts.iloc[::-1]
    labels = [_ends_kept(v, 40) for v in rows[label_column].tolist()]
    positions, yaxis = _rows_axis(labels)
    full = [chart_text(v) for v in rows[label_column].tolist()]
    judged = rows["judged"].where(rows["judged"] > 0)
    traces = []
    for status in JUDGED:
        traces.append(dict(type="bar", y=positions, x=_values(rows[status] / judged), orientation="h",
                           name=STATUS_LABELS[status], marker=dict(color=STATUS_COLOURS[status]),
                           text=[f"{n}" if n else "" for n in rows[status].tolist()], textposition="inside",
                           customdata=full,
                           hovertemplate="%{customdata}<br>" + STATUS_LABELS[status]
                           + ": %{text} (%{x:.0%})<extra></extra>"))
    apart = ["<br>".join(p for p in (f"non rendicontati: {r}" if r else "", f"da verificare: {u}" if u else "")
                         if p) or " "
             for r, u in zip(rows["not_reported"].tolist(), rows["unknown"].tolist())]
    traces.append(dict(type="scatter", y=positions, x=[1.02] * len(rows), mode="text", text=apart,
                       textposition="middle right", showlegend=False, hoverinfo="skip",
                       textfont=dict(size=12, color="#555555")))
    return _figure(traces, title, height=max(260, 60 + _row_height(labels, 42) * len(rows)), barmode="stack",
                   legend=dict(traceorder="normal"), yaxis=yaxis,
                   xaxis=dict(range=[0, 1.32], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1]))


def expected_vs_actual(frame: pd.DataFrame, title: str) -> go.Figure:
    """Dumbbell: each numeric indicator's result as a share of its target (100% = the target).

    For an upper bound ('<= 5%') the target is a ceiling: staying left of 100% is good."""
    rows = frame.iloc[::-1]
    named = list(zip(rows["name"].tolist(), rows["issuer"].tolist(), rows["source_line"].tolist()))
    # two lines a label: the indicator, then its issuer and row (the whole text is in the hover)
    labels = [_one_line(name, 48) + "<br>" + _one_line(issuer, 40) + f" · r. {line}"
              for name, issuer, line in named]
    full = [chart_text(f"{name} · {issuer} · r. {line}") for name, issuer, line in named]
    positions, yaxis = _rows_axis(labels)
    ratio = (rows["actual_value"] / rows["expected_value"]).tolist()
    statuses = rows["status"].tolist()
    order = list(dict.fromkeys(statuses))
    traces = []
    for status in order:                                   # one trace of segments per colour, not one per row
        xs, ys = [], []
        for y, x, mine in zip(positions, ratio, statuses):
            if mine == status:
                xs += [1, x, None]
                ys += [y, y, None]
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color=STATUS_COLOURS[status], width=3),
                           showlegend=False, hoverinfo="skip", connectgaps=False))
    traces.append(dict(type="scatter", x=[1] * len(rows), y=positions, mode="markers", name="atteso",
                       marker=dict(symbol="line-ns", size=18, line=dict(width=3, color="#333333")),
                       customdata=[[label, chart_text(v)] for label, v in zip(full, rows["expected_raw"].tolist())],
                       hovertemplate="%{customdata[0]}<br>atteso: %{customdata[1]}<extra></extra>"))
    cells = list(zip(rows["actual_raw"].tolist(), rows["actual_value"].tolist(), rows["expected_raw"].tolist(),
                     rows["expected_value"].tolist()))
    values = [f"{_value(actual_raw, actual)} su {_value(expected_raw, expected)}"
              for actual_raw, actual, expected_raw, expected in cells]
    for status in order:
        mine = [i for i, s in enumerate(statuses) if s == status]
        traces.append(dict(type="scatter", x=[ratio[i] for i in mine], y=[positions[i] for i in mine],
                           mode="markers+text", name=STATUS_LABELS[status], customdata=[full[i] for i in mine],
                           marker=dict(size=13, color=STATUS_COLOURS[status]),
                           text=[values[i] for i in mine],
                           textposition=["middle left" if ratio[i] < 1 else "middle right" for i in mine],
                           hovertemplate="%{customdata}<br>consuntivo: %{text}<extra></extra>"))
    read = [r for r in ratio if r == r] or [1.0]            # NaN left out, as pandas' max() leaves it out
    right = max(1.5, max(read) * 1.25)
    low = min(0.0, min(read))
    # a label left of a point near 0% («Nessuno su < 5») needs room in proportion to the axis and to its length
    # (about 2% of the axis a character), not a fixed 35%
    lefts = [len(html.unescape(text)) for text, r in zip(values, ratio) if r == r and r < 1]
    left = low - max(0.35, min(0.4, max(0.2, 0.022 * max(lefts, default=0))) * (right - low))
    # ticks from the lowest result up, none in the room left for the labels (a '-100%' there would mean nothing)
    step = next((s for s in (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100) if (right - low) / s <= 6), (right - low) / 6)
    ticks = [k * step for k in range(math.ceil(low / step), math.floor(right / step) + 1)]
    return _figure(traces, title, height=max(300, 70 + _row_height(labels, 34) * len(rows)), yaxis=yaxis,
                   xaxis=dict(tickformat=".0%", tickvals=ticks,
                              title=dict(text="consuntivo in rapporto al valore atteso (100% = obiettivo)"),
                              range=[left, right]))

def rest_of_indicators(total: int, most: int, counts: dict[str, int]) -> str:
    """The sentence under a chart that draws the `most` highest and lowest of `total` numeric indicators:
    'Il grafico mostra i 15 indicatori più sopra e i 15 più sotto il valore atteso; in tutto sono 9.200: 4.600
    superati, 2.300 raggiunti, …'."""
    plural = {"exceeded": "superati", "met": "raggiunti", "partly": "parzialmente raggiunti", "not_met": "non raggiunti"}
    statuses = ", ".join(f"{format_number(counts[s], 0)} {plural[s]}" for s in JUDGED if counts.get(s))
    return (f"Il grafico mostra i {most} indicatori più sopra e i {most} più sotto il valore atteso; in tutto gli "
            f"indicatori numerici sono {format_number(total, 0)} ({statuses}): ognuno è nella tabella qui sotto, "
            "con la sua riga del documento.")


def step_timeline(steps: pd.DataFrame, title: str) -> go.Figure:
    """Planned deadline (hollow diamond) and actual month (dot) per step; a line shows the slippage."""
    rows = steps.iloc[::-1]
    labels = [_short(f"{a}", 55) + f" · r. {n}"
              for a, n in zip(rows["activity"].tolist(), rows["source_line"].tolist())]
    full = [chart_text(f"{a} · r. {n}") for a, n in zip(rows["activity"].tolist(), rows["source_line"].tolist())]
    positions, yaxis = _rows_axis(labels)
    planned, actual = _values(rows["planned_month"]), _values(rows["actual_month"])
    statuses = rows["status"].tolist()
    traces = []
    for colour in dict.fromkeys(STEP_COLOURS[s] for s in statuses):      # one trace of segments per colour
        xs, ys = [], []
        for y, start, end, status in zip(positions, planned, actual, statuses):
            if STEP_COLOURS[status] == colour and start is not None and end is not None:
                xs += [start, end, None]
                ys += [y, y, None]
        if xs:
            traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", showlegend=False, hoverinfo="skip",
                               connectgaps=False, line=dict(color=colour, width=2)))
    traces.append(dict(type="scatter", x=planned, y=positions, mode="markers", name="previsto",
                       marker=dict(symbol="diamond-open", size=12, color="#333333", line=dict(width=2)),
                       text=[format_month(m) if m is not None else "—" for m in planned], customdata=full,
                       hovertemplate="%{customdata}<br>previsto: %{text}<extra></extra>"))
    for status in dict.fromkeys(statuses):
        mine = [i for i, s in enumerate(statuses) if s == status and actual[i] is not None]
        if not mine:
            continue
        traces.append(dict(type="scatter", x=[actual[i] for i in mine], y=[positions[i] for i in mine],
                           mode="markers", name=f"svolto: {MILESTONE_LABELS[status]}",
                           marker=dict(size=11, color=STEP_COLOURS[status]),
                           text=[format_month(actual[i]) for i in mine], customdata=[full[i] for i in mine],
                           hovertemplate="%{customdata}<br>svolto: %{text}<extra></extra>"))
    months = pd.date_range(min(rows["planned_month"].min(), rows["actual_month"].min()),
                           max(rows["planned_month"].max(), rows["actual_month"].max()), freq="MS")
    return _figure(traces, title, height=max(320, 80 + _row_height(labels, 26) * len(rows)), yaxis=yaxis,
                   xaxis=dict(tickvals=list(months), ticktext=[format_month_short(m) for m in months]))

SLIP_BANDS = [("in anticipo", lambda s: s < 0, "#56B4E9"), ("nel mese previsto", lambda s: s == 0, "#009E73"),
              ("1 mese di ritardo", lambda s: s == 1, "#F0E442"), ("2-3 mesi", lambda s: 2 <= s <= 3, "#E69F00"),
              ("oltre 3 mesi", lambda s: s > 3, "#D55E00")]


AREAS_MOST = 20
BAND_COLUMNS = ("early", "on_time", "one", "two_three", "more")      # db.slippage_by_area, as SLIP_BANDS


def slippage_by_area(bands: pd.DataFrame, title: str) -> go.Figure:
    """Dated steps per area, grouped by how many months they slipped (db.slippage_by_area: one row per area,
    most steps first); the AREAS_MOST areas with most dated steps."""
    shown = bands.head(AREAS_MOST).sort_values("area", ascending=False)
    labels = [_short(a, 45) for a in shown["area"].tolist()]
    full = [chart_text(a) for a in shown["area"].tolist()]
    positions, yaxis = _rows_axis(labels)
    traces = []
    for (name, _, colour), column in zip(SLIP_BANDS, BAND_COLUMNS):
        counts = [int(c) for c in shown[column].tolist()]
        traces.append(dict(type="bar", y=positions, x=counts, name=name, orientation="h", marker=dict(color=colour),
                           text=[str(c) if c else "" for c in counts], textposition="inside", customdata=full,
                           hovertemplate="%{customdata}<br>" + name + ": %{x} passi<extra></extra>"))
    return _figure(traces, title, height=max(260, 70 + _row_height(labels, 40) * len(labels)), barmode="stack",
                   yaxis=yaxis,
                   xaxis=dict(title=dict(text="passi svolti con data")))

def rest_of_areas(bands: pd.DataFrame) -> str:
    """The sentence under the slippage chart when it leaves areas out."""
    rest = bands.iloc[AREAS_MOST:]
    late = int(rest[["one", "two_three", "more"]].sum().sum())
    return (f"Il grafico mostra le {AREAS_MOST} aree con più passi datati; le altre {format_number(len(rest), 0)} "
            f"aree hanno {format_number(int(rest['dated'].sum()), 0)} passi con data, di cui "
            f"{format_number(late, 0)} in ritardo: sono tutti nelle tabelle qui sotto.")


def budget_shares(lines: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars per year: each line's share of the year's total, with the amount on hover."""
    years = [int(y) for y in sorted(lines["year"].unique())]
    labels = [str(y) for y in years]
    # A voce is its group and its name, and a second row with both the same in one year is a second voce:
    # the same name may be printed in two groups ('Progetti'), or twice in one.
    groups = lines["group_name"].fillna("").tolist()
    names, line_years = lines["line"].tolist(), lines["year"].tolist()
    shares, amounts = _values(lines["share"]), _values(lines["amount_eur"])
    seen: dict[tuple, int] = {}
    voci: dict[tuple, dict[int, int]] = {}            # (group, line, occurrence) -> {year: row}, in order of rows
    groups_of: dict[str, set] = {}
    for row, (group, name, year) in enumerate(zip(groups, names, line_years)):
        occurrence = seen.get((group, name, year), 0)
        seen[(group, name, year)] = occurrence + 1
        voci.setdefault((group, name, occurrence), {}).setdefault(year, row)
        groups_of.setdefault(name, set()).add(group)
    traces = []
    for (group, name, occurrence), rows in voci.items():
        label = f"{name} ({group})" if len(groups_of[name]) > 1 and group else name
        label = f"{label} ({occurrence + 1})" if occurrence else label
        share = [shares[rows[y]] if y in rows else None for y in years]
        amount = [amounts[rows[y]] if y in rows else None for y in years]
        traces.append(dict(type="bar", x=labels, y=[0 if v is None else v for v in share],   # no gap: the stack holds
                           name=wrapped(label, 40), marker=dict(color=MANY_COLOURS[len(traces) % len(MANY_COLOURS)]),
                           text=[format_percent(v) if v is not None and v >= 0.04 else "" for v in share],
                           textposition="inside",
                           customdata=[[format_eur(a) if a is not None else "non indicato", chart_text(label)]
                                       for a in amount],     # the voce as data: '%{' in it stays text
                           hovertemplate="%{customdata[1]}<br>%{x}: %{customdata[0]} (%{y:.1%})<extra></extra>"))
    return _figure(traces, title, height=480, barmode="stack", xaxis=dict(type="category"),
                   yaxis=dict(tickformat=".0%", range=[0, 1]),
                   legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"))

def shares_printed_and_computed(frame: pd.DataFrame, title: str) -> go.Figure:
    """Printed share per year (bar) beside the share the tool computes from the document's own totals (dot)."""
    years = [str(y) for y in frame["year"].tolist()]
    printed, computed = _values(frame["printed"]), _values(frame["computed"])
    traces = [dict(type="bar", x=years, y=[None if v is None else v / 100 for v in printed],
                   name="quota stampata nel documento", marker=dict(color="#0072B2"),
                   text=[f"{format_number(v)}%" for v in frame["printed"].tolist()], textposition="inside",
                   insidetextanchor="middle"),               # above the bar it would sit on the diamond's label
              dict(type="scatter", x=years, y=computed, mode="markers+text", name="quota calcolata (totale / spesa)",
                   marker=dict(size=14, color="#E69F00", symbol="diamond"),
                   text=[format_percent(v, 1) for v in frame["computed"].tolist()], textposition="middle right")]
    return _figure(traces, title, height=360, yaxis=dict(tickformat=".0%", rangemode="tozero"),
                   xaxis=dict(type="category"))             # years, not numbers: no '2.014,5' ticks

def scores_and_attainment(frame: pd.DataFrame, title: str) -> go.Figure:
    """The nucleo's score per area (share of the maximum) beside the indicators reached in that area."""
    rows = frame.iloc[::-1]
    labels = [_short(a, 50) for a in rows["area"].tolist()]
    positions, yaxis = _rows_axis(labels)
    attainment = _values(rows["attainment"])
    traces = [dict(type="bar", y=positions, x=_values(rows["score"] / rows["max_score"]), orientation="h",
                   name="punteggio del nucleo", marker=dict(color="#0072B2"),
                   text=[chart_text(v) for v in rows["as_printed"].tolist()], textposition="inside"),
              dict(type="bar", y=positions, x=attainment, orientation="h", name="indicatori raggiunti (calcolo)",
                   marker=dict(color="#009E73"),
                   text=[format_percent(v) if v is not None else "n.d." for v in attainment], textposition="inside")]
    return _figure(traces, title, height=max(280, 80 + _row_height(labels, 60) * len(rows)), barmode="group",
                   yaxis=yaxis, xaxis=dict(tickformat=".0%", range=[0, 1.05]))

def quality_by_document(frame: pd.DataFrame, title: str) -> go.Figure:
    """Rows read vs lines not read, per document."""
    rows = frame.iloc[::-1]
    labels = [_ends_kept(v, 40) for v in rows["label"].tolist()]
    positions, yaxis = _rows_axis(labels)
    traces = [dict(type="bar", y=positions, x=rows["read"].tolist(), name="righe lette", orientation="h",
                   marker=dict(color="#009E73"), text=rows["read"].tolist(), textposition="inside"),
              dict(type="bar", y=positions, x=rows["not_read"].tolist(), name="righe non lette o da verificare",
                   orientation="h", marker=dict(color="#D55E00"), text=rows["not_read"].tolist(),
                   textposition="inside")]
    return _figure(traces, title, height=max(260, 70 + _row_height(labels, 45) * len(rows)), barmode="stack",
                   yaxis=yaxis)


# ---------------------------------------------------------------------------- one consortium (issue 13)

def wrapped(text: str, width: int = 34, most: int = 2) -> str:
    """A label broken at words over at most `most` lines ('<br>'); past them, '…' after a whole word: never cut
    mid-word, never losing its end silently."""
    lines = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(lines) > most:
        lines = lines[:most - 1] + [textwrap.shorten(" ".join(lines[most - 1:]), width, placeholder=" …")]
    return "<br>".join(chart_text(line) for line in lines)


def areas_beside_peers(frame: pd.DataFrame, title: str) -> go.Figure:
    """One bar per area: indicators reached over the judged ones ('3 su 4'), worst first from the top; a diamond
    where the other issuers of the same year and area stand, when there are any. frame: area, reached, judged,
    peer_rate (may be empty)."""
    rows = frame.assign(rate=frame["reached"] / frame["judged"]).sort_values(["rate", "area"], ascending=[False, True])
    labels = [wrapped(a) for a in rows["area"]]
    full = [chart_text(a) for a in rows["area"]]
    positions, yaxis = _rows_axis(labels)
    traces = [dict(type="bar", y=positions, x=rows["rate"].tolist(), orientation="h", name="il nostro ente",
                   marker=dict(color="#0072B2"), textposition="outside", cliponaxis=False, customdata=full,
                   text=[f"{format_percent(r.rate)} ({r.reached} su {r.judged})" for r in rows.itertuples()],
                   hovertemplate="%{customdata}<br>indicatori raggiunti: %{text}<extra></extra>")]
    peers = rows["peer_rate"].notna().tolist()
    if any(peers):
        traces.append(dict(type="scatter", y=[y for y, p in zip(positions, peers) if p],
                           customdata=[f for f, p in zip(full, peers) if p],
                           x=rows.loc[rows["peer_rate"].notna(), "peer_rate"].tolist(), mode="markers",
                           name="altri enti, stesso anno e area",
                           marker=dict(symbol="diamond", size=12, color="#D55E00"),
                           hovertemplate="%{customdata}<br>altri enti: %{x:.0%}<extra></extra>"))
    return _figure(traces, title, height=max(240, 70 + 46 * len(rows)), yaxis=yaxis,
                   xaxis=dict(range=[0, 1.3], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1]))


def years_by_area(frame: pd.DataFrame, title: str) -> go.Figure:
    """Indicators reached per area, one line per area across the years (whole years on the axis). frame: year,
    area, reached, judged."""
    traces = []
    for index, (area, rows) in enumerate(frame[frame["judged"] > 0].groupby("area", sort=True)):
        rate = (rows["reached"] / rows["judged"]).tolist()
        traces.append(dict(type="scatter", x=rows["year"].tolist(), y=rate, mode="lines+markers+text",
                           name=wrapped(area, 40, 1), line=dict(color=MANY_COLOURS[index % len(MANY_COLOURS)], width=3),
                           text=[format_percent(r) for r in rate], textposition="top center",
                           hovertemplate=f"{chart_text(area)}<br>%{{x}}: %{{text}}<extra></extra>"))
    return _figure(traces, title, height=420,
                   legend=dict(orientation="v", y=0.5, x=1.02, xanchor="left", yanchor="middle"),
                   xaxis=dict(tickformat="d", dtick=1, title=dict(text="anno")),
                   yaxis=dict(range=[0, 1.12], tickformat=".0%", title=dict(text="indicatori raggiunti")))

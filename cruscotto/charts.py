"""Plotly figures for the pages: plain graph_objects, Italian labels, one colour-blind-safe palette.

Every status has a colour (Okabe-Ito) and a text label, so no chart relies on colour alone.
"""
from __future__ import annotations

import html
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


def _layout(fig: go.Figure, title: str, height: int = 420, **extra) -> go.Figure:
    fig.update_layout(title=dict(text=chart_text(title), x=0, xanchor="left"), font=FONT, height=height,
                      margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="white", separators=",.",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1), **extra)
    fig.update_xaxes(showgrid=True, gridcolor="#EEEEEE", zeroline=False)
    fig.update_yaxes(showgrid=False, automargin=True)
    return fig


def _short(text: str, width: int = 48) -> str:
    """Long labels lose their middle, so both the consortium (start) and the area (end) stay readable."""
    text = " ".join(str(text).split())
    if len(text) > width:
        head = (width - 1) * 2 // 5
        text = text[:head] + "…" + text[-(width - 1 - head):]
    return chart_text(text)


def _value(raw: str, value: float) -> str:
    """The cell as printed when it is short ('<=5%', '1,09%'), else the number read from it."""
    raw = chart_text(" ".join(str(raw).split()))
    return raw if len(raw) <= 10 else format_number(value, 0 if float(value).is_integer() else 2)


def attainment_bars(counts: pd.DataFrame, label_column: str, title: str) -> go.Figure:
    """Stacked bars: each row's judged indicators split by status (shares of the judged, with counts);
    not reported and to-check indicators are written beside the bar, never counted in it."""
    rows = counts.iloc[::-1]
    labels = [_short(v, 60) for v in rows[label_column]]
    fig = go.Figure()
    for status in JUDGED:
        share = rows[status] / rows["judged"].where(rows["judged"] > 0)
        fig.add_bar(y=labels, x=share, orientation="h", name=STATUS_LABELS[status],
                    marker_color=STATUS_COLOURS[status],
                    text=[f"{n}" if n else "" for n in rows[status]], textposition="inside",
                    hovertemplate="%{y}<br>" + STATUS_LABELS[status] + ": %{text} (%{x:.0%})<extra></extra>")
    apart = ["<br>".join(p for p in (f"non rendicontati: {r.not_reported}" if r.not_reported else "",
                                     f"da verificare: {r.unknown}" if r.unknown else "") if p) or " "
             for r in rows.itertuples()]
    fig.add_scatter(y=labels, x=[1.02] * len(rows), mode="text", text=apart, textposition="middle right",
                    showlegend=False, hoverinfo="skip", textfont=dict(size=12, color="#555555"))
    fig = _layout(fig, title, height=max(260, 60 + 42 * len(rows)), barmode="stack")
    fig.update_layout(legend=dict(traceorder="normal"))
    fig.update_xaxes(range=[0, 1.32], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1])
    return fig


def expected_vs_actual(frame: pd.DataFrame, title: str) -> go.Figure:
    """Dumbbell: each numeric indicator's result as a share of its target (100% = the target).

    For an upper bound ('<= 5%') the target is a ceiling: staying left of 100% is good."""
    rows = frame.iloc[::-1]
    labels = [f"{_short(r.name, 38)} · {_short(r.issuer, 22)} · r. {r.source_line}" for r in rows.itertuples()]
    ratio = rows["actual_value"] / rows["expected_value"]
    fig = go.Figure()
    for status in rows["status"].unique():                 # one trace of segments per colour, not one per row
        xs, ys = [], []
        for y, x, mine in zip(labels, ratio, rows["status"] == status):
            if mine:
                xs += [1, x, None]
                ys += [y, y, None]
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=STATUS_COLOURS[status], width=3),
                        showlegend=False, hoverinfo="skip", connectgaps=False)
    fig.add_scatter(x=[1] * len(rows), y=labels, mode="markers", name="atteso",
                    marker=dict(symbol="line-ns", size=18, line=dict(width=3, color="#333333")),
                    customdata=[chart_text(v) for v in rows["expected_raw"]],
                    hovertemplate="%{y}<br>atteso: %{customdata}<extra></extra>")
    for status in rows["status"].unique():
        part = rows["status"] == status
        fig.add_scatter(x=ratio[part], y=[lab for lab, keep in zip(labels, part) if keep], mode="markers+text",
                        name=STATUS_LABELS[status], marker=dict(size=13, color=STATUS_COLOURS[status]),
                        text=[f"{_value(r.actual_raw, r.actual_value)} su {_value(r.expected_raw, r.expected_value)}"
                              for r in rows[part].itertuples()],
                        textposition=["middle left" if r < 1 else "middle right" for r in ratio[part]],
                        hovertemplate="%{y}<br>consuntivo: %{text}<extra></extra>")
    fig = _layout(fig, title, height=max(300, 70 + 34 * len(rows)))
    right = max(1.5, ratio.max() * 1.25)
    # a label left of a point near 0% («1 su < 5») needs room in proportion to the axis, not a fixed 35%
    left = min(0.0, ratio.min()) - max(0.35, 0.2 * (right - min(0.0, ratio.min())))
    fig.update_xaxes(tickformat=".0%", title="consuntivo in rapporto al valore atteso (100% = obiettivo)",
                     range=[left, right])
    return fig


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
    labels = [_short(f"{r.activity}", 55) + f" · r. {r.source_line}" for r in rows.itertuples()]
    fig = go.Figure()
    for colour in rows["status"].map(STEP_COLOURS).unique():      # one trace of segments per colour
        xs, ys = [], []
        for y, planned, actual, status in zip(labels, rows["planned_month"], rows["actual_month"], rows["status"]):
            if STEP_COLOURS[status] == colour and pd.notna(planned) and pd.notna(actual):
                xs += [planned, actual, None]
                ys += [y, y, None]
        if xs:
            fig.add_scatter(x=xs, y=ys, mode="lines", showlegend=False, hoverinfo="skip", connectgaps=False,
                            line=dict(color=colour, width=2))
    fig.add_scatter(x=rows["planned_month"], y=labels, mode="markers", name="previsto",
                    marker=dict(symbol="diamond-open", size=12, color="#333333", line=dict(width=2)),
                    text=[format_month(m) if pd.notna(m) else "—" for m in rows["planned_month"]],
                    hovertemplate="%{y}<br>previsto: %{text}<extra></extra>")
    for status in rows["status"].unique():
        part = (rows["status"] == status) & rows["actual_month"].notna()
        if not part.any():
            continue
        fig.add_scatter(x=rows["actual_month"][part], y=[lab for lab, keep in zip(labels, part) if keep],
                        mode="markers", name=f"svolto: {MILESTONE_LABELS[status]}",
                        marker=dict(size=11, color=STEP_COLOURS[status]),
                        text=[format_month(m) for m in rows["actual_month"][part]],
                        hovertemplate="%{y}<br>svolto: %{text}<extra></extra>")
    fig = _layout(fig, title, height=max(320, 80 + 26 * len(rows)))
    months = pd.date_range(min(rows["planned_month"].min(), rows["actual_month"].min()),
                           max(rows["planned_month"].max(), rows["actual_month"].max()), freq="MS")
    fig.update_xaxes(tickvals=list(months), ticktext=[format_month_short(m) for m in months])
    return fig


SLIP_BANDS = [("in anticipo", lambda s: s < 0, "#56B4E9"), ("nel mese previsto", lambda s: s == 0, "#009E73"),
              ("1 mese di ritardo", lambda s: s == 1, "#F0E442"), ("2-3 mesi", lambda s: 2 <= s <= 3, "#E69F00"),
              ("oltre 3 mesi", lambda s: s > 3, "#D55E00")]


AREAS_MOST = 20
BAND_COLUMNS = ("early", "on_time", "one", "two_three", "more")      # db.slippage_by_area, as SLIP_BANDS


def slippage_by_area(bands: pd.DataFrame, title: str) -> go.Figure:
    """Dated steps per area, grouped by how many months they slipped (db.slippage_by_area: one row per area,
    most steps first); the AREAS_MOST areas with most dated steps."""
    shown = bands.head(AREAS_MOST).sort_values("area", ascending=False)
    areas = list(shown["area"])
    fig = go.Figure()
    for (name, _, colour), column in zip(SLIP_BANDS, BAND_COLUMNS):
        counts = [int(c) for c in shown[column]]
        fig.add_bar(y=[_short(a, 45) for a in areas], x=counts, name=name, orientation="h", marker_color=colour,
                    text=[c or "" for c in counts], textposition="inside",
                    hovertemplate="%{y}<br>" + name + ": %{x} passi<extra></extra>")
    fig = _layout(fig, title, height=max(260, 70 + 40 * len(areas)), barmode="stack")
    fig.update_xaxes(title="passi svolti con data")
    return fig


def rest_of_areas(bands: pd.DataFrame) -> str:
    """The sentence under the slippage chart when it leaves areas out."""
    rest = bands.iloc[AREAS_MOST:]
    late = int(rest[["one", "two_three", "more"]].sum().sum())
    return (f"Il grafico mostra le {AREAS_MOST} aree con più passi datati; le altre {format_number(len(rest), 0)} "
            f"aree hanno {format_number(int(rest['dated'].sum()), 0)} passi con data, di cui "
            f"{format_number(late, 0)} in ritardo: sono tutti nelle tabelle qui sotto.")


def budget_shares(lines: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars per year: each line's share of the year's total, with the amount on hover."""
    fig = go.Figure()
    years = [str(y) for y in sorted(lines["year"].unique())]
    # A voce is its group and its name, and a second row with both the same in one year is a second voce:
    # the same name may be printed in two groups ('Progetti'), or twice in one.
    lines = lines.assign(group_name=lines["group_name"].fillna(""),
                         occurrence=lines.groupby(["group_name", "line", "year"], dropna=False).cumcount())
    groups_of = lines.groupby("line")["group_name"].nunique()
    for (group, line, occurrence), part in lines.groupby(["group_name", "line", "occurrence"], sort=False):
        line = f"{line} ({group})" if groups_of[line] > 1 and group else line
        line = f"{line} ({occurrence + 1})" if occurrence else line
        part = part.set_index("year").reindex([int(y) for y in years])
        fig.add_bar(x=years, y=part["share"].fillna(0), name=_short(line, 40),   # a gap would break the stack
                    marker_color=MANY_COLOURS[len(fig.data) % len(MANY_COLOURS)],
                    text=[format_percent(s) if pd.notna(s) and s >= 0.04 else "" for s in part["share"]],
                    textposition="inside",
                    customdata=[[format_eur(a) if pd.notna(a) else "non indicato", _short(line, 60)]
                                for a in part["amount_eur"]],     # the voce as data: '%{' in it stays text
                    hovertemplate="%{customdata[1]}<br>%{x}: %{customdata[0]} (%{y:.1%})<extra></extra>")
    fig = _layout(fig, title, height=480, barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    fig.update_layout(legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"))
    return fig


def shares_printed_and_computed(frame: pd.DataFrame, title: str) -> go.Figure:
    """Printed share per year (bar) beside the share the tool computes from the document's own totals (dot)."""
    years = [str(y) for y in frame["year"]]
    fig = go.Figure()
    fig.add_bar(x=years, y=frame["printed"] / 100, name="quota stampata nel documento", marker_color="#0072B2",
                text=[f"{format_number(v)}%" for v in frame["printed"]], textposition="inside",
                insidetextanchor="middle")                   # above the bar it would sit on the diamond's label
    fig.add_scatter(x=years, y=frame["computed"], mode="markers+text", name="quota calcolata (totale / spesa)",
                    marker=dict(size=14, color="#E69F00", symbol="diamond"),
                    text=[format_percent(v, 1) for v in frame["computed"]], textposition="middle right")
    fig = _layout(fig, title, height=360)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(type="category")                        # years, not numbers: no '2.014,5' ticks
    return fig


def scores_and_attainment(frame: pd.DataFrame, title: str) -> go.Figure:
    """The nucleo's score per area (share of the maximum) beside the indicators reached in that area."""
    rows = frame.iloc[::-1]
    labels = [_short(a, 50) for a in rows["area"]]
    fig = go.Figure()
    fig.add_bar(y=labels, x=rows["score"] / rows["max_score"], orientation="h", name="punteggio del nucleo",
                marker_color="#0072B2", text=[chart_text(v) for v in rows["as_printed"]], textposition="inside")
    fig.add_bar(y=labels, x=rows["attainment"], orientation="h", name="indicatori raggiunti (calcolo)",
                marker_color="#009E73", text=[format_percent(v) if pd.notna(v) else "n.d." for v in rows["attainment"]],
                textposition="inside")
    fig = _layout(fig, title, height=max(280, 80 + 60 * len(rows)), barmode="group")
    fig.update_xaxes(tickformat=".0%", range=[0, 1.05])
    return fig


def quality_by_document(frame: pd.DataFrame, title: str) -> go.Figure:
    """Rows read vs lines not read, per document."""
    rows = frame.iloc[::-1]
    labels = [_short(v, 60) for v in rows["label"]]
    fig = go.Figure()
    fig.add_bar(y=labels, x=rows["read"], name="righe lette", orientation="h", marker_color="#009E73",
                text=rows["read"], textposition="inside")
    fig.add_bar(y=labels, x=rows["not_read"], name="righe non lette o da verificare", orientation="h",
                marker_color="#D55E00", text=rows["not_read"], textposition="inside")
    return _layout(fig, title, height=max(260, 70 + 45 * len(rows)), barmode="stack")


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
    fig = go.Figure()
    fig.add_bar(y=labels, x=rows["rate"], orientation="h", name="il nostro ente", marker_color="#0072B2",
                text=[f"{format_percent(r.rate)} ({r.reached} su {r.judged})" for r in rows.itertuples()],
                textposition="outside", cliponaxis=False,
                hovertemplate="%{y}<br>indicatori raggiunti: %{text}<extra></extra>")
    peers = rows["peer_rate"].notna()
    if peers.any():
        fig.add_scatter(y=[lab for lab, p in zip(labels, peers) if p], x=rows.loc[peers, "peer_rate"], mode="markers",
                        name="altri enti, stesso anno e area", marker=dict(symbol="diamond", size=12, color="#D55E00"),
                        hovertemplate="%{y}<br>altri enti: %{x:.0%}<extra></extra>")
    fig = _layout(fig, title, height=max(240, 70 + 46 * len(rows)))
    fig.update_xaxes(range=[0, 1.3], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1])
    return fig


def years_by_area(frame: pd.DataFrame, title: str) -> go.Figure:
    """Indicators reached per area, one line per area across the years (whole years on the axis). frame: year,
    area, reached, judged."""
    fig = go.Figure()
    for index, (area, rows) in enumerate(frame[frame["judged"] > 0].groupby("area", sort=True)):
        rate = rows["reached"] / rows["judged"]
        fig.add_scatter(x=rows["year"], y=rate, mode="lines+markers+text", name=wrapped(area, 40, 1),
                        line=dict(color=MANY_COLOURS[index % len(MANY_COLOURS)], width=3),
                        text=[format_percent(r) for r in rate], textposition="top center",
                        hovertemplate=f"{chart_text(area)}<br>%{{x}}: %{{text}}<extra></extra>")
    fig = _layout(fig, title, height=420)
    fig.update_layout(legend=dict(orientation="v", y=0.5, x=1.02, xanchor="left", yanchor="middle"))
    fig.update_xaxes(tickformat="d", dtick=1, title="anno")
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%", title="indicatori raggiunti")
    return fig

"""The report's charts as reportlab drawings: vector shapes in the PDF, the same drawing as SVG in the HTML."""
from __future__ import annotations

import textwrap

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from ..italian import format_percent
from .content import Bars

FONT, BOLD = "Helvetica", "Helvetica-Bold"
BAR = colors.HexColor("#2E6DA4")
MARKER = colors.HexColor("#D1495B")
GRID = colors.HexColor("#CCCCCC")
LABEL_CHARS = 42            # a label wraps at words to lines of this many characters, two lines at most
ROW = 26                    # height of one bar's row, in points


def label_lines(label: str, width: int = LABEL_CHARS, most: int = 2) -> list[str]:
    """A label wrapped at words; past `most` lines the last one ends with '…' after a whole word."""
    lines = textwrap.wrap(" ".join(str(label).split()), width) or [""]
    if len(lines) > most:
        last = " ".join(lines[most - 1:])
        lines = lines[:most - 1] + [textwrap.shorten(last, width, placeholder=" …")]
    return lines


def bars(chart: Bars, width: float = 480) -> Drawing:
    """One row per label: the wrapped label, a bar of its share (0-100%), the share and its note at the end, and
    the marker (a red tick) where there is one; a legend line for the marker."""
    label_width, note_width = 0.4 * width, 0.2 * width
    scale = width - label_width - note_width - 10
    legend = 16 if chart.markers and any(m is not None for m in chart.markers) else 0
    height = 22 + ROW * len(chart.labels) + legend + 14
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, chart.title, fontName=BOLD, fontSize=10))
    left, top = label_width, height - 22
    for tick in (0, 0.5, 1):
        x = left + tick * scale
        drawing.add(Line(x, top, x, top - ROW * len(chart.labels), strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(x, top - ROW * len(chart.labels) - 10, format_percent(tick), fontName=FONT, fontSize=7,
                           textAnchor="middle"))
    for index, (label, share, note) in enumerate(zip(chart.labels, chart.shares, chart.notes)):
        middle = top - ROW * index - ROW / 2
        lines = label_lines(label)
        for n, line in enumerate(lines):
            drawing.add(String(label_width - 6, middle + 4 - 9 * n + 4.5 * (len(lines) - 1) - 4, line, fontName=FONT,
                               fontSize=8, textAnchor="end"))
        drawing.add(Rect(left, middle - 7, max(share, 0) * scale, 14, fillColor=BAR, strokeColor=None))
        shown = format_percent(share, 1 if 0 < share < 0.01 else 0)        # 0,2%, not a misleading 0%
        drawing.add(String(left + scale + 6, middle - 3, f"{shown}  {note}", fontName=FONT, fontSize=8))
        marker = chart.markers[index] if chart.markers else None
        if marker is not None:
            x = left + marker * scale
            drawing.add(Line(x, middle - 10, x, middle + 10, strokeColor=MARKER, strokeWidth=2))
    if legend:
        y = 6
        drawing.add(Line(left, y - 4, left, y + 8, strokeColor=MARKER, strokeWidth=2))
        drawing.add(String(left + 6, y - 1, chart.marker_label, fontName=FONT, fontSize=8))
    return drawing


"""The Relazione sintetica as an A4 PDF (reportlab): the consortium and year at the top of every page, 'pagina N
di M' at the foot, charts drawn as vectors."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..italian import format_day
from . import content, drawing

MARGIN = 18 * mm
STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontName="Helvetica", fontSize=10, leading=14)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=10)
CELL_RIGHT = ParagraphStyle("cell_right", parent=CELL, alignment=TA_RIGHT)
HEAD = ParagraphStyle("head", parent=CELL, fontName="Helvetica-Bold")
QUOTE = ParagraphStyle("quote", parent=BODY, fontName="Helvetica-Oblique", fontSize=9, leading=12, leftIndent=12,
                       textColor=colors.HexColor("#333333"))
SOURCE = ParagraphStyle("source", parent=CELL, leftIndent=12, textColor=colors.HexColor("#555555"))
H1 = ParagraphStyle("h1", parent=STYLES["Title"], fontName="Helvetica-Bold", fontSize=18, leading=22)
H2 = ParagraphStyle("h2", parent=STYLES["Heading2"], fontName="Helvetica-Bold", fontSize=13, leading=16,
                    spaceBefore=10, keepWithNext=1)     # a heading never ends a page
H3 = ParagraphStyle("h3", parent=BODY, fontName="Helvetica-Bold", spaceBefore=6, keepWithNext=1)


def _numbered(head: str):
    """A canvas that writes the running head and 'pagina N di M' once it knows M (pages are kept until save)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, page in enumerate(self._pages, 1):
                self.__dict__.update(page)
                self.setFont("Helvetica", 8)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(MARGIN, A4[1] - 12 * mm, head)
                self.drawRightString(A4[0] - MARGIN, 10 * mm, f"pagina {number} di {len(self._pages)}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _text(value: str) -> str:
    return escape(str(value))


def _widths(block: content.Table) -> list[float]:
    """Each column at least as wide as its longest word (no word is cut), then as its longest text asks (60
    characters' worth at most), sharing the page's width."""
    page, pad = A4[0] - 2 * MARGIN, 7

    def width(text: str, font: str = CELL.fontName) -> float:
        return stringWidth(text, font, CELL.fontSize) + pad

    floors, wants = [], []
    for i, head in enumerate(block.header):
        cells = [str(row[i]) for row in block.rows]
        floors.append(max([width(w) for c in cells for w in c.split()] + [width(w, HEAD.fontName) for w in head.split()]
                          + [width("—")]))
        wants.append(max(floors[-1], min(max([width(c) for c in cells] + [width(head, HEAD.fontName)]),
                                         width("x" * 60))))
    if sum(floors) >= page:                      # words too long for the sheet in any case: shrunk alike
        return [page * f / sum(floors) for f in floors]
    if sum(wants) <= page:                       # everything fits on one line: the spare width shared out
        return [page * w / sum(wants) for w in wants]
    spare, asked = page - sum(floors), sum(w - f for w, f in zip(wants, floors))
    return [f + spare * (w - f) / asked for w, f in zip(wants, floors)]


def _table(block: content.Table) -> list:
    header = [Paragraph(_text(h), HEAD) for h in block.header]
    rows = [[Paragraph(_text(cell), CELL_RIGHT if i in block.numeric else CELL) for i, cell in enumerate(row)]
            for row in block.rows]
    table = Table([header] + rows, colWidths=_widths(block), repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    flow = [Paragraph(_text(block.title), H3), table]
    if block.note:
        flow.append(Paragraph(_text(block.note), SOURCE))
    return flow


def _flow(block) -> list:
    if isinstance(block, content.Paragraph):
        return [Paragraph(_text(block.text), BODY)]
    if isinstance(block, content.Quote):
        return [KeepTogether([Paragraph(_text(block.about), H3), Paragraph("«" + _text(block.text) + "»", QUOTE),
                              Paragraph(_text(block.source), SOURCE)])]
    if isinstance(block, content.Bars):
        return [Spacer(1, 4), drawing.bars(block, A4[0] - 2 * MARGIN), Spacer(1, 6)]
    if isinstance(block, content.Table):
        return _table(block)
    raise TypeError(type(block).__name__)


def to_pdf(report: content.Report) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 4 * mm,
                                 bottomMargin=MARGIN, title=f"{report.title} — {report.issuer} — {report.year}",
                                 author="Cruscotto Performance", lang="it-IT")
    story = [Paragraph(_text(report.title), H1),
             Paragraph(f"<b>{_text(report.issuer)}</b> · anno {report.year}", BODY),
             Paragraph(f"Preparata il {format_day(report.made_on)} con il Cruscotto Performance.", SOURCE)]
    for section in report.sections:
        story.append(Paragraph(_text(section.title), H2))
        for block in section.blocks:
            story += _flow(block)
    document.build(story, canvasmaker=_numbered(report.running_head))
    return out.getvalue()

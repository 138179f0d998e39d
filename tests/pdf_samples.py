"""Build a real PDF from a sample text: tab-separated lines become bordered tables, the rest paragraphs.

Used by the tests to check that a PDF of a document reads like its text version."""
from __future__ import annotations

from pathlib import Path

FONTS = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
         Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")]


def font_path() -> Path | None:
    return next((f for f in FONTS if f.exists()), None)


def text_to_pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font("Doc", "", str(font_path()))
    pdf.set_font("Doc", size=7)
    pdf.add_page()
    block: list[list[str]] = []

    def flush():
        if not block:
            return
        width = max(len(r) for r in block)
        pdf.set_font("Doc", size=7 if width <= 4 else 5.5)      # wide tables: words must fit their column
        with pdf.table(first_row_as_headings=False, line_height=3.2, text_align="LEFT") as table:
            for cells in block:
                row = table.row()
                for cell in cells + [""] * (width - len(cells)):
                    row.cell(cell)
        block.clear()
        pdf.set_font("Doc", size=7)

    for line in text.splitlines():
        if "\t" in line and line.strip():
            block.append([c.strip() for c in line.split("\t")])
            continue
        flush()
        if line.strip():
            pdf.multi_cell(0, 3.4, line.strip(), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(1.5)
    flush()
    return bytes(pdf.output())

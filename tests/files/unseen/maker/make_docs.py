"""Write each document of content.py as .txt, .bordi.docx, .senza_bordi.docx into tests/files/unseen/, and the
harder variants of stress.py beside them; then convert every .docx to PDF with LibreOffice headless.

    .venv/bin/python tests/files/unseen/maker/make_docs.py        # needs python-docx and soffice

Four invented reports in layouts none of the project's readers was written against (an objectives table
broken over pages, a phases table, objective sheets, a landscape 7-column table), each as text, bordered and
borderless Word, and both as PDF; the variants add vertically centred cells and narrow date columns.
"""
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).parent))
from content import DOCS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent


def row_line(cells):
    width = len(cells)
    while cells and not cells[-1]:
        cells = cells[:-1]
    line = "\t".join(cells)
    return line + "\t" if width > 1 and "\t" not in line and line else line


def text_version(doc) -> str:
    out = []
    for block in doc["blocks"]:
        kind = block[0]
        if kind == "title":
            out += [block[1], ""]
        elif kind == "h":
            out += ["#" * block[1] + " " + block[2], ""]
        elif kind == "p":
            out += [block[1], ""]
        else:
            out += [row_line(list(r)) for r in block[1]["rows"]] + [""]
    return "\n".join(out)


def set_fonts(document, font, body_pt):
    for style in document.styles:
        element = getattr(style, "element", None)
        rpr = getattr(element, "rPr", None) if element is not None else None
        if rpr is not None and rpr.rFonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rpr.rFonts.attrib.pop(qn(attr), None)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for fonts in defaults.iter(qn("w:rFonts")):
        for attr in list(fonts.attrib):
            fonts.attrib.pop(attr)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font)
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(body_pt)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((1, body_pt + 4), (2, body_pt + 2)):
        style = document.styles[f"Heading {level}"]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font)


def page_field(paragraph):
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run
    begin = OxmlElement("w:fldChar"); begin.set(qn("w:fldCharType"), "begin"); run_with(begin)
    instr = OxmlElement("w:instrText"); instr.set(qn("xml:space"), "preserve"); instr.text = " PAGE "; run_with(instr)
    sep = OxmlElement("w:fldChar"); sep.set(qn("w:fldCharType"), "separate"); run_with(sep)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar"); end.set(qn("w:fldCharType"), "end"); run_with(end)


def furniture(section, issuer):
    header = section.header.paragraphs[0]
    header.text = issuer
    header.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for run in header.runs:
        run.font.size = Pt(8); run.font.italic = True
    footer = section.footer.paragraphs[0]
    footer.add_run("pag. ")
    page_field(footer)
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in footer.runs:
        run.font.size = Pt(8)


def no_borders(tbl):
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


def add_table(document, spec, bordered):
    rows = spec["rows"]
    ncols = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=ncols)
    table.style = document.styles["Table Grid"] if bordered else document.styles["Normal Table"]
    if not bordered:
        no_borders(table._tbl)
    table.autofit = False
    widths = spec.get("widths")
    if widths:
        for col, w in zip(table.columns, widths):
            col.width = Cm(w)
    header_rows = spec.get("header_rows", 1)
    for r, (row, cells) in enumerate(zip(table.rows, rows)):
        if r < header_rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for c, (cell, text) in enumerate(zip(row.cells, list(cells) + [""] * (ncols - len(cells)))):
            if widths:
                cell.width = Cm(widths[c])
            if spec.get("valign"):                      # 'center' or 'bottom': vertical alignment of every cell
                tc_pr = cell._tc.get_or_add_tcPr()
                v = OxmlElement("w:vAlign"); v.set(qn("w:val"), spec["valign"]); tc_pr.append(v)
            p = cell.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            if text:
                run = p.add_run(text)
                run.font.size = Pt(spec.get("font_pt", 9))
                if r < header_rows:
                    run.font.bold = True


def word_version(doc, bordered) -> Document:
    document = Document()
    set_fonts(document, doc["font"], doc["body_pt"])
    section = document.sections[0]
    short, long = Cm(21.0), Cm(29.7)
    if doc["landscape"]:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
    else:
        section.page_width, section.page_height = short, long
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    furniture(section, doc["issuer"])
    for block in doc["blocks"]:
        kind = block[0]
        if kind == "title":
            p = document.add_paragraph()
            run = p.add_run(block[1]); run.bold = True; run.font.size = Pt(doc["body_pt"] + 2)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h":
            document.add_heading(block[2], level=block[1])
        elif kind == "p":
            document.add_paragraph(block[1])
        else:
            add_table(document, block[1], bordered)
            document.add_paragraph()                 # Word needs a paragraph between tables
    return document


def main(docs=DOCS, out=None):
    global OUT
    OUT = out or OUT
    OUT.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (OUT / f"{doc['name']}.txt").write_text(text_version(doc), encoding="utf-8")
        for bordered, suffix in ((True, "bordi"), (False, "senza_bordi")):
            word_version(doc, bordered).save(OUT / f"{doc['name']}.{suffix}.docx")
    print("written to", OUT)


def convert(out: Path) -> None:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, sorted(out.glob("*.docx")))], check=True)


if __name__ == "__main__":
    from stress import STRESS

    main(DOCS + STRESS, OUT)
    convert(OUT)

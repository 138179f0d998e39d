"""Make the office-made fixtures in tests/files/office/ from their text sources. Run by hand, once:

    .venv/bin/python tests/files/make_office_files.py            # remake everything, then check
    .venv/bin/python tests/files/make_office_files.py cissac     # remake one source's files, then check all
    .venv/bin/python tests/files/make_office_files.py --check    # only check the files in tests/files/office/

Needs python-docx, LibreOffice (soffice) and chromium; the tests never run this script, they read its output.

Text sources: the five samples in data/ and the variants in tests/files/variants/. Line model: a line with a TAB
is a table row (cells split on TAB), consecutive TAB lines form one table, a line starting with '#' is a heading,
any other non-blank line is a paragraph, blank lines separate blocks. For every source it writes

    <stem>.bordi.docx        python-docx, tables in Word's "Table Grid" look
    <stem>.senza_bordi.docx  the same document, tables with no borders at all
    <stem>.bordi.pdf         LibreOffice headless: .bordi.docx -> PDF
    <stem>.senza_bordi.pdf   LibreOffice headless: .senza_bordi.docx -> PDF
    <stem>.odt               LibreOffice headless: .bordi.docx -> OpenDocument

and, for the sources in BROWSER, <stem>.browser.pdf: simple HTML (tables with only a horizontal rule under each
row) printed by headless chromium. After writing, it checks every file and prints a report: the .docx and .odt
hold the text's words in the text's order; each PDF holds the text's words (plus the header rows it repeats
after a page break), has the running header and the "pag. N" footer on every page, ruling lines only where
they should be; and where tables break across pages. It exits 1 when a check fails.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cruscotto.italian import clean_cell  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "office"

# stem -> (source file, page header, title line). The header is the issuer as the text names it in its first
# lines, else the title line; the footer is "<title line> – pag. N". Both are checked against the source.
SOURCES = {
    "alba": ("data/000_5219ceada02bc870.txt", "CONS. SOC. ASSIST. ALBA-LANGHE-ROERO",
             "RENDICONTAZIONE OBIETTIVI ASSEGNATI ANNO 2019"),
    "inrete": ("data/001_78aa5272353f3b13.txt", None, "RELAZIONE SULLA PERFORMANCE 2019"),
    "cissac": ("data/002_1cd2a7c4668a1a79.txt", "Consorzio Intercomunale Servizi Socio-Assistenziali Caluso",
               "RELAZIONE PERFORMANCE"),
    "crema": ("data/003_6f8e82cecc449fcd.txt", "Ambito Distrettuale di Crema", "Piano di Zona 2015-2017"),
    "iris": ("data/004_ec449bf6d7f73167.txt", None, "Relazione sulla performance"),
    "altro_ente_2022": ("tests/files/variants/altro_ente_2022.txt",
                        "Consorzio Intercomunale Servizi Sociali Valle del Tanaro",
                        "RENDICONTAZIONE OBIETTIVI ANNO 2022"),
    "peg_fasi_2023": ("tests/files/variants/peg_fasi_2023.txt", "Azienda Consortile Servizi alla Persona Pianura Est",
                      "Piano esecutivo di gestione 2023 – Relazione finale"),
    "indicatori_target_2022": ("tests/files/variants/indicatori_target_2022.txt",
                               "Unione dei Comuni della Bassa Romagna Orientale", "RELAZIONE SULLA PERFORMANCE 2022"),
    "piano_di_zona_2021_2023": ("tests/files/variants/piano_di_zona_2021_2023.txt",
                                "Ambito Territoriale Sociale n. 12 Valle del Savio", "PIANO DI ZONA 2021-2023"),
}
BROWSER = ["cissac", "indicatori_target_2022"]
# Sources whose two-line table headers have a merged cell: "Valore" over the "atteso" and "consuntivo" columns.
MERGED_HEADERS = {"indicatori_target_2022"}

WIDE = 5                      # tables with this many columns or more go in a landscape section
FONT = "Liberation Sans"
FONT_FILES = ["/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",     # the one fontconfig picks
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"]
BODY_PT, TABLE_PT, WIDE_TABLE_PT, FURNITURE_PT = 10, 9, 8, 8
RULE_LINE = re.compile(r"[\s\-|:]*-[\s\-|:]*")      # markdown rule lines ("-----\t---"): they carry nothing
FIXED_DATE = dt.datetime(2024, 1, 1, 0, 0, 0)


# ------------------------------------------------------------------------------------------------ text model

@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int]] = field(default_factory=list)   # (first, last) column merged in row 0
    header_rows: int = 1

    @property
    def columns(self) -> int:
        return max(len(r) for r in self.rows)

    @property
    def wide(self) -> bool:
        return self.columns >= WIDE

    def padded(self) -> list[list[str]]:
        return [r + [""] * (self.columns - len(r)) for r in self.rows]


def read_blocks(text: str) -> list[Heading | Paragraph | Table]:
    """The text as headings, paragraphs and tables, with every cell and line cleaned by clean_cell."""
    blocks: list[Heading | Paragraph | Table] = []
    table: Table | None = None
    for line in text.splitlines():
        if not line.strip():
            table = None
            continue
        if RULE_LINE.fullmatch(line):
            continue
        if "\t" in line:
            if table is None:
                table = Table()
                blocks.append(table)
            table.rows.append([clean_cell(c) or "" for c in line.split("\t")])
            if len(table.rows) == 1 and not table.rows[0][0]:
                table.header_rows = 0       # a table going on after a blank line: its first row is data
            continue
        table = None
        heading = re.match(r"(#+)\s*(.*)", line.strip())
        if heading:
            words = clean_cell(heading.group(2).replace("**", ""))
            if words:
                blocks.append(Heading(min(len(heading.group(1)), 3), words))
            continue
        words = clean_cell(line)
        if words:
            blocks.append(Paragraph(words))
    return blocks


def find_merges(table: Table) -> None:
    """A two-line header: a row-0 cell followed by empty cells, with row 1 naming each of those columns
    ("Valore" | "" over "atteso" | "consuntivo") and row 1 starting empty. Those row-0 cells are merged."""
    if len(table.rows) < 2:
        return
    top, sub = table.padded()[:2]
    if sub[0]:
        return
    col = 0
    while col < len(top):
        end = col
        while top[col] and end + 1 < len(top) and not top[end + 1] and sub[end + 1]:
            end += 1
        if end > col and sub[col]:
            table.merges.append((col, end))
            table.header_rows = 2
        col = end + 1


# ------------------------------------------------------------------------------------------------ Word

def _style_fonts(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for style in document.styles:
        element = getattr(style, "element", None)
        if element is None:
            continue
        rpr = element.rPr
        if rpr is not None and rpr.rFonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rpr.rFonts.attrib.pop(qn(attr), None)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rfonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for level, size in ((1, 14), (2, 12), (3, 11)):
        style = document.styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(10)
        style.paragraph_format.space_after = Pt(4)
        rfonts = style.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
    # python-docx's default template sets Calibri/Cambria in the document defaults: make Liberation Sans the default
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                fonts.attrib.pop(attr)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)


def _page_field(paragraph) -> None:
    """A real PAGE field (complex field: begin / instrText / separate / result / end)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _furniture(section, header_text: str, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    header = section.header.paragraphs[0]
    header.text = header_text
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.text = ""
    footer.add_run(f"{title} – pag. ")
    _page_field(footer)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(FURNITURE_PT)


def _orient(section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)


_ADVANCES: dict | None = None


def text_cm(text: str, font_pt: float) -> float:
    """Width of a text in Liberation Sans (its own glyph widths; 0.55 em a character without the font file)."""
    global _ADVANCES
    if _ADVANCES is None:
        try:
            from fontTools.ttLib import TTFont

            font = TTFont(next(f for f in FONT_FILES if Path(f).exists()))
            em, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
            _ADVANCES = {chr(code): metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}
        except Exception:  # noqa: BLE001 - no font file or no fontTools: an estimate will do
            _ADVANCES = {}
    ems = sum(_ADVANCES.get(ch, 0.55) for ch in text)
    return ems * font_pt * 2.54 / 72


def _column_widths(table: Table, usable_cm: float, font_pt: float) -> list[float]:
    """Column widths in cm: every column at least as wide as its longest word, the rest shared by content."""
    padding_cm = 0.19 * 2 + 0.15                     # Word's default cell margins, left + right, and some air
    rows = table.padded()
    minimum, wanted = [], []
    for col in range(table.columns):
        cells = [r[col] for r in rows]
        longest_word = max((text_cm(w, font_pt) for c in cells for w in c.split()), default=0)
        longest_cell = max((text_cm(c[:60], font_pt) for c in cells), default=0)
        minimum.append(max(longest_word, 0.3) + padding_cm)
        wanted.append(max(longest_word, longest_cell) + padding_cm)
    if sum(wanted) <= usable_cm:
        scale = usable_cm / sum(wanted)
        return [w * scale for w in wanted]
    if sum(minimum) >= usable_cm:
        scale = usable_cm / sum(minimum)
        return [m * scale for m in minimum]
    spare = usable_cm - sum(minimum)
    extra = [w - m for w, m in zip(wanted, minimum)]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra)]


def _longest_words_cm(table: Table, font_pt: float) -> float:
    rows = table.padded()
    return sum(max(max((text_cm(w, font_pt) for r in rows for w in r[c].split()), default=0), 0.3) + 0.53
               for c in range(table.columns))


def table_font(table: Table, usable_cm: float) -> float:
    """9 pt; 8 pt for a wide table whose longest words would not fit their columns at 9 pt."""
    if table.wide and _longest_words_cm(table, TABLE_PT) > usable_cm:
        return WIDE_TABLE_PT
    return TABLE_PT


def _no_borders(table_element) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table_element.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


def _add_table(document, table: Table, usable_cm: float, bordered: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    rows = table.padded()
    font_pt = table_font(table, usable_cm)
    word_table = document.add_table(rows=len(rows), cols=table.columns)
    word_table.style = document.styles["Table Grid"] if bordered else document.styles["Normal Table"]
    if not bordered:
        _no_borders(word_table._tbl)
    word_table.autofit = False
    widths = _column_widths(table, usable_cm, font_pt)
    for col, width in zip(word_table.columns, widths):
        col.width = Cm(width)
    for r, (row, cells) in enumerate(zip(word_table.rows, rows)):
        if r < table.header_rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for c, (cell, text) in enumerate(zip(row.cells, cells)):
            cell.width = Cm(widths[c])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if text:
                run = paragraph.add_run(text)
                run.font.size = Pt(font_pt)
    for first, last in table.merges:
        merged = word_table.cell(0, first).merge(word_table.cell(0, last))
        for paragraph in merged.paragraphs[1:]:      # merge() keeps the empty cells' paragraphs: drop them
            if not paragraph.text:
                paragraph._p.getparent().remove(paragraph._p)


def _spacer(document) -> None:
    """An empty 1 pt paragraph: two tables with nothing between them would be joined into one by Word."""
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    run = paragraph.add_run("")
    run.font.size = Pt(1)
    paragraph.paragraph_format.line_spacing = Pt(1)


def orientations(blocks: list) -> list[bool]:
    """Landscape for tables with WIDE columns or more; text goes back to portrait, except a short run of text
    (at most 3 short lines) between two landscape tables, which stays in landscape with them."""
    landscape = [isinstance(b, Table) and b.wide for b in blocks]
    i = 0
    while i < len(blocks):
        if isinstance(blocks[i], Table):
            i += 1
            continue
        j = i
        while j < len(blocks) and not isinstance(blocks[j], Table):
            j += 1
        run = blocks[i:j]
        short = len(run) <= 3 and sum(len(b.text) for b in run) <= 300
        if short and i > 0 and j < len(blocks) and landscape[i - 1] and landscape[j]:
            for k in range(i, j):
                landscape[k] = True
        i = j
    return landscape


def write_docx(blocks: list, path: Path, header_text: str, title: str, bordered: bool) -> None:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    document = docx.Document()
    _style_fonts(document)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, "Cruscotto Performance", "Cruscotto Performance"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    section = document.sections[0]
    landscape_flags = orientations(blocks)
    _orient(section, landscape_flags[0] if blocks else False)
    _furniture(section, header_text, title)
    current = landscape_flags[0] if blocks else False
    previous_was_table = new_section = False
    for block, landscape in zip(blocks, landscape_flags):
        if landscape != current:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            _orient(section, landscape)
            current = landscape
            new_section = True
        usable_cm = (29.7 if landscape else 21.0) - 4.0
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text)
            if previous_was_table and not new_section:
                paragraph.paragraph_format.space_before = Pt(4)
        else:
            # Two tables with nothing between them are joined into one by Word; and LibreOffice 7.4 can lose
            # the page size of a section that starts with a table: an empty paragraph goes before the table.
            if previous_was_table or new_section:
                _spacer(document)
            _add_table(document, block, usable_cm, bordered)
        previous_was_table = isinstance(block, Table)
        new_section = False
    document.save(path)


# ------------------------------------------------------------------------------------------------ HTML

def write_html(blocks: list, path: Path, header_text: str, title: str) -> None:
    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    def css_string(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    parts = [
        "<!DOCTYPE html>",
        '<html lang="it"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>",
        "@page { size: A4; margin: 22mm 18mm 22mm 18mm;",
        f"  @top-right {{ content: {css_string(header_text)}; font: 8pt '{FONT}', sans-serif; }}",
        f"  @bottom-center {{ content: {css_string(title + ' – pag. ')} counter(page);"
        f" font: 8pt '{FONT}', sans-serif; }} }}",
        f"body {{ font-family: '{FONT}', sans-serif; font-size: 10pt; line-height: 1.25; }}",
        "h1 { font-size: 14pt; } h2 { font-size: 12pt; } h3 { font-size: 11pt; }",
        "p { margin: 0 0 4pt 0; }",
        "table { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 9pt; }",
        "table.small { font-size: 8pt; }",
        "td, th { border: none; border-bottom: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top;"
        " text-align: left; font-weight: normal; }",
        "thead { display: table-header-group; }",
        "tr { break-inside: auto; }",
        "</style></head><body>",
    ]
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{esc(block.text)}</p>")
        else:
            rows = block.padded()
            merged = {first: last for first, last in block.merges}
            small = table_font(block, 17.4) < TABLE_PT
            parts.append(f'<table class="{"small" if small else "normal"}">')
            for r, cells in enumerate(rows):
                if r == 0 and block.header_rows:
                    parts.append("<thead>")
                if r == block.header_rows:
                    parts.append("<tbody>")
                tag = "th" if r < block.header_rows else "td"
                row = []
                c = 0
                while c < len(cells):
                    if r == 0 and c in merged:
                        span = merged[c] - c + 1
                        row.append(f'<{tag} colspan="{span}">{esc(cells[c])}</{tag}>')
                        c += span
                        continue
                    row.append(f"<{tag}>{esc(cells[c])}</{tag}>")
                    c += 1
                parts.append("<tr>" + "".join(row) + "</tr>")
                if r == block.header_rows - 1:
                    parts.append("</thead>")
            if len(rows) > block.header_rows:
                parts.append("</tbody>")
            parts.append("</table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------------------ converters

def soffice(paths: list[Path], target: str, outdir: Path, profile: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, paths)],
                   check=True, stdout=subprocess.DEVNULL, timeout=900)


def chromium(html_path: Path, pdf_path: Path, profile: Path) -> None:
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}", html_path.as_uri()],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


def source_blocks(stem: str) -> list:
    source, header_text, title = SOURCES[stem]
    text = (ROOT / source).read_text(encoding="utf-8")
    lines = {line.strip().lstrip("#").strip() for line in text.splitlines()}
    assert title in lines, (stem, title)
    assert header_text is None or header_text in lines, (stem, header_text)
    blocks = read_blocks(text)
    if stem in MERGED_HEADERS:
        for block in blocks:
            if isinstance(block, Table):
                find_merges(block)
    return blocks


def build(stems: list[str]) -> dict[str, list]:
    OUT.mkdir(parents=True, exist_ok=True)
    all_blocks = {stem: source_blocks(stem) for stem in SOURCES}
    with tempfile.TemporaryDirectory(prefix="office_fixtures_") as tmp:
        tmp = Path(tmp)
        docx_files = []
        for stem in stems:
            source, header_text, title = SOURCES[stem]
            blocks = all_blocks[stem]
            for variant, bordered in (("bordi", True), ("senza_bordi", False)):
                path = OUT / f"{stem}.{variant}.docx"
                write_docx(blocks, path, header_text or title, title, bordered)
                docx_files.append(path)
        profile = tmp / "lo_profile"
        soffice(docx_files, "pdf", OUT, profile)
        odt_dir = tmp / "odt"
        odt_dir.mkdir()
        soffice([OUT / f"{stem}.bordi.docx" for stem in stems], "odt", odt_dir, profile)
        for stem in stems:
            shutil.move(odt_dir / f"{stem}.bordi.odt", OUT / f"{stem}.odt")
        for stem in (s for s in BROWSER if s in stems):
            source, header_text, title = SOURCES[stem]
            html_path = tmp / f"{stem}.html"
            write_html(all_blocks[stem], html_path, header_text or title, title)
            chromium(html_path, OUT / f"{stem}.browser.pdf", tmp / "chromium_profile")
    return all_blocks


# ------------------------------------------------------------------------------------------------ checks

def _pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _norm(text: str) -> str:
    return " ".join(text.split())


def _tokens(words) -> list[str]:
    """Words split after a hyphen ('co-programmazione' -> 'co-', 'programmazione'): LibreOffice and chromium
    break lines after a hyphen, and a PDF has no way to say that the two halves are one word."""
    return [part for word in words for part in re.split(r"(?<=-)(?=[^\s-])", word)]


def block_words(blocks: list) -> list[str]:
    words = []
    for block in blocks:
        if isinstance(block, Table):
            words += [w for row in block.rows for cell in row for w in cell.split()]
        else:
            words += block.text.split()
    return words


def docx_words(path: Path) -> list[str]:
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{w}body")
    words = []
    for paragraph in body.iter(f"{w}p"):
        words += "".join(t.text or "" for t in paragraph.iter(f"{w}t")).split()
    return words


def odt_words(path: Path) -> list[str]:
    from lxml import etree

    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    root = etree.fromstring(zipfile.ZipFile(path).read("content.xml"))
    body = root.find("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}body")
    words = []
    for element in body.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}h"):
        words += "".join(element.itertext()).split()
    return words


def _body_words(page) -> list[dict]:
    """A PDF page's words between its running header and footer, top to bottom, left to right."""
    words = [w for w in page.extract_words(x_tolerance=1.5) if 45 < w["top"] and w["bottom"] < page.height - 45]
    return sorted(words, key=lambda w: (round(w["top"]), w["x0"]))


def repeated_rows(pdf: Path, blocks: list) -> tuple[list[tuple[int, str]], "Counter", "Counter"]:
    """Page breaks inside tables, found by the header row the PDF repeats at the top of the next page.

    Compares the PDF's words with the text's (as _tokens); a page whose first body word starts the first row of
    one of the text's tables, when the words of that row are among the PDF's extra words, is a page where that
    table goes on (its repeated header row explains those extra words). Returns the breaks as (page, row) and
    the words still missing and extra after that."""
    from collections import Counter

    import pdfplumber

    expected = Counter(_tokens(block_words(blocks)))
    with pdfplumber.open(pdf) as doc:
        pages = [_body_words(page) for page in doc.pages]
    got = Counter(_tokens(w["text"] for page in pages for w in page))
    extra, missing = got - expected, expected - got
    first_rows = []
    for block in blocks:
        if isinstance(block, Table):
            words = _tokens(w for row in block.rows[:block.header_rows] for c in row for w in c.split())
            data = next((r for r in block.rows[block.header_rows:] if any(r)), [])
            first_data = _tokens(next((c for c in data if c), "").split()[:1])
            if words:
                first_rows.append((words, " | ".join(c for c in block.rows[0] if c), first_data))
    breaks = []
    for number, page in enumerate(pages[1:], 2):
        tokens = _tokens(w["text"] for w in page)
        for words, label, _ in first_rows:
            head, rest = tokens[:len(words)], tokens[len(words):]
            if Counter(head) != Counter(words) or Counter(words) - extra:
                continue
            # the header row of a table that starts on this page is followed by the table's first data row
            fresh = any(rest[:len(other)] == other for w2, _, other in first_rows if w2 == words and other)
            if not fresh:
                extra -= Counter(words)
                breaks.append((number, label))
            break
    return breaks, missing, extra


def check(all_blocks: dict[str, list]) -> bool:
    import pdfplumber

    ok = True
    print(f"{'file':40} {'pages':>5} {'furniture':>9} {'lines+rects':>11}  orientation / notes")
    for pdf in sorted(OUT.glob("*.pdf")):
        stem, variant = pdf.name.split(".")[:2]
        _, header_text, title = SOURCES[stem]
        pages = _pages_text(pdf)
        furniture = sum(1 for n, p in enumerate(pages, 1)
                        if _norm(header_text or title) in _norm(p) and _norm(f"{title} – pag. {n}") in _norm(p))
        notes = []
        with pdfplumber.open(pdf) as doc:
            counts = [len(p.lines) + len(p.rects) for p in doc.pages]
            not_horizontal = sum(1 for p in doc.pages for obj in p.lines + p.rects
                                 if abs(obj["bottom"] - obj["top"]) > 2)
            orientation = "".join("L" if p.width > p.height else "P" for p in doc.pages)
        if furniture != len(pages):
            ok = False
            notes.append(f"HEADER/FOOTER ON ONLY {furniture}/{len(pages)} PAGES")
        if variant == "senza_bordi" and sum(counts):
            ok = False
            notes.append("RULING LINES IN A BORDERLESS PDF")
        if variant == "bordi" and sum(counts) < sum(len(b.rows) for b in all_blocks[stem] if isinstance(b, Table)):
            ok = False
            notes.append("TOO FEW RULING LINES")
        if variant == "browser":
            notes.append(f"{not_horizontal} rules that are not horizontal")
            ok &= not_horizontal == 0
        breaks, missing, extra = repeated_rows(pdf, all_blocks[stem])
        notes.extend(f"table goes on at p.{n} (repeats {label[:45]!r})" for n, label in breaks)
        if missing or extra:
            ok = False
            notes.append(f"WORDS DIFFER: missing {dict(missing)}, extra {dict(extra)}")
        print(f"{pdf.name:40} {len(pages):>5} {furniture:>9} {sum(counts):>11}  {orientation}")
        for note in notes:
            print(f"{'':40}   {note}")
    for path in sorted(OUT.glob("*.docx")) + sorted(OUT.glob("*.odt")):
        stem = path.name.split(".")[0]
        words = docx_words(path) if path.suffix == ".docx" else odt_words(path)
        same = block_words(all_blocks[stem]) == words           # the same words in the same order
        ok &= same
        print(f"{path.name:40} {'same words as the text' if same else 'WORDS DIFFER FROM THE TEXT'}")
    return ok


def cleaned_lines() -> None:
    """Lines whose words the office files do not repeat verbatim (clean_cell removed markup from them)."""
    for stem, (source, _, _) in SOURCES.items():
        changed = 0
        for line in (ROOT / source).read_text(encoding="utf-8").splitlines():
            if not line.strip() or RULE_LINE.fullmatch(line):
                continue
            body = line if "\t" in line else re.sub(r"^#+\s*", "", line.strip())
            for cell in body.split("\t"):
                if (clean_cell(cell) or "") != " ".join(cell.split()):
                    changed += 1
        print(f"{stem}: {changed} cells or lines cleaned of markup")


if __name__ == "__main__":
    if "--check" in sys.argv:                  # only check the files already written
        sys.exit(0 if check({stem: source_blocks(stem) for stem in SOURCES}) else 1)
    chosen = [a for a in sys.argv[1:] if not a.startswith("--")] or list(SOURCES)
    blocks = build(chosen)
    cleaned_lines()
    sys.exit(0 if check(blocks) else 1)

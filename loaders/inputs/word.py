"""Word documents (.docx): paragraphs and real table cells, in document order, read from their XML as python-docx
reads them (python-docx itself reads a file that is out of the ordinary or damaged, see _read_plain).

A table row becomes one line of TAB-separated cells (a cell's own paragraphs joined with a space; a cell
merged across columns is printed once and the columns it spans stay empty; a cell merged down a column is
printed in its first row only). A heading becomes '# title' (one '#' per level), a list item '- item'.
The page header and footer are written first and marked as page furniture, so that readers skip them but
the issuer finder may read the consortium's name there.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ..errors import Refused
from . import ExtractedText, row_line, with_furniture

FORMAT = "docx"
ISOLATED = True         # read in a child process with caps (isolated.py)
MAX_UNCOMPRESSED = 200 * 1024 * 1024      # images included
MAX_MARKUP = 30 * 1024 * 1024             # the text's XML: a 400-page report holds less than 10 MB
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def accepts(name: str, data: bytes) -> bool:
    """A .docx by name, or a zip holding word/document.xml."""
    if name.lower().endswith((".docx", ".docm")):
        return True
    return _zip_has(data, "word/document.xml")


def _zip_has(data: bytes, member: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return member in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def check_zip(data: bytes, kind: str) -> None:
    """Refuse archives that are not zips or that expand beyond MAX_UNCOMPRESSED (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Refused("word_damaged", kind=kind) from exc
    infos = archive.infolist()
    markup = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED or markup > MAX_MARKUP:
        raise Refused("word_too_big", limit_mb=(MAX_MARKUP if markup > MAX_MARKUP else MAX_UNCOMPRESSED) // 2**20)


def extract(data: bytes) -> ExtractedText:
    check_zip(data, "Word")
    try:
        furniture, lines = _read_plain(data)
    except MemoryError:
        raise
    except Exception:              # noqa: BLE001 - what the plain reading does not model, a damaged file among them
        furniture, lines = _read_python_docx(data)     # python-docx reads the file, and refuses it as it did
    return with_furniture(furniture, lines, FORMAT, "Word")


def _read_python_docx(data: bytes) -> tuple[list[str], list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:                                   # python-docx raises many kinds on a bad file
        raise Refused("word_damaged", kind="Word") from exc
    styles = _StyleNames(lambda: document.part.styles)
    lines = _body_lines(document.element.body, styles)
    return _header_footer_lines(document), lines


def _body_lines(body, styles: _StyleNames) -> list[str]:
    """The lines of the paragraphs, text boxes and tables of a w:body element."""
    lines: list[str] = []
    for element in _blocks(body):
        if element.tag == _P:
            lines += paragraph_lines(element, styles)
            lines += [" ".join(_text(p).split()) for p in _text_box_paragraphs(element)]
        else:
            lines += table_lines(element)
    return lines


def _read_plain(data: bytes) -> tuple[list[str], list[str]]:
    """What _read_python_docx gives, without python-docx's objects: its package reader walks the parts as
    Document() does (so that a missing part or content type raises there as well), every part it would parse
    is parsed with the same settings but no custom element classes, and the relationships are resolved as
    python-docx resolves them. Whatever this does not model raises _Unusual, and python-docx reads the file."""
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.part import PartFactory, XmlPart
    from docx.opc.pkgreader import PackageReader

    reader = PackageReader.from_file(io.BytesIO(data))
    content_types, trees, styles = {}, {}, {}
    for name, content_type, reltype, blob in reader.iter_sparts():
        content_types[name] = content_type
        if reltype != RT.IMAGE and issubclass(PartFactory.part_type_for.get(content_type, object), XmlPart):
            if content_type == CT.WML_STYLES:          # python-docx parses these when it opens the file
                styles[name] = _style_names(blob)
            else:
                trees[name] = etree.fromstring(blob, _PLAIN)
    rels: dict[str, dict] = {}                      # source part -> rId -> relationship, as Relationships holds them
    for source, srel in reader.iter_srels():
        rels.setdefault(source, {})[srel.rId] = srel
    main = _only_part(rels.get("/", {}), RT.OFFICE_DOCUMENT)
    root = trees.get(main)
    if content_types[main] != CT.WML_DOCUMENT_MAIN or root is None or root.tag != f"{_W}document":
        raise _Unusual(main)
    body = root.find(f"{_W}body")
    if body is None:
        raise _Unusual("no body")
    document_rels = rels.get(main, {})
    styles_part = _only_part(document_rels, RT.STYLES)
    if content_types[styles_part] != CT.WML_STYLES:
        raise _Unusual(styles_part)
    lines = _body_lines(body, styles[styles_part])
    # a header or footer linked to the previous section's adds nothing: with lines seen already python-docx
    # skips it, and with none seen the one it stands for gave none. That one is the previous w:sectPr in the
    # document, which is the previous section's only while every w:sectPr is a section's.
    sections = _SECTIONS(root)
    if len(sections) != sum(1 for _ in root.iter(f"{_W}sectPr")):
        raise _Unusual("sections")
    seen: list[str] = []
    for sect_pr in sections:
        for references, content_type, tag in ((_HEADER_REFERENCE, CT.WML_HEADER, f"{_W}hdr"),
                                               (_FOOTER_REFERENCE, CT.WML_FOOTER, f"{_W}ftr")):
            found = references(sect_pr)
            if not found:
                continue
            srel = document_rels[found[0].attrib[_R_ID]]
            if srel.is_external:
                raise _Unusual(srel.rId)
            part = srel.target_partname
            if content_types[part] != content_type or trees[part].tag != tag:
                raise _Unusual(part)
            _add_new_lines(seen, trees[part].iterchildren(_P))
    return seen, lines


class _Unusual(Exception):
    """Something _read_plain does not model: python-docx reads the file."""


# python-docx's parser without its element classes
_PLAIN = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


_STYLES_SEEN: dict[bytes, _StyleNames] = {}     # styles parts of the last files read, by their bytes
_STYLES_KEPT_BYTES = 2 * 1024 * 1024             # a bigger one is not kept: its tree would stay in memory


def _style_names(styles_xml: bytes) -> _StyleNames:
    """The style names of a styles part, parsed as python-docx parses it (its Styles read the styles). Those of the
    last four files are kept: the files made from one template share their styles part, often the biggest
    part python-docx parses (350 KB in python-docx's own template, 6 ms). Four, so that a glossary's styles
    part does not push out the document's."""
    from docx.oxml.parser import parse_xml
    from docx.styles.styles import Styles

    names = _STYLES_SEEN.get(styles_xml)
    if names is None:
        styles = Styles(parse_xml(styles_xml))
        names = _StyleNames(lambda: styles)
        if len(styles_xml) <= _STYLES_KEPT_BYTES:
            if len(_STYLES_SEEN) >= 4:
                del _STYLES_SEEN[next(iter(_STYLES_SEEN))]
            _STYLES_SEEN[styles_xml] = names
    return names


def _only_part(rels: dict, reltype: str) -> str:
    """The part of the one relationship of this type (Relationships.part_with_reltype raises on none or more)."""
    found = [srel for srel in rels.values() if srel.reltype == reltype]
    if len(found) != 1 or found[0].is_external:
        raise _Unusual(reltype)
    return found[0].target_partname


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_NAMESPACES = {"w": _W[1:-1]}


def _xpath(expression: str):
    return etree.XPath(expression, namespaces=_NAMESPACES)


# python-docx's paragraph.text: the parts of its runs and of its hyperlinks' runs, in document order (one XPath
# compiled once: python-docx compiles them anew for every paragraph and every run).
_PART = "*[self::w:br or self::w:cr or self::w:noBreakHyphen or self::w:ptab or self::w:t or self::w:tab]"
_RUN_PARTS = _xpath(f"w:r/{_PART} | w:hyperlink/w:r/{_PART}")
# Document.sections and a section's header and footer (WD_HEADER_FOOTER.PRIMARY), as python-docx finds them
_SECTIONS = _xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr")
_HEADER_REFERENCE = _xpath("./w:headerReference[@w:type='default']")
_FOOTER_REFERENCE = _xpath("./w:footerReference[@w:type='default']")
_P, _TBL, _SDT, _SDT_CONTENT = f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}sdtContent"   # made once
_T, _TAB, _BR, _CR, _TYPE = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}type"
_TXBX_CONTENT, _FALLBACK = f"{_W}txbxContent", f"{_MC}Fallback"
_PART_TEXT = {f"{_W}noBreakHyphen": "-", f"{_W}ptab": "\t", _TAB: "\t", _CR: "\n"}


def paragraph_text(p) -> str:
    """paragraph.text of a w:p element: its runs' text and its hyperlinks' (each run part as python-docx
    writes it: '\t' for a tab, '\n' for a line break...)."""
    return "".join(map(_part_text, _RUN_PARTS(p)))


def _part_text(node) -> str:
    """str() of python-docx's element for a run part (CT_Text, CT_Br...), read from the plain XML."""
    tag = node.tag
    if tag == _T:
        return node.text or ""
    if tag == _BR:
        return "\n" if node.get(_TYPE, "textWrapping") == "textWrapping" else ""
    return _PART_TEXT[tag]


def _blocks(parent):
    """Paragraphs and tables in document order, content controls (w:sdt) opened: their tables are read too."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _P or tag == _TBL:
            yield child
        elif tag == _SDT:
            content = _child(child, _SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _own(node, stop) -> bool:
    """True when a node belongs to `stop` itself, not to a text box or a fallback copy inside it."""
    for ancestor in node.iterancestors():
        if ancestor is stop:
            return True
        if ancestor.tag in (_TXBX_CONTENT, _FALLBACK):
            return False
    return True


def _text(p) -> str:
    """A paragraph's own text: tabs and line breaks kept, text boxes and fallback copies left out."""
    nodes = p.iter(_T, _TAB, _BR)
    if next(p.iter(_TXBX_CONTENT, _FALLBACK), None) is not None:
        nodes = (node for node in nodes if _own(node, p))
    return "".join(node.text or "" if node.tag == _T else "\t" if node.tag == _TAB else " " for node in nodes)


def _text_box_paragraphs(p) -> list:
    """The paragraphs of the text boxes anchored in a paragraph (once: not their fallback copies)."""
    return [inner for box in p.iter(_TXBX_CONTENT) if _own(box, p)
            for inner in box.iter(_P) if inner.getparent() is box]


def _header_footer_lines(document) -> list[str]:
    """The distinct lines of every section's page header and footer, in order."""
    seen: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous and seen:
                continue
            _add_new_lines(seen, (paragraph._p for paragraph in part.paragraphs))
    return seen


def _add_new_lines(seen: list[str], paragraphs) -> None:
    for p in paragraphs:
        text = " ".join(paragraph_text(p).split())
        if text and text not in seen:
            seen.append(text)


class _StyleNames:
    """The name of a paragraph's style (paragraph.style.name), found once per style of the document: python-docx
    looks a style up among all the document's styles for every paragraph, and the default one (a paragraph
    with no style of its own) by reading every style's type, which took most of the time reading a file.
    `styles` gives python-docx's Styles of the document when first asked (python-docx makes them lazily too)."""

    def __init__(self, styles):
        self.styles = styles
        self.names: dict[str | None, str] = {}

    def of(self, p, p_pr) -> str:
        style_id = _style_id(p, p_pr)
        if style_id not in self.names:
            from docx.enum.style import WD_STYLE_TYPE

            styles = self.styles()
            style = (styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH) if style_id is not None
                     else _default_paragraph_style(styles))
            self.names[style_id] = (style.name if style is not None else "") or ""
        return self.names[style_id]


_P_PR, _P_STYLE, _NUM_PR, _VAL = f"{_W}pPr", f"{_W}pStyle", f"{_W}numPr", f"{_W}val"   # made once


def _style_id(p, p_pr) -> str | None:
    """p.style (w:pPr/w:pStyle/@w:val) of a w:p element and its w:pPr; python-docx's own property, which raises,
    when the attribute is missing (a plain element has none: the file is read again with python-docx)."""
    if p_pr is None:
        return None
    p_style = _child(p_pr, _P_STYLE)
    if p_style is None:
        return None
    value = p_style.get(_VAL)
    return value if value is not None else p.style


def _child(element, tag: str):
    """element.find(tag), its first child with that tag, without lxml's ElementPath (in Python, twice as slow)."""
    return next(element.iterchildren(tag), None)


# The styles that may be the default paragraph style: python-docx reads the type of every style to find it
# (styles.xml holds hundreds), here those of another known type are left out by one XPath.
_MAYBE_PARAGRAPH_STYLES = _xpath("w:style[not(@w:type='character' or @w:type='table' or @w:type='numbering')]")


def _default_paragraph_style(styles):
    """styles.default(WD_STYLE_TYPE.PARAGRAPH) of python-docx's Styles, the style of a paragraph that names none:
    the last paragraph style marked default. The styles left are read as python-docx reads them and in the
    same order, so that one it cannot read raises as it does there."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.styles.style import StyleFactory

    found = [style for style in _MAYBE_PARAGRAPH_STYLES(styles.element)
             if style.type == WD_STYLE_TYPE.PARAGRAPH and style.default]
    return StyleFactory(found[-1]) if found else None


def paragraph_lines(p, styles: _StyleNames) -> list[str]:
    """'Obiettivi di performance' in a Heading 2 style -> ['## Obiettivi di performance']; a list item -> '- ...'."""
    text = paragraph_text(p).replace("\r", "\n")
    if not text.strip():
        return [""]
    p_pr = _child(p, _P_PR)
    style = styles.of(p, p_pr)
    level = re.match(r"(?i)(?:heading|titolo)\s*(\d)", style)
    listed = p_pr is not None and _child(p_pr, _NUM_PR) is not None
    out = []
    for piece in text.split("\n"):
        piece = piece.rstrip()
        if level and piece.strip():
            piece = "#" * min(int(level.group(1)), 6) + " " + piece.strip()
        elif listed and piece.strip() and not piece.lstrip().startswith(("-", "•")):
            piece = "- " + piece.strip()
        out.append(piece)
    return out


_TR, _TC = f"{_W}tr", f"{_W}tc"     # a table's rows and a row's cells: tbl.tr_lst and tr.tc_lst in python-docx


def _cell_text(tc) -> str:
    """A cell's paragraphs joined with a space (text boxes once); a table nested in the cell as its rows,
    each row's cells joined with ' | ' and rows with '; ' (the cell holds a table, not one value)."""
    parts = []
    for element in _blocks(tc):
        if element.tag == _P:
            for p in [element] + _text_box_paragraphs(element):
                text = " ".join(_text(p).replace("\t", " ").split())
                if text:
                    parts.append(text)
        else:
            rows = [" | ".join(_cell_text(cell) for cell in tr.iterchildren(_TC)) for tr in element.iterchildren(_TR)]
            parts.append("; ".join(r for r in rows if r.strip(" |")))
    return " ".join(parts)


def table_lines(tbl) -> list[str]:
    """One line per row of a w:tbl element: merged cells printed once, the columns they span left empty."""
    lines = []
    for tr in tbl.iterchildren(_TR):
        cells: list[str] = []
        for tc in tr.iterchildren(_TC):
            span, merge = _merges(tc)
            continued = merge == "continue"
            cells.append("" if continued else _cell_text(tc))
            cells += [""] * (max(span, 1) - 1)
        lines.append(row_line(cells))
    return lines


_TC_PR, _GRID_SPAN, _V_MERGE = f"{_W}tcPr", f"{_W}gridSpan", f"{_W}vMerge"   # made once


def _merges(tc) -> tuple[int, str | None]:
    """(tc.grid_span, tc.vMerge) read from the cell's XML, as python-docx reads them: the first w:tcPr child and
    its first w:gridSpan and w:vMerge ('<w:vMerge/>' means continue); python-docx's own properties for anything
    out of the ordinary, which raise as they would (a plain element has none: the file is read again with
    python-docx)."""
    properties = _child(tc, _TC_PR)
    if properties is None:
        return 1, None
    grid_span = v_merge = None
    for child in properties.iterchildren(_GRID_SPAN, _V_MERGE):
        if child.tag == _GRID_SPAN:
            grid_span = child if grid_span is None else grid_span
        elif v_merge is None:
            v_merge = child
    span, merge = 1, None
    if grid_span is not None:
        value = grid_span.get(_VAL)
        span = int(value) if value is not None and value.isdigit() else tc.grid_span
    if v_merge is not None:
        value = v_merge.get(_VAL, "continue")
        merge = value if value in ("continue", "restart") else tc.vMerge
    return span, merge

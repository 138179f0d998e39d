"""The Relazione sintetica as one self-contained HTML file: the same blocks as the PDF, the charts inline as SVG,
styles inline, nothing fetched from elsewhere; it prints on A4 with the consortium and year on every page."""
from __future__ import annotations

from html import escape

from reportlab.graphics import renderSVG

from ..italian import format_day
from . import content, drawing

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #222;
       max-width: 52em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 20pt; margin-bottom: 0.2em; } h2 { font-size: 14pt; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 11pt; margin: 1em 0 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 0.4em 0 1em; }
th { background: #E8EEF4; text-align: left; } th, td { padding: 3px 6px; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
blockquote { font-style: italic; margin: 0.3em 0 0.2em 1em; color: #333; }
.source, .made { color: #555; font-size: 9pt; } .head { display: none; }
figure { margin: 0.6em 0; } svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 18mm 16mm; }
@media print { body { margin: 0; max-width: none; } .head { display: block; position: running(head); }
  h2 { break-after: avoid; } figure, blockquote, tr { break-inside: avoid; } }
"""


def _block(block) -> str:
    if isinstance(block, content.Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, content.Quote):
        return (f"<h3>{escape(block.about)}</h3><blockquote>«{escape(block.text)}»</blockquote>"
                f"<p class=\"source\">{escape(block.source)}</p>")
    if isinstance(block, content.Bars):
        svg = renderSVG.drawToString(drawing.bars(block))
        svg = svg[svg.index("<svg"):]                  # inline: without the XML prologue and doctype
        return f"<figure aria-label=\"{escape(block.title)}\">{svg}</figure>"
    if isinstance(block, content.Table):
        head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
        rows = "".join("<tr>" + "".join(
            f"<td class=\"n\">{escape(c)}</td>" if i in block.numeric else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)) + "</tr>" for row in block.rows)
        note = f"<p class=\"source\">{escape(block.note)}</p>" if block.note else ""
        return f"<h3>{escape(block.title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}"
    raise TypeError(type(block).__name__)


def to_html(report: content.Report) -> str:
    title = f"{report.title} — {report.issuer} — {report.year}"
    body = [f"<p class=\"head\">{escape(report.running_head)}</p>", f"<h1>{escape(report.title)}</h1>",
            f"<p><strong>{escape(report.issuer)}</strong> · anno {report.year}</p>",
            f"<p class=\"made\">Preparata il {format_day(report.made_on)} con il Cruscotto Performance.</p>"]
    for section in report.sections:
        body.append(f"<section><h2>{escape(section.title)}</h2>")
        body += [_block(b) for b in section.blocks]
        body.append("</section>")
    return (f"<!DOCTYPE html>\n<html lang=\"it\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")

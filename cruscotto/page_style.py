"""Styles every page gets from the entry script.

Italian in Streamlit's own widgets: the file uploader's button and limit are printed by Streamlit in English
and cannot be set, so CSS hides them and writes the Italian words in their place (the limit is the server's
maxUploadSize, .streamlit/config.toml).

Pages that print cleanly from the browser: no sidebar, no toolbar, the page's content over the whole sheet and
every chart scaled to the sheet's width instead of cut.

Plotly draws a chart as SVG of a fixed size in pixels, without a viewBox, so CSS alone can only crop it. A
small script gives each chart's SVG a viewBox of its own size (nothing changes on screen) and its container
the chart's proportions; the print rules then let it take the full width and scale."""
from __future__ import annotations

from html import escape

import pyarrow as pa
import streamlit as st

UPLOAD_WORDS = "Scegli i file"
UPLOAD_LIMIT = "Al massimo 50 MB per file: testo (.txt, .md), PDF, Excel (.xlsx), Word (.docx), OpenDocument (.odt)"

PRINT_ONLY = "solo-stampa"       # a table's printed copy: hidden on screen, in place of the grid on paper

STYLE = f"""
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none !important; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{
    content: "{UPLOAD_WORDS}"; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: "{UPLOAD_LIMIT}"; font-size: 0.875rem; }}
@media print {{
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stExpander"], .stButton {{ display: none !important; }}
  [data-testid="stMain"], [data-testid="stAppViewContainer"], section.main {{ margin: 0 !important; }}
  [data-testid="stMainBlockContainer"], .block-container {{ max-width: 100% !important; width: 100% !important;
      padding: 0 0.5cm !important; box-sizing: border-box; }}
  [data-testid="stPlotlyChart"], .js-plotly-plot, .js-plotly-plot .plot-container {{ width: 100% !important;
      height: auto !important; min-height: 0 !important; }}
  .js-plotly-plot .svg-container {{ width: 100% !important; height: auto !important; }}
  .js-plotly-plot svg.main-svg {{ width: 100% !important; height: 100% !important; }}
  [data-testid="stPlotlyChart"], [data-testid="stTable"] {{ break-inside: avoid; }}
  h1, h2, h3 {{ break-after: avoid; }}
  /* the grid draws only the cells in its window: on paper the same rows as a table of every column */
  [data-testid="stDataFrame"] {{ display: none !important; }}
  .{PRINT_ONLY}, [data-testid="stElementContainer"]:has(.{PRINT_ONLY}) {{ display: block !important; }}
  .{PRINT_ONLY} table {{ width: 100%; border-collapse: collapse; font-size: 7pt; line-height: 1.25; }}
  .{PRINT_ONLY} th, .{PRINT_ONLY} td {{ border: 0.5pt solid #999; padding: 1pt 2pt; vertical-align: top;
      overflow-wrap: break-word; }}
  .{PRINT_ONLY} th {{ background: #eee; }}
  .{PRINT_ONLY} thead {{ display: table-header-group; }}
  .{PRINT_ONLY} tr {{ break-inside: avoid; }}
}}
.{PRINT_ONLY}, [data-testid="stElementContainer"]:has(.{PRINT_ONLY}) {{ display: none; }}
</style>
"""

SCRIPT = """
<script>
(() => {
  if (window.cruscottoPrintable) return;
  window.cruscottoPrintable = true;
  const scalable = () => {
    for (const box of document.querySelectorAll('.js-plotly-plot .svg-container')) {
      const svgs = box.querySelectorAll('svg.main-svg');
      if (!svgs.length) continue;
      const w = svgs[0].getAttribute('width'), h = svgs[0].getAttribute('height');
      if (!w || !h) continue;
      svgs.forEach(s => s.setAttribute('viewBox', `0 0 ${w} ${h}`));
      box.style.aspectRatio = `${w} / ${h}`;
    }
  };
  window.addEventListener('beforeprint', scalable);
  window.matchMedia('print').addEventListener('change', scalable);
  setInterval(scalable, 1000);
})();
</script>
"""


def apply() -> None:
    """Drawn once per run by the entry script, for every page (in the sidebar: the element takes no room there,
    and the sidebar is not printed)."""
    st.sidebar.html(STYLE + SCRIPT, unsafe_allow_javascript=True)


PRINTED_ROWS = 200     # a table's rows on paper; a longer one (every document of a region) says where the rest is


def printed_table(table, most: int = PRINTED_ROWS) -> str:
    """The first `most` rows a grid shows (an Arrow table or a DataFrame) as an HTML table for paper (PRINT_ONLY:
    nothing on screen), every column at once."""
    rows = table.num_rows if isinstance(table, pa.Table) else len(table)
    shown = table.slice(0, most) if isinstance(table, pa.Table) else table.head(most)
    if isinstance(shown, pa.Table):
        names, columns = shown.column_names, [column.to_pylist() for column in shown.columns]
    else:
        names, columns = list(shown.columns), [shown[name].tolist() for name in shown.columns]
    head = "".join(f"<th>{escape(str(name))}</th>" for name in names)
    cells = [["—" if v is None or v != v else escape(str(v)) for v in column] for column in columns]
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in zip(*cells))
    rest = (f"<p>Qui le prime {most} righe di {rows}: le altre sono nel file Excel della tabella.</p>"
            if rows > most else "")
    return f'<div class="{PRINT_ONLY}"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{rest}</div>'

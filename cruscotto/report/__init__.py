"""The Relazione sintetica per l'assemblea of one consortium and year, as an A4 PDF or one self-contained HTML
file. content gathers what it says (plain data, in Italian); pdf and html lay it out; drawing makes its charts.

    python -m cruscotto.report --db FILE --issuer NAME --year YEAR --out FILE.pdf|.html
"""
from __future__ import annotations

from .content import NothingToReport, Report, gather
from .html import to_html
from .pdf import to_pdf

__all__ = ["NothingToReport", "Report", "gather", "made", "to_html", "to_pdf"]


def made(path, issuer: str, year: int, form: str) -> bytes:
    """The report of one consortium and year read from the database file at `path`, as 'pdf' or 'html' bytes
    (the dashboard's download builds it when clicked)."""
    from .. import db

    with db.reading(path) as con:
        report = gather(con, issuer, year)
    return to_pdf(report) if form == "pdf" else to_html(report).encode("utf-8")

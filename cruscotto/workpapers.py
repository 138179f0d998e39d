"""The nucleo di valutazione's working papers: one formatted Excel workbook for one consortium and year. A first
sheet says what was chosen and when the file was made; then the proposal per area, the objectives and every
commitment, with real number, percentage and month cells, Italian headers, an autofilter and a frozen header."""
from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import scoring
from .evaluation import MILESTONE_LABELS, STATUS_LABELS
from .export import (MOMENT_FORMAT, MONTH_FORMAT, PERCENT_FORMAT, PLAIN_INTEGER_FORMAT, append_row, export_value,
                     parsed_beside)

NUMBER_FORMAT = "#,##0.0"
HEADER_FILL = PatternFill("solid", fgColor="305496")

# sheet -> [(header, column of the frame, number format or None)]
SHEETS = {
    "Proposta per area": [
        ("Area", "area", None), ("Obiettivi valutati", "objectives", "0"),
        ("Raggiungimento", "attainment", PERCENT_FORMAT), ("Massimo", "maximum", NUMBER_FORMAT),
        ("Punteggio proposto", "proposal", NUMBER_FORMAT), ("Punteggio del documento", "printed_score", NUMBER_FORMAT),
        ("Massimo del documento", "printed_max", NUMBER_FORMAT), ("Come stampato", "as_printed", None)],
    "Obiettivi": [
        ("Area", "area", None), ("Obiettivo", "objective", None), ("Peso", "weight", None),
        ("Impegni", "commitments", "0"), ("Valutabili", "assessable", "0"), ("Raggiunti", "reached", "0"),
        ("Pesi degli impegni dal documento", "printed_weights_text", None),
        ("Valore (media pesata)", "mean", PERCENT_FORMAT), ("Raggiunto per intero", "whole_text", None)],
    "Impegni": [
        ("Area", "area", None), ("Obiettivo", "objective", None), ("Tipo", "kind_text", None), ("Nome", "name", None),
        ("Atteso o previsto (come stampato)", "expected", None), ("Consuntivo (come stampato)", "actual", None),
        ("Atteso (numero)", "expected (numero)", None), ("Consuntivo (numero)", "actual (numero)", None),
        ("Mese previsto", "planned_month", MONTH_FORMAT), ("Mese svolto", "actual_month", MONTH_FORMAT),
        ("Slittamento (mesi)", "slippage_months", "0"), ("Esito", "status_text", None),
        ("Raggiungimento (consuntivo / atteso)", "attainment", PERCENT_FORMAT),
        ("Valore nella media pesata", "value", PERCENT_FORMAT), ("Peso (come stampato)", "weight_raw", None),
        ("Motivo", "status_reason", None), ("File", "source_name", None), ("Riga", "source_line", "0")],
}


def _sheet(book: Workbook, title: str, frame: pd.DataFrame) -> None:
    columns = SHEETS[title]
    sheet = book.create_sheet(title)
    sheet.append([header for header, _, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = [number_format for _, _, number_format in columns]     # None: the value's own (a count, a share)
    for row in frame[[column for _, column, _ in columns]].itertuples(index=False):
        append_row(sheet, row, formats)
    for index, (header, column, _) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sample = [str(v) for v in frame[column].head(200) if export_value(v) is not None]
        sheet.column_dimensions[letter].width = min(60, max(12, len(header) // 2 + 2, *(len(v) + 2 for v in sample)))
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame) + 1, 2)}"


def workbook(issuer: str, year: int, rule: str, maximum: float | None, proposal: pd.DataFrame,
             objectives: pd.DataFrame, commitments: pd.DataFrame, made: datetime | None = None) -> bytes:
    """The .xlsx of the working papers; `proposal`, `objectives` and `commitments` as cruscotto.scoring and
    cruscotto.db.consortium give them."""
    book = Workbook()
    about = book.active
    about.title = "Informazioni"
    made = made or datetime.now()
    lines = [
        ("Carte di lavoro del nucleo di valutazione", None),
        ("Ente", issuer), ("Anno", int(year)), ("Regola", scoring.RULES[rule]),
        ("Massimo", maximum if maximum else "quello stampato dal documento per ogni area, altrimenti 100"),
        ("Preparato il", made.replace(microsecond=0)), (None, None),
        ("Come si calcola", scoring.RULE_TEXT[rule]), (None, scoring.COMMON_TEXT),
        ("Fogli", "Proposta per area; Obiettivi; Impegni (ogni indicatore e passo, con la riga del documento)."),
    ]
    for label, value in lines:                   # a year plainly (2019, not 2.019), the moment as a date cell
        append_row(about, [label, value], [None, {"Anno": PLAIN_INTEGER_FORMAT, "Preparato il": MOMENT_FORMAT,
                                                  "Massimo": NUMBER_FORMAT}.get(label)])
    about["A1"].font = Font(bold=True, size=13)
    for (cell,) in about.iter_rows(min_row=2, max_row=len(lines), max_col=1):
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 110
    for (cell,) in about.iter_rows(min_row=2, max_row=len(lines), min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    _sheet(book, "Proposta per area", proposal)
    _sheet(book, "Obiettivi", objectives.assign(
        printed_weights_text=objectives["printed_weights"].map({True: "sì", False: "no"}),
        whole_text=objectives["whole"].map(lambda v: "—" if pd.isna(v) else ("sì" if v else "no"))))
    values = [scoring.commitment_value(k, s, None if pd.isna(a) else a)
              for k, s, a in zip(commitments["kind"], commitments["status"], commitments["attainment"])]
    commitments = parsed_beside(commitments, {"expected": commitments["expected_value"],   # '<=5%' -> 5% (0.05)
                                              "actual": commitments["actual_value"]})
    _sheet(book, "Impegni", commitments.assign(
        kind_text=commitments["kind"].map({"indicator": "indicatore", "step": "passo"}),
        status_text=[(STATUS_LABELS if k == "indicator" else MILESTONE_LABELS).get(s, s)
                     for k, s in zip(commitments["kind"], commitments["status"])],
        value=values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

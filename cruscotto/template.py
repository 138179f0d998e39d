"""The Excel template: one workbook per document, with the same raw cells the database keeps.

`SHEETS` is the single definition of its sheets and columns: `write_workbook` fills it (an empty template
to download, or any document of the database), loaders/workbook.py reads it back.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .export import append_row
from .italian import MONTH_NAMES

KINDS = {"relazione_performance": "Relazione sulla performance",
         "rendicontazione_obiettivi": "Rendicontazione obiettivi", "piano_di_zona": "Piano di Zona"}

# sheet -> [(header, record field)]
SHEETS = {
    "Obiettivi": [("Rif.", "ref"), ("Area", "area"), ("Numero", "number"), ("Titolo", "title"),
                  ("Descrizione", "description"), ("Centro di responsabilità", "responsibility_centre"),
                  ("Progetto PEG", "peg_project"), ("Ripete l'obiettivo (Rif.)", "duplicate_of")],
    "Passi": [("Obiettivo (Rif.)", "objective"), ("Attività", "activity"), ("Tempi", "planned_raw"),
              ("Consuntivo", "actual_raw")],
    "Indicatori": [("Obiettivo (Rif.)", "objective"), ("Indicatore", "name"), ("Descrizione", "description"),
                   ("Unità di misura", "unit"), ("Valore attuale", "baseline_raw"), ("Valore atteso", "expected_raw"),
                   ("Valore consuntivo", "actual_raw"), ("Scostamento", "reported_deviation_raw"),
                   ("Strumento di rilevazione", "measurement_source")],
    "Bilancio": [("Tabella", "table_name"), ("Gruppo", "group_name"), ("Voce", "line"), ("Anno", "year"),
                 ("Importo", "amount_raw")],
    "Totali": [("Tabella", "table_name"), ("Voce", "label"), ("Anno", "year"), ("Come stampato", "as_printed")],
    "Punteggi": [("Area", "area"), ("Punteggio", "score"), ("Su", "max_score"), ("Come stampato", "as_printed")],
}
DOCUMENT_FIELDS = [("Ente", "issuer"), ("Anno dei risultati", "report_year"), ("Tipo", "kind"),
                   ("Inizio periodo", "period_start"), ("Fine periodo", "period_end"), ("Titolo", "title"),
                   ("Legenda dello scostamento stampata", "deviation_legend")]
DOCUMENT_SHEET = "Documento"
INSTRUCTIONS = [
    "Modello del Cruscotto Performance: un documento (Relazione sulla performance o Piano di Zona) per file.",
    "Foglio Documento: ente, anno dei risultati (per una relazione) o periodo (per un Piano di Zona), tipo; "
    "«Sì» alla legenda dello scostamento se il documento spiega come leggere la colonna Scostamento "
    "(0 raggiunto, positivo superato, negativo non raggiunto).",
    "Foglio Obiettivi: una riga per obiettivo; «Rif.» è un numero qualunque, diverso per ogni obiettivo, "
    "che gli altri fogli usano per indicare l'obiettivo a cui si riferiscono.",
    "Fogli Passi e Indicatori: una riga per passo e per indicatore; scrivete i valori come nel documento "
    "(«Giugno/Ottobre», «=> 10», «Sì», «/» se non rendicontato): il cruscotto li legge e li valuta.",
    "Fogli Bilancio e Totali: importi come stampati («€ 188.305,60», «€ -»); i totali sono quelli che il "
    "documento stampa, per confrontarli con la somma delle righe.",
    "Foglio Punteggi: punteggi proposti dal nucleo di valutazione: punteggio e massimo («470» su «500»), "
    "e come il documento lo scrive («470/500», «8 punti su 10»).",
    "Non rinominate i fogli né le intestazioni della riga 1. Le righe vuote vengono ignorate.",
]
HEADER_FILL = PatternFill("solid", fgColor="305496")


def _header(sheet, headers) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(14, min(45, len(header) + 20))


def write_workbook(document: dict | None = None, rows: dict[str, list[dict]] | None = None) -> bytes:
    """The template as .xlsx bytes: empty, or filled with one document's raw cells.

    `document` holds the DOCUMENT_FIELDS; `rows[sheet]` are dicts keyed by the record fields of SHEETS."""
    document, rows = document or {}, rows or {}
    book = Workbook()
    instructions = book.active
    instructions.title = "Istruzioni"
    instructions.column_dimensions["A"].width = 120
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=13)

    sheet = book.create_sheet(DOCUMENT_SHEET)
    _header(sheet, ["Campo", "Valore"])
    sheet.column_dimensions["B"].width = 60
    for label, key in DOCUMENT_FIELDS:
        value = document.get(key)
        if key == "deviation_legend":
            value = "Sì" if value else "No"
        append_row(sheet, [label, KINDS.get(value, value) if key == "kind" else value])
    kinds = DataValidation(type="list", formula1='"' + ",".join(KINDS.values()) + '"', allow_blank=True)
    sheet.add_data_validation(kinds)
    kinds.add("B4")

    months = ",".join(MONTH_NAMES[m].capitalize() for m in range(1, 13))
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        _header(sheet, [header for header, _ in columns])
        for record in rows.get(name, []):
            append_row(sheet, [_cell(record.get(key)) for _, key in columns])
        if name == "Passi":                       # suggestions, not a constraint: 'Giugno/Ottobre' stays valid
            suggestion = DataValidation(type="list", formula1=f'"{months},Annuale"', showErrorMessage=False)
            sheet.add_data_validation(suggestion)
            suggestion.add("C2:D1000")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


if __name__ == "__main__":                 # python -m cruscotto.template FILE: write the empty template
    import sys
    from pathlib import Path

    Path(sys.argv[1]).write_bytes(write_workbook())

"""Make, once, office files for the layouts the review of issue 9 found hard (run by hand, never by the tests):

    .venv/bin/python tests/files/make_edge_files.py      # needs LibreOffice (soffice) on the PATH

- valle_stura_2024: a short Relazione written directly in Word (not from a text source): an indicator table
  with 'max 5', an 'Area:' line, a phases table with Inizio/Fine/Stato whose rows wrap and break across a
  page, a score in a sentence; as .docx and as PDF with and without table borders.
- intestazione_sola_2023: the title printed only in the running header, paragraphs with no spacing between
  them, each objective on its own page starting with 'OBIETTIVO N. n' at the very top; as PDF.

The tests (tests/test_edge_files.py) state what each must give.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT  # noqa: F401  (kept for symmetry with make_office_files.py)
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

OUT = Path(__file__).resolve().parent / "edge"


def borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def table(document, rows, bordered: bool):
    made = document.add_table(rows=len(rows), cols=len(rows[0]))
    made.style = "Table Grid" if bordered else None
    if not bordered:
        borderless(made)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            made.cell(r, c).text = text
    return made


def valle_stura(bordered: bool) -> docx.Document:
    document = docx.Document()
    document.add_heading("Consorzio Intercomunale dei Servizi Sociali Valle Stura", level=1)
    document.add_heading("Relazione sulla performance 2024", level=1)
    document.add_paragraph("La presente relazione illustra i risultati conseguiti nell'anno 2024 rispetto agli "
                           "obiettivi del Piano integrato di attività e organizzazione approvato dall'Assemblea "
                           "consortile. " * 3)
    document.add_heading("Obiettivo 1 - Potenziamento dell'assistenza domiciliare", level=2)
    document.add_paragraph("Area: Anziani e non autosufficienza. Responsabile: dott.ssa Maria Bianchi.")
    table(document, [["Indicatore", "Target", "Valore raggiunto", "% raggiungimento"],
                     ["Numero di utenti in assistenza domiciliare", "120", "134", "100%"],
                     ["Ore di assistenza erogate", "15.000", "13.500", "90%"],
                     ["Tempo medio di attivazione del servizio (giorni)", "≤ 10", "8", "100%"],
                     ["Reclami ricevuti", "max 5", "2", "100%"]], bordered)
    for _ in range(3):                                   # push the phases table to the foot of the page
        document.add_paragraph("Il servizio è stato riorganizzato su tre turni giornalieri e due équipe "
                               "territoriali, con un coordinamento settimanale tra assistenti sociali e operatori "
                               "socio-sanitari, e con una verifica mensile dei piani individuali. " * 4)
    document.add_heading("Cronoprogramma", level=2)
    table(document, [["Fase", "Inizio", "Fine", "Stato"],
                     ["Analisi dei bisogni del territorio", "01/01/2024", "31/03/2024", "concluso"],
                     ["Selezione del personale aggiuntivo per il turno serale e festivo", "01/04/2024", "30-giu-24",
                      "concluso il 15/07/2024"],
                     ["Avvio del nuovo servizio serale nei comuni della bassa valle", "luglio 2024", "dicembre 2024",
                      "in corso"],
                     ["Monitoraggio e customer satisfaction", "ottobre 2024", "dicembre 2024", "in corso"]], bordered)
    document.add_heading("Valutazione del Nucleo", level=2)
    document.add_paragraph("Il Nucleo di valutazione attribuisce all'area un punteggio di 90 su 100.")
    return document


def header_only_title() -> docx.Document:
    document = docx.Document()
    normal = document.styles["Normal"].paragraph_format
    normal.space_after = normal.space_before = Pt(0)
    section = document.sections[0]
    section.header.paragraphs[0].text = "Unione dei Comuni Alta Langa - Relazione sulla performance 2023"
    section.footer.paragraphs[0].text = "Servizi sociali associati"
    for number in (1, 2, 3):
        if number > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph(f"OBIETTIVO N. {number} - Servizio {number} del territorio")
        document.add_paragraph(f"Nel corso dell'anno il servizio {number} ha svolto le attività previste con i comuni "
                               "e le associazioni del territorio, secondo il programma approvato dalla Giunta. " * 3)
        table(document, [["Indicatore", "Target", "Valore raggiunto"],
                         [f"Utenti del servizio {number}", str(10 * number), str(10 * number + 2)]], False)
        document.add_paragraph("Il risultato è stato verificato dal responsabile del servizio sulla base dei dati "
                               "del sistema informativo. " * 2)
    return document


def to_pdf(document: docx.Document, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.docx"
        document.save(path)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(OUT), str(path)],
                       check=True, capture_output=True)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    valle_stura(True).save(OUT / "valle_stura_2024.docx")
    to_pdf(valle_stura(True), "valle_stura_2024.bordi")
    to_pdf(valle_stura(False), "valle_stura_2024.senza_bordi")
    to_pdf(header_only_title(), "intestazione_sola_2023")
    for path in sorted(OUT.iterdir()):
        print(path.name, path.stat().st_size)


if __name__ == "__main__":
    main()

"""Punteggi: the nucleo di valutazione's scores beside the attainment computed for the same area."""
import pandas as pd
import streamlit as st

from cruscotto import charts, db, ui
from cruscotto.evaluation import scores_beside_attainment


def shaped(frame):
    table = frame[["issuer", "year", "area", "as_printed", "score", "max_score", "matched", "reached", "judged",
                   "attainment", "source_line"]]
    table.columns = ["Ente", "Anno", "Area (nucleo)", "Punteggio", "Punti", "Massimo", "Area degli obiettivi",
                     "Indicatori raggiunti", "Valutabili", "Raggiungimento", "riga"]
    return table


def every_document(path: str, filters) -> pd.DataFrame:
    """Every score of the filters beside its attainment (for the exports, on a click)."""
    with db.reading(path) as con:
        scores = db.scores(con, filters)
        attainment = db.attainment(con, db.Filters(issuers=filters.issuers, years=filters.years), by="area")
    return shaped(scores_beside_attainment(scores, attainment))


ui.entry_guard("pages/punteggi.py")
st.title("Punteggi del nucleo di valutazione")
filters = ui.current_filters()
chosen = ui.search_choice(db.documents_with, filters, "Documento", "punteggi_doc", what="scores")
if chosen is None:
    ui.empty_state("Nessun punteggio nei documenti scelti: i punteggi compaiono quando la relazione riporta la "
                   "proposta del nucleo di valutazione (es. 470/500).")
    st.stop()

scores = ui.load(db.scores, filters, document_id=chosen[0])
attainment = ui.load(db.attainment, db.Filters(issuers=filters.issuers, years=filters.years), by="area",
                     document_id=chosen[0])
frame = scores_beside_attainment(scores, attainment)
for (issuer, year), group in frame.groupby(["issuer", "year"]):
    ui.chart(charts.scores_and_attainment, group, f"{issuer} · {year}: punteggio e raggiungimento per area",
             key=f"scores_{issuer}_{year}")
st.caption("La barra blu è il punteggio proposto dal nucleo in rapporto al massimo (es. 470 su 500 = 94%); la barra "
           "verde è la quota di indicatori dell'area raggiunti o superati secondo la lettura del cruscotto. "
           "Se le due barre si allontanano molto, vale la pena guardare gli indicatori di quell'area.")
path = str(db.db_path())
ui.table_with_exports(shaped(frame), "Punteggi e raggiungimento", "punteggi", percent=("Raggiungimento",),
                      every_row=lambda: every_document(path, filters))
st.caption("I file Excel e CSV contengono i punteggi di tutti i documenti dei filtri, non solo di questo.")
ui.source_picker(frame.rename(columns={"source_line": "riga"}), "area", "punteggi")

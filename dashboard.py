"""Cruscotto Performance: the home page. On first run it builds the database from the documents in data/."""
from __future__ import annotations

import streamlit as st

from cruscotto import db
from cruscotto.evaluation import STATUS_LABELS
from cruscotto.italian import format_percent, format_period
from loaders import ensure_database

KIND_LABELS = {"relazione_performance": "Relazione sulla performance",
               "rendicontazione_obiettivi": "Rendicontazione obiettivi", "piano_di_zona": "Piano di Zona"}

st.set_page_config(page_title="Cruscotto Performance", layout="wide")


@st.cache_data(show_spinner=False)
def overview(path: str, modified: float):
    """Documents and indicator statuses; cached until the database file changes."""
    with db.reading(path) as con:
        return db.documents(con), db.indicator_status_counts(con)


def main() -> None:
    st.title("Cruscotto Performance")
    st.caption("Relazioni sulla performance e Piani di Zona dei consorzi socio-assistenziali, letti e confrontati.")
    path = db.db_path()
    if not path.exists():
        with st.spinner("Primo avvio: costruisco il database dai documenti di esempio…"):
            ensure_database(path)
    try:
        documents, statuses = overview(str(path), path.stat().st_mtime)
    except db.DatabaseBusy:
        st.warning("Il database è occupato da un caricamento in corso: riprova tra qualche secondo.")
        return
    if documents.empty:
        st.info("Nessun documento caricato: aggiungi i file con `python -m loaders --db "
                f"{path} CARTELLA` e ricarica la pagina.")
        return
    judged = statuses[~statuses.status.isin(["not_reported", "unknown"])].groupby("document_id").indicators.sum()
    reached = statuses[statuses.status.isin(["met", "exceeded"])].groupby("document_id").indicators.sum()
    table = documents.assign(
        tipo=documents.kind.map(KIND_LABELS),
        ente=documents.issuer.fillna("(non indicato nel documento)"),
        anno=[format_period(*row) for row in zip(documents.report_year, documents.period_start, documents.period_end)],
        raggiunti=[format_percent(reached.get(d, 0) / judged[d]) if judged.get(d) else "—"
                   for d in documents.document_id],
    )
    st.subheader("Documenti caricati")
    st.dataframe(
        table[["ente", "anno", "tipo", "objectives", "milestones", "indicators", "raggiunti", "budget_lines",
               "scores", "issues", "source_name"]].rename(columns={
                   "objectives": "obiettivi", "milestones": "passi", "indicators": "indicatori",
                   "raggiunti": "indicatori raggiunti", "budget_lines": "righe di bilancio", "scores": "punteggi",
                   "issues": "righe non lette", "source_name": "file"}),
        hide_index=True)
    st.caption("«Indicatori raggiunti»: raggiunti o superati sugli indicatori valutabili; quelli non rendicontati "
               f"o da verificare ({STATUS_LABELS['not_reported']}, {STATUS_LABELS['unknown']}) non contano come "
               "insuccessi. Le pagine di dettaglio arrivano con la prossima versione.")


main()

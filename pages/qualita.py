"""Qualità dei dati: everything that could not be read, per document, with the original line."""
import pandas as pd
import streamlit as st

from cruscotto import charts, db, messages, ui

CATEGORY_LABELS = {"unrecognised": messages.UNRECOGNISED, "unreadable": "valore illeggibile",
                   "damaged_row": "riga danneggiata dall'estrazione", "unparsed_table": "tabella non interpretata",
                   "unjudged": "indicatore da verificare", "note": "nota di lettura"}

ui.entry_guard("pages/qualita.py")
st.title("Qualità dei dati")
filters = ui.current_filters()
documents = ui.load(db.documents, filters)
if documents.empty:
    ui.empty_state()
    st.stop()
issues = ui.load(db.quality_issues, filters)

unrecognised = documents[documents.family == "non_riconosciuto"]
if not unrecognised.empty:
    st.warning(f"{len(unrecognised)} documenti con {messages.UNRECOGNISED}: conservati con il testo estratto e le "
               "loro tabelle (tipo «tabella non interpretata» qui sotto), da leggere a mano. "
               + "; ".join(f"«{ui.plain(name)}»" for name in unrecognised.source_name.head(10))
               + (" e altri" if len(unrecognised) > 10 else "") + ".")

read = documents.objectives + documents.milestones + documents.indicators + documents.budget_lines + documents.scores
summary = pd.DataFrame({"label": documents.issuer + " · " + documents.year, "read": read, "not_read": documents.issues})
ui.chart(charts.quality_by_document, summary, "Righe lette e righe non lette per documento", key="quality")
st.caption("Verde: obiettivi, passi, indicatori, righe di bilancio e punteggi letti. Rosso: righe che il "
           "cruscotto non ha potuto leggere o interpretare con certezza. Niente viene indovinato: ogni riga non "
           "letta è qui sotto con il testo originale e il motivo.")

counts = issues.assign(tipo=issues.category.map(CATEGORY_LABELS)).pivot_table(
    index="issuer", columns="tipo", values="source_line", aggfunc="count", fill_value=0).reset_index()
counts = counts.rename(columns={"issuer": "Ente"})
st.subheader("Per tipo")
ui.table_with_exports(counts, "Righe non lette per tipo", "per_tipo")

kinds = st.multiselect("Tipo", list(CATEGORY_LABELS), default=[k for k in CATEGORY_LABELS if k != "note"],
                       format_func=CATEGORY_LABELS.get, key="quality_kinds")
shown = issues[issues.category.isin(kinds)]
table = shown.assign(tipo=shown.category.map(CATEGORY_LABELS))[
    ["issuer", "source_name", "source_line", "tipo", "reason", "raw_text", "document_id"]]
table.columns = ["Ente", "file", "riga", "Tipo", "Motivo", "Testo originale", "document_id"]
st.subheader(f"Righe ({len(table)})")
ui.table_with_exports(table.drop(columns=["document_id"]), "Qualità dei dati", "righe")
ui.source_picker(table, "Motivo", "qualita")

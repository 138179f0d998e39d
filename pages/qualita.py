"""Qualità dei dati: everything that could not be read, per document, with the original line."""
import pandas as pd
import streamlit as st

from cruscotto import charts, db, messages, ui
from cruscotto.italian import format_number

CATEGORY_LABELS = {"unrecognised": messages.UNRECOGNISED, "unreadable": "valore illeggibile",
                   "damaged_row": "riga danneggiata dall'estrazione", "unparsed_table": "tabella non interpretata",
                   "unjudged": "indicatore da verificare", "note": "nota di lettura"}
CHART_MOST = 25                      # documents in the chart: those with most lines not read


def by_issuer(counts: pd.DataFrame) -> pd.DataFrame:
    """db.quality_by_issuer with Italian headers."""
    return counts.rename(columns={"issuer": "Ente", **CATEGORY_LABELS})


def shaped(issues: pd.DataFrame) -> pd.DataFrame:
    table = issues.assign(tipo=issues.category.map(CATEGORY_LABELS))[
        ["issuer", "source_name", "source_line", "tipo", "reason", "raw_text", "document_id"]]
    table.columns = ["Ente", "file", "riga", "Tipo", "Motivo", "Testo originale", "document_id"]
    return table


ui.entry_guard("pages/qualita.py")
st.title("Qualità dei dati")
filters = ui.current_filters()
totals = ui.load(db.document_totals, filters)
if not totals["documents"]:
    ui.empty_state()
    st.stop()

unrecognised = ui.load(db.documents, filters, search="", limit=10, offset=0, family="non_riconosciuto")
if not unrecognised.empty:
    count = int(unrecognised.total_rows.iloc[0])
    st.warning(f"{count} documenti con {messages.UNRECOGNISED}: conservati con il testo estratto e le "
               "loro tabelle (tipo «tabella non interpretata» qui sotto), da leggere a mano. "
               + "; ".join(f"«{ui.plain(name)}»" for name in unrecognised.source_name.head(10))
               + (" e altri" if count > 10 else "") + ".")

worst = ui.load(db.documents, filters, search="", limit=CHART_MOST, offset=0, order="issues")
read = worst.objectives + worst.milestones + worst.indicators + worst.budget_lines + worst.scores
summary = pd.DataFrame({"label": worst.issuer + " · " + worst.year, "read": read, "not_read": worst.issues})
ui.chart(charts.quality_by_document, summary, "Righe lette e righe non lette per documento", key="quality")
st.caption("Verde: obiettivi, passi, indicatori, righe di bilancio e punteggi letti. Rosso: righe che il "
           "cruscotto non ha potuto leggere o interpretare con certezza. Niente viene indovinato: ogni riga non "
           "letta è qui sotto con il testo originale e il motivo.")
if totals["documents"] > CHART_MOST:
    st.caption(f"Il grafico mostra i {CHART_MOST} documenti con più righe non lette; in tutto i documenti sono "
               f"{format_number(totals['documents'], 0)}, con {format_number(totals['read'], 0)} righe lette e "
               f"{format_number(totals['issues'], 0)} non lette o da verificare.")

st.subheader("Per tipo")
counts, _, every_count = ui.paged(db.quality_by_issuer, filters, "per_tipo", categories=tuple(CATEGORY_LABELS))
ui.table_with_exports(by_issuer(counts), "Righe non lette per tipo", "per_tipo",
                      every_row=lambda: by_issuer(every_count()))

kinds = st.multiselect("Tipo", list(CATEGORY_LABELS), default=[k for k in CATEGORY_LABELS if k != "note"],
                       format_func=CATEGORY_LABELS.get, key="quality_kinds", select_all=False)
heading = st.empty()
rows, total, every = ui.paged(db.quality_issues, filters, "righe", categories=tuple(kinds) or ("—",))
heading.subheader(f"Righe ({format_number(total, 0)})")
table = shaped(rows)
ui.table_with_exports(table.drop(columns=["document_id"]), "Qualità dei dati", "righe",
                      every_row=lambda: shaped(every()).drop(columns=["document_id"]))
ui.source_picker(table, "Motivo", "qualita")

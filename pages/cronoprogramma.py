"""Cronoprogramma e slittamenti: planned month vs actual month, late steps, slippage per area."""
import pandas as pd
import streamlit as st

from cruscotto import charts, corrections_ui, db, messages, ui
from cruscotto.italian import format_number

REPORTED = ("done_on_time", "done_early", "done_late", "not_done", "done_undated", "not_reported")
MONTHS = ("Mese previsto", "Mese svolto")


def shaped(steps):
    """db.milestones rows as the tables show them, with Italian headers (document_id kept for the source)."""
    table = steps.assign(stato=corrections_ui.status_labels(steps), corretto=corrections_ui.corrected_flags(steps),
                         lettura=corrections_ui.original_reading(steps, "milestones"))[
        ["issuer", "year", "area", "activity", "planned_raw", "actual_raw", "planned_month", "actual_month",
         "slippage_months", "stato", "status_reason", "corretto", "lettura", "source_name", "source_line",
         "document_id"]]
    table.columns = ["Ente", "Anno", "Area", "Attività", "Tempi (testo)", "Consuntivo (testo)", "Mese previsto",
                     "Mese svolto", "Mesi di ritardo", "Stato", "Perché", messages.CORRECTIONS["corrected_column"],
                     messages.CORRECTIONS["original_column"], "file", "riga", "document_id"]
    return table


def steps_table(title: str, key: str, statuses=REPORTED):
    """One paged table of steps with its exports; the raw rows and the shaped rows it shows."""
    return ui.paged_table(db.milestones, filters, key, title, shaped, months=MONTHS, statuses=statuses)


ui.entry_guard("pages/cronoprogramma.py")
st.title("Cronoprogramma e slittamenti")
filters = ui.current_filters()
counts = ui.load(db.milestone_counts, filters)
if not any(counts.get(status) for status in REPORTED):
    ui.empty_state("Nessun passo rendicontato per i filtri scelti (i Piani di Zona hanno solo scadenze future).")
    st.stop()

cols = st.columns(5)
for col, (status, label) in zip(cols, [("done_on_time", "Nei tempi"), ("done_early", "In anticipo"),
                                       ("done_late", "In ritardo"), ("not_done", "Non svolti"),
                                       ("done_undated", "Svolti senza data")]):
    col.metric(label, int(counts.get(status, 0)))

documents = ui.search_choice(db.step_documents, filters, "Documento", "crono_doc")
if documents is not None:
    chosen, label = documents
    ui.query_chart(charts.step_timeline, (f"Previsto e realizzato: {label}",), db.milestones, filters,
                   statuses=REPORTED, document_id=chosen, dated=True, key="timeline")
    st.caption("Il rombo vuoto è il mese previsto, il punto il mese in cui il passo è stato svolto: "
               "in rosso i passi in ritardo, con una linea lunga quanto il ritardo. Qui solo i documenti che "
               "indicano sia il mese previsto sia quello di realizzazione.")

bands = ui.load(db.slippage_by_area, filters, statuses=REPORTED)
ui.query_chart(charts.slippage_by_area, ("Ritardi per area (passi svolti con data)",), db.slippage_by_area, filters,
               statuses=REPORTED, key="slippage")
st.caption("Per ogni area, quanti passi sono stati svolti in anticipo, nel mese previsto o con quanti mesi di "
           "ritardo. I passi non svolti, senza data o non rendicontati sono elencati qui sotto, a parte.")
if len(bands) > charts.AREAS_MOST:
    st.caption(charts.rest_of_areas(bands))

st.subheader(f"Passi in ritardo ({format_number(counts.get('done_late', 0), 0)})")
late_rows, late = steps_table("Passi in ritardo", "ritardi", ("done_late",))
apart_count = sum(counts.get(s, 0) for s in ("not_done", "done_undated", "not_reported"))
st.subheader(f"Non svolti, senza data o non rendicontati ({format_number(apart_count, 0)})")
apart_rows, apart = steps_table("Passi non svolti o senza data", "a_parte", ("not_done", "done_undated", "not_reported"))
with st.expander("Tutti i passi"):
    all_rows, everything = steps_table("Cronoprogramma", "tutti")
shown_rows = pd.concat([late_rows, apart_rows, all_rows], ignore_index=True)
first = ~shown_rows.milestone_id.duplicated()                 # a step shown in two tables is picked once
shown_rows = shown_rows[first].reset_index(drop=True)
picked = ["Attività", "file", "riga", "document_id"]                # what the picker reads of each row
ui.source_picker(pd.concat([late[picked], apart[picked], everything[picked]], ignore_index=True)[first], "Attività",
                 "crono")
corrections_ui.correction_form(shown_rows, "milestones", lambda rows: [
    f"{str(r.activity)[:90]} — {r.issuer} · {r.year}, riga {r.source_line}" for r in rows.itertuples()], "crono")

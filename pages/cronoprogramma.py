"""Cronoprogramma e slittamenti: planned month vs actual month, late steps, slippage per area."""
import streamlit as st

from cruscotto import charts, corrections_ui, db, messages, ui

ui.entry_guard("pages/cronoprogramma.py")
st.title("Cronoprogramma e slittamenti")
filters = ui.current_filters()
steps = ui.load(db.milestones, filters)
steps = steps[steps.status != "planned"]
if steps.empty:
    ui.empty_state("Nessun passo rendicontato per i filtri scelti (i Piani di Zona hanno solo scadenze future).")
    st.stop()

counts = steps.status.value_counts()
cols = st.columns(5)
for col, (status, label) in zip(cols, [("done_on_time", "Nei tempi"), ("done_early", "In anticipo"),
                                       ("done_late", "In ritardo"), ("not_done", "Non svolti"),
                                       ("done_undated", "Svolti senza data")]):
    col.metric(label, int(counts.get(status, 0)))

with_dates = steps[steps.planned_month.notna() & steps.actual_month.notna()]
documents = with_dates[["document_id", "issuer", "year"]].drop_duplicates()
labels = {r.document_id: f"{r.issuer} · {r.year}" for r in documents.itertuples()}
if labels:
    chosen = st.selectbox("Documento", list(labels), format_func=labels.get, key="crono_doc")
    ui.chart(charts.step_timeline, with_dates[with_dates.document_id == chosen],
             f"Previsto e realizzato: {labels[chosen]}", key="timeline")
    st.caption("Il rombo vuoto è il mese previsto, il punto il mese in cui il passo è stato svolto: "
               "in rosso i passi in ritardo, con una linea lunga quanto il ritardo. Qui solo i documenti che "
               "indicano sia il mese previsto sia quello di realizzazione.")

ui.chart(charts.slippage_by_area, steps, "Ritardi per area (passi svolti con data)", key="slippage")
st.caption("Per ogni area, quanti passi sono stati svolti in anticipo, nel mese previsto o con quanti mesi di "
           "ritardo. I passi non svolti, senza data o non rendicontati sono elencati qui sotto, a parte.")

table = steps.assign(stato=corrections_ui.status_labels(steps), corretto=corrections_ui.corrected_flags(steps),
                     lettura=corrections_ui.original_reading(steps, "milestones"))[
    ["issuer", "year", "area", "activity", "planned_raw", "actual_raw", "planned_month", "actual_month",
     "slippage_months", "stato", "status_reason", "corretto", "lettura", "source_name", "source_line", "document_id"]]
table.columns = ["Ente", "Anno", "Area", "Attività", "Tempi (testo)", "Consuntivo (testo)", "Mese previsto",
                 "Mese svolto", "Mesi di ritardo", "Stato", "Perché", messages.CORRECTIONS["corrected_column"],
                 messages.CORRECTIONS["original_column"], "file", "riga", "document_id"]
late = table[steps.status.values == "done_late"]
st.subheader(f"Passi in ritardo ({len(late)})")
MONTHS = ("Mese previsto", "Mese svolto")
ui.table_with_exports(late.drop(columns=["document_id"]), "Passi in ritardo", "ritardi", months=MONTHS)
apart = table[steps.status.isin(["not_done", "done_undated", "not_reported"]).values]
st.subheader(f"Non svolti, senza data o non rendicontati ({len(apart)})")
ui.table_with_exports(apart.drop(columns=["document_id"]), "Passi non svolti o senza data", "a_parte", months=MONTHS)
with st.expander("Tutti i passi"):
    ui.table_with_exports(table.drop(columns=["document_id"]), "Cronoprogramma", "tutti", months=MONTHS)
ui.source_picker(table, "Attività", "crono")
corrections_ui.correction_form(steps, "milestones", [f"{str(r.activity)[:90]} — {r.issuer} · {r.year}, riga "
                                                     f"{r.source_line}" for r in steps.itertuples()], "crono")

"""Raggiungimento obiettivi: attainment per area and per document, drill-down to the indicator."""
import streamlit as st

from cruscotto import charts, corrections_ui, db, messages, ui

ui.entry_guard("pages/raggiungimento.py")
st.title("Raggiungimento obiettivi")
filters = ui.current_filters()
by_area = ui.load(db.attainment, filters, by="area")
if by_area.empty:
    ui.empty_state()
    st.stop()

by_document = ui.load(db.attainment, filters, by="document")
by_document["label"] = ui.document_labels(by_document)
ui.chart(charts.attainment_bars, by_document, "label", "Indicatori raggiunti per consorzio e anno",
         key="per_documento")
st.caption("I Piani di Zona non compaiono: fissano obiettivi per il triennio, non ne rendicontano i risultati. "
           "Ogni barra divide gli indicatori valutabili di un documento: raggiunti o superati (verde e blu), "
           "parzialmente raggiunti (arancio), non raggiunti (rosso). Gli indicatori non rendicontati o da "
           "verificare sono scritti a destra e non contano né come successi né come insuccessi.")

by_area["label"] = ui.document_labels(by_area) + " · " + by_area.area
ui.chart(charts.attainment_bars, by_area, "label", "Indicatori raggiunti per area", key="per_area")
st.caption("La stessa lettura, area per area: le aree con più rosso sono quelle dove gli impegni presi non "
           "sono stati mantenuti.")

table = by_area.assign(rate=(by_area.met + by_area.exceeded) / by_area.judged.where(by_area.judged > 0))
table = table[["issuer", "year", "area", "met", "exceeded", "partly", "not_met", "not_reported", "unknown",
               "judged", "rate"]]
table.columns = ["Ente", "Anno", "Area", "Raggiunti", "Superati", "Parziali", "Non raggiunti", "Non rendicontati",
                 "Da verificare", "Valutabili", "Tasso di raggiungimento"]
ui.table_with_exports(table, "Raggiungimento per area", "aree", percent=("Tasso di raggiungimento",))

st.subheader("Dall'area all'indicatore")
indicators = ui.load(db.indicators, filters)
indicators = indicators[indicators.kind != "piano_di_zona"]
areas = sorted(indicators.area.unique())
area = st.selectbox("Area", areas, key="drill_area")
in_area = indicators[indicators.area == area]
in_area = in_area.assign(objective=in_area.objective.fillna("(obiettivo senza titolo)"))
objective = st.selectbox("Obiettivo", in_area.objective.unique(), key="drill_objective",
                         format_func=lambda o: o if len(o) < 120 else o[:117] + "…")
rows = in_area[in_area.objective == objective]
detail = rows.assign(stato=corrections_ui.status_labels(rows),
                     lettura=corrections_ui.original_reading(rows, "indicators"))[
    ["name", "expected_raw", "actual_raw", "stato", "status_reason", "lettura", "source_name", "source_line",
     "document_id"]]
detail.columns = ["Indicatore", "Atteso", "Consuntivo", "Stato", "Perché", messages.CORRECTIONS["original_column"],
                  "file", "riga", "document_id"]
ui.table_with_exports(detail.drop(columns=["document_id"]), "Indicatori dell'obiettivo", "drill")
ui.source_picker(detail, "Indicatore", "drill")
corrections_ui.correction_form(rows, "indicators", [f"{r.name} — riga {r.source_line}" for r in rows.itertuples()],
                               "drill")

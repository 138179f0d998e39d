"""Raggiungimento obiettivi: attainment per area and per document, drill-down to the indicator."""
import pandas as pd
import streamlit as st

from cruscotto import charts, corrections_ui, db, messages, ui
from cruscotto.italian import format_number

CHART_MOST = 15                      # bars per chart: the 15 best and the 15 worst rates when there are more


def best_and_worst(filters, by: str):
    """The rows a chart draws (all, or the CHART_MOST best then the CHART_MOST worst) and how many there are."""
    best = ui.load(db.attainment, filters, by, limit=CHART_MOST, order="rate_high", judged_only=True)
    total = int(best.total_rows.iloc[0]) if len(best) else 0
    if total <= 2 * CHART_MOST:
        rows = ui.load(db.attainment, filters, by, limit=2 * CHART_MOST, order="name")
        return rows.drop(columns="total_rows"), int(rows.total_rows.iloc[0]) if len(rows) else 0, False
    worst = ui.load(db.attainment, filters, by, limit=CHART_MOST, order="rate_low", judged_only=True)
    return pd.concat([best, worst.iloc[::-1]], ignore_index=True).drop(columns="total_rows"), total, True


def rest_sentence(total: int, what: str) -> str:
    return (f"Qui i {CHART_MOST} {what} con la quota più alta di indicatori raggiunti e i {CHART_MOST} con la più "
            f"bassa, su {format_number(total, 0)} con indicatori valutabili: tutti sono nella tabella qui sotto.")


def area_table(counts):
    table = counts.assign(rate=(counts.met + counts.exceeded) / counts.judged.where(counts.judged > 0))
    table = table[["issuer", "year", "area", "met", "exceeded", "partly", "not_met", "not_reported", "unknown",
                   "judged", "rate"]]
    table.columns = ["Ente", "Anno", "Area", "Raggiunti", "Superati", "Parziali", "Non raggiunti", "Non rendicontati",
                     "Da verificare", "Valutabili", "Tasso di raggiungimento"]
    return table


def detail_table(rows):
    detail = rows.assign(stato=corrections_ui.status_labels(rows),
                         lettura=corrections_ui.original_reading(rows, "indicators"))[
        ["name", "expected_raw", "actual_raw", "stato", "status_reason", "lettura", "source_name", "source_line",
         "document_id"]]
    detail.columns = ["Indicatore", "Atteso", "Consuntivo", "Stato", "Perché", messages.CORRECTIONS["original_column"],
                      "file", "riga", "document_id"]
    return detail


ui.entry_guard("pages/raggiungimento.py")
st.title("Raggiungimento obiettivi")
filters = ui.current_filters()
areas = ui.load(db.indicator_areas, filters)
if not areas:
    ui.empty_state()
    st.stop()

by_document, documents_total, cut = best_and_worst(filters, "document")
by_document["label"] = ui.document_labels(by_document)
ui.chart(charts.attainment_bars, by_document, "label", "Indicatori raggiunti per consorzio e anno",
         key="per_documento")
st.caption("I Piani di Zona non compaiono: fissano obiettivi per il triennio, non ne rendicontano i risultati. "
           "Ogni barra divide gli indicatori valutabili di un documento: raggiunti o superati (verde e blu), "
           "parzialmente raggiunti (arancio), non raggiunti (rosso). Gli indicatori non rendicontati o da "
           "verificare sono scritti a destra e non contano né come successi né come insuccessi.")
if cut:
    st.caption(rest_sentence(documents_total, "documenti"))

by_area, areas_total, cut = best_and_worst(filters, "area")
by_area["label"] = ui.document_labels(by_area) + " · " + by_area.area
ui.chart(charts.attainment_bars, by_area, "label", "Indicatori raggiunti per area", key="per_area")
st.caption("La stessa lettura, area per area: le aree con più rosso sono quelle dove gli impegni presi non "
           "sono stati mantenuti.")
if cut:
    st.caption(rest_sentence(areas_total, "aree di un documento"))

ui.paged_table(db.attainment, filters, "aree", "Raggiungimento per area", area_table, hidden=(),
               percent=("Tasso di raggiungimento",), by="area")

st.subheader("Dall'area all'indicatore")
area = st.selectbox("Area", areas, key="drill_area")
titles, matching = ui.load(db.area_objectives, filters, area)
if matching > len(titles):
    search = st.text_input("Cerca l'obiettivo", key="drill_cerca", placeholder="parole del titolo")
    if search.strip():
        titles, matching = ui.load(db.area_objectives, filters, area, search)
    st.caption(f"{format_number(matching, 0)} obiettivi: qui i primi {len(titles)}; scrivi nel campo per trovarne altri.")
if titles:
    objective = st.selectbox("Obiettivo", titles, key="drill_objective",
                             format_func=lambda o: o if len(o) < 120 else o[:117] + "…")
    rows, detail = ui.paged_table(db.indicators, filters, "drill", "Indicatori dell'obiettivo", detail_table,
                                  numbers={"Atteso": "expected_value", "Consuntivo": "actual_value"},
                                  reports_only=True, area=area, objective=objective)
    ui.source_picker(detail, "Indicatore", "drill")
    corrections_ui.correction_form(rows, "indicators", lambda rows: [f"{r.name} — riga {r.source_line}"
                                                                  for r in rows.itertuples()],
                                   "drill")

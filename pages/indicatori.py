"""Indicatori: expected vs actual, numeric ones in a chart, textual ones in a table."""
import pandas as pd
import streamlit as st

from cruscotto import charts, corrections_ui, db, messages, ui

CHART_MOST = 15                      # the chart shows the 15 furthest above and the 15 furthest below target
NUMBERS = {"Atteso": "expected_value", "Consuntivo": "actual_value"}    # the files: the number read beside the text


def shaped(rows, numeric: bool):
    """db.indicators rows as the tables show them, with Italian headers (document_id kept for the source)."""
    table = rows.assign(obiettivo=ui.objective_labels(rows, most=60), stato=corrections_ui.status_labels(rows),
                        corretto=corrections_ui.corrected_flags(rows),
                        lettura=corrections_ui.original_reading(rows, "indicators"))[
        ["issuer", "year", "area", "obiettivo", "name", "unit", "baseline_raw", "expected_raw", "actual_raw",
         "reported_deviation_raw", "computed_deviation", "attainment", "stato", "status_reason", "corretto", "lettura",
         "source_name", "source_line", "document_id"]]
    table.columns = ["Ente", "Anno", "Area", "Obiettivo", "Indicatore", "Unità", "Valore attuale (base)", "Atteso",
                     "Consuntivo", "Scostamento stampato", "Scostamento calcolato", "Raggiungimento", "Stato", "Perché",
                     messages.CORRECTIONS["corrected_column"], messages.CORRECTIONS["original_column"], "file", "riga",
                     "document_id"]
    return table if numeric else table.drop(columns=["Raggiungimento", "Scostamento calcolato"])


HIGHEST = dict(numeric=True, reports_only=True, limit=CHART_MOST, order="ratio_high")


def drawn_indicators(highest, filters, numeric_total: int):
    """The numeric indicators the chart draws: the furthest above, then the furthest below, each drawn once."""
    drawn = highest.drop(columns="total_rows")
    if numeric_total > CHART_MOST:
        lowest = ui.load(db.indicators, filters, **{**HIGHEST, "order": "ratio_low"})
        lowest = lowest[~lowest.indicator_id.isin(drawn.indicator_id)].drop(columns="total_rows")
        drawn = pd.concat([drawn, lowest.iloc[::-1]], ignore_index=True)
    return drawn


def dumbbell(highest, filters, numeric_total: int, title: str):
    return charts.expected_vs_actual(drawn_indicators(highest, filters, numeric_total), title)


def numeric_table(rows):
    return shaped(rows, True)


def textual_table(rows):
    return shaped(rows, False)


ui.entry_guard("pages/indicatori.py")
st.title("Indicatori: atteso vs consuntivo")
filters = ui.current_filters()
numeric_counts = ui.load(db.indicator_counts, filters, numeric=True, reports_only=True)
other_counts = ui.load(db.indicator_counts, filters, numeric=False, reports_only=True)
if not numeric_counts and not other_counts:
    ui.empty_state()
    st.stop()

numeric_total = sum(numeric_counts.values())
if numeric_total:
    ui.query_chart(dumbbell, (filters, numeric_total, "Consuntivo in rapporto al valore atteso"), db.indicators,
                   filters, key="dumbbell", **HIGHEST)
    highest = ui.load(db.indicators, filters, **HIGHEST).indicator_id
    drawn = len(highest)                     # how many the chart draws (drawn_indicators), for the sentence below
    if numeric_total > CHART_MOST:
        lowest = ui.load(db.indicators, filters, **{**HIGHEST, "order": "ratio_low"}).indicator_id
        drawn += int((~lowest.isin(highest)).sum())
    st.caption("Il trattino nero è il valore atteso (100%); il punto è il consuntivo, colorato secondo lo stato. "
               "Per i limiti massimi («≤ 5%», «< 3») stare a sinistra del trattino è un buon risultato; per tutti "
               "gli altri conta arrivare al trattino o superarlo.")
    if numeric_total > drawn:
        st.caption(charts.rest_of_indicators(numeric_total, CHART_MOST, numeric_counts))

st.subheader("Indicatori numerici")
rows, numeric = ui.paged_table(db.indicators, filters, "numerici", "Indicatori numerici", numeric_table,
                               percent=("Raggiungimento",), numbers=NUMBERS, numeric=True, reports_only=True)
st.subheader("Indicatori descrittivi, non rendicontati o da verificare")
st.caption("Qui gli indicatori con un valore atteso o un consuntivo a parole (Sì/No, scadenze, frasi): lo stato "
           "viene dalla lettura del testo e la colonna «Perché» spiega come.")
others, textual = ui.paged_table(db.indicators, filters, "testuali", "Indicatori descrittivi", textual_table,
                                 numbers=NUMBERS, numeric=False, reports_only=True)
shown = pd.concat([rows, others], ignore_index=True)
picked = ["Indicatore", "file", "riga", "document_id"]              # what the picker reads of each row
ui.source_picker(pd.concat([numeric[picked], textual[picked]], ignore_index=True), "Indicatore", "indicatori")
corrections_ui.correction_form(shown, "indicators", lambda rows: [
    f"{r.name} — {r.issuer} · {r.year}, riga {r.source_line}" for r in rows.itertuples()], "indicatori")

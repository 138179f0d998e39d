"""Indicatori: expected vs actual, numeric ones in a chart, textual ones in a table."""
import streamlit as st

from cruscotto import charts, corrections_ui, db, messages, ui

ui.entry_guard("pages/indicatori.py")
st.title("Indicatori: atteso vs consuntivo")
filters = ui.current_filters()
indicators = ui.load(db.indicators, filters)
indicators = indicators[indicators.kind != "piano_di_zona"]
if indicators.empty:
    ui.empty_state()
    st.stop()

numeric = indicators[indicators.expected_value.notna() & indicators.actual_value.notna()
                     & (indicators.expected_value != 0) & indicators.status.isin(charts.JUDGED)]
if not numeric.empty:
    ui.chart(charts.expected_vs_actual, numeric, "Consuntivo in rapporto al valore atteso", key="dumbbell")
    st.caption("Il trattino nero è il valore atteso (100%); il punto è il consuntivo, colorato secondo lo stato. "
               "Per i limiti massimi («≤ 5%», «< 3») stare a sinistra del trattino è un buon risultato; per tutti "
               "gli altri conta arrivare al trattino o superarlo.")

table = indicators.assign(obiettivo=ui.objective_labels(indicators, most=60),
                          stato=corrections_ui.status_labels(indicators),
                          corretto=corrections_ui.corrected_flags(indicators),
                          lettura=corrections_ui.original_reading(indicators, "indicators"))[
    ["issuer", "year", "area", "obiettivo", "name", "unit", "baseline_raw", "expected_raw", "actual_raw", "reported_deviation_raw",
     "computed_deviation", "attainment", "stato", "status_reason", "corretto", "lettura", "source_name", "source_line",
     "document_id"]]
table.columns = ["Ente", "Anno", "Area", "Obiettivo", "Indicatore", "Unità", "Valore attuale (base)", "Atteso", "Consuntivo",
                 "Scostamento stampato", "Scostamento calcolato", "Raggiungimento", "Stato", "Perché",
                 messages.CORRECTIONS["corrected_column"], messages.CORRECTIONS["original_column"], "file", "riga",
                 "document_id"]
numeric_rows = table.index.isin(numeric.index)
st.subheader("Indicatori numerici")
ui.table_with_exports(table[numeric_rows].drop(columns=["document_id"]), "Indicatori numerici", "numerici",
                      percent=("Raggiungimento",))
st.subheader("Indicatori descrittivi, non rendicontati o da verificare")
st.caption("Qui gli indicatori con un valore atteso o un consuntivo a parole (Sì/No, scadenze, frasi): lo stato "
           "viene dalla lettura del testo e la colonna «Perché» spiega come.")
ui.table_with_exports(table[~numeric_rows].drop(columns=["document_id", "Raggiungimento", "Scostamento calcolato"]),
                      "Indicatori descrittivi", "testuali")
ui.source_picker(table, "Indicatore", "indicatori")
corrections_ui.correction_form(indicators, "indicators", [f"{r.name} — {r.issuer} · {r.year}, riga {r.source_line}"
                                                          for r in indicators.itertuples()], "indicatori")

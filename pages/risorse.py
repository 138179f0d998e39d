"""Piano di Zona: risorse. Budget shares by year, joint-management share, printed totals vs lines."""
import streamlit as st

from cruscotto import charts, db, ui
from cruscotto.evaluation import joint_management_shares, totals_against_lines


def table_shares(lines, table_name: str, title: str):
    """The budget chart of one table of the chosen document's lines."""
    return charts.budget_shares(lines[lines.table_name == table_name], title)


def budget_table(document_id: int, issuer: str, table_name: str, table_lines) -> None:
    st.subheader(ui.plain(table_name))
    ui.query_chart(table_shares, (table_name, f"{table_name}: quota di ogni voce sul totale dell'anno"),
                   db.budget_shares, filters, document_id=int(document_id), key=f"shares_{document_id}_{table_name}")
    st.caption("Ogni colonna è un anno e somma al 100%: ogni blocco è la quota di una voce sul totale delle "
               "voci di quell'anno (passando il mouse si vede l'importo). Le celle «€ -» o vuote non sono "
               "contate come zero: restano fuori dalla somma.")
    shown = table_lines[["group_name", "line", "year", "amount_eur", "share", "amount_raw", "source_name",
                         "source_line", "document_id"]]
    shown.columns = ["Gruppo", "Voce", "Anno", "Importo", "Quota", "Come stampato", "file", "riga", "document_id"]
    ui.table_with_exports(shown.drop(columns=["document_id"]), f"{table_name} {issuer}",
                          f"lines_{document_id}_{table_name}", euro=("Importo",), percent=("Quota",))
    ui.source_picker(shown, "Voce", f"src_{document_id}_{table_name}")


def joint_management(document_id: int, shares) -> None:
    if shares.empty:
        return
    st.subheader("Quota di spesa sociale in gestione associata")
    ui.chart(charts.shares_printed_and_computed, shares,
             "Gestione associata sul totale della spesa sociale distrettuale", key=f"joint_{document_id}")
    st.caption(f"La barra è la percentuale che il documento stampa; il rombo è quella che risulta dividendo il "
               f"totale del budget per «{ui.plain(shares.base_label.iloc[0])}». Se i due valori coincidono (a meno "
               "dell'arrotondamento) il documento è coerente con sé stesso.")


def totals_check(document_id: int, issuer: str, money) -> None:
    if money.empty:
        return
    st.subheader("Totali stampati e somma delle righe")
    check = money.assign(somma=money.sum_of_lines.astype(float))[
        ["table_name", "label", "year", "printed", "somma", "check", "as_printed", "source_line"]]
    check.columns = ["Tabella", "Riga", "Anno", "Stampato", "Somma delle righe", "Verifica", "Come stampato", "riga"]
    ui.table_with_exports(check, f"Verifica totali {issuer}", f"check_{document_id}",
                          euro=("Stampato", "Somma delle righe"))
    differing = (check.Verifica.str.startswith("differenza")).sum()
    apart = (check.Verifica == "non è un totale delle righe").sum()
    note = (f" Le {apart} righe «non è un totale delle righe» sono importi stampati accanto alla tabella (come la "
            "spesa sociale distrettuale): non sono somme delle voci, e non vengono verificate." if apart else "")
    st.caption(("Nessuna differenza: i totali stampati sono la somma delle righe." if not differing else
                f"Attenzione: {differing} totali non coincidono con la somma delle righe.") + note)


ui.entry_guard("pages/risorse.py")
st.title("Piano di Zona: risorse")
filters = ui.current_filters()
chosen = ui.search_choice(db.documents_with, filters, "Documento", "risorse_doc", what="budget_lines")
if chosen is None:
    ui.empty_state("Nessuna tabella di bilancio per i filtri scelti: le risorse vengono dai Piani di Zona.")
    st.stop()

lines = ui.load(db.budget_shares, filters, document_id=chosen[0])
# the chosen document's printed totals, read once per database (not at every rerun)
shares = ui.load(db.totals_check, filters, document_id=chosen[0], then=joint_management_shares)
money = ui.load(db.totals_check, filters, document_id=chosen[0], then=totals_against_lines)
for (document_id, issuer, period), by_document in lines.groupby(["document_id", "issuer", "period"]):
    st.header(ui.plain(f"{issuer} · {period}"))
    for table_name, table_lines in by_document.groupby("table_name", sort=False):
        with ui.isolated(f"La tabella «{table_name}» di {issuer}"):
            budget_table(document_id, issuer, table_name, table_lines)
    with ui.isolated(f"La quota in gestione associata di {issuer}"):
        joint_management(document_id, shares)
    with ui.isolated(f"La verifica dei totali di {issuer}"):
        totals_check(document_id, issuer, money)

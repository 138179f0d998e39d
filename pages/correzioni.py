"""Correzioni: every correction a person made to the tool's reading, orphaned ones first; withdrawing one;
per document, how many judgements are the tool's and how many a person's."""
import streamlit as st

from cruscotto import auth, corrections_ui, db, ui
from cruscotto.messages import CORRECTIONS, OVERRIDE_STATUS_LABELS

ui.entry_guard("pages/correzioni.py")
st.title("Correzioni")
st.caption("Quello che una persona ha corretto nella lettura del cruscotto: chi, quando, perché, e che cosa "
           "diceva prima. La lettura originale non viene mai cancellata: ogni pagina mostra il valore corretto, "
           "segnato «(corretto)», con la lettura del cruscotto accanto. Una correzione segue il dato anche quando "
           "il documento viene ricaricato o caricato in un altro formato; se il dato non c'è più, la correzione "
           "resta qui come «orfana».")
flash = st.session_state.pop(corrections_ui.FLASH_KEY, None)
if flash:
    st.success(flash)

found = ui.load(db.overrides)
if found.empty:
    ui.empty_state("Nessuna correzione registrata. Un editor può correggere un dato dalle pagine Indicatori, "
                   "Cronoprogramma e Documento.")
else:
    left, middle, right = st.columns(3)
    issuers = left.multiselect("Ente / consorzio", sorted(found.issuer.dropna().unique()), key="corr_f_enti",
                               placeholder="Tutti", select_all=False)
    years = middle.multiselect("Anno", sorted(found.year.dropna().unique()), key="corr_f_anni", placeholder="Tutti",
                               select_all=False)
    states = right.multiselect("Stato", list(OVERRIDE_STATUS_LABELS), format_func=OVERRIDE_STATUS_LABELS.get,
                               key="corr_f_stati", placeholder="Tutti", select_all=False)
    shown = corrections_ui.chosen(found, issuer=issuers, year=years, status=states)
    orphaned = shown[shown.status == "orphaned"]
    if len(orphaned):
        st.warning(f"{ui.counted(len(orphaned), 'correzione orfana', 'correzioni orfane')}: il dato corretto non "
                   "c'è più nel documento caricato oggi (eliminato, o ricaricato in una versione che non lo "
                   "contiene). Restano elencate qui: si ricollegano da sole se il dato ricompare in un caricamento, "
                   "altrimenti un editor può ritirarle.")
    table = corrections_ui.overrides_table(shown)
    st.subheader(f"Elenco ({len(table)})")
    ui.table_with_exports(table, "Correzioni", "correzioni")

st.subheader("Giudizi: del cruscotto e di una persona")
st.caption("Per ogni documento, quanti stati di indicatori e di passi vengono dalla lettura del cruscotto e quanti "
           "da una persona (uno stato corretto, oppure un valore o un mese corretto e valutato di nuovo).")
judged = ui.load(db.judgements)
judged = judged[["issuer", "year", "source_name", "indicators_tool", "indicators_person", "steps_tool",
                 "steps_person"]]
judged.columns = ["Ente", "Anno", "File", "Indicatori: del cruscotto", "Indicatori: di una persona",
                  "Passi: del cruscotto", "Passi: di una persona"]
ui.table_with_exports(judged, "Giudizi del cruscotto e delle persone", "giudizi")

st.subheader("Ritirare una correzione")
editor = auth.editor_gate()
if editor and not found.empty:
    open_ones = found[found.status != "withdrawn"]
    if open_ones.empty:
        st.info("Nessuna correzione attiva o orfana da ritirare.")
    else:
        labels = {r.override_id: f"n. {r.override_id} · {r.record_label} · {corrections_ui.field_label(r)}: "
                                 f"«{corrections_ui.value_label(r, 'new_value')}» ({r.issuer} · {r.year})"
                  for r in open_ones.itertuples()}
        chosen = st.selectbox("Correzione", list(labels), format_func=labels.get, key="withdraw_choice")
        reason = st.text_area(CORRECTIONS["withdraw_reason"], key=f"withdraw_reason_{st.session_state.get(corrections_ui.ROUND_KEY, 0)}")
        if st.button("Ritira correzione", key="withdraw", type="primary"):
            corrections_ui.withdraw(int(chosen), reason, editor)

"""Amministrazione: backup and restore of the whole database, and the register of changes (editors only)."""
import streamlit as st

from cruscotto import auth, backup, db, messages, ui
from cruscotto.italian import format_moment
from cruscotto.messages import AUDIT


def register(changes):
    """db.changes rows as the register shows them, with Italian headers ('Quando' stays a moment: a date cell in
    the files, '01/12/2026 11:02:48' on the screen)."""
    shown = changes.assign(restored=changes["restored"].fillna(False).astype(bool).map({True: AUDIT["restored"],
                                                                                       False: ""}))
    return shown.rename(columns={"changed_at": "Quando", "editor": "Chi", "action": "Che cosa", "source_name": "File",
                                 "document_id": "Documento", "detail": "Dettagli", "restored": "Provenienza"})


ui.entry_guard("pages/amministrazione.py")
st.title("Amministrazione")
editor = auth.editor_gate()
if editor is None:
    st.stop()

st.subheader("Copia di sicurezza")
st.caption("Tutto il database (documenti originali compresi) in un file .zip di tabelle Parquet. Conservalo: "
           "con «Ripristina» torna tutto com'era al momento della copia.")
if st.button("Prepara la copia di sicurezza"):
    try:
        st.session_state["backup_zip"] = backup.export_zip(db.db_path())
    except db.DatabaseBusy:
        st.warning(ui.BUSY)
    except db.DiskFull:
        st.error(f"Copia non preparata: {messages.EXPORT_NO_SPACE}.")
if "backup_zip" in st.session_state:
    st.download_button("Scarica la copia (.zip)", st.session_state["backup_zip"], file_name="cruscotto_copia.zip",
                       mime="application/zip")

st.subheader("Ripristina da una copia")
st.warning("Il ripristino sostituisce tutto il database con la copia scelta.")
upload = st.file_uploader("Copia di sicurezza (.zip)", type=["zip"], key="restore_zip")
confirmed = st.checkbox("Ho capito: sostituisci il database con questa copia", key="restore_ok")
if st.button("Ripristina", type="primary", disabled=not (upload and confirmed)):
    try:
        counts = backup.restore_zip(upload.getvalue(), db.db_path(), editor)
        st.cache_data.clear()
        st.success(f"Database ripristinato: {counts['documents']} documenti, {counts['indicators']} indicatori.")
    except backup.BackupRefused as exc:
        st.error(f"Ripristino non eseguito, il database è rimasto com'era: {exc}.")
    except db.LoadInProgress:
        st.warning(f"Ripristino non eseguito, il database è rimasto com'era: {messages.LOAD_IN_PROGRESS}.")
    except db.DatabaseBusy:
        st.warning(ui.BUSY)
    except db.DiskFull:
        st.error(f"Ripristino non eseguito: {messages.RESTORE_NO_SPACE}.")

st.subheader("Elimina un documento")
found = ui.search_choice(db.document_choices, db.Filters(), "Documento da eliminare", "delete_choice")
if found is not None:
    chosen = found[0]
    sure = st.checkbox("Ho capito: il documento e tutto ciò che ne è stato letto spariscono dal database",
                       key="delete_ok")
    if st.button("Elimina", disabled=not sure):
        try:
            with db.writing() as con:
                name = db.delete_document(con, int(chosen), editor)
            st.success(f"«{ui.plain(name)}» eliminato. Resta nel registro delle modifiche.")
        except db.DatabaseBusy:
            st.warning(ui.BUSY)
        except Exception as exc:
            if not db.is_disk_full(exc):
                raise
            st.error(f"Documento non eliminato: {messages.NO_SPACE}, il database è rimasto com'era.")

st.subheader("Modelli di tabella")
for done in st.session_state.pop("layout_deleted", []):
    st.success(done)
layouts = ui.load(db.layouts)
if layouts.empty:
    ui.empty_state("Nessun modello di tabella: si crea assegnando le colonne di una tabella non letta, nella "
                   "pagina Documento.")
else:
    st.caption("Ruoli delle colonne assegnati da un editor a una tabella non riconosciuta: ogni tabella con la stessa "
               "intestazione, di qualunque ente, viene letta così al caricamento. Eliminare un modello non cambia i "
               "dati già letti con esso.")
    shown = layouts.assign(
        header_text=layouts.header_text.str.replace("\t", " | "),
        roles=[ui.role_summary(text, roles) for text, roles in zip(layouts.header_text, layouts.roles)],
        created_at=layouts.created_at.map(format_moment))
    st.dataframe(shown.rename(columns={"layout_id": "N.", "header_text": "Intestazione", "roles": "Colonne",
                                       "editor": "Chi", "created_at": "Quando", "source_name": "Creato sul file"}),
                 hide_index=True)
    labels = {r.layout_id: f"n. {r.layout_id} · {r.header_text}" for r in shown.itertuples()}
    chosen_layout = st.selectbox("Modello da eliminare", list(labels), format_func=labels.get, key="layout_choice")
    if st.button("Elimina il modello", key="layout_delete"):
        try:
            with db.writing() as con:
                header = db.delete_layout(con, int(chosen_layout), editor)
            if header is not None:
                st.session_state["layout_deleted"] = [f"Modello n. {int(chosen_layout)} eliminato: resta nel registro "
                                                      "delle modifiche."]
                st.rerun()
        except db.DatabaseBusy:
            st.warning(ui.BUSY)
        except Exception as exc:
            if not db.is_disk_full(exc):
                raise
            st.error(f"Modello non eliminato: {messages.NO_SPACE}, il database è rimasto com'era.")

st.subheader("Registro delle modifiche")
if ui.load(db.changes, db.Filters(), limit=1).empty:
    ui.empty_state("Nessuna modifica registrata.")
else:
    st.caption("Un nome seguito da «(dichiarato)» è stato scritto da chi ha usato la password condivisa: nessuno "
               "lo ha verificato. Le righe «da una copia ripristinata» vengono da una copia di sicurezza: "
               "questo database non le ha viste accadere.")
    ui.paged_table(db.changes, db.Filters(), "registro", "Registro delle modifiche", register, hidden=())

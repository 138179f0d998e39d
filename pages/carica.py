"""Carica documenti: upload text, PDF and Excel files, preview what was read, then save or cancel."""
import pandas as pd
import streamlit as st

from cruscotto import auth, db, messages, ui
from cruscotto.template import write_workbook
from cruscotto.italian import format_period
from loaders.service import map_prepared, mapping_rows, prepare, save, unread_tables

FAMILY_LABELS, FORMAT_LABELS = messages.FAMILY_LABELS, messages.FORMAT_LABELS
COUNT_LABELS = {"objectives": "Obiettivi", "milestones": "Passi", "indicators": "Indicatori",
                "budget_lines": "Righe di bilancio", "scores": "Punteggi", "quality_issues": "Righe non lette o da verificare"}

def _accept(key: str) -> None:
    st.session_state[f"accepted_{key}"] = st.session_state[f"accept_{key}"]


ui.entry_guard("pages/carica.py")
st.title("Carica documenti")
st.caption("Relazioni sulla performance, rendicontazioni e Piani di Zona in testo (.txt, .md), PDF con testo, "
           "Word (.docx), OpenDocument (.odt), oppure Excel: il modello del cruscotto o una tabella con intestazioni "
           "come Obiettivo / Indicatore / Valore atteso / Valore consuntivo. Prima di salvare si vede che cosa è "
           "stato letto.")
st.download_button("Scarica il modello Excel vuoto", write_workbook(), file_name="modello_cruscotto.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
editor = auth.editor_gate()
if editor is None:
    st.stop()

for name in st.session_state.pop("upload_done", []):
    st.success(f"«{ui.plain(name)}» salvato nel database: è già nelle altre pagine.")
for failure in st.session_state.pop("upload_failed", []):
    st.error(failure)
round_ = st.session_state.setdefault("upload_round", 0)
files = st.file_uploader("Trascina qui uno o più file", type=["txt", "md", "pdf", "xlsx", "docx", "odt"],
                         accept_multiple_files=True, key=f"uploader_{round_}")
if not files:
    st.info("Nessun file scelto: trascina qui i documenti, oppure sceglili con il pulsante qui sopra.")
    st.stop()

try:
    index = db.document_index()
except db.DatabaseBusy:
    st.warning(ui.BUSY)
    st.stop()

choices = []
for number, upload in enumerate(files):
    key = f"{round_}_{number}_{upload.name}_{upload.size}"
    accept = st.session_state.get(f"accepted_{key}", False)      # kept apart: the checkbox disappears once accepted
    cache_key = ("prepared", key, accept)
    if cache_key not in st.session_state:
        with st.spinner(f"Leggo «{upload.name}»…"):
            st.session_state[cache_key] = prepare(upload.name, upload.getvalue(), index, accept_valid=accept)
    prepared = st.session_state[cache_key]
    name = ui.plain(upload.name)
    st.subheader(name)
    about = messages.about(prepared.status, prepared.error, prepared.existing_name)
    if prepared.status == "refused":
        st.error(f"«{name}» non può essere caricato: {ui.plain(about)}.")
        continue
    if prepared.status == "unchanged":
        st.info(f"«{name}» è già nel database, identico: non serve caricarlo di nuovo.")
        continue
    if prepared.status == "invalid":
        st.error(f"«{name}»: il modello Excel ha celle non valide. Correggile e ricarica il file, "
                 "oppure carica solo le righe valide.")
        st.markdown("\n".join(f"- {ui.plain(error)}" for error in prepared.errors[:30])
                    + (f"\n- … e altre {len(prepared.errors) - 30}" if len(prepared.errors) > 30 else ""))
        st.checkbox("Carica solo le righe valide", key=f"accept_{key}", on_change=_accept, args=(key,))
        continue
    parsed = prepared.parsed
    mappings = []
    if prepared.status == "unrecognised":
        st.warning(f"«{name}»: {ui.plain(about)}. Puoi conservarlo comunque: il testo e le tabelle estratte "
                   "restano nel database e compaiono nella pagina Qualità dei dati, pronti per essere letti a mano. "
                   "Puoi anche dire che cosa contiene ogni colonna delle sue tabelle: i dati vengono letti al "
                   "salvataggio, e la scelta resta come modello per le tabelle con la stessa intestazione.")
        lines = [q for q in prepared.rows["quality_issues"] if q["category"] == "unparsed_table"]
        tables = unread_tables(prepared.extracted.text, prepared.extracted.furniture, [q["source_line"] for q in lines])
        facts = dict(kind=parsed.kind, report_year=st.session_state.get(f"year_{key}") or parsed.report_year,
                     period_start=parsed.period_start, deviation_legend=parsed.deviation_legend)
        for t_number, table in enumerate(tables):
            title = f"Tabella alle righe {table.first_line}-{table.last_line}" + (f" · {table.title}" if table.title else "")
            with st.expander(ui.plain(title)):
                st.dataframe(ui.extracted_table(table), hide_index=True)
                roles = ui.role_pickers(table, (), f"up_{key}_{t_number}")
                if any(roles):
                    rows = mapping_rows(table, roles, facts)
                    ui.mapping_preview(rows)
                    if rows["records"]:
                        mappings.append((table, roles))
        if not tables and lines:
            with st.expander(f"Righe di tabella estratte ({len(lines)})"):
                st.dataframe(pd.DataFrame([{"riga": q["source_line"], "Testo": q["raw_text"]} for q in lines]),
                             hide_index=True)
    st.caption(f"Letto come «{FAMILY_LABELS.get(prepared.family, prepared.family)}» "
               f"({FORMAT_LABELS[prepared.input_format]}) · {ui.KIND_LABELS.get(parsed.kind, parsed.kind)}")
    left, right = st.columns(2)
    issuer = left.text_input("Ente", value=parsed.issuer or "", key=f"issuer_{key}",
                             placeholder="Il documento non indica l'ente: scrivilo qui",
                             help="Come il documento nomina l'ente; se non lo nomina, lo scrive chi carica.")
    year = None
    if parsed.kind != "piano_di_zona":
        year = right.number_input("Anno dei risultati", min_value=1990, max_value=2100, step=1,
                                  value=parsed.report_year or None, key=f"year_{key}", placeholder="Anno")
    else:
        right.text_input("Periodo del piano", value=format_period(None, parsed.period_start, parsed.period_end),
                         disabled=True, key=f"period_{key}")
    counts = prepared.counts
    st.dataframe(pd.DataFrame([{label: counts.get(table, 0) for table, label in COUNT_LABELS.items()}]),
                 hide_index=True)
    issues = [q for q in prepared.rows["quality_issues"] if q["category"] != "note"]
    if issues:
        with st.expander(f"Righe non lette o da verificare ({len(issues)})"):
            st.dataframe(pd.DataFrame([{"riga": q["source_line"], "Motivo": q["reason"], "Testo originale": q["raw_text"]}
                                       for q in issues]), hide_index=True)
    confirmed = True
    if prepared.status == "same_content":
        st.warning(f"«{name}» sembra lo stesso rapporto di «{ui.plain(prepared.existing_name or '?')}», già caricato "
                   "(stesso ente, stesso anno, stessi obiettivi): salvandolo, verrebbe contato due volte.")
        confirmed = st.checkbox("Salvalo comunque come documento a sé", key=f"twin_{key}")
    if prepared.status == "unrecognised":
        confirmed = st.checkbox("Conserva il documento con le tabelle assegnate" if mappings else
                                "Conserva il documento non riconosciuto", key=f"keep_{key}")
    if prepared.status == "replaces":
        st.warning(f"Nel database c'è già una versione diversa di «{name}».")
        confirmed = st.checkbox("Sostituisci la versione precedente con questa", key=f"replace_{key}")
    if not issuer:
        st.caption("Senza ente il documento comparirà come «Ente non indicato».")
    choices.append((prepared, issuer or None, int(year) if year else None, confirmed, mappings))

ready = [c for c in choices if c[3]]
save_column, cancel_column, _ = st.columns([1, 1, 3])
if save_column.button("Salva nel database", type="primary", disabled=not ready):
    saved, failed = [], []
    try:
        with db.writing() as con:
            writer = db.DocumentWriter(con)
            for prepared, issuer, year, _, mappings in ready:
                try:                              # each file in its own transaction; one failure stops no other
                    if mappings:
                        prepared = map_prepared(prepared, mappings, editor, year)
                    save(writer, prepared, issuer=issuer, report_year=year, editor=editor)
                    saved.append(prepared.name)
                except Exception as exc:
                    name = ui.plain(prepared.name)
                    failed.append(f"«{name}» non salvato: {messages.SAVE_NO_SPACE}." if db.is_disk_full(exc) else
                                  f"«{name}» ({type(exc).__name__}) non salvato per un errore imprevisto: il "
                                  "database non è cambiato per questo file.")
    except db.DatabaseBusy:
        st.warning(ui.BUSY)
        st.stop()
    except Exception as exc:                      # the database could not even be opened for writing
        if not db.is_disk_full(exc):
            raise
        st.error(f"Nessun file salvato: {messages.SAVE_NO_SPACE}.")
        st.stop()
    st.session_state["upload_round"] = round_ + 1
    st.session_state["upload_done"] = saved
    st.session_state["upload_failed"] = failed
    st.rerun()
if cancel_column.button("Annulla"):
    st.session_state["upload_round"] = round_ + 1
    st.rerun()

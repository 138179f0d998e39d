"""Documento: a document's objectives with their lines, and the original text around any line."""
import streamlit as st

from cruscotto import auth, corrections_ui, db, messages, ui
from cruscotto.template import write_workbook
from loaders.service import describe_counts, guess_roles, mapping_rows, save_mapping, unread_tables

ui.entry_guard("pages/documento.py")
st.title("Documento")
focus_document, focus_line = st.session_state.get(ui.FOCUS_KEY, (None, None))
filters = ui.current_filters()
found = ui.search_choice(db.document_choices, filters, "Documento", "doc_choice", focus=focus_document)
if found is None:
    if not st.session_state.get("doc_choice_cerca", "").strip():       # a search that found nothing says so itself
        ui.empty_state() if filters != db.Filters() else ui.empty_state("Nessun documento caricato.")
    st.stop()
if filters != db.Filters():
    st.caption("Qui i documenti dei filtri scelti nella barra laterale (ente, anno, tipo).")

chosen = found[0]
document_row = ui.load(db.documents, document_id=chosen)
info = document_row.iloc[0]
st.caption(f"{ui.KIND_LABELS.get(info.kind, info.kind)} · letto come «{messages.FAMILY_LABELS.get(info.family, info.family)}» · "
           f"{info.objectives} obiettivi, {info.milestones} passi, {info.indicators} indicatori, "
           f"{info.issues} righe non lette")

if info.document_corrected:
    st.caption(corrections_ui.document_reading(info))
corrections_ui.correction_form(document_row, "documents", [info.source_name], f"documento_{chosen}")

objectives = ui.load(db.objectives, int(chosen))
marked = objectives.area.where(~objectives.area_corrected, objectives.area + messages.CORRECTIONS["marker"])
table = objectives.assign(area=marked)[["number", "area", "title", "source_line", "milestones", "indicators",
                                        "duplicate_of", "original_area"]]
table = table.assign(original_area=table.original_area.where(objectives.area_corrected, None))
table.columns = ["N.", "Area", "Obiettivo", "riga", "Passi", "Indicatori", "Ripete l'obiettivo",
                 messages.CORRECTIONS["original_column"]]
st.subheader("Obiettivi")
if objectives.empty:
    ui.empty_state("Nessun obiettivo letto in questo documento: le sue tabelle sono più sotto, fra quelle non lette.")
else:
    with ui.isolated("La tabella degli obiettivi"):
        ui.table_with_exports(table, f"Obiettivi {info.source_name}", "obiettivi")
own = objectives[objectives.duplicate_of.isna()]
corrections_ui.correction_form(own, "objectives", [f"{r.number or '—'}. {str(r.title)[:90]}" for r in own.itertuples()],
                               f"obiettivi_{chosen}")

text, pages = ui.document_text(int(chosen))
count = len(text.splitlines())
default = focus_line if (focus_line and focus_document == chosen) else int(objectives.source_line.min()
                                                                           if len(objectives) else 1)
st.subheader("Da dove viene questo numero?")
line = st.number_input("Riga", min_value=1, max_value=max(count, 1), value=min(default, count), step=1,
                       key=f"line_{chosen}")
if pages and line <= len(pages):
    st.caption(f"Riga {line} del testo estratto dal PDF: pagina {pages[line - 1]} del documento originale.")
ui.show_source(chosen, line, context=8)
path = str(db.db_path())


def template_workbook() -> bytes:
    """The chosen document in the Excel template, made when a person clicks (openpyxl costs at every rerun)."""
    with db.reading(path) as con:
        return write_workbook(*db.template_rows(con, int(chosen)))


with ui.isolated("Il modello Excel di questo documento"):
    ui.download(st, "Esporta questo documento nel modello Excel", template_workbook,
                f"{ui.slug(info.source_name.rsplit('.', 1)[0])}_modello.xlsx", f"template_{chosen}",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
furniture = set(ui.load(db.furniture_lines, int(chosen)))


def column_mapping() -> None:
    """Tables no reader read: shown to everyone; an editor gives their columns roles and saves the records."""
    unread = ui.load(db.unread_lines, int(chosen))
    if not unread and not st.session_state.get("mapping_done"):
        return
    st.subheader("Tabelle non lette: assegna le colonne")
    for done in st.session_state.pop("mapping_done", []):
        st.success(done)
    tables = unread_tables(text, furniture, unread)
    if not tables:
        if unread:
            st.caption(f"{ui.counted(len(unread), 'riga di tabella non letta', 'righe di tabella non lette')}, "
                       "ma nessuna tabella di almeno due righe consecutive con lo stesso numero di celle.")
        return
    st.caption("Righe di tabella che nessun lettore ha riconosciuto. Un editor può dire che cosa contiene ogni "
               "colonna: i dati letti vengono salvati con le loro righe, e la scelta resta come modello per le "
               "tabelle con la stessa intestazione, di qualunque ente.")
    names = {t.first_line: f"Righe {t.first_line}-{t.last_line}" + (f" · {t.title}" if t.title else "") + " · "
             + " | ".join(c for c in t.header.cells if c) for t in tables}
    # the key changes with the tables left, so that after a save the choice shows what is left
    choice = st.selectbox("Tabella", list(names), format_func=names.get,
                          key=f"map_table_{chosen}_{'_'.join(map(str, names))}")
    table = next(t for t in tables if t.first_line == choice)
    st.dataframe(ui.extracted_table(table), hide_index=True)
    editor = auth.editor_gate()
    if editor is None:
        return
    key = f"map_{chosen}_{table.first_line}"
    roles = ui.role_pickers(table, guess_roles(table.header.cells), key)
    facts = ui.load(db.document_facts, int(chosen))
    rows = mapping_rows(table, roles, facts)
    st.markdown("**Anteprima: i dati che verrebbero salvati e il loro stato**")
    ui.mapping_preview(rows)
    keep = st.checkbox("Conserva come modello per le tabelle con la stessa intestazione", value=True, key=f"{key}_keep")
    if st.button("Salva i dati della tabella", type="primary", disabled=not rows["records"], key=f"{key}_save"):
        ok, layout_id = ui.write(lambda con: save_mapping(con, int(chosen), table, roles, editor, keep_layout=keep),
                                 failed="Tabella non salvata")
        if not ok:
            return
        saved = f"Righe {table.first_line}-{table.last_line} salvate: {describe_counts(rows)}."
        if layout_id is not None:
            saved += f" Modello di tabella n. {layout_id} conservato: si applica da solo alle tabelle con questa intestazione."
        st.session_state["mapping_done"] = [saved]
        st.rerun()


with ui.isolated("L'assegnazione delle colonne"):
    column_mapping()
with st.expander(f"Tutto il testo ({count} righe)"):
    if furniture:
        st.caption(f"Le {len(furniture)} righe segnate con ⌂ sono intestazioni e piè di pagina ripetuti, numeri di "
                   "pagina o intestazioni di tabella ripetute dopo un cambio pagina: restano nel testo, ma non sono "
                   "mai lette come dati.")
    st.code("\n".join(f"{'⌂' if n in furniture else ' '}{n:>5} | {t}" for n, t in enumerate(text.splitlines(), start=1)),
            language=None)

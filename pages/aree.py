"""Aree: one canonical name for the ways documents print an area (issue 11). Everyone sees the list with the
suggestions; an editor accepts them or types a name, and every change is a line of the audit trail."""
import pandas as pd
import streamlit as st

from cruscotto import areas, auth, db, ui
from cruscotto.italian import format_moment
from cruscotto.messages import AREAS

FLASH_KEY = "aree_flash"

ui.entry_guard("pages/aree.py")
st.title(AREAS["title"])
st.caption(AREAS["intro"])
for kind, text in st.session_state.pop(FLASH_KEY, []):
    getattr(st, kind)(text)

names = ui.load(db.area_names)
if names.empty:
    ui.empty_state(AREAS["empty"])
    st.stop()

current = {r.printed_area: (r.canonical_area if isinstance(r.canonical_area, str) else r.printed_area)
           for r in names.itertuples()}
suggested = areas.suggest([n for n, r in zip(names.printed_area, names.documents) if r],
                          known=sorted(names.canonical_area.dropna().unique()))
pending = {printed: name for printed, name in suggested.items() if current.get(printed) != name}
shown = pd.DataFrame({
    AREAS["col_printed"]: names.printed_area,
    AREAS["col_documents"]: names.documents,
    AREAS["col_objectives"]: names.objectives,
    AREAS["col_canonical"]: names.canonical_area.where(names.canonical_area.notna(), AREAS["same"]),
    AREAS["col_suggestion"]: [pending.get(n, "") for n in names.printed_area],
    AREAS["col_editor"]: names.editor.fillna(""),
    AREAS["col_when"]: [format_moment(m) if pd.notna(m) else "" for m in names.changed_at],
})
st.dataframe(shown, hide_index=True, height=min(35 * (len(shown) + 1) + 3, 600),
             column_config={AREAS["col_suggestion"]: st.column_config.TextColumn(width="medium")})

editor = auth.editor_gate()
if editor is None:
    st.caption(AREAS["anonymous"])
    st.stop()


def save(change, *args) -> None:
    """Run one write, then show what it did at the next run (the cached queries are dropped)."""
    try:
        ok, done = ui.write(change, *args, editor)
    except db.InvalidAlias as exc:
        st.error(AREAS[f"invalid_{exc.code}"])
        return
    if not ok:
        return
    ui.forget_cached()
    if change is db.remove_area_alias:
        flash = [("success", AREAS["removed"].format(printed=args[0], old=done))] if done else []
    else:
        flash = [("success", AREAS["saved"].format(count=len(done)))] if done else \
            [("info", AREAS["nothing"])]
    st.session_state[FLASH_KEY] = flash
    st.rerun()


st.subheader(AREAS["accept_header"])
if not pending:
    st.caption(AREAS["no_suggestions"])
else:
    chosen = st.multiselect(AREAS["accept_pick"], list(pending), key="aree_scelte",
                            format_func=lambda n: f"{n} → {pending[n]}", placeholder=AREAS["accept_placeholder"],
                            select_all=False)
    left, right = st.columns(2)
    if left.button(AREAS["accept_one"], key="aree_accetta", disabled=not chosen):
        save(db.save_area_aliases, {n: pending[n] for n in chosen})
    if right.button(AREAS["accept_all"].format(count=len(pending)), key="aree_accetta_tutti", type="primary"):
        save(db.save_area_aliases, dict(pending))

st.subheader(AREAS["edit_header"])
printed = st.selectbox(AREAS["edit_printed"], list(names.printed_area), key="aree_stampata")
canonical = st.text_input(AREAS["edit_canonical"], value=current.get(printed, ""), help=AREAS["edit_help"],
                          key=f"aree_nome_{printed}")
if st.button(AREAS["edit_save"], key="aree_salva"):
    save(db.save_area_aliases, {printed: canonical})

aliased = list(names.printed_area[names.canonical_area.notna()])
if aliased:
    st.subheader(AREAS["remove_header"])
    gone = st.selectbox(AREAS["remove_pick"], aliased, key="aree_da_togliere",
                        format_func=lambda n: f"{n} → {current[n]}")
    if st.button(AREAS["remove"], key="aree_togli"):
        save(db.remove_area_alias, gone)

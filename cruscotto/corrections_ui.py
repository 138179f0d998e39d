"""Streamlit pieces for corrections (issue 11): the «Correggi un dato» form an editor sees under a table, and
how a corrected row is marked («(corretto)», the tool's own reading in its own column).

Anonymous users see no correction control at all: the form is drawn only for a logged-in editor
(auth.current_editor); the login itself is on the Correzioni page (auth.editor_gate).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from . import auth, corrections, db, ui
from .evaluation import MILESTONE_LABELS, STATUS_LABELS
from .italian import MONTH_NAMES
from .messages import CORRECTIONS, FIELD_LABELS, OVERRIDE_STATUS_LABELS, RECORD_TABLE_LABELS

ID_COLUMNS = {"indicators": "indicator_id", "milestones": "milestone_id", "objectives": "objective_id",
              "documents": "document_id"}
FLASH_KEY = "correzione_salvata"
ROUND_KEY = "correzione_giro"


def current_editor() -> str | None:
    """The logged-in editor, or None (also when editing is not configured)."""
    return auth.current_editor() if auth.method() else None


# ---------------------------------------------------------------------------- how a correction is shown

def _text(value) -> str:
    return "—" if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "" else str(value)


def _yes(value) -> bool:
    return value is not None and not pd.isna(value) and bool(value)


def status_labels(frame: pd.DataFrame) -> pd.Series:
    """'non raggiunto (corretto)' where a person gave or changed the judgement, else the tool's label."""
    by_person = (frame.status_by_person.fillna(False).astype(bool).tolist() if "status_by_person" in frame
                 else [False] * len(frame))
    return pd.Series([ui.status_label(s) + CORRECTIONS["marker"] if mine else ui.status_label(s)
                      for s, mine in zip(frame.status.tolist(), by_person)], index=frame.index, dtype=object)


def corrected_flags(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(["sì" if c else "no" for c in frame["corrected"].fillna(False).astype(bool).tolist()],
                     index=frame.index, dtype=object)


def original_reading(frame: pd.DataFrame, table: str) -> pd.Series:
    """The tool's own reading of each corrected row ('stato: superato; atteso: 4; consuntivo: 14'); empty
    for rows nobody corrected."""
    def reading(row) -> str:
        if not row.get("corrected"):
            return ""
        parts = []
        if table == "indicators" and row.get("indicator_corrected"):
            parts.append(CORRECTIONS["original_indicator"].format(
                status=ui.status_label(row["original_status"]), expected=_text(row["original_expected_raw"]),
                actual=_text(row["original_actual_raw"])))
        if table == "indicators" and isinstance(row.get("original_objective"), str):
            parts.append(CORRECTIONS["original_objective"].format(objective=row["original_objective"]))
        if table == "milestones" and row.get("step_corrected"):
            parts.append(CORRECTIONS["original_step"].format(
                status=ui.status_label(row["original_status"]), planned=ui.month(row["original_planned_month"]),
                actual=ui.month(row["original_actual_month"])))
        area = row.get("printed_area", row.get("area"))         # a canonical name (Aree) is no correction
        area = "(area non indicata)" if area is None or (not isinstance(area, str) and pd.isna(area)) else area
        if row.get("original_area") != area and not (pd.isna(row.get("original_area"))
                                                     and area == "(area non indicata)"):
            parts.append(CORRECTIONS["original_area"].format(area=_text(row.get("original_area"))))
        if _yes(row.get("document_corrected")):
            parts.append(CORRECTIONS["original_document"].format(issuer=_text(row.get("original_issuer")),
                                                                 year=_text(row.get("original_year"))))
        return "; ".join(parts)
    if not len(frame):
        return pd.Series([], dtype=object)
    corrected = frame["corrected"].fillna(False).astype(bool) if "corrected" in frame else \
        pd.Series(False, index=frame.index)
    readings = pd.Series("", index=frame.index)              # rows nobody corrected: read no further
    if corrected.any():
        readings[corrected] = frame[corrected].apply(reading, axis=1)
    return readings


def document_reading(info) -> str:
    """'Ente e anno corretti. Lettura del cruscotto: ente: —; anno: —; periodo: 2015-2017' for a corrected
    document (a row of db.documents)."""
    def number(value) -> str:
        return "—" if value is None or pd.isna(value) else str(int(value))

    start, end = number(info.original_period_start), number(info.original_period_end)
    period = "—" if start == end == "—" else f"{start}-{end}"
    return CORRECTIONS["document_corrected"].format(issuer=ui.plain(_text(info.original_issuer)),
                                                    year=number(info.original_year), period=period)


# ---------------------------------------------------------------------------- the form

def _value_input(table: str, field: str, row, key: str, year: int | None):
    """The widget for a field's new value; returns the value as check_value takes it."""
    kind = corrections.FIELDS[table][field]
    current = row.get(field)
    if kind in ("indicator_status", "step_status"):
        options = list(STATUS_LABELS) if kind == "indicator_status" else list(corrections.STEP_STATUSES)
        labels = STATUS_LABELS if kind == "indicator_status" else MILESTONE_LABELS
        index = options.index(current) if current in options else 0
        return st.selectbox(CORRECTIONS["value"], options, index=index, format_func=labels.get, key=key)
    if kind == "month":
        when = current if current is not None and not pd.isna(current) else None
        left, right = st.columns(2)
        month = left.selectbox(CORRECTIONS["month"], list(MONTH_NAMES), index=(when.month - 1) if when else 11,
                               format_func=MONTH_NAMES.get, key=f"{key}_m")
        chosen = right.number_input(CORRECTIONS["year"], min_value=corrections.FIRST_YEAR,
                                    max_value=corrections.LAST_YEAR, step=1,
                                    value=int(when.year if when else (year or date.today().year)), key=f"{key}_y")
        return date(int(chosen), int(month), 1)
    if kind == "objective":
        with db.reading() as con:
            choices = db.objective_choices(con, int(row["document_id"]))
        ids = [int(i) for i in choices.objective_id]
        labels = dict(zip(ids, choices.label))
        current = int(row["objective_id"]) if "objective_id" in row and not pd.isna(row["objective_id"]) else None
        return st.selectbox(CORRECTIONS["value"], ids, index=ids.index(current) if current in ids else 0,
                            format_func=lambda i: ui.plain(_short(labels[i])), key=key)
    if kind == "previous":                   # the same issuer's indicators of the year before, or none
        with db.reading() as con:
            choices = db.previous_choices(con, int(row["indicator_id"]))
        # 'year · objective · name': the objective shortened, the name and the line whole, so no two look alike
        labels = {corrections.NO_LINK: corrections.NO_LINK}
        for i, text, line in zip(choices.indicator_id, choices.label, choices.source_line):
            year, _, rest = text.partition(" · ")
            objective, _, name = rest.rpartition(" · ")
            labels[int(i)] = f"{year} · {_short(objective, 50)} · {name} (riga {line})"
        return st.selectbox(CORRECTIONS["value"], list(labels), format_func=lambda i: ui.plain(labels[i]), key=key)
    if kind == "year":
        value = current if current is not None and not pd.isna(current) else (year or date.today().year)
        return st.number_input(CORRECTIONS["value"], min_value=corrections.FIRST_YEAR,
                               max_value=corrections.LAST_YEAR, step=1, value=int(value), key=key)
    if table == "documents" and field == "issuer" and row.get("issuer_missing"):
        current = ""
    if table == "objectives" and field == "area" and (current is None or pd.isna(current)):
        current = ""
    return st.text_input(CORRECTIONS["value"], value=_text(current) if current != "" else "", key=key)


def _short(text: str, most: int = 90) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _current(table: str, field: str, row) -> str:
    if table == "indicators" and field == "objective":       # as a pairing names it: number · title
        return f"{row.get('objective_number') or '—'} · {_text(row.get('objective'))}"
    value = row.get(field)
    if isinstance(value, pd.Timestamp):
        value = value.date().isoformat()
    return corrections.format_value(table, field, None if value is None or pd.isna(value) else str(value))


def correction_form(frame: pd.DataFrame, table: str, labels, key: str) -> None:
    """«Correggi un dato»: pick a record of `frame` (rows as a db query returns them, with the table's id
    column), the field, the new value and the reason; «Salva correzione» records it for the logged-in editor.
    Draws nothing for anyone else. `labels`: one per row, or a function of the frame giving them (made only
    when an editor sees the form)."""
    editor = current_editor()
    if not editor:
        if auth.method() and not frame.empty:
            st.caption(CORRECTIONS["how_to_correct"])
        return
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)
    if frame.empty:
        return
    if callable(labels):
        labels = list(labels(frame))
    id_column = ID_COLUMNS[table]
    round_ = st.session_state.get(ROUND_KEY, 0)          # a new round after a save: empty form again
    with st.expander(CORRECTIONS["expander"], expanded=False):
        choice = st.selectbox(CORRECTIONS["record"], range(len(frame)), format_func=lambda i: labels[i],
                              key=f"corr_{key}_record")
        row = frame.iloc[choice]
        field = st.selectbox(CORRECTIONS["field"], list(corrections.FIELDS[table]),
                             format_func=lambda f: FIELD_LABELS[(table, f)], key=f"corr_{key}_field")
        by_person = bool(row.get("status_by_person")) if field == "status" else False
        st.caption(CORRECTIONS["current"].format(value=ui.plain(_current(table, field, row)),
                                                 by=CORRECTIONS["current_by"] if by_person else ""))
        year = row.get("report_year") if table == "documents" else None
        value = _value_input(table, field, row, f"corr_{key}_value_{field}_{row[id_column]}_{round_}",
                             int(year) if year is not None and not pd.isna(year) else None)
        reason = st.text_area(CORRECTIONS["reason"], help=CORRECTIONS["reason_help"], key=f"corr_{key}_reason_{round_}")
        if st.button(CORRECTIONS["save"], key=f"corr_{key}_save", type="primary"):
            _save(table, int(row[id_column]), field, value, reason, editor, labels[choice])


def _save(table: str, record_id: int, field: str, value, reason: str, editor: str, label: str) -> None:
    def saved(con):
        old = _shown_value(con, table, record_id, field)
        db.save_correction(con, table, record_id, field, value, reason, editor)
        return old, _shown_value(con, table, record_id, field)

    try:
        ok, shown = ui.write(saved, failed="Correzione non salvata")
    except corrections.InvalidCorrection as exc:
        st.error(CORRECTIONS.get(f"invalid_{exc.code}", exc.code))
        return
    if not ok:
        return
    old, new = shown
    ui.forget_cached()
    st.session_state[FLASH_KEY] = CORRECTIONS["saved"].format(record=ui.plain(label), field=FIELD_LABELS[(table, field)],
                                                              new=ui.plain(new), old=ui.plain(old))
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.rerun()


def _shown_value(con, table: str, record_id: int, field: str) -> str:
    found = db.correction_target(con, table, record_id)
    return corrections.format_value(table, field, db.stored_value(found[field]) if found else None)


# ---------------------------------------------------------------------------- the Correzioni page

def field_label(row) -> str:
    return FIELD_LABELS.get((row.record_table, row.field), row.field)


def value_label(row, column: str) -> str:
    return corrections.format_value(row.record_table, row.field, getattr(row, column))


def chosen(frame: pd.DataFrame, **wanted) -> pd.DataFrame:
    """The rows whose columns hold one of the wanted values; an empty choice keeps every row."""
    keep = pd.Series(True, index=frame.index)
    for column, values in wanted.items():
        if values:
            keep &= frame[column].isin(list(values))
    return frame[keep]


def overrides_table(found: pd.DataFrame) -> pd.DataFrame:
    """db.overrides rows with Italian headers and values, for the screen and the exports."""
    # «Quando» stays a moment: the screen writes it '01/12/2026 11:02:48', the Excel file a date cell
    rows = [{"N.": r.override_id, "Quando": pd.Timestamp(r.changed_at), "Chi": r.editor,
             "Stato": OVERRIDE_STATUS_LABELS.get(r.status, r.status), "Ente": r.issuer, "Anno": r.year,
             "File": r.source_name if isinstance(r.source_name, str) else None,
             "Che cosa": RECORD_TABLE_LABELS.get(r.record_table, r.record_table), "Dato": r.record_label,
             "Campo": field_label(r), "Prima (lettura precedente)": value_label(r, "old_value"),
             "Dopo (correzione)": value_label(r, "new_value"), "Motivo": r.reason}
            for r in found.itertuples()]
    return pd.DataFrame(rows, columns=["N.", "Quando", "Chi", "Stato", "Ente", "Anno", "File", "Che cosa", "Dato",
                                       "Campo", "Prima (lettura precedente)", "Dopo (correzione)", "Motivo"])


def withdraw(override_id: int, reason: str, editor: str) -> None:
    """Withdraw a correction for the logged-in editor, then show the page again with a message."""
    try:
        ok, found = ui.write(db.withdraw_correction, override_id, editor, reason, failed="Correzione non ritirata")
    except corrections.InvalidCorrection as exc:
        st.error(CORRECTIONS.get(f"invalid_{exc.code}", exc.code))
        return
    if not ok:
        return
    ui.forget_cached()
    st.session_state[FLASH_KEY] = CORRECTIONS["withdrawn"].format(
        id=override_id, old=ui.plain(corrections.format_value(found["record_table"], found["field"], found["old_value"])))
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.rerun()

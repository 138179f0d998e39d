"""Corrections (issue 11): saving, withdrawing and re-attaching a person's corrections of the tool's reading,
and the lists the Correzioni page shows. What may be corrected and how a value is checked is
cruscotto/corrections.py (pure); here is only what touches the database."""
from __future__ import annotations

import pandas as pd

from .. import corrections
from ..messages import CORRECTIONS, FIELD_LABELS
from .audit import clean_name, record_change
from .consortium import previous_choices
from .connection import first_row, roll_back
from .views import DOCS, INDICATORS, ISSUER, MILESTONES, OBJECTIVE_LABEL, OBJECTIVES, YEAR, views_for


# A correction never touches the parse: it is a row of `overrides` with the record's stable key
# (cruscotto/corrections.py) and the row it applies to now (record_id); every page query reads the tables
# through DOCS, OBJECTIVES, INDICATORS and MILESTONES, which apply the active ones.

def _record_keys(con, document_id: int) -> dict[str, dict[int, str]]:
    """{table: {record_id: stable key}} for one document's records, from the tool's own reading."""
    found = first_row(con, "SELECT document_id, issuer, report_year, period_start, period_end, kind FROM documents "
                      "WHERE document_id = ?", [document_id])
    if not found:
        return {}
    document = dict(zip(("document_id", "issuer", "report_year", "period_start", "period_end", "kind"), found))

    def rows(sql: str, names: tuple[str, ...]) -> list[dict]:
        return [dict(zip(names, r)) for r in con.execute(sql, [document_id]).fetchall()]

    objectives = rows("SELECT objective_id, number, coalesce(title, description) FROM objectives "
                      "WHERE document_id = ? AND duplicate_of IS NULL ORDER BY position", ("objective_id", "number", "title"))
    indicators = rows("SELECT i.indicator_id, i.objective_id, coalesce(i.name, i.description) FROM indicators i "
                      "JOIN objectives o USING (objective_id) WHERE o.document_id = ? AND o.duplicate_of IS NULL "
                      "ORDER BY o.position, i.source_line, i.indicator_id", ("indicator_id", "objective_id", "name"))
    milestones = rows("SELECT m.milestone_id, m.objective_id, m.activity FROM milestones m "
                      "JOIN objectives o USING (objective_id) WHERE o.document_id = ? AND o.duplicate_of IS NULL "
                      "ORDER BY o.position, m.source_line, m.milestone_id", ("milestone_id", "objective_id", "activity"))
    return corrections.record_keys(document, objectives, indicators, milestones)


def _targets() -> dict[str, str]:
    """table -> the query of one record as the pages show it (DOCS etc. are defined further down)."""
    return {
        "documents": f"""SELECT d.document_id, d.document_id AS record_id, d.issuer, d.report_year, d.period_start,
                d.period_end, NULL AS label, NULL AS number FROM {DOCS} d WHERE d.document_id = ?""",
        "objectives": f"""SELECT o.document_id, o.objective_id AS record_id, o.printed_area AS area,
                coalesce(o.title, o.description) AS label, o.number,
                coalesce((SELECT arg_max(v.new_value, v.override_id) FROM overrides v WHERE v.status = 'active'
                   AND v.record_table = 'objectives' AND v.field = 'weight' AND v.record_id = o.objective_id),
                   o.weight_raw, '1')
                AS weight
                FROM {OBJECTIVES} o WHERE o.objective_id = ?""",
        "indicators": f"""SELECT o.document_id, i.indicator_id AS record_id, i.status, i.expected_raw, i.actual_raw,
                i.reported_deviation_raw, coalesce(i.name, i.description) AS label, NULL AS number,
                {OBJECTIVE_LABEL} AS objective,
                (SELECT arg_max(v.new_value, v.override_id) FROM overrides v WHERE v.status = 'active'
                   AND v.record_table = 'indicators' AND v.field = 'status' AND v.record_id = i.indicator_id)
                AS person_status,
                (SELECT arg_max(v.new_value, v.override_id) FROM overrides v WHERE v.status = 'active'
                   AND v.record_table = 'indicators' AND v.field = 'previous' AND v.record_id = i.indicator_id)
                AS previous
                FROM {INDICATORS} i JOIN objectives o USING (objective_id) WHERE i.indicator_id = ?""",
        "milestones": f"""SELECT o.document_id, m.milestone_id AS record_id, m.planned_month, m.actual_month, m.status,
                m.activity AS label, NULL AS number
                FROM {MILESTONES} m JOIN objectives o USING (objective_id) WHERE m.milestone_id = ?""",
    }


MAX_LABEL = 100


def correction_target(con, table: str, record_id: int) -> dict | None:
    """The record as the pages show it now (corrections applied), with its document's year and kind."""
    if table not in corrections.FIELDS:
        return None
    cursor = con.execute(_targets()[table], [record_id])
    names = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    if not rows:
        return None
    target = dict(zip(names, rows[0]))
    doc = first_row(con, f"SELECT {ISSUER}, {YEAR}, d.source_name, d.report_year, d.kind, d.deviation_legend "
                    f"FROM {DOCS} d WHERE d.document_id = ?", [target["document_id"]])
    target.update(document_label=f"{doc[0]} · {doc[1]} · {doc[2]}", source_name=doc[2], kind=doc[4],
                  deviation_legend=doc[5])
    target.setdefault("report_year", doc[3])
    if table == "indicators":
        target["report_year"] = doc[3]
    label = " ".join(str(target.get("label") or "").split())
    label = label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"
    if table == "objectives":
        label = CORRECTIONS["objective_label"].format(number=target.get("number") or "—", title=label)
    elif table == "documents":
        label = CORRECTIONS["document_label"]
    target["label"] = label
    return target


def objective_choices(con, document_id: int) -> pd.DataFrame:
    """The objectives an indicator of the document can be paired with: objective_id, label."""
    return con.execute(f"SELECT o.objective_id, {OBJECTIVE_LABEL} AS label FROM objectives o "
                       "WHERE o.document_id = ? AND o.duplicate_of IS NULL ORDER BY o.position, o.objective_id",
                       [document_id]).df()


def _paired_objective(con, document_id: int, label: str) -> int | None:
    """The objective of the document a pairing names (its label, compared loosely), or None."""
    choices = {int(o): text for o, text in objective_choices(con, document_id).itertuples(index=False)}
    return corrections.find_objective(label, choices)


def stored_value(value) -> str | None:
    """A record's current value as overrides store it: dates as '2021-06-01', numbers as '2021'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def save_correction(con, table: str, record_id: int, field: str, value, reason: str, editor: str) -> int:
    """Record a person's correction of one field of one record, in one transaction with its audit line;
    returns its override_id. Raises corrections.InvalidCorrection (code: field, empty, status, year, month,
    long, reason, record, same)."""
    new_value = corrections.check_value(table, field, value)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise corrections.InvalidCorrection("reason")
    target = correction_target(con, table, int(record_id))
    key = _record_keys(con, target["document_id"]).get(table, {}).get(int(record_id)) if target else None
    if key is None:
        raise corrections.InvalidCorrection("record")
    new_record_id = None
    if field == "objective":                     # the value is the chosen objective's id: stored as its label
        labels = dict(objective_choices(con, target["document_id"]).itertuples(index=False))
        new_record_id = int(new_value)
        if new_record_id not in labels:
            raise corrections.InvalidCorrection("objective")
        new_value = labels[new_record_id]
    if field == "previous" and new_value != corrections.NO_LINK:   # stored as the chosen indicator's label
        labels = dict(previous_choices(con, int(record_id))[["indicator_id", "label"]].itertuples(index=False))
        new_record_id = int(new_value)
        if new_record_id not in labels:
            raise corrections.InvalidCorrection("previous")
        new_value = labels[new_record_id]
    old_value = stored_value(target[field])
    if old_value == new_value:
        raise corrections.InvalidCorrection("same")
    number = corrections.read_number(target, field, new_value) if table == "indicators" else None
    editor = clean_name(editor)
    con.execute("BEGIN TRANSACTION")
    try:
        override_id = first_row(con, "SELECT coalesce(max(override_id), 0) + 1 FROM overrides")[0]
        con.execute("INSERT INTO overrides (override_id, document_id, record_table, record_key, field, old_value, "
                    "new_value, reason, editor, changed_at, status, record_id, record_label, document_label, "
                    "new_number, new_record_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, 'active', ?, ?, ?, ?, ?)",
                    [override_id, target["document_id"], table, key, field, old_value, new_value, reason, editor,
                     int(record_id), target["label"], target["document_label"], number, new_record_id])
        _rejudge(con, table, int(record_id))
        record_change(con, editor, CORRECTIONS["action_saved"], target["document_id"], target["source_name"],
                      CORRECTIONS["detail"].format(
                          record=target["label"], field=FIELD_LABELS[(table, field)], reason=reason,
                          old=corrections.format_value(table, field, old_value),
                          new=corrections.format_value(table, field, new_value)))
        con.execute("COMMIT")
    except BaseException:
        roll_back(con)
        raise
    return override_id


def withdraw_correction(con, override_id: int, editor: str, reason: str) -> dict:
    """Withdraw an active or orphaned correction (the row stays, marked 'withdrawn'), with its audit line.
    Returns the correction as it was. Raises corrections.InvalidCorrection('reason' or 'state')."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise corrections.InvalidCorrection("reason")
    cursor = con.execute("SELECT override_id, document_id, record_table, field, old_value, new_value, status, "
                         "record_label, document_label, record_id FROM overrides WHERE override_id = ?",
                         [int(override_id)])
    names = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    if not rows or rows[0][names.index("status")] == "withdrawn":
        raise corrections.InvalidCorrection("state")
    found = dict(zip(names, rows[0]))
    source = first_row(con, "SELECT source_name FROM documents WHERE document_id = ?", [found["document_id"]])
    table, field = found["record_table"], found["field"]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("UPDATE overrides SET status = 'withdrawn' WHERE override_id = ?", [found["override_id"]])
        if found["status"] == "active":
            _rejudge(con, table, found["record_id"])             # with the values that remain
        record_change(con, editor, CORRECTIONS["action_withdrawn"], found["document_id"] if source else None,
                      source[0] if source else found["document_label"], CORRECTIONS["detail_withdrawn"].format(
                          id=found["override_id"], record=found["record_label"], field=FIELD_LABELS[(table, field)],
                          new=corrections.format_value(table, field, found["new_value"]),
                          old=corrections.format_value(table, field, found["old_value"]), reason=reason))
        con.execute("COMMIT")
    except BaseException:
        roll_back(con)
        raise
    return found


def reattach_overrides(con, document_id: int, replaced: list[int], editor: str) -> None:
    """After a document is written (inside its transaction): the corrections left without a record (their
    document was replaced or deleted: orphaned, or still active on a document that is gone) are attached to
    this document's records when their stable key finds one; those of a replaced document that find none
    become 'orphaned'. Each move is a line of the audit trail."""
    waiting = con.execute("SELECT override_id, record_table, record_key, field, status, record_label, new_value, "
                          "new_record_id "
                          "FROM overrides "
                          "WHERE status = 'orphaned' OR (status = 'active' AND document_id NOT IN "
                          "(SELECT document_id FROM documents)) ORDER BY override_id").fetchall()
    if not waiting:
        return
    keys = _record_keys(con, document_id)              # only when some correction may find a record in it
    label, source = first_row(con, f"SELECT {ISSUER} || ' · ' || {YEAR} || ' · ' || d.source_name, d.source_name "
                              f"FROM {DOCS} d WHERE d.document_id = ?", [document_id])
    rejudge = set()
    for override_id, table, key, field, status, record_label, new_value, new_record_id in waiting:
        record_id = corrections.find_record(key, keys.get(table, {}))
        # a pairing needs its objective too, found again by its label; a link to the year before keeps its
        # indicator (another document's: found again by its label when read, cruscotto.linking)
        paired = _paired_objective(con, document_id, new_value) if field == "objective" else \
            (new_record_id if field == "previous" else None)
        if field == "objective" and paired is None:
            record_id = None
        words = dict(id=override_id, record=record_label, field=FIELD_LABELS.get((table, field), field))
        if record_id is not None:
            con.execute("UPDATE overrides SET document_id = ?, record_id = ?, status = 'active', document_label = ?, "
                        "new_record_id = ? WHERE override_id = ?", [document_id, record_id, label, paired, override_id])
            rejudge.add((table, record_id))
            record_change(con, editor, CORRECTIONS["action_reattached"], document_id, source,
                          CORRECTIONS["detail_reattached"].format(**words))
        elif status == "active":
            con.execute("UPDATE overrides SET status = 'orphaned', record_id = NULL WHERE override_id = ?",
                        [override_id])
            record_change(con, editor, CORRECTIONS["action_orphaned"], document_id, source,
                          CORRECTIONS["detail_orphaned"].format(**words))

    for table, record_id in sorted(rejudge):     # the new document's other values and year count too
        _rejudge(con, table, record_id)


def _rejudge(con, table: str, record_id: int | None) -> None:
    """Judge again a record whose values a person corrected, with its values as they stand now (every active
    correction applied), and store the judgement on its active value corrections."""
    fields = corrections.VALUE_FIELDS.get(table)
    target = correction_target(con, table, int(record_id)) if fields and record_id is not None else None
    if target is None:
        return
    judged = corrections.judgement(table, target)
    con.execute("UPDATE overrides SET judged_status = ?, judged_reason = ?, judged_attainment = ? "
                "WHERE status = 'active' AND record_table = ? AND record_id = ? AND list_contains(?, field)",
                [judged["judged_status"], judged["judged_reason"], judged["judged_attainment"], table,
                 int(record_id), list(fields)])


def orphan_overrides(con, document_ids: list[int], editor: str) -> None:
    """The active corrections of deleted documents become 'orphaned' (inside the caller's transaction)."""
    for override_id, table, field, record_label, document_label in con.execute(
            "SELECT override_id, record_table, field, record_label, document_label FROM overrides "
            "WHERE status = 'active' AND list_contains(?, document_id) ORDER BY override_id",
            [list(document_ids)]).fetchall():
        con.execute("UPDATE overrides SET status = 'orphaned', record_id = NULL WHERE override_id = ?", [override_id])
        record_change(con, editor, CORRECTIONS["action_orphaned"], None, document_label,
                      CORRECTIONS["detail_deleted"].format(id=override_id, record=record_label,
                                                            field=FIELD_LABELS.get((table, field), field)))


def overrides(con) -> pd.DataFrame:
    """Every correction, newest first, with the document it applies to now (for an orphaned or withdrawn one
    whose document is gone, the document as it was named when corrected)."""
    if not first_row(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'overrides'")[0]:
        return pd.DataFrame(columns=["override_id", "changed_at", "editor", "status", "issuer", "year",
                                     "document_label", "source_name", "record_table", "record_label", "field",
                                     "old_value", "new_value", "reason", "document_id"])
    return con.execute(f"""
        SELECT v.override_id, v.changed_at, v.editor, v.status,
               CASE WHEN d.document_id IS NOT NULL THEN {ISSUER} ELSE split_part(v.document_label, ' · ', 1) END
                   AS issuer,
               CASE WHEN d.document_id IS NOT NULL THEN {YEAR} ELSE split_part(v.document_label, ' · ', 2) END
                   AS year,
               v.document_label, d.source_name, v.record_table, v.record_label, v.field, v.old_value,
               v.new_value, v.reason, v.document_id
        FROM overrides v LEFT JOIN {DOCS} d ON d.document_id = v.document_id AND v.status = 'active'
        ORDER BY v.override_id DESC
    """).df()


def judgements(con) -> pd.DataFrame:
    """Per document, how many of its judgements (indicator and step statuses) are the tool's and how many a
    person's (a status given, or a corrected value or month judged again)."""
    from .queries import stored, tallies

    v = views_for(con)
    if stored(con, "document_area_tallies"):
        # summed per document from the counts per document and area stored in the file
        ind_st = f"""
            ind AS (SELECT document_id, sum(indicators) AS indicators, sum(i_by_person) AS person
                    FROM {tallies(con)} WHERE indicators > 0 GROUP BY ALL),
            st AS (SELECT document_id, sum(s_judged) AS judged, sum(s_by_person) AS person
                   FROM {tallies(con)} WHERE steps > 0 GROUP BY ALL)"""
    else:
        # counted per document id straight from the rows (two counts each, no area: a third of what the counts
        # per document and area, queries.tallies, cost to make)
        ind_st = f"""
            o AS (SELECT o.objective_id, o.document_id FROM {v.objectives} o WHERE o.duplicate_of IS NULL),
            ind AS (SELECT o.document_id, count(*) AS indicators, count(*) FILTER (WHERE i.status_by_person) AS person
                    FROM {v.indicators} i JOIN o USING (objective_id) GROUP BY ALL),
            st AS (SELECT o.document_id, count(*) FILTER (WHERE m.status <> 'planned' OR m.status_by_person) AS judged,
                          count(*) FILTER (WHERE m.status_by_person) AS person
                   FROM {v.milestones} m JOIN o USING (objective_id) GROUP BY ALL)"""
    # then the documents' names are joined
    return con.execute(f"""
        WITH {ind_st},
        counts AS (
            SELECT document_id, coalesce(ind.indicators - ind.person, 0)::BIGINT AS indicators_tool,
                   coalesce(ind.person, 0)::BIGINT AS indicators_person,
                   coalesce(st.judged - st.person, 0)::BIGINT AS steps_tool, coalesce(st.person, 0)::BIGINT AS steps_person
            FROM ind FULL JOIN st USING (document_id)
            WHERE coalesce(ind.indicators, 0) + coalesce(st.judged, 0) > 0)
        SELECT d.document_id, {ISSUER} AS issuer, {YEAR} AS year, d.source_name, counts.* EXCLUDE (document_id)
        FROM counts JOIN {v.docs} d USING (document_id)
        ORDER BY d.source_name
    """).df()

"""The widgets and tables of 'Il nostro consorzio': which consortium and year (chosen in the sidebar, remembered
across pages), and its tables in Italian."""
from __future__ import annotations

from itertools import islice

import pandas as pd
import pyarrow as pa
import streamlit as st

from . import db, scorecard
from .evaluation import MILESTONE_LABELS
from .italian import format_number, format_percent
from .ui import FILTER_CHOICES, load, month, plain

OURS_KEY = "nostro_ente"          # remembered outside the widget: a widget's own state is dropped on other pages
YEAR_KEY = "nostro_anno"


def default_issuer(years: pd.DataFrame) -> str:
    """The issuer of the most recently loaded report (of a plan when there is no report), one that names
    itself before a document that names no issuer: the headline is about a consortium a mayor recognises."""
    named = ~years["issuer"].astype(str).str.startswith(db.UNNAMED_ISSUER)
    ordered = years.assign(named=named).sort_values(["named", "reports", "loaded"], ascending=False)
    return str(ordered.iloc[0]["issuer"])


def issuer_choices(years: pd.DataFrame) -> tuple[list[str], str, dict[str, list[tuple[int, int]]]]:
    """db.issuer_years as the sidebar's choice reads it (cached once per database: then= of ui.load): the issuers in
    order, the default one (default_issuer) and each issuer's (year, reports) latest year first. At 10^4
    documents the frame has 10^4 rows: sorting and filtering it at every rerun of every page cost more than
    this."""
    if years.empty:
        return [], "", {}
    own: dict[str, list[tuple[int, int]]] = {}
    ordered = years.sort_values("year", ascending=False, kind="stable")
    for issuer, year, reports in zip(ordered["issuer"], ordered["year"], ordered["reports"]):
        own.setdefault(issuer, []).append((int(year), int(reports)))
    return sorted(own), default_issuer(years), own


def sidebar_choice() -> None:
    """«Il nostro ente» in the sidebar of every page: the consortium and the year the headline and the page «Il
    nostro consorzio» are about, remembered across pages. Nothing is drawn while nothing is loaded."""
    issuers, default, years = load(db.issuer_years, then=issuer_choices, shared=True)
    if not issuers:
        st.session_state[OURS_KEY] = st.session_state[YEAR_KEY] = None
        return
    chosen = st.session_state.get(OURS_KEY)
    if chosen not in years:
        chosen = default
    with st.sidebar:
        st.header("Il nostro ente")
        shown = issuers
        if len(issuers) > FILTER_CHOICES:       # a selectbox sends every option to the browser
            words = st.text_input("Cerca l'ente", key="nostro_ente_cerca", placeholder="parole del nome").lower().split()
            matching = (i for i in issuers if all(w in i.lower() for w in words))     # the first ones only
            shown = sorted(set(islice(matching, FILTER_CHOICES)) | {chosen})
        chosen = st.selectbox("Consorzio o ambito", shown, index=shown.index(chosen), key="nostro_ente_scelta")
        own = years[chosen]
        choices = [year for year, _ in own]
        year = st.session_state.get(YEAR_KEY)
        if year not in choices:
            reported = [year for year, reports in own if reports > 0]
            year = (reported or choices)[0]
        year = st.selectbox("Anno", choices, index=choices.index(year), key="nostro_anno_scelta")
    st.session_state[OURS_KEY], st.session_state[YEAR_KEY] = chosen, year


def our_consortium() -> tuple[str | None, int | None]:
    """The consortium and year chosen in the sidebar: (None, None) when nothing is loaded."""
    return st.session_state.get(OURS_KEY), st.session_state.get(YEAR_KEY)


def headline() -> None:
    """The Panoramica's headline: our consortium's year in its first sentences, and where to read more."""
    issuer, year = our_consortium()
    if issuer is None:
        return
    by_year = load(db.status_counts, ("year",), issuer=issuer)
    st.subheader(f"Il nostro ente: {plain(issuer)} · {year}")
    if (by_year["year"] == year).any():
        sentences = scorecard.year_summary(issuer, year, by_year, load(db.commitments, issuer, year),
                                           load(db.status_counts, ("year",), peers_of=issuer, year=year))
        for sentence in sentences[:3]:
            st.markdown(plain(sentence))
    else:
        st.markdown(plain(f"Per il {year} c'è il Piano di Zona di {issuer}, non ancora una relazione sui risultati."))
    st.page_link("pages/consorzio.py", label="Tutto su questo ente: aree, anni, altri enti, proposta di punteggio, "
                                             "relazione per l'assemblea")


def _share(part, whole) -> str:
    return f"{format_percent(part / whole)} ({part} su {whole})" if whole else "—"


def ranked_issuers(frame: pd.DataFrame) -> pd.DataFrame:
    """The issuers of one year (db.status_counts by issuer), best attainment first, as the table shows them
    (cached once per database: then= of ui.load)."""
    rows = frame.assign(rate=frame["reached"] / frame["judged"].where(frame["judged"] > 0))
    rows = rows.sort_values(["rate", "issuer"], ascending=[False, True], na_position="last").reset_index(drop=True)
    return pd.DataFrame({
        "Posto": range(1, len(rows) + 1), "Ente": rows["issuer"],
        "Indicatori raggiunti": [_share(r, j) for r, j in zip(rows["reached"], rows["judged"])],
        "Non raggiunti": rows["not_met"], "In parte": rows["partly"], "Non valutabili": rows["unassessed"],
        "Passi nei tempi": [_share(o, d) for o, d in zip(rows["on_time"], rows["dated"])],
        "In ritardo": rows["late"], "Non svolti": rows["not_done"]})


def peer_table(ranked: pd.DataFrame, ours: str, most: int = 30) -> pd.DataFrame:
    """The first `most` issuers of ranked_issuers and ours wherever it stands, ours marked with ●."""
    shown = ranked[(ranked.index < most) | (ranked["Ente"] == ours)]
    return shown.assign(Ente=[("● " if i == ours else "") + i for i in shown["Ente"]])


def peers_around(ours: str):
    """then= of db.status_counts by issuer (with then_key=ours): peer_table of ranked_issuers, as an Arrow table
    the grid sends as it is. Cached once per database: at 10^4 documents the ranking has 2,000 issuers, and
    ranking them at every rerun cost more than drawing the 31 rows shown."""
    def shown(frame: pd.DataFrame) -> pa.Table:
        return pa.Table.from_pandas(peer_table(ranked_issuers(frame), ours), preserve_index=False)
    return shown


def _points(value) -> str:
    return format_number(value, 1) if pd.notna(value) else "—"


def proposal_display(proposal: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Area": proposal["area"], "Obiettivi valutati": proposal["objectives"],
        "Raggiungimento": proposal["attainment"].map(lambda v: format_percent(v, 1) if pd.notna(v) else "—"),
        "Proposta": [f"{_points(p)} su {_points(m)}" for p, m in zip(proposal["proposal"], proposal["maximum"])],
        "Punteggio del documento": proposal["as_printed"].fillna("—")})


def objectives_display(objectives: pd.DataFrame, rule: str) -> pd.DataFrame:
    column = {"weighted_mean": "mean", "all_met": "whole"}[rule]
    return pd.DataFrame({
        "Area": objectives["area"], "Obiettivo": objectives["objective"],
        "Peso": objectives["weight"].map(lambda w: format_number(w, 0 if float(w).is_integer() else 2)),
        "Impegni valutabili": objectives["assessable"], "Raggiunti": objectives["reached"],
        "Valore": objectives[column].map(lambda v: format_percent(v, 1) if pd.notna(v) else "non valutabile")})


VERDICTS = {"on_time": "svolto nei tempi", "late": "svolto in ritardo", "not_done": "non svolto",
            "reported": "rendicontato, senza data", "not_found": "non ritrovato nelle relazioni",
            "no_report": "nessuna relazione di quegli anni"}


def deadline_display(checked: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Piano": checked["period"], "Obiettivo": checked["objective"], "Scadenza": checked["activity"],
        "Entro": checked["planned_month"].map(month), "Esito": checked["verdict"].map(VERDICTS),
        "Nella relazione": checked["found_activity"].fillna("—"),
        "Svolto": [month(m) if pd.notna(m) else MILESTONE_LABELS.get(s, "—") if isinstance(s, str) else "—"
                   for m, s in zip(checked["found_month"], checked["found_status"])],
        "Fonte": checked["found_source"].fillna("—"), "riga del piano": checked["source_line"]})


def plan_label(row) -> str:
    return f"{row.issuer} · Piano di Zona {row.period} ({row.source_name})"


def plan_labels(plans: pd.DataFrame) -> dict[int, str]:
    """{document_id: plan_label} of db.plans rows (cached once per database: then= of ui.load)."""
    return {int(r.document_id): plan_label(r) for r in plans.itertuples()}


def plan_index(plans: pd.DataFrame) -> tuple[dict[int, str], dict[str, list[int]]]:
    """db.plans rows as the page reads them (cached once per database: then= of ui.load): plan_labels, and each
    issuer's plans in order."""
    issuers: dict[str, list[int]] = {}
    for issuer, document in zip(plans["issuer"], plans["document_id"]):
        issuers.setdefault(issuer, []).append(int(document))
    return plan_labels(plans), issuers


def plan_to_compare(labels: dict[int, str], mine: int):
    """«Confronta con»: another plan, or None. With more than FILTER_CHOICES plans (a region's or a country's) a
    search box comes first and the choice lists the first matches (a selectbox sends every option to the
    browser, and at 10^4 documents its 2,000 plans cost more than the rest of the section)."""
    others = [d for d in labels if d != mine]
    if len(others) > FILTER_CHOICES:
        words = st.text_input("Cerca il piano da confrontare", key="consorzio_piano_cerca",
                              placeholder="ente, anni o nome del file").lower().split()
        chosen = st.session_state.get("consorzio_piano_altro")
        matching = [d for d in others if all(w in labels[d].lower() for w in words)][:FILTER_CHOICES]
        others = matching + ([chosen] if chosen in labels and chosen != mine and chosen not in matching else [])
    return st.selectbox("Confronta con", [None] + others, key="consorzio_piano_altro",
                        format_func=lambda d: "nessun altro piano" if d is None else labels[d],
                        help="Un piano di un altro ambito, o un altro piano dello stesso ente (il triennio prima)")


def year_totals(budget: pd.DataFrame) -> pd.DataFrame:
    """One plan's euros per table and year (db.plan_budget rows)."""
    return budget.groupby(["table_name", "year"], as_index=False)["amount"].sum()


def budget_by_year(totals: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Plans' year_totals side by side: {plan label: year_totals rows} -> Anno, Tabella, one column per plan."""
    rows: dict[tuple, dict] = {}
    for label, frame in totals.items():
        for table, year, amount in zip(frame["table_name"], frame["year"], frame["amount"]):
            rows.setdefault((int(year), table), {"Anno": int(year), "Tabella": table})[label] = float(amount)
    return pd.DataFrame([rows[k] for k in sorted(rows)], columns=["Anno", "Tabella", *totals])


def budget_items(budget: pd.DataFrame) -> pd.DataFrame:
    """One plan's items over all its years: euros and share of their table, largest first."""
    items = budget.groupby(["table_name", "item"], as_index=False, sort=False).agg(
        amount=("amount", "sum"), years=("year", lambda y: f"{int(min(y))}-{int(max(y))}"),
        first_line=("first_line", "min"))
    items["share"] = items["amount"] / items.groupby("table_name")["amount"].transform("sum")
    items = items.sort_values(["table_name", "amount"], ascending=[True, False])
    return pd.DataFrame({"Tabella": items["table_name"], "Voce": items["item"], "Anni": items["years"],
                         "Importo": items["amount"], "Quota della tabella": items["share"],
                         "riga": items["first_line"]})

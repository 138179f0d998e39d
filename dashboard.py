"""Cruscotto Performance: navigation, shared filters and the Panoramica page.

On first run it builds the database from the documents in data/ (or CRUSCOTTO_DB)."""
from __future__ import annotations

import streamlit as st

from cruscotto import consortium_ui, db, page_style, ui
from loaders.service import ensure_database

st.set_page_config(page_title="Cruscotto Performance", layout="wide")

PAGES = [
    ("pages/consorzio.py", "Il nostro consorzio", "consorzio",
     "Un ente e un anno: in sintesi, le aree accanto agli altri enti, anno per anno, proposta di punteggio, "
     "relazione per l'assemblea."),
    ("pages/raggiungimento.py", "Raggiungimento obiettivi", "raggiungimento",
     "Quota di indicatori raggiunti per area, consorzio e anno; dall'area all'obiettivo all'indicatore."),
    ("pages/indicatori.py", "Indicatori: atteso vs consuntivo", "indicatori",
     "Valore atteso e consuntivo di ogni indicatore, con lo stato e il suo motivo."),
    ("pages/cronoprogramma.py", "Cronoprogramma e slittamenti", "cronoprogramma",
     "Mese previsto e mese di realizzazione di ogni passo; ritardi per area."),
    ("pages/risorse.py", "Piano di Zona: risorse", "risorse",
     "Bilanci per anno e obiettivo, quota di gestione associata, totali stampati e somme delle righe."),
    ("pages/punteggi.py", "Punteggi", "punteggi",
     "Punteggi proposti dal nucleo di valutazione accanto al raggiungimento calcolato."),
    ("pages/qualita.py", "Qualità dei dati", "qualita",
     "Quello che non è stato possibile leggere, riga per riga, con il testo originale."),
    ("pages/documento.py", "Documento", "documento",
     "Il testo originale di ogni documento, con le righe da cui vengono i numeri."),
    ("pages/correzioni.py", "Correzioni", "correzioni",
     "Le correzioni fatte da una persona alla lettura del cruscotto: chi, quando, perché; quelle orfane."),
    ("pages/aree.py", "Aree", "aree",
     "Un nome comune per le aree stampate in modi diversi: suggerimenti da accettare (per gli editor)."),
    ("pages/carica.py", "Carica documenti", "carica",
     "Aggiungi relazioni e piani in testo, PDF o Excel; scarica il modello Excel."),
    ("pages/amministrazione.py", "Amministrazione", "amministrazione",
     "Copia di sicurezza e ripristino del database, registro delle modifiche (per gli editor)."),
]


def document_table(documents):
    """db.documents rows as the Panoramica lists them, with Italian headers."""
    table = documents.assign(
        tipo=documents.kind.map(ui.KIND_LABELS),
        raggiunti=[r / j if j else None for r, j in zip(documents.reached, documents.judged)],     # shares: numbers
        nei_tempi=[o / d if d else None for o, d in zip(documents.on_time, documents.dated)],      # in the files
    )[["issuer", "year", "tipo", "objectives", "indicators", "raggiunti", "milestones", "nei_tempi", "budget_lines",
       "scores", "issues", "source_name"]]
    table.columns = ["Ente", "Anno", "Tipo", "Obiettivi", "Indicatori", "Indicatori raggiunti", "Passi",
                     "Passi nei tempi", "Righe di bilancio", "Punteggi", "Righe non lette o da verificare", "File"]
    return table


def panoramica() -> None:
    st.title("Cruscotto Performance")
    st.caption("Relazioni sulla performance e Piani di Zona dei consorzi socio-assistenziali: "
               "che cosa era stato promesso e che cosa è stato fatto.")
    consortium_ui.headline()
    st.subheader("Tutti i documenti dei filtri")
    filters = ui.current_filters()
    totals = ui.load(db.document_totals, filters)
    if not totals["documents"]:
        ui.empty_state("Nessun documento caricato per questa selezione: allarga i filtri, oppure aggiungi "
                       "documenti dalla pagina «Carica documenti».")
        return
    reached, judged = totals["reached"], totals["judged"]
    on_time, dated = totals["on_time"], totals["dated"]
    cols = st.columns(4)
    cols[0].metric("Documenti", totals["documents"])
    cols[1].metric("Obiettivi", totals["objectives"])
    cols[2].metric("Indicatori raggiunti", ui.percent(reached / judged if judged else None),
                   help=f"{reached} raggiunti o superati su {judged} valutabili")
    cols[3].metric("Passi svolti nei tempi", ui.percent(on_time / dated if dated else None),
                   help=f"{on_time} nei tempi o in anticipo su {dated} passi con data")

    st.subheader("Documenti")
    ui.paged_table(db.documents, filters, "documenti", "Documenti caricati", document_table, hidden=(),
                   percent={"Indicatori raggiunti": 0, "Passi nei tempi": 0})
    st.caption("«Indicatori raggiunti»: raggiunti o superati sugli indicatori valutabili; i non rendicontati e "
               "quelli da verificare non contano come insuccessi. «Passi nei tempi»: svolti entro il mese previsto "
               "sui passi che hanno una data.")

    st.subheader("Da guardare")
    missed = ui.load(db.indicators, filters, statuses=("not_met",), limit=6)
    late = ui.load(db.milestones, filters, statuses=("done_late",), limit=6, order="slippage")
    missed_count = int(missed.total_rows.iloc[0]) if len(missed) else 0
    late_count = int(late.total_rows.iloc[0]) if len(late) else 0
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ui.counted(missed_count, 'indicatore non raggiunto', 'indicatori non raggiunti')}**")
        for r in missed.itertuples():
            st.markdown(f"- {ui.plain(r.name)}: atteso {ui.plain(r.expected_raw)}, consuntivo "
                        f"{ui.plain(r.actual_raw)} ({ui.plain(r.issuer)}, riga {r.source_line})")
        if missed_count > 6:
            st.markdown(f"… e altri {missed_count - 6}: vedi *Indicatori: atteso vs consuntivo*.")
    with right:
        st.markdown(f"**{ui.counted(late_count, 'passo in ritardo', 'passi in ritardo')}**")
        for r in late.itertuples():
            activity = str(r.activity) if isinstance(r.activity, str) else "(attività senza nome)"
            activity = activity if len(activity) <= 80 else activity[:79].rsplit(" ", 1)[0] + "…"
            st.markdown(f"- {ui.plain(activity)}: previsto {ui.month(r.planned_month)}, svolto "
                        f"{ui.month(r.actual_month)} ({ui.counted(int(r.slippage_months), 'mese', 'mesi')}; "
                        f"{ui.plain(r.issuer)}, riga {r.source_line})")
        if late_count > 6:
            st.markdown(f"… e altri {late_count - 6}: vedi *Cronoprogramma e slittamenti*.")
    unnamed, names = ui.load(db.unnamed_documents, filters)
    if unnamed:
        verb = "non indica" if unnamed == 1 else "non indicano"
        st.markdown(f"**{ui.counted(unnamed, 'documento', 'documenti')} {verb} l'ente**: "
                    + ", ".join(map(ui.plain, names)) + (" e altri" if unnamed > len(names) else ""))
    if totals["issues"]:
        st.markdown(f"**{ui.counted(totals['issues'], 'riga non letta o da verificare', 'righe non lette o da verificare')}**: vedi *Qualità dei dati*.")

    st.subheader("Pagine")
    for path, title, _, description in PAGES:
        st.page_link(path, label=f"{title} — {description}")


def main() -> None:
    ui.freeze_modules()
    path = db.db_path()
    if not path.exists():
        with st.spinner("Primo avvio: costruisco il database dai documenti di esempio…"):
            ensure_database(path)
    pages = [st.Page(panoramica, title="Panoramica", url_path="panoramica", default=True)]
    pages += [st.Page(path, title=title, url_path=url) for path, title, url, _ in PAGES]
    navigation = st.navigation(pages, expanded=True)     # collapsed, it says "View N more" in English
    try:
        db.upgrade(path)                  # a file of an older version: the columns added since
    except db.DatabaseBusy:               # a loader holds the file: said as every query says it
        st.warning(ui.BUSY)
        st.stop()
    try:
        # one read-only connection for the whole run, opened at its first uncached query (db.read_session)
        with db.read_session(path):
            page_style.apply()
            consortium_ui.sidebar_choice()      # the headline's consortium first, then the filters of the lists
            ui.sidebar_filters()
            requested = st.session_state.pop(ui.REQUESTED_KEY, None)
            if requested:
                st.switch_page(requested)
            navigation.run()
    except Exception as exc:                     # a page must never end in a traceback
        st.error("Questa pagina non è riuscita a prepararsi. I dati non sono stati modificati: ricarica la "
                 "pagina; se l'errore si ripete, segnalalo copiando i dettagli qui sotto.")
        with st.expander("Dettagli tecnici"):
            st.code(f"{type(exc).__name__}: {exc}", language=None)


main()

"""Il nostro consorzio: one consortium's year in sentences, its areas beside the other consortia of the year, year on
year, a score proposal for the nucleo, the Piano di Zona's deadlines, and the report to hand out."""
import streamlit as st

from cruscotto import charts, corrections_ui, db, report, scorecard, scoring, ui, workpapers
from cruscotto.consortium_ui import (budget_by_year, budget_items, deadline_display, objectives_display,
                                     our_consortium, peers_around, plan_index, plan_to_compare, proposal_display,
                                     year_totals)
from cruscotto.evaluation import STATUS_LABELS

ui.entry_guard("pages/consorzio.py")
st.title("Il nostro consorzio")
st.caption("Un ente e un anno alla volta: che cosa aveva promesso, che cosa ha fatto, come va rispetto all'anno prima "
           "e agli altri enti caricati.")

issuer, year = our_consortium()
if issuer is None:
    ui.empty_state("Nessuna relazione o piano caricato: aggiungi documenti dalla pagina «Carica documenti».")
    st.stop()

figures = ui.load(db.status_counts, ("year",), issuer=issuer)
this = figures[figures["year"] == year]
path = str(db.db_path())

# ---------------------------------------------------------------------------- in short
if this.empty:
    st.info(f"Per il {year} di {ui.plain(issuer)} c'è solo il Piano di Zona: i risultati compariranno con la "
            "relazione di quell'anno.")
else:
    earlier = figures[figures["year"] < year]
    previous = (int(earlier.iloc[-1]["year"]), earlier.iloc[-1]) if len(earlier) else None
    items = ui.load(db.commitments, issuer, year)
    peers = ui.load(db.status_counts, ("year",), peers_of=issuer, year=year)
    sentences = scorecard.year_summary(issuer, year, figures, items, peers)
    st.subheader("In sintesi")
    for sentence in sentences:
        st.markdown(ui.plain(sentence))

    # ------------------------------------------------------------------------ areas, beside the others
    st.subheader("Le aree, accanto agli altri enti")
    areas = ui.load(db.status_counts, ("area",), issuer=issuer, year=year)
    if not (areas["judged"] > 0).any():
        st.caption("Nessuna area ha indicatori valutabili quest'anno.")
    else:
        ui.query_chart(charts.areas_beside_peers, (f"{issuer} · {year}: indicatori raggiunti per area",),
                       db.area_comparison, issuer, year, key="consorzio_aree")
        st.caption("In alto le aree con la quota più bassa; il rombo arancione è la quota degli altri enti "
                   "caricati per lo stesso anno e la stessa area (con il nome comune dato nella pagina «Aree»), "
                   "dove ce ne sono.")
    st.markdown("**Ente per ente, stesso anno**")
    area_choice = st.selectbox("Area", ["Tutte le aree"] + areas["area"].tolist(), key="consorzio_area_pari")
    ui.grid(ui.load(db.status_counts, ("issuer",), year=year, area=None if area_choice == "Tutte le aree" else
                    area_choice, then=peers_around(issuer), then_key=issuer))
    st.caption("Indicatori raggiunti o superati sugli indicatori valutabili; passi svolti entro il mese previsto "
               "sui passi con una data. Il nostro ente è segnato con ●.")

    # ------------------------------------------------------------------------ year on year
    st.subheader("Anno per anno")
    if figures["year"].nunique() < 2:
        st.info(f"Per {ui.plain(issuer)} è caricata solo la relazione del {year}: il confronto tra gli anni "
                "comparirà quando sarà caricata quella di un altro anno.")
    else:
        ui.query_chart(charts.years_by_area, (f"{issuer}: indicatori raggiunti per area, anno per anno",),
                       db.status_counts, ("year", "area"), issuer=issuer, key="consorzio_anni")
        followed = ui.load(db.year_on_year, issuer, year)          # linked once per database, not at every rerun
        this_year = followed
        followed = followed[followed["previous_id"].notna()]
        if previous is None or followed.empty:
            st.caption(f"Nessun indicatore del {year} ritrovato nell'anno precedente.")
        else:
            st.markdown(f"**Gli indicatori del {year} ritrovati nel {previous[0]}** (stessa area, titolo "
                        "dell'obiettivo e nome dell'indicatore simili)")
            shown = followed.assign(
                prima=followed["previous_status"].map(STATUS_LABELS), ora=followed["status"].map(STATUS_LABELS),
                legame=[("dato da una persona" if person else f"del cruscotto: parole in comune {round(100 * sim)}%")
                        for person, sim in zip(followed["by_person"], followed["similarity"].fillna(0))])[
                ["area", "objective", "name", "previous_actual", "actual_raw", "change", "prima", "ora",
                 "legame", "source_line", "previous_value", "actual_value"]]
            shown.columns = ["Area", "Obiettivo", "Indicatore", f"Consuntivo {previous[0]}", f"Consuntivo {year}",
                             "Variazione", f"Esito {previous[0]}", f"Esito {year}", "Legame", "riga",
                             "previous_value", "actual_value"]
            ui.table_with_exports(shown, f"Indicatori {previous[0]} e {year}", "consorzio_anni",
                                  numbers={f"Consuntivo {previous[0]}": "previous_value",
                                           f"Consuntivo {year}": "actual_value"})
            st.caption("Il legame tra un anno e l'altro è proposto dal cruscotto confrontando le parole dei nomi "
                       "(stessa area, obiettivo e indicatore simili); un editor lo corregge qui sotto, campo «Lo "
                       "stesso indicatore l'anno prima».")
        if previous is not None:
            corrections_ui.correction_form(
                this_year, "indicators",
                [f"{n} — {o} (riga {line})" for n, o, line in zip(this_year["name"], this_year["objective"],
                                                                   this_year["source_line"])], "consorzio_legami")

    # ------------------------------------------------------------------------ score proposal
    st.subheader("Proposta di punteggio per area")
    left, right = st.columns([2, 1])
    rule = left.radio("Regola", list(scoring.RULES), format_func=scoring.RULES.get, horizontal=True,
                      key="consorzio_regola")
    maximum = right.number_input("Punteggio massimo (0 = quello del documento, altrimenti 100)", min_value=0,
                                 value=0, step=10, key="consorzio_massimo")
    objectives_table = scoring.weighed(ui.load(db.commitments, issuer, year, then=scoring.objectives_table),
                                       ui.load(db.objective_weights, issuer, year))
    printed = scoring.printed_scores(ui.load(db.scores, db.Filters(issuers=(issuer,), years=(year,))),
                                     objectives_table["area"].unique().tolist())
    proposal = scoring.proposal_table(objectives_table, rule, printed, maximum or None)
    ui.grid(proposal_display(proposal))
    st.markdown(ui.plain(scoring.RULE_TEXT[rule]) + " " + ui.plain(scoring.COMMON_TEXT))
    for label, shares in (("della proposta", proposal["attainment"]),
                          ("del documento", [p[0] / p[1] for p in printed.values() if p[0] is not None and p[1]])):
        sentence = scoring.spread_sentence(scoring.spread(shares))
        if sentence:
            st.markdown(f"**Differenziazione {label}.** " + ui.plain(sentence))
    st.markdown("**Gli obiettivi nella proposta**")
    ui.grid(objectives_display(objectives_table, rule))
    corrections_ui.correction_form(
        objectives_table.assign(weight=objectives_table["weight"].map(lambda w: format(w, "g"))), "objectives",
        [f"{o} ({a})" for o, a in zip(objectives_table["objective"], objectives_table["area"])], "consorzio_pesi")
    ui.download(st, "Scarica le carte di lavoro (Excel)",
                lambda: workpapers.workbook(issuer, year, rule, maximum or None, proposal, objectives_table, items),
                f"carte_di_lavoro_{ui.slug(issuer)}_{year}.xlsx", "consorzio_carte",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# ---------------------------------------------------------------------------- the plan's deadlines
checked = ui.load(db.plan_deadline_checks, issuer)
if len(checked):
    st.subheader("Piano di Zona: le scadenze alla prova delle relazioni")
    ui.grid(deadline_display(checked))
    st.caption("Ogni scadenza del piano è cercata nelle relazioni dello stesso ente dell'anno della scadenza e dei "
               "successivi: un passo o un indicatore con un nome simile. «Nessuna relazione» vuol dire che quegli "
               "anni non sono ancora caricati.")

# ---------------------------------------------------------------------------- the plans, in euros and side by side
labels, plans_of = ui.load(db.plans, then=plan_index)
if plans_of.get(issuer):
    st.subheader("Piano di Zona: le risorse in euro, a confronto")
    mine = plans_of[issuer][-1]
    other = plan_to_compare(labels, mine)
    chosen_plans = [mine] + ([other] if other is not None else [])
    totals = {labels[d]: ui.load(db.plan_budget, d, then=year_totals) for d in chosen_plans}
    ui.table_with_exports(budget_by_year(totals), "Risorse per anno, in euro", "consorzio_piani_anni",
                          euro=tuple(totals))
    st.caption("Ogni colonna è la somma delle righe di bilancio di quel piano per anno e tabella (le tabelle "
               "dei trienni precedenti, come «Risorse triennio 2012-2014», restano distinte).")
    for d in chosen_plans:
        ui.table_with_exports(ui.load(db.plan_budget, d, then=budget_items), f"Voci: {labels[d]}",
                              f"consorzio_voci_{d}", euro=("Importo",), percent=("Quota della tabella",))

# ---------------------------------------------------------------------------- to hand out
st.subheader("Da distribuire")
st.markdown("La **relazione sintetica per l'assemblea** di questo ente e di questo anno: pagine A4 con i grafici, "
            "in parole semplici, con l'indicazione dei documenti da cui vengono i numeri.")
left, right, _ = st.columns([1, 1, 2])
ui.download(left, "Relazione sintetica (PDF)", lambda: report.made(path, issuer, year, "pdf"),
            f"relazione_sintetica_{ui.slug(issuer)}_{year}.pdf", "consorzio_pdf", "application/pdf")
ui.download(right, "Relazione sintetica (HTML)", lambda: report.made(path, issuer, year, "html"),
            f"relazione_sintetica_{ui.slug(issuer)}_{year}.html", "consorzio_html", "text/html")

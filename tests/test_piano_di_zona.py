"""Piano di Zona: sample 003 (Ambito distrettuale di Crema, 2015-2017)."""
from decimal import Decimal

from conftest import sample_text
from loaders import family_for, piano_di_zona
from loaders.rows import document_rows

CREMA = sample_text("crema")


def test_family_and_metadata():
    assert family_for(CREMA) is piano_di_zona
    doc = piano_di_zona.parse(CREMA)
    assert (doc.issuer, doc.kind, doc.report_year) == ("Ambito Distrettuale di Crema", "piano_di_zona", None)
    assert (doc.period_start, doc.period_end) == (2015, 2017)


def test_counts():
    doc = piano_di_zona.parse(CREMA)
    assert (len(doc.objectives), len(doc.milestones), len(doc.indicators)) == (10, 8, 33)
    assert (len(doc.budget_lines), len(doc.reported_totals)) == (66, 12)


def test_objectives_with_priority_areas():
    doc = piano_di_zona.parse(CREMA)
    first, ninth = doc.objectives[0], doc.objectives[8]
    assert (first.number, first.area) == ("1", "RICOMPOSIZIONE DELLA CONOSCENZA")
    assert first.title.startswith("Osservatorio Territoriale Permanente")
    assert ninth.title.startswith("Progettazione operativa e possibile attuazione di un MODELLO unitario")
    assert doc.objectives[6].area == "RICOMPOSIZIONE DELLE RISORSE E DELLE MODALITA' GESTIONALI"


def test_indicators_paired_with_ranges_only_when_counts_match():
    doc = piano_di_zona.parse(CREMA)
    isee = next(i for i in doc.indicators if i.name and i.name.startswith("N. di servizi erogati con modelli"))
    assert isee.expected_raw == "da 4/8 servizi con modelli omogenei previsti da regolamento ISEE"
    fifth = [i for i in doc.indicators if i.objective == 4]     # 4 indicators, 5 ranges: not paired
    assert len(fifth) == 9 and all(i.expected_raw is None for i in fifth if i.name)
    assert any("non sono in numero uguale" in p.reason for p in doc.problems)


def test_deadlines_are_planned_steps():
    rows = document_rows(piano_di_zona.parse(CREMA))
    steps = {m["source_line"]: m for m in rows["milestones"]}
    assert steps[364]["planned_raw"] == "entro settembre 2015"
    assert str(steps[364]["planned_month"]) == "2015-09-01" and steps[364]["status"] == "planned"
    assert str(steps[750]["planned_month"]) == "2017-12-01"     # 'entro terzo anno' of 2015-2017


def test_budget_lines_and_not_reported_amounts():
    rows = document_rows(piano_di_zona.parse(CREMA))
    lines = {(b["line"], b["year"]): b for b in rows["budget_lines"]}
    assert lines[("Continuità assistenziale", 2012)]["amount_eur"] == Decimal("188305.60")
    assert lines[("Continuità assistenziale", 2012)]["group_name"] == "PRESA IN CARICO INTEGRATA"
    assert lines[("Case Management comunitario", 2013)]["amount_raw"] == "€ -"
    assert lines[("Case Management comunitario", 2013)]["amount_eur"] is None
    assert lines[("Case Management comunitario", 2014)]["amount_raw"] is None
    assert lines[("7) Gestione associata", 2017)]["amount_eur"] == Decimal("6543666.23")


def test_printed_totals_equal_the_sum_of_lines():
    rows = document_rows(piano_di_zona.parse(CREMA))
    for total in (t for t in rows["reported_totals"] if t["label"] in ("Totale", "(totale senza etichetta)")):
        lines = [b["amount_eur"] or 0 for b in rows["budget_lines"]
                 if b["table_name"] == total["table_name"] and b["year"] == total["year"]]
        assert sum(lines) == Decimal(str(total["value"])).quantize(Decimal("0.01")), total
    printed = {(t["label"], t["year"]): t["value"] for t in rows["reported_totals"]}
    assert printed[("Totale", 2015)] == 5265488.22
    assert printed[("(totale senza etichetta)", 2012)] == 5323683.80
    assert printed[("Valore spesa sociale distrettuale", 2016)] == 18_000_000
    assert printed[("(%) gestione associativa", 2017)] == 45


def test_joint_management_share_matches_the_printed_percentages():
    rows = document_rows(piano_di_zona.parse(CREMA))
    printed = {(t["label"], t["year"]): t["value"] for t in rows["reported_totals"]}
    for year in (2015, 2016, 2017):
        share = printed[("Totale", year)] / printed[("Valore spesa sociale distrettuale", year)] * 100
        assert round(share) == printed[("(%) gestione associativa", year)]


def test_stray_euro_sign_is_kept_as_a_damaged_row():
    problems = piano_di_zona.parse(CREMA).problems
    assert any(p.source_line == 937 and p.category == "damaged_row" for p in problems)


def test_variant_other_ambito_period_and_amounts():
    text = CREMA.replace("Ambito Distrettuale di Crema", "Ambito Distrettuale di Lodi", 1)
    text = text.replace("Piano di Zona 2015-2017", "Piano di Zona 2018-2020", 1)
    text = text.replace("Budget\t2015\t2016\t2017", "Budget\t2018\t2019\t2020")
    text = text.replace("1) Osservatorio\t€ 15.000,00", "1) Osservatorio\t€ 25.000,00")
    doc = piano_di_zona.parse(text)
    assert (doc.issuer, doc.period_start, doc.period_end) == ("Ambito Distrettuale di Lodi", 2018, 2020)
    rows = document_rows(doc)
    first = next(b for b in rows["budget_lines"] if b["line"] == "1) Osservatorio")
    assert (first["year"], first["amount_eur"]) == (2018, Decimal("25000.00"))
    total = next(t for t in rows["reported_totals"] if t["label"] == "Totale" and t["year"] == 2018)
    lines = sum(b["amount_eur"] for b in rows["budget_lines"] if b["table_name"] == "Budget" and b["year"] == 2018)
    assert lines - Decimal(str(total["value"])) == Decimal("10000.00")   # the edit shows as a difference


def test_variant_unreadable_amount_becomes_a_quality_issue():
    text = CREMA.replace("2) Cartella sociale\t€ 15.000,00", "2) Cartella sociale\tquindicimila")
    rows = document_rows(piano_di_zona.parse(text))
    line = next(b for b in rows["budget_lines"] if b["line"] == "2) Cartella sociale" and b["year"] == 2015)
    assert (line["amount_raw"], line["amount_eur"]) == ("quindicimila", None)
    assert any(q["raw_text"] == "quindicimila" for q in rows["quality_issues"])


def test_variant_year_headers_with_words():
    text = CREMA.replace("Budget\t2015\t2016\t2017", "Budget\tAnno 2015\tAnno 2016\tAnno 2017")
    rows = document_rows(piano_di_zona.parse(text))
    assert sum(b["table_name"] == "Budget" for b in rows["budget_lines"]) == 30
    assert {b["year"] for b in rows["budget_lines"] if b["table_name"] == "Budget"} == {2015, 2016, 2017}


def test_lists_without_their_objective_heading_are_kept_for_a_person():
    # found by the mutation property: a plan whose 'Obiettivo n. 3' line is missing
    text = sample_text("crema").replace("\nObiettivo n. 3\n", "\n\n")
    parsed = piano_di_zona.parse(text)
    kept = {p.raw_text: p.reason for p in parsed.problems}
    assert "Approvazione di un regolamento distrettuale ISEE" in kept
    assert "manca l'intestazione «Obiettivo n.»" in kept["Approvazione di un regolamento distrettuale ISEE"]
    assert all(i.name != "Approvazione di un regolamento distrettuale ISEE" for i in parsed.indicators)


def test_a_table_header_is_never_an_objective_title():
    lines = sample_text("crema").splitlines()
    lines.insert(lines.index("Interventi / Progetti\tAzioni realizzate\tRisultati / Esiti") - 1, "Obiettivo n. 9")
    parsed = piano_di_zona.parse("\n".join(lines))
    assert all(not (o.title or "").startswith("Interventi / Progetti") for o in parsed.objectives)

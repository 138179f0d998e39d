"""The wide objectives table with the nucleo's scores: sample 002 (C.I.S.S.-A.C. Caluso)."""
from conftest import line_of, sample_text
from loaders import family_for, tabella_obiettivi
from loaders.rows import document_rows

CISSAC = sample_text("cissac")


def test_family_and_metadata():
    assert family_for(CISSAC) is tabella_obiettivi
    doc = tabella_obiettivi.parse(CISSAC)
    assert doc.issuer == "Consorzio Intercomunale Servizi Socio-Assistenziali Caluso"
    assert (doc.report_year, doc.kind) == (2021, "relazione_performance")
    # the year is inferred from the signature date, and the document says so in the quality view
    assert any("14/07/2022" in p.reason for p in doc.problems)


def test_counts():
    doc = tabella_obiettivi.parse(CISSAC)
    assert (len(doc.objectives), len(doc.indicators), len(doc.scores)) == (8, 24, 4)


def test_rows_inherit_area_and_objective():
    doc = tabella_obiettivi.parse(CISSAC)
    areas = [o.area for o in doc.objectives]
    assert areas.count("AREA INCLUSIONE E PROGETTAZIONE") == 2
    assert areas.count("DIREZIONE- AREA AMMINISTRATIVA-FINANZIARIA") == 3
    complaints = next(i for i in doc.indicators if i.name == "N° Reclami da utenti esterni")
    assert doc.objectives[complaints.objective].title == "Ufficio Segretariato sociale"
    assert (complaints.expected_raw, complaints.actual_raw) == ("< 5", "Nessuno")
    assert line_of(CISSAC, complaints.source_line).startswith("\t\tN° Reclami da utenti esterni")


def test_result_continued_on_the_next_line():
    pippi = next(i for i in tabella_obiettivi.parse(CISSAC).indicators if i.source_line == 55)
    assert pippi.actual_raw.endswith("3. Collaborazione tra scuole/famiglie e servizi sociali 4. Famiglie d'appoggio:")
    assert pippi.measurement_source == "Report responsabile area"


def test_scores_as_printed():
    scores = tabella_obiettivi.parse(CISSAC).scores
    assert [(s.area, s.as_printed) for s in scores] == [
        ("DIREZIONE- AMMINISTRATIVA-FINANZIARIA AREA", "470/500"), ("AREA ANZIANI", "460/500"),
        ("AREA MINORI", "470/500"), ("AREA INCLUSIONE PROGETTAZIONE E", "470/500")]
    rows = document_rows(tabella_obiettivi.parse(CISSAC))
    assert [(s["score"], s["max_score"]) for s in rows["scores"]][1] == (460, 500)


def test_statuses_of_textual_results():
    rows = document_rows(tabella_obiettivi.parse(CISSAC))
    by_line = {i["source_line"]: i for i in rows["indicators"]}
    assert by_line[47]["status"] == "met"          # entro il 31/12/2021 -> concluso entro il 31/12/2021
    assert by_line[68]["status"] == "met"          # < 5 -> Nessuno
    assert by_line[69]["status"] == "met"          # < 3 -> N° 1 reclamo
    assert by_line[70]["status"] == "partly"       # tutti ... tranne la collega C.S.
    assert by_line[53]["status"] == "met"          # =>N° 6 -> 12 sedute, read from the sentence
    assert "letto dal testo" in by_line[53]["status_reason"]
    assert by_line[54]["status"] == "unknown"      # => 10 against a sentence with many numbers
    statuses = [i["status"] for i in rows["indicators"]]
    assert (statuses.count("met"), statuses.count("partly"), statuses.count("unknown")) == (22, 1, 1)


def test_variant_other_issuer_values_and_scores():
    text = CISSAC.replace("Consorzio Intercomunale Servizi Socio-Assistenziali Caluso\nVia",
                          "Consorzio Socio Assistenziale del Cuneese\nVia")
    text = text.replace("N° Reclami da utenti esterni\t< 5\tNessuno", "N° Reclami da utenti esterni\t< 5\t7")
    text = text.replace("AREA ANZIANI\t\t460/500", "AREA ANZIANI\t\t380/500")
    text = text.replace("Caluso li 14/07/2022", "Cuneo li 02/05/2024")
    assert text.count("Cuneese") == 1
    doc = tabella_obiettivi.parse(text)
    assert (doc.issuer, doc.report_year) == ("Consorzio Socio Assistenziale del Cuneese", 2023)
    assert doc.scores[1].as_printed == "380/500"
    rows = document_rows(doc)
    assert next(i for i in rows["indicators"] if i["source_line"] == 68)["status"] == "not_met"


def test_variant_header_repeated_and_row_removed():
    header = line_of(CISSAC, 46)
    text = CISSAC.replace("\t\tLiquidazione di tutte le spese entro il 31/12/2021\tSi\tSi\t\n", "")
    text = text.replace("AREA MINORI\tAffidamento", header + "\nAREA MINORI\tAffidamento")
    doc = tabella_obiettivi.parse(text)
    assert (len(doc.objectives), len(doc.indicators)) == (8, 23)


def test_variant_page_footer_inside_the_table():
    text = CISSAC.replace("AREA MINORI\tAffidamento", "pag. 3\nAREA MINORI\tAffidamento")
    assert len(tabella_obiettivi.parse(text).indicators) == 24

"""One vocabulary, one header-matching function (issue 9): every synonym is a row here.

Adding a synonym to cruscotto/vocabulary.py is one line of data plus one row of these tables."""
import pytest

from cruscotto.italian import months_in, parse_deadline, parse_target
from loaders.lines import Line
from loaders.scores import prose_scores
from loaders.tables import header_to_columns, key_value, read_header


def line(raw: str, number: int = 1) -> Line:
    return Line(number, raw, tuple(c.strip() for c in raw.split("\t")))


@pytest.mark.parametrize("cells, kind, expected", [
    (["Indicatore", "Target", "Valore raggiunto"], "indicators", {"indicator": 0, "expected": 1, "actual": 2}),
    (["Risultato atteso", "Risultato conseguito"], "indicators", {"expected": 0, "actual": 1}),
    (["Indicatore", "Formula", "Target", "Valore raggiunto", "% raggiungimento"], "indicators",
     {"indicator": 0, "description": 1, "expected": 2, "actual": 3, "attainment": 4}),
    (["Indicatore", "% di raggiungimento"], "indicators", {"indicator": 0, "attainment": 1}),
    (["Indicatore", "Val. prev.", "Val. cons."], "indicators", {"indicator": 0, "expected": 1, "actual": 2}),
    (["Ind.", "U.M.", "Valore atteso 2021 (b)", "Valore a consuntivo 2021 (c)", "Scostamento (d=c-b)"], "indicators",
     {"indicator": 0, "unit": 1, "expected": 2, "actual": 3, "deviation": 4}),
    (["Indicatore", "Valore attuale (2020) (a)", "Valore atteso", "Valore consuntiv o (2021)"], "indicators",
     {"indicator": 0, "baseline": 1, "expected": 2, "actual": 3}),
    (["Indicatore", "Modalità di calcolo", "Tolleranza Scostamento", "Scostamento (d= b-c)"], "indicators",
     {"indicator": 0, "description": 1, "tolerance": 2, "deviation": 3}),
    (["AREA ORGANIZZATIVA", "DESCRIZIONE OBIETTIVO", "INDICATORI", "VALORE ATTESO", "RISULTATO CONSEGUITO",
      "STRUMENTO DI RILEVAZIONE RISULTATI"], "indicators",
     {"area": 0, "objective": 1, "indicator": 2, "expected": 3, "actual": 4, "source": 5}),
    (["Performance attesa", "Performance realizzata"], "indicators", {"expected": 0, "actual": 1}),
    (["Indicatore", "Peso", "Punteggio"], "indicators", {"indicator": 0, "weight": 1, "score": 2}),
    (["Indicatore", "Indicatore Descrizione Unità misura", "", "Valore atteso"], "indicators",
     {"indicator": 0, "description": 1, "unit": 2, "expected": 3}),
    (["Fase", "Descrizione", "Inizio", "Fine", "Stato", "Peso"], "steps",
     {"activity": 0, "description": 1, "start": 2, "planned": 3, "status": 4, "weight": 5}),
    (["Fase", "Scadenza prevista", "Scadenza effettiva"], "steps", {"activity": 0, "planned": 1, "actual": 2}),
    (["Modalità di attuazione", "Tempi", "Consuntivo"], "steps", {"activity": 0, "planned": 1, "actual": 2}),
    (["Attività", "Tempistica", "Realizzato"], "steps", {"activity": 0, "planned": 1, "actual": 2}),
    (["Azioni", "Data prevista", "Data effettiva"], "steps", {"activity": 0, "planned": 1, "actual": 2}),
    (["Attività", "Sc. prevista", "Tempi effettivi"], "steps", {"activity": 0, "planned": 1, "actual": 2}),
    (["Area", "Peso", "Punteggio"], "scores", {"area": 0, "weight": 1, "score": 2}),
    (["Centro di responsabilità", "Punteggio attribuito"], "scores", {"area": 0, "score": 1}),
])
def test_header_synonyms(cells, kind, expected):
    assert header_to_columns(cells, kind).roles == expected


@pytest.mark.parametrize("raw, kind", [
    ("Indicatore\tTarget\tValore raggiunto", "indicators"),
    ("Risultato atteso\tRisultato conseguito", "indicators"),
    ("Fase\tInizio\tFine\tStato", "steps"),
    ("Fase\tScadenza prevista\tScadenza effettiva", "steps"),
    ("Area\tPeso\tPunteggio", "scores"),
    ("INDICATORE\tVALORE ATTESO\tVALORE CONSUNTIVO", "indicators"),
    ("Indicatore\tPrev.\tEff.", "indicators"),
    ("Descrizione indicatore\tTarget\tValore raggiunto", "indicators"),
    ("Attività\tPeriodo previsto\tPeriodo di realizzazione", "steps"),
    ("Fase\tScadenza prevista\tScadenza effettiva\tStato", "steps"),
])
def test_what_a_header_opens(raw, kind):
    assert read_header(line(raw)).kind == kind


def test_a_header_on_two_lines_is_read_with_its_second_line():
    header = read_header(line("Indicatore\tUnità\tValore\t\tScostamento"), line("\t\tatteso\tconsuntivo\t", 2))
    assert header.lines_used == 2
    assert header.columns.roles == {"indicator": 0, "unit": 1, "expected": 2, "actual": 3, "deviation": 4}


@pytest.mark.parametrize("raw, role, value", [
    ("Indicatore: Tempo medio di presa in carico", "indicator", "Tempo medio di presa in carico"),
    ("Indicatore\tPercentuale di relazioni inviate", "indicator", "Percentuale di relazioni inviate"),
    ("Target 2022: minore o uguale a 30", "expected", "minore o uguale a 30"),
    ("Target primo anno maggiore o uguale a 90,00%", "expected", "primo anno maggiore o uguale a 90,00%"),
    ("Valore rilevato al 31/12/2022: 27", "actual", "27"),
    ("Valore raggiunto\t97,2%", "actual", "97,2%"),
    ("Unità di misura: giorni", "unit", "giorni"),
])
def test_key_value_sheets(raw, role, value):
    assert key_value(line(raw)) == (role, value)


@pytest.mark.parametrize("raw, op, value", [
    ("maggiore o uguale a 90,00%", "ge", 90.0),
    ("primo anno maggiore o uguale a 90,00%", "ge", 90.0),
    ("minore o uguale a 30", "le", 30.0),
    ("non superiore a 5", "le", 5.0),
    ("superiore a 10", "gt", 10.0),
    ("inferiore a 3", "lt", 3.0),
    ("almeno 80%", "ge", 80.0),
])
def test_targets_in_words(raw, op, value):
    target = parse_target(raw)
    assert (target.op, target.value) == (op, value)


@pytest.mark.parametrize("raw, year, month", [
    ("01-mar-16", 2016, 3), ("31-mar-23", 2023, 3), ("31.12.2020", 2020, 12), ("30.06.2022", 2022, 6),
    ("01/03/2022", 2022, 3), ("31/12/22", 2022, 12), ("dicembre 2022", 2022, 12), ("giu-22", 2022, 6),
    ("dic. 2022", 2022, 12), ("entro il 31/12/2021", 2021, 12), ("entro il 30.06.2022", 2022, 6),
    ("concluso il 15/07/2023", 2023, 7), ("GIUGNO", 2019, 6), ("Sett.", 2019, 9),
])
def test_date_forms(raw, year, month):
    found = parse_deadline(raw, 2019)
    assert (found.year, found.month) == (year, month)


def test_numbers_that_are_not_dates():
    assert months_in("1.234.567,00", 2020) == []
    assert months_in("45/13/2020", None) == []


@pytest.mark.parametrize("sentence, score, maximum", [
    ("La valutazione totalizza il valore massimo di 10 punti.", 10, 10),
    ("L'area ottiene 8 punti su 10.", 8, 10),
    ("Punteggio attribuito: 85/100", 85, 100),
    ("Al dirigente è attribuito un punteggio di 92 su 100.", 92, 100),
    ("Il servizio consegue un punteggio di 8,5 su un massimo di 10.", 8.5, 10),
    ("L'area totalizza 45 punti.", 45, None),
])
def test_scores_in_prose(sentence, score, maximum):
    found, = prose_scores([line(sentence)], lambda _: "Sezione")
    assert (found.score, found.max_score, found.area) == (score, maximum, "Sezione")


def test_a_sentence_that_names_an_area_scores_that_area():
    found, = prose_scores([line("L'area Anziani ottiene 8 punti su 10.")], lambda _: "Valutazione",
                          ["Area Anziani", "Area Minori"])
    assert found.area == "Area Anziani"


@pytest.mark.parametrize("sentence", [
    "Il punteggio è attribuito fino a un valore massimo di 10 punti per area.",   # a rule, not a result
    "Sono stati attivati 4 punti su 6 previsti di accesso al servizio.",          # service points
    "Il punteggio medio di gradimento del servizio è 4 su 5.",                    # a survey
    "Obiettivo 1 – Sistema di valutazione del personale",                         # a heading
])
def test_sentences_that_are_not_scores(sentence):
    assert prose_scores([line(sentence)], lambda _: "Sezione") == []


def test_points_out_of_a_maximum_are_read_before_the_maximum():
    found, = prose_scores([line("L'area Minori ottiene 7 punti su un valore massimo di 10 punti.")], lambda _: None)
    assert (found.score, found.max_score) == (7, 10)


@pytest.mark.parametrize("cell, expected", [("470/500", True), ("8,5/10", True), ("06/2023", False),
                                            ("2019/2021", False), ("7/3", False)])
def test_score_cells(cell, expected):
    from loaders.scores import is_score
    assert is_score(cell) is expected


@pytest.mark.parametrize("raw, op, value", [
    ("max 5", "le", 5.0), ("inferiore al 5%", "lt", 5.0), ("non inferiore al 90%", "ge", 90.0),
    ("superiore al 90%", "gt", 90.0), ("uguale o superiore al 90%", "ge", 90.0), ("fino al 10%", "le", 10.0),
])
def test_targets_with_articled_prepositions(raw, op, value):
    target = parse_target(raw)
    assert (target.op, target.value) == (op, value)


@pytest.mark.parametrize("raw, year, month", [("1° semestre 2024", 2024, 6), ("II trimestre", 2019, 6),
                                              ("secondo semestre 2023", 2023, 12)])
def test_parts_of_a_year(raw, year, month):
    found = parse_deadline(raw, 2019)
    assert (found.year, found.month) == (year, month)


@pytest.mark.parametrize("raw, heading", [
    ("Obiettivo 1. Ridurre i tempi", ("1", "Ridurre i tempi")), ("Obiettivo 1.2. Potenziare", ("1.2", "Potenziare")),
    ("Obiettivo operativo 2.1.3 - Trasparenza", ("2.1.3", "Trasparenza")),
    ("Obiettivo 3 è stato raggiunto pienamente nel corso dell'anno.", None),
])
def test_objective_headings(raw, heading):
    from loaders.tables import objective_heading
    assert objective_heading(line(raw)) == heading


@pytest.mark.parametrize("first, second", [
    ("Indicatore\tTarget\tRisultato\tNote", "Pubblicazione della carta\tSì\tSì\tfonte: sito"),   # a data row
    ("Indicatore\tTarget\tRisultato", "Accessi\t100\t120"),
])
def test_a_data_row_is_not_a_second_header_line(first, second):
    assert read_header(line(first), line(second, 2)).lines_used == 1


def test_planned_and_actual_start_and_end():
    cells = ["Fase", "Inizio previsto", "Fine prevista", "Inizio effettivo", "Fine effettiva"]
    assert header_to_columns(cells, "steps").roles == {"activity": 0, "start": 1, "planned": 2, "actual_start": 3,
                                                       "actual": 4}


@pytest.mark.parametrize("raw, role", [("Valore rilevato: 27 giorni", "actual"), ("Target raggiunto: Sì", None)])
def test_key_value_labels_are_matched_whole(raw, role):
    found = key_value(line(raw))
    assert (found[0] if found else None) == role

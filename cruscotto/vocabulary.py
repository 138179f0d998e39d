"""Every Italian word the readers use, as data: column roles, context labels, section markers, months,
not-reported markers, yes/done words, issuer forms, score phrases.

Matching is done by `loaders.tables.header_to_columns` (headers) and by `cruscotto.italian` (values): both
compare words with accents, case and punctuation removed, and every word here is a *prefix* of the printed
word ("consuntiv" matches "consuntivo", "consuntivi"). To teach the tool a synonym, add one line here and
one parametrized test row (tests/test_vocabulary.py).
"""
from __future__ import annotations

# ---------------------------------------------------------------------------- table column roles
# role -> phrases. A header cell takes the role of the longest phrase it contains (ties: the phrase that
# starts first), so "Risultato atteso" is expected (two words) although "risultato" alone is actual.

INDICATOR_ROLES: dict[str, tuple[str, ...]] = {
    "objective": ("obiettivo", "obiettivi", "descrizione obiettivo", "obiettivo strategico", "obiettivo operativo",
                  "obiettivo gestionale", "obiettivo specifico", "obiettivo di performance"),
    "area": ("area", "area organizzativa", "area strategica", "settore", "centro di responsabilita",
             "unita organizzativa", "servizio responsabile", "struttura responsabile"),
    "actions": ("azioni", "azione", "attivita previste"),
    "indicator": ("indicatore", "indicatori", "indicatore di risultato", "indicatori di risultato",
                  "nome indicatore", "denominazione indicatore", "descrizione indicatore", "kpi"),
    "description": ("descrizione", "descrizione indicatore", "formula", "formula di calcolo", "modalita di calcolo",
                    "metodo di calcolo", "algoritmo"),
    "unit": ("unita di misura", "unita misura", "unita", "um", "u m"),
    "baseline": ("valore attuale", "baseline", "valore iniziale", "valore di partenza", "valore anno precedente",
                 "valore storico", "valore di riferimento", "dato storico"),
    "expected": ("valore atteso", "atteso", "attesi", "attesa", "target", "risultato atteso", "risultati attesi",
                 "valore previsto", "previsto", "prevista", "valore obiettivo", "performance attesa", "valore programmato",
                 "standard atteso", "valore target", "obiettivo atteso"),
    "actual": ("valore consuntivo", "consuntivo", "valore a consuntivo", "valore raggiunto", "raggiunto",
               "risultato", "risultati", "risultato conseguito", "risultati conseguiti", "conseguito",
               "valore rilevato", "rilevato", "valore effettivo", "valore al", "performance realizzata",
               "realizzato", "valore realizzato", "dato rilevato", "valore misurato", "esito", "effettivo",
               "effettiva"),
    "deviation": ("scostamento", "scostamenti", "differenza", "delta", "variazione"),
    "tolerance": ("tolleranza",),
    "weight": ("peso", "pesi", "ponderazione", "peso percentuale"),
    "score": ("punteggio", "punteggi", "punti", "punteggio attribuito", "punteggio ottenuto"),
    "attainment": ("raggiungimento", "% raggiungimento", "% di raggiungimento", "grado di raggiungimento",
                   "percentuale di raggiungimento", "grado di realizzazione", "percentuale di realizzazione",
                   "% realizzazione", "grado di conseguimento"),
    "source": ("strumento", "strumento di rilevazione", "strumenti di rilevazione", "fonte", "fonte dati",
               "fonte dei dati", "modalita di verifica", "mezzi di verifica"),
}

STEP_ROLES: dict[str, tuple[str, ...]] = {
    "objective": ("obiettivo", "obiettivi"),
    "activity": ("attivita", "fase", "fasi", "azione", "azioni", "modalita di attuazione", "descrizione attivita",
                 "adempimento", "adempimenti", "step", "cronoprogramma", "intervento", "interventi"),
    "description": ("descrizione",),
    "start": ("inizio", "data inizio", "data di inizio", "avvio", "data avvio", "inizio previsto"),
    "actual_start": ("inizio effettivo", "data inizio effettiva", "avvio effettivo", "inizio reale"),
    "planned": ("tempi", "tempi previsti", "tempistica", "tempistiche", "scadenza", "scadenze", "scadenza prevista",
                "data prevista", "termine", "termine previsto", "fine", "fine prevista", "data fine", "data di fine",
                "conclusione prevista", "previsto", "periodo", "periodo previsto", "entro"),
    "actual": ("consuntivo", "realizzato", "realizzata", "effettivo", "effettiva", "tempi effettivi",
               "scadenza effettiva", "data effettiva", "fine effettiva", "data di realizzazione",
               "data conclusione", "conclusione effettiva", "svolto", "svolta", "tempi di realizzazione",
               "stato di attuazione", "data di completamento", "completamento", "realizzazione",
               "periodo di realizzazione", "fine reale"),
    "status": ("stato", "stato avanzamento", "stato di avanzamento", "esito", "avanzamento", "note"),
    "weight": ("peso", "pesi", "ponderazione"),
    "responsible": ("responsabile", "referente"),
}

SCORE_ROLES: dict[str, tuple[str, ...]] = {
    "area": INDICATOR_ROLES["area"] + ("obiettivo", "centro di responsabilita", "posizione organizzativa",
                                       "responsabile", "dirigente", "servizio"),
    "weight": INDICATOR_ROLES["weight"],
    "score": INDICATOR_ROLES["score"] + ("valutazione", "valutazione finale", "punteggio finale",
                                         "punteggio complessivo", "totale punti"),
    "max_score": ("punteggio massimo", "massimo", "punti massimi", "max"),
    "attainment": INDICATOR_ROLES["attainment"],
}

# Roles an editor can give the columns of a table the tool does not recognise (loaders/mapping.py):
# role -> the name the mapping page shows. 'done' is when a step was actually done (tempi effettivi),
# 'actual' an indicator's result (consuntivo); every 'amount' column is one year of a budget line.
MAPPING_ROLES: dict[str, str] = {
    "objective": "obiettivo", "area": "area", "activity": "attività", "planned": "tempi previsti",
    "done": "tempi effettivi", "indicator": "indicatore", "unit": "unità", "expected": "atteso",
    "actual": "consuntivo", "deviation": "scostamento", "weight": "peso", "score": "punteggio",
    "budget_item": "voce di bilancio", "amount": "importo per anno",
}

# Abbreviations in headers, expanded before matching ("Val. cons." -> "valore consuntivo").
HEADER_ABBREVIATIONS: dict[str, str] = {
    "val": "valore", "cons": "consuntivo", "consunt": "consuntivo", "prev": "previsto", "eff": "effettivo",
    "ind": "indicatore", "descr": "descrizione", "u.m": "unita di misura", "um": "unita di misura",
    "racc": "raggiungimento", "ragg": "raggiungimento", "punt": "punteggio", "scost": "scostamento",
    "sc": "scadenza", "attiv": "attivita", "obiet": "obiettivo", "ob": "obiettivo", "resp": "responsabile",
}

# Words that never decide a header cell: years and labels such as "(b)" or "(d=c-b)" are dropped before.
HEADER_FILLER = ("di", "del", "della", "dei", "delle", "a", "e", "in", "il", "la", "le", "lo", "per", "n")

# A deviation column is read with a document's own legend only when the document prints one: a sentence
# naming the column, attainment and the sign ('Se il valore è positivo l'obiettivo è raggiunto e superato').
DEVIATION_LEGEND = ("scostament", "raggiunt", ("positiv", "negativ"))

# ---------------------------------------------------------------------------- objective sheets
# Context rows of an objective sheet: label -> the Objective field it fills (None: kept, not stored).
CONTEXT_LABELS: dict[str, str | None] = {
    "area strategica": "area", "progetto peg": "peg_project", "descrizione obiettivo": "description",
    "programma rpp": None, "servizi interessati": None, "obiettivo operativo": None, "utenti finali": None,
    "reti di collaborazione": None, "unità organizzativa": None, "responsabile": None, "finalità": None,
    "stakeholder finali": None, "stakeholder intermedi": None, "servizi peg coinvolti": None,
    "macroservizi peg coinvolti": None, "macro servizi peg coinvolti": None, "criticità da presidiare": None,
    "impatto atteso": None, "missione": None, "programma": None, "centro di costo": None,
    "area di intervento": "area", "ambito strategico": "area", "linea strategica": None,
    # the objective's weight in the area's score (longer labels first: the first that starts the line wins)
    "peso dell'obiettivo": "weight_raw", "peso obiettivo": "weight_raw", "peso ponderale": "weight_raw",
    "ponderazione": "weight_raw", "peso": "weight_raw",
}

# A line made of one of these words opens a part of an objective sheet.
SECTION_MARKERS: dict[str, str] = {
    "modalità di attuazione": "milestones", "cronoprogramma": "milestones", "fasi di attuazione": "milestones",
    "fasi": "milestones", "indicatori di risultato": "indicators", "indicatori di performance": "indicators",
    "indicatori": "indicators", "descrizione obiettivo": "description", "finalità": "context",
    "stakeholder finali": "context", "stakeholder intermedi": "context",
}

# Words that open an objective heading: "Obiettivo 1", "Obiettivo strategico n. 2:", "Ob. operativo 3 –".
OBJECTIVE_WORDS = ("obiettivo", "ob.")
OBJECTIVE_KINDS = ("strategico", "operativo", "gestionale", "specifico", "di performance", "di mantenimento",
                   "di miglioramento", "di sviluppo", "trasversale")
# Headings that name an area for the objectives that follow: "Area strategica Anziani", "AREA MINORI".
AREA_HEADINGS = ("area strategica", "area di priorità", "area di intervento", "area", "settore",
                 "centro di responsabilità")
# A line 'Area: Anziani' names the area of the objective it sits in.
AREA_LABELS = ("area", "area strategica", "area di intervento", "settore", "centro di responsabilità",
               "ambito strategico")
# Report sections that repeat an objective heading without its tables.
REPORT_MARKERS = ("report", "relazione sull'obiettivo", "commento", "note sull'andamento")

# ---------------------------------------------------------------------------- key-value indicator sheets
# "Indicatore: ...", "Target 2022: maggiore o uguale a 90%", "Valore rilevato al 31/12/2022: 93%".
KEY_VALUE_LABELS: dict[str, tuple[str, ...]] = {
    "indicator": ("indicatore", "nome indicatore", "denominazione indicatore"),
    "description": ("descrizione", "formula", "formula di calcolo", "modalita di calcolo"),
    "unit": ("unita di misura", "unita misura", "u.m"),
    "baseline": ("valore attuale", "baseline", "valore iniziale", "valore di partenza"),
    "expected": ("target", "valore atteso", "risultato atteso", "valore obiettivo", "valore previsto"),
    "actual": ("valore rilevato", "valore raggiunto", "valore consuntivo", "risultato conseguito",
               "risultato raggiunto", "valore a consuntivo", "valore effettivo", "consuntivo", "risultato"),
    "source": ("fonte", "fonte dati", "fonte dei dati", "strumento di rilevazione"),
}
# Words a key-value target uses instead of a sign: "maggiore o uguale a 90%" -> ">= 90%".
COMPARISON_WORDS: tuple[tuple[str, str], ...] = (
    ("maggiore o uguale a", ">="), ("maggiore o uguale", ">="), ("superiore o uguale a", ">="),
    ("non inferiore a", ">="), ("pari o superiore a", ">="), ("uguale o superiore a", ">="), ("almeno", ">="),
    ("minore o uguale a", "<="), ("minore o uguale", "<="), ("inferiore o uguale a", "<="),
    ("non superiore a", "<="), ("pari o inferiore a", "<="), ("uguale o inferiore a", "<="), ("non oltre", "<="),
    ("al massimo", "<="), ("fino a", "<="),
    ("maggiore di", ">"), ("superiore a", ">"), ("minore di", "<"), ("inferiore a", "<"),
)

# ---------------------------------------------------------------------------- Piano di Zona
PLAN_SECTIONS = ("obiettivo", "azioni", "integrazione", "risorse", "strumenti", "valutazione", "tempi",
                 "tempistica", "destinatari", "soggetti coinvolti", "attori", "descrizione", "risultati attesi",
                 "monitoraggio")
# Bullet lists of a plan objective: label -> which list the bullets fill.
PLAN_LISTS: dict[str, str] = {
    "indicatori di esito": "indicators", "indicatori di risultato": "indicators", "indicatori": "indicators",
    "indicatore": "indicators", "indicatori di processo": "indicators",
    "range di valutazione": "ranges", "target": "ranges", "valori attesi": "ranges", "valore atteso": "ranges",
    "risultati attesi": "ranges", "soglia": "ranges",
    "strumenti di valutazione": "tools",
    "tempistica": "deadlines", "tempi": "deadlines", "scadenze": "deadlines", "cronoprogramma": "deadlines",
}
PRIORITY_AREA = ("area di priorità", "area di intervento", "area tematica", "macro area", "macroarea", "area")
TOTAL_WORDS = ("totale", "totali", "tot.", "somma", "complessivo")

# ---------------------------------------------------------------------------- values
MONTHS: dict[str, int] = {
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "gen": 1, "genn": 1, "feb": 2, "febb": 2, "febbr": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6,
    "lug": 7, "ago": 8, "set": 9, "sett": 9, "ott": 10, "nov": 11, "dic": 12,
}
# Parts of a year a deadline may name ('1° semestre 2024'): word -> months in each part.
PARTS_OF_YEAR: dict[str, int] = {"semestre": 6, "quadrimestre": 4, "trimestre": 3, "bimestre": 2}
# A result or step cell that says nothing: never a zero.
NOT_REPORTED = ("/", "-", "--", "---", "n.d.", "nd", "n.d", "n.r.", "non rilevato", "non disponibile", "?")
# A result that opens with one of these says yes ('Sì, è stata redatta', 'Realizzato', 'Conclusa a marzo');
# each is a stem followed by its ending (o, a, i, e).
YES_STEMS = ("raggiunt", "attuat", "realizzat", "effettuat", "svolt", "completat", "conclus", "eseguit",
             "terminat", "fatt")
# A step status that says it is still going on, or never started.
IN_PROGRESS_WORDS = ("in corso", "in itinere", "in fase di", "da completare", "da concludere")
NOT_STARTED_WORDS = ("non avviato", "non avviata", "non iniziato", "non iniziata", "da avviare", "sospeso",
                     "sospesa", "annullato", "annullata", "rinviato", "rinviata")

# ---------------------------------------------------------------------------- the issuer
# How a body names itself on a title page: the first words of its name.
ISSUER_FORMS = ("consorzio", "cons.", "consorzi", "azienda", "ambito", "unione", "comunità", "ente gestore",
                "società della salute", "comune di", "distretto", "asp", "a.s.p.", "asc", "a.s.c.",
                "ufficio di piano", "conferenza dei sindaci", "ipab")
# Besides these words, a title line that opens with a dotted acronym ('C.I.S.S.-A.C.', 'C.S.S. del Pinerolese')
# names the issuer: loaders/identity.py.
# Forms that spell a name out (preferred over an acronym line of the same title page).
ISSUER_SPELLED = ("consorzio", "azienda", "ambito", "unione", "comunit", "ente", "societ", "comune", "distretto",
                  "ufficio di piano", "conferenza")

# ---------------------------------------------------------------------------- titles and years
TITLE_WORDS = ("relazione", "rendicontazione", "piano di zona", "performance", "piano esecutivo", "peg",
               "report", "consuntivo")
KINDS_BY_TITLE = (("rendicontazione", "rendicontazione_obiettivi"), ("piano di zona", "piano_di_zona"))
YEAR_WORDS = ("anno", "performance", "esercizio", "consuntivo", "gestione", "peg", "relazione finale")
SIGNATURE_WORDS = ("li", "lì", "addì", "data")

# ---------------------------------------------------------------------------- scores
# Sentences that state a score: "punteggi", "ottiene 8 punti su 10", "punteggio attribuito: 85/100".
SCORE_WORDS = ("punteggio", "punteggi", "punti", "punto", "totalizza")
# Words that make a sentence with a number of points a score given by someone.
SCORE_CONTEXT = ("punteggio", "punteggi", "nucleo", "oiv", "valutazione", "attribui", "assegna", "totalizza",
                 "ottiene", "consegue", "riporta", "raggiunge", "area", "dirigente", "responsabile")
# Words that make it something else: a survey's average, a rule of the scoring system.
NOT_A_SCORE = ("gradimento", "soddisfazione", "medio", "media", "fino a", "può essere", "potrà", "previsti",
               "questionario")

# ---------------------------------------------------------------------------- area names (issue 11)
# Canonical area names an editor is offered for the areas documents print ('AREA ANZIANI', 'Anziani',
# 'Area anziani e non autosufficienza' -> 'Anziani'): canonical name -> key words or phrases. A printed name
# gets the suggestion when it holds the words of exactly one area's phrases (compared by cruscotto.areas:
# case, accents, punctuation and the final vowel ignored, so 'minore' matches 'minori'). Only a suggestion:
# an editor accepts it on the Aree page.
AREA_NAMES: dict[str, tuple[str, ...]] = {
    "Anziani": ("anziani", "terza età", "non autosufficienza", "non autosufficienti", "domiciliarità anziani"),
    "Minori e famiglie": ("minori", "famiglia", "famiglie", "infanzia", "adolescenza", "adolescenti",
                          "genitorialità", "tutela minori"),
    "Disabili": ("disabili", "disabilità", "disabile", "handicap"),
    "Inclusione sociale": ("inclusione", "esclusione sociale", "povertà", "adulti in difficoltà",
                           "marginalità", "grave emarginazione"),
    "Amministrazione e servizi generali": ("amministrazione", "amministrativa", "amministrativo",
                                           "servizi generali", "affari generali", "governance"),
}
# Words a printed area name carries that never tell two areas apart: 'AREA MINORI' is 'Minori'.
AREA_FILLER = ("area", "aree", "settore") + HEADER_FILLER + (
    "dei", "degli", "della", "delle", "dello", "gli", "ed", "con", "nel", "nella", "alla", "alle", "ai", "al")

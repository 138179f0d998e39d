"""Harder variants of the four documents (s1-s6): cells centred vertically, narrow date columns where
'settembre 2023' wraps, body text larger than table text, tables long enough to break across pages.
Written by make_docs.py."""
import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_docs  # noqa: E402
from content import DOC1, DOC2, DOC3, DOC4  # noqa: E402


def tables(doc):
    return [b[1] for b in doc["blocks"] if b[0] == "table"]


# S1: doc1, wider % column (control for the 'raggiung imento' header), cells centred vertically
s1 = copy.deepcopy(DOC1)
s1["name"] = "s1_monviso_2022_centrato"
for t in tables(s1):
    t["widths"] = [4.4, 4.0, 2.2, 4.1, 2.3]
    t["valign"] = "center"

# S2: doc2 with narrow date columns (dates wrap over two lines), centred cells, more phases so tables
# break across pages
s2 = copy.deepcopy(DOC2)
s2["name"] = "s2_altocanavese_2023_stretto"
for t in tables(s2):
    n = len(t["rows"][0])
    t["widths"] = [10.4, 2.1, 2.1, 2.4] if n == 4 else [11.8, 2.6, 2.6]
    t["valign"] = "center"
extra = [
    ("h", 2, "Obiettivo 5 – Servizio di trasporto sociale"),
    ("p", "Il servizio di trasporto sociale per persone anziane e con disabilità è stato riorganizzato con "
          "il coinvolgimento delle associazioni di volontariato convenzionate, secondo le fasi seguenti."),
    ("table", dict(widths=[10.4, 2.1, 2.1, 2.4], font_pt=9, valign="center", rows=[
        ["Fase", "Inizio", "Fine", "Stato"],
        ["Ricognizione dei mezzi disponibili presso i Comuni e le associazioni", "gennaio 2023", "febbraio 2023",
         "concluso"],
        ["Nuova convenzione con le associazioni di volontariato per il trasporto verso i presidi sanitari e "
         "i centri diurni del territorio", "01/03/2023", "settembre 2023", "concluso il 02/10/2023"],
        ["Centrale unica di prenotazione", "aprile 2023", "entro il 30.11.2023", "in corso"],
        ["Formazione dei volontari autisti sulla movimentazione delle persone con ridotta mobilità",
         "01/05/2023", "31/07/2023", "concluso"],
        ["Acquisto di un mezzo attrezzato", "giugno 2023", "dicembre 2023", "non avviato"],
        ["Monitoraggio", "settembre 2023", "dicembre 2023", "in corso"],
        ["Rendicontazione alla Regione dei contributi ricevuti per il trasporto sociale", "novembre 2023",
         "31/01/2024", "non avviato"],
    ])),
    ("h", 2, "Obiettivo 6 – Sportello badanti"),
    ("table", dict(widths=[11.8, 2.6, 2.6], font_pt=9, valign="center", rows=[
        ["Attività", "Scadenza prevista", "Scadenza effettiva"],
        ["Accordo con il Centro per l'impiego", "marzo 2023", "aprile 2023"],
        ["Apertura dello sportello nella sede di Rivarolo Canavese", "settembre 2023", "settembre 2023"],
        ["Iscrizione delle assistenti familiari al registro regionale", "entro il 30.09.2023", "novembre 2023"],
        ["Corso di formazione di base per assistenti familiari in collaborazione con l'agenzia formativa",
         "dicembre 2023", "/"],
    ])),
]
s2["blocks"] = s2["blocks"][:-1] + extra + s2["blocks"][-1:]

# S3: doc3 with body text larger than table text (11 pt vs 9 pt), narrower first column (wraps 4-5 lines),
# cells centred vertically
s3 = copy.deepcopy(DOC3)
s3["name"] = "s3_collinepo_2021_centrato"
s3["body_pt"] = 11
for t in tables(s3):
    t["font_pt"] = 9
    t["valign"] = "center"
    if len(t["rows"][0]) == 4:
        t["widths"] = [3.4, 2.4, 5.6, 5.6]

# S4: doc4 twice as long (breaks over two landscape pages, header repeated), cells centred vertically
s4 = copy.deepcopy(DOC4)
s4["name"] = "s4_valsesia_2024_lungo"
t = tables(s4)[0]
t["valign"] = "center"
more = []
for area, rows in (("Area inclusione", t["rows"][1:6]), ("Area territoriale", t["rows"][6:11])):
    for i, r in enumerate(rows):
        r = list(r)
        r[0] = area if i == 0 else ""
        r[1] = (r[1] + " (seconda annualità)") if r[1] else ""
        more.append(r)
t["rows"] += more

# S5: doc2 + the two extra objectives, top-aligned cells, date columns wide enough for '31/03/2023' but not
# for 'settembre 2023' (wraps to 'settembre' / '2023')
s5 = copy.deepcopy(s2)
s5["name"] = "s5_altocanavese_2023_date_a_capo"
for t in tables(s5):
    t.pop("valign", None)
    n = len(t["rows"][0])
    t["widths"] = [9.6, 2.5, 2.5, 2.4] if n == 4 else [11.4, 2.8, 2.8]

# S6: doc1 with a '% raggiungimento' column wide enough for the word (control), top-aligned
s6 = copy.deepcopy(DOC1)
s6["name"] = "s6_monviso_2022_colonna_larga"
for t in tables(s6):
    t["widths"] = [4.2, 3.9, 2.1, 3.8, 3.0]

STRESS = [s1, s2, s3, s4, s5, s6]

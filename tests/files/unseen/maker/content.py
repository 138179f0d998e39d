"""Content of four invented Relazioni sulla performance, in layouts unlike the project's fixtures.

Each document: dict(name, issuer, font, body_pt, landscape, blocks), blocks are
  ("title", text)            a plain bold paragraph (a title line)
  ("h", level, text)         a Word heading (text version: '#' * level + ' ' + text)
  ("p", text)                a paragraph
  ("table", dict(rows=[[...]], widths=[cm...] or None, font_pt=..., header_rows=1))
"""

# ----------------------------------------------------------------------------------------------- 1
LONG_A = ("Nel corso dell'anno sono stati attivati 412 progetti individualizzati, di cui 96 per persone "
          "con disabilità grave in uscita dal percorso scolastico; la presa in carico è stata condivisa con "
          "l'unità di valutazione multidimensionale dell'ASL in 88 casi, mentre per i restanti 8 il ritardo è "
          "dipeso dalla mancata disponibilità di posti nei centri diurni del distretto sud, che riapriranno "
          "dopo i lavori di adeguamento antisismico previsti nel primo semestre dell'anno successivo.")
LONG_B = ("Potenziare l'accesso unitario ai servizi sociali e sociosanitari attraverso la riorganizzazione "
          "degli sportelli di segretariato sociale nei dodici Comuni del Consorzio, l'adozione di una scheda "
          "di primo contatto comune con l'ASL e la formazione congiunta del personale amministrativo e degli "
          "assistenti sociali, in modo da ridurre i tempi di attesa e i passaggi richiesti ai cittadini.")
LONG_C = ("Il questionario è stato somministrato a 640 utenti dei servizi domiciliari e a 215 familiari; il "
          "tasso di risposta è stato del 58%. Il giudizio complessivo buono o ottimo ha raggiunto l'84% "
          "delle risposte valide, con punte del 91% per l'assistenza domiciliare e valori più bassi per il "
          "trasporto sociale, su cui pesano i tempi di prenotazione. Gli esiti sono stati presentati "
          "all'Assemblea dei Sindaci del 14 novembre e pubblicati sul sito istituzionale nella sezione "
          "Amministrazione trasparente, insieme al piano delle azioni di miglioramento per l'anno seguente, "
          "che prevede la revisione della carta dei servizi e un secondo numero telefonico dedicato.")
LONG_D = ("Garantire la continuità assistenziale e la tutela dei minori allontanati dal nucleo familiare "
          "attraverso il rafforzamento dell'équipe affido, il rinnovo della convenzione con le comunità "
          "educative del territorio, la definizione di un protocollo operativo con il Tribunale per i "
          "minorenni e con la Procura, il monitoraggio trimestrale dei progetti quadro e la promozione "
          "dell'affidamento familiare presso le parrocchie, le scuole e le associazioni sportive dei "
          "dodici Comuni consorziati, con particolare attenzione agli adolescenti e ai minori stranieri "
          "non accompagnati accolti nell'ambito del sistema di accoglienza e integrazione.")

DOC1 = dict(
    name="doc1_monviso_2022",
    issuer="Consorzio Intercomunale Socio Assistenziale Valli del Monviso",
    font="Liberation Serif", body_pt=11, landscape=False,
    blocks=[
        ("title", "Consorzio Intercomunale Socio Assistenziale Valli del Monviso"),
        ("title", "RELAZIONE SULLA PERFORMANCE 2022"),
        ("p", "Approvata con deliberazione del Consiglio di Amministrazione n. 31 del 20/06/2023."),
        ("h", 1, "1. Presentazione"),
        ("p", "La presente Relazione rendiconta i risultati organizzativi raggiunti nel 2022 rispetto agli "
              "obiettivi del Piano della performance 2022-2024. Per ciascun obiettivo la tabella riporta gli "
              "indicatori, il target, il valore raggiunto al 31 dicembre e la percentuale di raggiungimento "
              "calcolata dall'ufficio controllo di gestione e verificata dal Nucleo di valutazione."),
        ("h", 1, "2. Obiettivi e grado di raggiungimento"),
        ("table", dict(widths=[4.6, 4.2, 2.4, 4.2, 1.6], font_pt=9, rows=[
            ["Obiettivo", "Indicatore", "Target", "Valore raggiunto", "% raggiungimento"],
            [LONG_B, "Sportelli di segretariato sociale riorganizzati secondo il nuovo modello", "12", "12", "100%"],
            ["", "Adozione della scheda di primo contatto comune Consorzio-ASL", "entro il 30/06/2022",
             "Scheda adottata con determinazione n. 144 del 27/05/2022", "100%"],
            ["", "Operatori formati sul nuovo modello di accesso", ">= 90%", "37 su 42 (88%)", "98%"],
            ["", "Tempo medio tra primo contatto e colloquio con l'assistente sociale", "<= 15 giorni", "11 giorni", "100%"],
            ["Progetti di vita per le persone con disabilità",
             "Progetti individualizzati attivati ai sensi dell'art. 14 della legge 328/2000", "almeno 350",
             LONG_A, "100%"],
            ["", "Persone con disabilità inserite in tirocini di inclusione", "40", "29", "73%"],
            ["", "Nuovi posti di residenzialità leggera (gruppi appartamento)", "6", "/", "/"],
            [LONG_D, "Minori in affidamento familiare al 31/12", ">= 45", "51", "113%"],
            ["", "Progetti quadro monitorati con verifica trimestrale", "100%", "100%", "100%"],
            ["", "Sottoscrizione del protocollo con il Tribunale per i minorenni", "Si",
             "No, la bozza condivisa a ottobre è in attesa della firma della Procura", "0%"],
            ["", "Famiglie affidatarie nuove formate dal Centro affidi", "10", "6", "60%"],
            ["Qualità percepita dei servizi domiciliari",
             "Utenti e familiari che giudicano il servizio buono o ottimo", "almeno 80%", LONG_C, "100%"],
            ["", "Reclami scritti ricevuti nell'anno", "< 20", "Nessuno", "100%"],
            ["Sostenibilità economica e gestione del personale",
             "Incidenza della spesa di personale sulla spesa corrente", "<= 32%", "30,4%", "100%"],
            ["", "Tempo medio di pagamento delle fatture commerciali", "<= 30 giorni", "26 giorni", "100%"],
            ["", "Ore di formazione per dipendente", "20", "14,5", "73%"],
            ["", "Approvazione del rendiconto entro il termine di legge", "entro il 30/04/2022",
             "Rendiconto approvato il 28/04/2022", "100%"],
        ])),
        ("p", "Il grado di raggiungimento complessivo degli obiettivi, calcolato come media ponderata delle "
              "percentuali di raggiungimento dei singoli indicatori, è pari al 91%. Gli indicatori non "
              "rilevati sono esclusi dal calcolo e indicati con il segno /."),
        ("h", 1, "3. Conclusioni"),
        ("p", "Il Nucleo di valutazione ha validato la presente Relazione nella seduta del 15/06/2023."),
    ])

# ----------------------------------------------------------------------------------------------- 2
DOC2 = dict(
    name="doc2_altocanavese_2023",
    issuer="Azienda Speciale Consortile Servizi Sociali Alto Canavese",
    font="DejaVu Sans", body_pt=10, landscape=False,
    blocks=[
        ("title", "Azienda Speciale Consortile Servizi Sociali Alto Canavese"),
        ("title", "RELAZIONE SULLA PERFORMANCE 2023"),
        ("p", "Stato di attuazione delle fasi degli obiettivi operativi al 31/12/2023. Per ogni fase sono "
              "indicate la data di inizio, la data di fine programmata e lo stato; per le attività con "
              "scadenza è riportata la scadenza prevista e quella effettiva."),
        ("h", 2, "Obiettivo 1 – Digitalizzazione della cartella sociale"),
        ("p", "L'obiettivo prevede il passaggio di tutti i servizi territoriali alla cartella sociale "
              "informatizzata regionale entro la fine dell'anno, con il recupero dei fascicoli cartacei "
              "aperti negli ultimi cinque anni."),
        ("table", dict(widths=[8.0, 2.6, 3.2, 3.2], font_pt=9, rows=[
            ["Fase", "Inizio", "Fine", "Stato"],
            ["1. Analisi dei requisiti e ricognizione dei flussi documentali dei tre sportelli territoriali",
             "09/01/2023", "31/03/2023", "concluso"],
            ["2. Migrazione dei fascicoli aperti negli ultimi cinque anni", "01/04/2023", "giugno 2023",
             "concluso il 15/07/2023"],
            ["3. Formazione degli operatori all'uso della cartella", "maggio 2023", "entro il 30.09.2023",
             "concluso"],
            ["4. Avvio in produzione in tutti i servizi", "01/10/2023", "31/12/2023", "in corso"],
        ])),
        ("h", 2, "Obiettivo 2 – Revisione del regolamento per l'assistenza economica"),
        ("table", dict(widths=[9.0, 4.0, 4.0], font_pt=9, rows=[
            ["Attività", "Scadenza prevista", "Scadenza effettiva"],
            ["Costituzione del gruppo di lavoro con i referenti dei Comuni", "28/02/2023", "15/02/2023"],
            ["Stesura della bozza di regolamento e confronto con le organizzazioni sindacali",
             "giugno 2023", "settembre 2023"],
            ["Approvazione in Assemblea consortile", "entro il 30.09.2023", "26/10/2023"],
            ["Pubblicazione della modulistica aggiornata sul sito", "31/10/2023", "/"],
        ])),
        ("p", "Il ritardo nell'approvazione è dovuto al rinvio della seduta assembleare di settembre."),
        ("h", 2, "Obiettivo 3 – Centro diurno per persone con demenza"),
        ("table", dict(widths=[7.0, 3.0, 3.5, 3.5], font_pt=9, rows=[
            ["Fase", "Inizio", "Fine", "Stato"],
            ["Progettazione con l'ASL TO4 e il Comune di Cuorgnè", "gennaio 2023", "marzo 2023", "concluso"],
            ["Gara per l'affidamento della gestione del servizio per il triennio 2023-2025",
             "01/04/2023", "entro il 31.07.2023", "concluso il 04/08/2023"],
            ["Apertura e primi inserimenti", "settembre 2023", "ottobre 2023", "non avviato"],
        ])),
        ("h", 2, "Obiettivo 4 – Piano di formazione del personale"),
        ("p", "Il piano di formazione 2023 è stato approvato con determinazione del Direttore n. 12 del "
              "30/01/2023 e comprende corsi obbligatori e corsi di aggiornamento professionale."),
        ("table", dict(widths=[9.0, 4.0, 4.0], font_pt=9, rows=[
            ["Attività", "Scadenza prevista", "Scadenza effettiva"],
            ["Corso sulla sicurezza nei luoghi di lavoro per i neoassunti", "31/03/2023", "31/03/2023"],
            ["Aggiornamento sul codice dei contratti pubblici per il personale amministrativo",
             "entro il 30.06.2023", "luglio 2023"],
            ["Supervisione professionale per le assistenti sociali dell'area minori", "dicembre 2023",
             "dicembre 2023"],
        ])),
        ("p", "Tutte le attività formative sono state registrate nel fascicolo del dipendente."),
    ])

# ----------------------------------------------------------------------------------------------- 3
def _sheet(number, title, area, centre, peg, description, indicators):
    return [
        ("h", 1, f"Obiettivo {number} – {title}"),
        ("table", dict(widths=[4.5, 12.5], font_pt=10, header_rows=0, rows=[
            ["Area strategica", area],
            ["Centro di responsabilità", centre],
            ["Progetto PEG", peg],
        ])),
        ("p", description),
        ("p", "Indicatori di risultato"),
        ("table", dict(widths=[4.2, 2.6, 5.1, 5.1], font_pt=10, rows=[
            ["Indicatore", "Unità di misura", "Valore atteso", "Valore consuntivo"]] + indicators)),
    ]


DOC3 = dict(
    name="doc3_collinepo_2021",
    issuer="Consorzio Socio Assistenziale Colline del Po",
    font="Liberation Sans", body_pt=10, landscape=False,
    blocks=[
        ("title", "Consorzio Socio Assistenziale Colline del Po"),
        ("title", "RELAZIONE SULLA PERFORMANCE – ANNO 2021"),
        ("p", "Le schede che seguono riportano, per ciascun obiettivo del Piano esecutivo di gestione 2021, "
              "l'area strategica, il centro di responsabilità, il progetto PEG di riferimento e gli indicatori "
              "di risultato con il valore atteso e il valore a consuntivo al 31 dicembre."),
    ]
    + _sheet(1, "Sostegno alla domiciliarità degli anziani non autosufficienti", "Anziani e non autosufficienza",
             "Area territoriale anziani", "301 Assistenza domiciliare e servizi di prossimità",
             "L'obiettivo mira a mantenere al domicilio il maggior numero possibile di anziani non autosufficienti "
             "integrando assistenza domiciliare, pasti a domicilio e telesoccorso.",
             [["Numero di anziani non autosufficienti assistiti al domicilio con progetto integrato socio sanitario "
               "definito dalla commissione di valutazione", "n.", "180", "194"],
              ["Ore di assistenza domiciliare tutelare erogate nell'anno dal servizio in appalto e dagli operatori "
               "dipendenti", "ore", "24.000", "22.150"],
              ["Tempo medio di attivazione del servizio dalla data di presentazione della domanda completa",
               "giorni", "<= 10", "8"],
              ["Pasti a domicilio", "n.", "9.500", "9.812"]])
    + _sheet(2, "Tutela dei minori e sostegno alla genitorialità", "Minori e famiglie",
             "Area territoriale minori", "204 Tutela minori e affidamento familiare",
             "Il servizio ha consolidato l'équipe integrata con il consultorio familiare e ha avviato il "
             "programma di sostegno alla genitorialità nei tre distretti.",
             [["Relazioni al Tribunale per i minorenni inviate nei termini assegnati dall'autorità giudiziaria "
               "sul totale delle relazioni richieste", "%", ">= 95%", "97,5%"],
              ["Famiglie coinvolte nei gruppi di sostegno alla genitorialità organizzati con il consultorio "
               "familiare", "n.", "almeno 30", "24"],
              ["Adozione del protocollo con i servizi di neuropsichiatria infantile", "Si/No", "Si",
               "Sì, approvato dal Comitato dei Sindaci di distretto il 22/11/2021"]])
    + _sheet(3, "Inclusione sociale e contrasto alla povertà", "Inclusione sociale",
             "Area adulti e inclusione", "402 Reddito di cittadinanza e progetti di inclusione",
             "L'obiettivo riguarda la presa in carico dei beneficiari del Reddito di cittadinanza tenuti alla "
             "sottoscrizione del Patto per l'inclusione sociale e l'attivazione dei Progetti utili alla collettività.",
             [["Patti per l'inclusione sociale sottoscritti sul totale dei nuclei beneficiari convocati dai "
               "servizi nell'anno di riferimento", "%", "90%", "/"],
              ["Progetti utili alla collettività attivati in collaborazione con i Comuni consorziati e gli enti "
               "del terzo settore", "n.", "6", "4"]])
    + [("p", "Le schede sono state verificate dal Nucleo di valutazione nella seduta del 10/05/2022.")],
)

# ----------------------------------------------------------------------------------------------- 4
DOC4 = dict(
    name="doc4_valsesia_2024",
    issuer="Consorzio Intercomunale Servizi alla Persona Bassa Valsesia",
    font="Liberation Sans Narrow", body_pt=10, landscape=True,
    blocks=[
        ("title", "Consorzio Intercomunale Servizi alla Persona Bassa Valsesia"),
        ("title", "RELAZIONE SULLA PERFORMANCE 2024"),
        ("p", "Approvata dall'Assemblea consortile con deliberazione n. 9 del 24/04/2025. La tabella riassume, "
              "per ogni area, gli obiettivi operativi, gli indicatori con la loro unità di misura, il valore "
              "dell'anno precedente, il valore atteso e il valore a consuntivo."),
        ("h", 1, "Quadro sintetico degli obiettivi operativi"),
        ("table", dict(widths=[3.0, 5.2, 6.0, 2.2, 2.5, 3.0, 3.7], font_pt=8.5, rows=[
            ["Area", "Obiettivo operativo", "Indicatore", "Unità di misura", "Baseline 2023",
             "Valore atteso 2024", "Valore consuntivo 2024"],
            ["Area anziani", "Ampliamento del servizio di telesoccorso ai Comuni montani",
             "Apparecchi di telesoccorso attivi al 31/12", "n.", "118", "150", "163"],
            ["", "", "Tempo medio di installazione dalla richiesta", "giorni", "21", "<= 14", "12"],
            ["", "Qualità dell'assistenza nelle strutture residenziali convenzionate",
             "Visite di vigilanza effettuate nelle RSA convenzionate con verbale trasmesso all'ASL", "n.", "6",
             "almeno 8", "8"],
            ["Area disabili", "Inserimenti lavorativi e tirocini di inclusione",
             "Tirocini attivati con borsa lavoro per persone con disabilità certificata ai sensi della legge 68/1999",
             "n.", "22", "25", "19"],
            ["", "", "Tirocini conclusi con assunzione", "%", "18%", "20%", "26%"],
            ["Area minori e famiglie", "Prevenzione dell'allontanamento dei minori dal nucleo familiare",
             "Progetti di educativa domiciliare attivi", "n.", "41", "45", "47"],
            ["", "", "Minori inseriti in comunità residenziale", "n.", "19", "< 17", "18"],
            ["", "Centro per le famiglie", "Apertura della seconda sede del Centro per le famiglie a Serravalle Sesia",
             "Si/No", "No", "entro il 30/09/2024", "Sede aperta il 14/10/2024"],
            ["Area amministrativa", "Tempestività dei pagamenti",
             "Indicatore annuale di tempestività dei pagamenti", "giorni", "-3,2", "<= 0", "-5,1"],
            ["", "Trasparenza", "Sezioni di Amministrazione trasparente aggiornate nei termini", "%", "85%",
             "100%", "100%"],
        ])),
        ("p", "Gli scostamenti rispetto al valore atteso sono commentati nelle schede di dettaglio allegate."),
    ])

DOCS = [DOC1, DOC2, DOC3, DOC4]

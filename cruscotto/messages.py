"""The Italian sentences a person reads about loading: why a file was refused, what happened to it.

Library code raises typed exceptions (loaders/errors.py) that carry the data; pages and the command line
turn them into these sentences. Each sentence is a clause ('il file è vuoto') that the caller places after
the file's name.
"""
from __future__ import annotations

from .italian import format_number

REFUSALS = {
    "empty": "il file è vuoto",
    "pdf_as_text": "è un PDF: va caricato con estensione .pdf",
    "binary": "è un file binario, non un testo",
    "too_large": "il file pesa {size_mb} MB, oltre il limite di {limit_mb} MB",
    "not_pdf": "ha estensione .pdf ma non è un PDF",
    "pdf_password": "è un PDF protetto da password: salvane una copia senza protezione e ricaricala",
    "pdf_damaged": "il PDF è danneggiato o non è un PDF vero e proprio",
    "pdf_pages": "il PDF ha {pages} pagine, oltre il limite di {limit}",
    "pdf_no_text": "il PDF non contiene testo (è una scansione?): serve la versione con testo, oppure un "
                   "riconoscimento ottico (OCR) prima del caricamento",
    "pdf_heavy_content": "la pagina {page} del PDF contiene, decompressa, oltre {limit_mb} MB di istruzioni di "
                         "disegno: non è un documento da leggere (file costruito per bloccare il cruscotto?)",
    "pdf_heavy_page": "la pagina {page} del PDF chiede di disegnare circa {glyphs} caratteri, oltre il limite di "
                      "{limit} per pagina: non è un documento da leggere (file costruito per bloccare il cruscotto?)",
    "pdf_nested_forms": "la pagina {page} del PDF disegna elementi annidati uno nell'altro per più di {limit} "
                        "livelli: non è un documento da leggere (file costruito per bloccare il cruscotto?)",
    "pdf_repeated_forms": "fino alla pagina {page} il PDF disegna circa {glyphs} caratteri dentro elementi ripetuti "
                          "(form XObject), oltre il limite di {limit}: non è un documento da leggere (file costruito "
                          "per bloccare il cruscotto?)",
    "pdf_heavy_document": "il PDF chiede di disegnare circa {glyphs} caratteri, oltre il limite di {limit}",
    "read_time": "la lettura ha superato il limite di {seconds} secondi di calcolo ed è stata interrotta (il "
                 "cruscotto non ne risente); se il documento è autentico, dividerlo in parti più piccole",
    "read_memory": "la lettura ha superato il limite di {memory_mb} MB di memoria ed è stata interrotta (il "
                   "cruscotto non ne risente); se il documento è autentico, dividerlo in parti più piccole",
    "word_damaged": "il documento ({kind}) è danneggiato o non è un file {kind} vero e proprio",
    "word_too_big": "il documento, una volta decompresso, supera i {limit_mb} MB: troppo grande",
    "workbook_damaged": "non è un file Excel (.xlsx) leggibile",
    "workbook_too_big": "il file Excel, una volta decompresso, supera i {limit_mb} MB: troppo grande",
    "workbook_rows": "il foglio «{sheet}» ha più di {limit} righe",
    "not_template": "non è il modello del cruscotto e non contiene una tabella riconoscibile (servono "
                    "intestazioni come Obiettivo / Indicatore / Valore atteso / Valore consuntivo, oppure "
                    "Attività / Tempi / Consuntivo)",
    "unknown_structure": "nessuna struttura riconoscibile (attese schede obiettivo con tabelle Tempi/Consuntivo o "
                         "Indicatori, una tabella obiettivi/risultati, tabelle con intestazioni come Indicatore / "
                         "Target / Valore raggiunto o Fase / Inizio / Fine, o un Piano di Zona)",
    "invalid_cells": "il modello ha {count} celle non valide: {shown}",
    "unreadable_file": "impossibile leggere il file ({error})",
    "unexpected": "errore imprevisto durante la lettura ({error})",
    "no_space": "spazio su disco esaurito: non salvato, il database è rimasto com'era",
}

OUTCOMES = {
    "unchanged": "già caricato, identico: nulla da fare",
    "same_content": "è lo stesso rapporto di «{twin}», già caricato (stesso ente, anno, obiettivi e valori): "
                    "saltato per non contarlo due volte",
    "unrecognised_kept": "di struttura non riconosciuta, conservato con il testo estratto per la lettura a mano",
}

# What the quality page and the upload page call a document whose structure was not recognised.
UNRECOGNISED = "struttura non riconosciuta"

# How the pages name the family that read a document and the format it came in.
FAMILY_LABELS = {"schede_obiettivo": "schede obiettivo", "tabella_obiettivi": "tabella obiettivi",
                 "piano_di_zona": "Piano di Zona", "modello_excel": "modello Excel del cruscotto",
                 "tabelle_indicatori": "tabelle di indicatori o fasi", "non_riconosciuto": UNRECOGNISED,
                 "colonne_assegnate": "colonne assegnate da un editor"}
FORMAT_LABELS = {"text": "testo", "pdf": "PDF", "xlsx": "Excel", "docx": "Word", "odt": "OpenDocument"}


# A document the loader saved but did not find in the file at the end (something replaced the file meanwhile).
LOST = "dato per salvato ma assente dal database alla verifica finale: va ricaricato"

# What stops a whole load, a restore or an export, rather than one file.
NO_SPACE = "spazio su disco esaurito"
# {count}: format_count(n, 'file non tentato', 'file non tentati') and so on, so that 1 reads in the singular.
LOAD_STOPPED_NO_SPACE = ("Caricamento interrotto: spazio su disco esaurito, {count}: libera spazio e rilancia lo "
                         "stesso comando (i file già caricati verranno saltati).")
LOADS_LOST = ("ERRORE: {count} nel database (sostituito nel frattempo da un altro programma?): da ricaricare.")
WAITING_FOR_RESTORE = "Ripristino del database in corso: attendo che finisca, poi carico nel database ripristinato…"
CHECKPOINT_FAILED = ("Avviso: il database non è stato riordinato alla chiusura ({error}); i dati salvati restano nel "
                     "file .wal accanto e sono ripresi alla prossima apertura, ma il caricamento rallenta.")
SUMMARIES_NOT_STORED = ("Avviso: i conteggi riassuntivi non sono stati salvati nel database ({error}); i dati sono "
                        "salvi e le pagine li calcolano da sé, più lentamente, fino alla prossima scrittura.")
LOAD_IN_PROGRESS = "è in corso un caricamento: riprova quando è finito"
RESTORE_NO_SPACE = ("spazio su disco esaurito: il database è rimasto com'era (il ripristino ha bisogno di circa "
                    "altrettanto spazio quanto la copia decompressa, accanto al database)")
EXPORT_NO_SPACE = "spazio su disco esaurito: la copia di sicurezza non è stata scritta"
SAVE_NO_SPACE = "spazio su disco esaurito: non salvato, il database è rimasto com'era"


# A part of a page that could not be drawn (one document's table, one chart): the rest of the page stays.
PART_FAILED = "{part}: non è stato possibile mostrarlo ({error}). Il resto della pagina non ne risente."


def refusal(exc: Exception) -> str:
    """The Italian clause for a refused file: Refused('too_large', size=..., limit=...) ->
    'il file pesa 60,0 MB, oltre il limite di 50 MB'."""
    code = getattr(exc, "code", "unexpected")
    details = dict(getattr(exc, "details", {}) or {})
    if "size" in details:
        details["size_mb"] = format_number(details["size"] / 1e6, 1)
    if "limit_bytes" in details:
        details["limit_mb"] = format_number(details["limit_bytes"] / 1e6, 0)
    for key, value in details.items():                 # 4000000 -> '4.000.000'
        if isinstance(value, int) and not isinstance(value, bool) and value > 9999:
            details[key] = format_number(value, 0)
    if code == "invalid_cells":
        errors = details.get("errors", [])
        details["shown"] = "; ".join(errors[:8]) + (f" (e altri {len(errors) - 8})" if len(errors) > 8 else "")
    if code not in REFUSALS:
        code, details = "unexpected", {"error": type(exc).__name__}
    details.setdefault("error", type(exc).__name__)
    try:
        return REFUSALS[code].format(**details)
    except (KeyError, IndexError, ValueError):
        return REFUSALS[code].split(" (")[0].split(":")[0]


def outcome(status: str, **details) -> str:
    """'unchanged' -> 'già caricato, identico: nulla da fare'."""
    return OUTCOMES[status].format(**details) if status in OUTCOMES else ""


def about(status: str, error: Exception | None = None, existing_name: str | None = None) -> str:
    """The clause for what happened to a file, from its status: a refusal's reason, 'già caricato …'."""
    if status in ("refused", "invalid"):
        return refusal(error) if error is not None else REFUSALS["unexpected"].format(error="?")
    if status == "unrecognised":
        return REFUSALS["unknown_structure"]
    if status in ("kept",):
        return OUTCOMES["unrecognised_kept"]
    if status == "same_content":
        return outcome("same_content", twin=existing_name or "?")
    if status == "lost":
        return LOST
    return outcome(status)


# What the editor's login says (cruscotto/auth.py): the form, its refusals, and the audit trail's words.
LOGIN = {
    "disabled": "Le modifiche sono disattivate: nessun accesso da editor è configurato. Per abilitarle, creare un "
                "elenco di editor (variabile d'ambiente CRUSCOTTO_EDITORS_FILE, righe create con "
                "`python -m cruscotto.auth \"Nome Cognome\"`), oppure impostare una password da editor condivisa "
                "(variabile d'ambiente CRUSCOTTO_EDITOR_PASSWORD_HASH, creata con `python -m cruscotto.auth`), "
                "oppure l'accesso con un fornitore OpenID Connect in `.streamlit/secrets.toml`: vedi il README.",
    "signed_in": "Accesso da editor: {editor}. Ogni modifica viene registrata con questo nome.",
    "needed": "Per caricare o modificare documenti serve l'accesso da editor.",
    "name": "Nome e cognome",
    "name_help_account": "Come scritto nell'elenco degli editor: è il nome che compare nel registro delle modifiche.",
    "name_help_declared": "Compare nel registro delle modifiche, segnato come «dichiarato»: con la password condivisa "
                          "nessuno può verificarlo.",
    "password": "Password da editor",
    "submit": "Accedi",
    "logout": "Esci",
    "name_missing": "Scrivi il tuo nome: serve al registro delle modifiche.",
    "wrong_password": "Password non corretta.",
    "wrong_account": "Nome o password non corretti.",
    "wait": "Tentativo troppo ravvicinato dopo {failures}: la password non è stata controllata. "
            "Riprova tra {seconds}.",
    "wait_everyone": "Troppi tentativi non riusciti da più parti ({failures}): la password non è stata controllata. "
                     "Riprova tra {seconds}.",
    "locked_client": "Troppi tentativi non riusciti: l'accesso è bloccato fino alle {time} (tra circa {minutes}). "
                     "Fino ad allora viene rifiutata anche la password giusta.",
    "locked_everyone": "Troppi tentativi non riusciti da più parti: l'accesso con password è sospeso per tutti fino "
                       "alle {time} (tra circa {minutes}). Fino ad allora viene rifiutata anche la password giusta.",
    "accounts_unreadable": "L'elenco degli editor ({path}) non si legge o non contiene nessuna riga valida: nessuno "
                           "può accedere finché non viene corretto (vedi il README).",
}


def format_count(count: int, one: str, many: str) -> str:
    """(1, 'secondo', 'secondi') -> '1 secondo'; (3, ...) -> '3 secondi'."""
    return f"{count} {one if count == 1 else many}"


# The audit trail (table `changes`): a name nobody verified, and the lines a failed login writes.
SELF_DECLARED = " (dichiarato)"
AUDIT = {
    "failed": "accesso non riuscito",
    "locked": "accesso bloccato",
    "wrong_password": "{client}: password errata",
    "unknown_name": "{client}: nome non presente nell'elenco degli editor",
    "locked_client": "{client}: {failures}, accesso bloccato per {minutes}",
    "locked_everyone": "tutti: {failures} in {minutes}, accesso con password sospeso per tutti per {minutes} "
                       "(ultimo da {client})",
    "session": "sessione {session}",
    "restored": "da una copia ripristinata",
}


# Corrections a person makes to the tool's reading (issue 11): labels, form, audit trail, the Correzioni page.
FIELD_LABELS = {
    ("indicators", "status"): "Stato", ("indicators", "expected_raw"): "Valore atteso",
    ("indicators", "actual_raw"): "Valore consuntivo", ("indicators", "objective"): "Obiettivo",
    ("indicators", "previous"): "Lo stesso indicatore l'anno prima",
    ("milestones", "planned_month"): "Mese previsto", ("milestones", "actual_month"): "Mese svolto",
    ("milestones", "status"): "Stato",
    ("documents", "issuer"): "Ente", ("documents", "report_year"): "Anno dei risultati",
    ("documents", "period_start"): "Inizio periodo", ("documents", "period_end"): "Fine periodo",
    ("objectives", "area"): "Area", ("objectives", "weight"): "Peso nella proposta di punteggio",
}
RECORD_TABLE_LABELS = {"indicators": "indicatore", "milestones": "passo", "documents": "documento",
                       "objectives": "obiettivo"}
OVERRIDE_STATUS_LABELS = {"active": "attiva", "orphaned": "orfana", "withdrawn": "ritirata"}
CORRECTIONS = {
    # the audit trail (changes.action and detail)
    "action_saved": "corretto",
    "action_withdrawn": "correzione ritirata",
    "action_reattached": "correzione ricollegata",
    "action_orphaned": "correzione orfana",
    "detail": "{record} · {field}: «{old}» → «{new}». Motivo: {reason}",
    "detail_withdrawn": "correzione n. {id} ({record} · {field}: «{new}») ritirata; torna «{old}». Motivo: {reason}",
    "detail_reattached": "correzione n. {id} ({record} · {field}) ricollegata al documento caricato",
    "detail_orphaned": "correzione n. {id} ({record} · {field}): il dato non c'è più nel documento caricato",
    "detail_deleted": "correzione n. {id} ({record} · {field}): il documento è stato eliminato",
    "objective_label": "Obiettivo {number}: {title}",
    "document_label": "Documento",
    # the form
    "expander": "Correggi un dato (editor)",
    "anonymous": "Un editor può correggere qui stato e valori letti dal cruscotto, con un motivo: la lettura "
                 "originale resta visibile. Per farlo, accedi dalla pagina «Correzioni».",
    "record": "Dato da correggere",
    "field": "Che cosa correggere",
    "value": "Nuovo valore",
    "month": "Mese",
    "year": "Anno",
    "reason": "Motivo della correzione (obbligatorio)",
    "withdraw_reason": "Motivo del ritiro (obbligatorio)",
    "how_to_correct": "Un dato letto male si può correggere: serve l'accesso da editor, dalla pagina «Correzioni».",
    "reason_help": "Compare nel registro e accanto al dato: per esempio «il consuntivo a pag. 12 dice 14, non 4».",
    "save": "Salva correzione",
    "current": "Oggi il cruscotto mostra: «{value}»{by}.",
    "current_by": " (già corretto da una persona)",
    "saved": "Correzione salvata: {record} · {field} ora «{new}» (era «{old}»).",
    "withdrawn": "Correzione n. {id} ritirata: torna la lettura «{old}».",
    "invalid_reason": "Scrivi il motivo della correzione: senza motivo non viene salvata.",
    "invalid_same": "Il nuovo valore è uguale a quello mostrato oggi: niente da correggere.",
    "invalid_empty": "Scrivi il nuovo valore.",
    "invalid_status": "Stato non valido.",
    "invalid_year": "Anno non valido: serve un anno tra 1950 e 2100.",
    "invalid_month": "Mese non valido.",
    "invalid_previous": "Scegli un indicatore dell'anno prima dello stesso ente, oppure «nessun legame».",
    "invalid_weight": "Peso non valido: serve un numero da 0 in su (es. 1, 30 o 0,5).",
    "invalid_long": "Valore troppo lungo (al massimo 500 caratteri).",
    "invalid_field": "Questo dato non si può correggere.",
    "invalid_objective": "Scegli uno degli obiettivi del documento.",
    "invalid_record": "Il dato non c'è più (il documento è stato ricaricato?): ricarica la pagina.",
    "invalid_state": "Questa correzione è già stata ritirata.",
    # how a corrected row is marked
    "marker": " (corretto)",
    "original_column": "Lettura del cruscotto",
    "corrected_column": "Corretto",
    "original_indicator": "stato: {status}; atteso: {expected}; consuntivo: {actual}",
    "original_step": "stato: {status}; previsto: {planned}; svolto: {actual}",
    "original_area": "area: {area}",
    "original_objective": "obiettivo: {objective}",
    "original_document": "ente: {issuer}; anno: {year}",
    "document_corrected": "Dati del documento corretti da una persona (vedi «Correzioni»). Lettura del cruscotto: "
                          "ente: {issuer}; anno: {year}; periodo: {period}.",
}


# Area names (issue 11): the Aree page and the audit trail.
AREAS = {
    "action_merged": "area unificata",
    "action_split": "area separata",
    "detail_merged": "«{printed}» → «{new}»",
    "detail_renamed": "«{printed}» → «{new}» (era «{old}»)",
    "detail_split": "«{printed}» non è più «{old}»: torna il nome stampato",
    "title": "Aree",
    "intro": "Documenti e anni diversi stampano la stessa area in modi diversi («AREA ANZIANI», «Anziani», «Area "
             "anziani e non autosufficienza»). Qui ogni nome stampato riceve un nome comune: grafici, filtri e "
             "confronti usano il nome comune, i dati letti conservano il nome stampato. I suggerimenti vengono "
             "dal vocabolario e dal confronto dei nomi; nessuno è applicato finché un editor non lo accetta.",
    "empty": "Nessuna area letta nei documenti caricati.",
    "anonymous": "Un editor può accettare i suggerimenti o scrivere un nome comune: accedi qui sotto.",
    "col_printed": "Area stampata", "col_documents": "Documenti", "col_objectives": "Obiettivi",
    "col_canonical": "Nome comune oggi", "col_suggestion": "Suggerimento", "col_editor": "Chi",
    "col_when": "Quando",
    "same": "(come stampato)",
    "accept_header": "Suggerimenti da accettare",
    "accept_pick": "Suggerimenti scelti",
    "accept_placeholder": "Scegli uno o più suggerimenti",
    "accept_one": "Accetta i suggerimenti scelti",
    "accept_all": "Accetta tutti i suggerimenti mostrati ({count})",
    "no_suggestions": "Nessun suggerimento nuovo: ogni nome stampato ha già il nome comune suggerito.",
    "edit_header": "Scrivi un nome comune",
    "edit_printed": "Area stampata",
    "edit_canonical": "Nome comune",
    "edit_help": "Scegli un nome già usato o scrivine uno nuovo; lo stesso nome stampato torna a sé stesso se "
                 "scrivi il nome stampato.",
    "edit_save": "Salva il nome comune",
    "remove_header": "Togli un nome comune",
    "remove_pick": "Area stampata con nome comune",
    "remove": "Torna al nome stampato",
    "saved": "Nomi comuni salvati: {count}. Grafici, filtri e confronti usano ora il nome comune.",
    "nothing": "Niente da cambiare: il nome comune era già questo.",
    "removed": "«{printed}» torna al nome stampato (era «{old}»).",
    "invalid_empty": "Scrivi il nome comune.",
    "invalid_long": "Nome troppo lungo (al massimo 200 caratteri).",
    "invalid_printed": "Area stampata non valida.",
    "no_longer_printed": "non più stampata",
}

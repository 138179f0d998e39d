"""python -m loaders --db FILE PATH...  Load documents into the database, one Italian line per file.

Exit 0 when every file was loaded (or was already there), 1 when some file was refused or not recognised,
when the disk filled up, or when a document reported loaded is not in the file at the end; 2 for wrong usage.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cruscotto import db, messages

from .service import expand_paths, load_paths

LABELS = {"objectives": "obiettivi", "milestones": "passi", "indicators": "indicatori",
          "budget_lines": "righe di bilancio", "scores": "punteggi", "quality_issues": "non lette o da verificare"}
SINGULAR = {"objectives": "obiettivo", "milestones": "passo", "indicators": "indicatore",
            "budget_lines": "riga di bilancio", "scores": "punteggio", "quality_issues": "non letta o da verificare"}


def counted(count: int, table: str) -> str:
    """(1, 'objectives') -> '1 obiettivo'; (3, 'objectives') -> '3 obiettivi'."""
    return f"{count} {SINGULAR[table] if count == 1 else LABELS[table]}"


class ItalianParser(argparse.ArgumentParser):
    TRANSLATIONS = {"the following arguments are required": "mancano gli argomenti obbligatori",
                     "unrecognized arguments": "argomenti non riconosciuti",
                     "expected one argument": "serve un valore"}
    HELP = {"usage:": "uso:", "positional arguments:": "argomenti:", "options:": "opzioni:",
            "show this help message and exit": "mostra questo aiuto ed esce"}

    def format_help(self):
        text = super().format_help()
        for english, italian in self.HELP.items():
            text = text.replace(english, italian)
        return text

    def format_usage(self):
        return super().format_usage().replace("usage:", "uso:")

    def error(self, message):
        for english, italian in self.TRANSLATIONS.items():
            message = message.replace(english, italian)
        self.print_usage(sys.stderr)
        print(f"Uso non corretto: {message}", file=sys.stderr)
        sys.exit(2)


def describe(result) -> str:
    name = result.path.name
    about = messages.about(result.status, result.error, result.existing_name)
    if result.status == "refused":
        return f"RIFIUTATO  {name}: {about}"
    if result.status == "unrecognised":
        return f"NON RICONOSCIUTO  {name}: {about} (per conservarlo: --conserva-non-riconosciuti)"
    if result.status == "unchanged":
        return f"invariato  {name}: {about}"
    if result.status == "same_content":
        return f"saltato    {name}: {about}"
    if result.status == "kept":
        return f"conservato {name}: {about}"
    if result.status == "lost":
        return f"ERRORE     {name}: {about}"
    counts = ", ".join(counted(result.counts.get(k, 0), k) for k in LABELS)
    verb = "sostituito" if result.status == "replaced" else "caricato  "
    return f"{verb} {name} [{result.family}]: {counts}"


def main(argv=None) -> int:
    parser = ItalianParser(prog="python -m loaders",
                           description="Carica Relazioni sulla performance e Piani di Zona nel database "
                                       "(testo, PDF, Word .docx, OpenDocument .odt, Excel .xlsx).")
    parser.add_argument("--db", type=Path, default=None, help="file DuckDB (predefinito: CRUSCOTTO_DB o "
                                                              "data/cruscotto.duckdb)")
    parser.add_argument("--conserva-non-riconosciuti", dest="keep", action="store_true",
                        help="conserva anche i documenti di struttura non riconosciuta (testo e tabelle estratte, "
                             "da leggere a mano)")
    parser.add_argument("--processi", "--workers", dest="workers", type=int, default=None, metavar="N",
                        help="processi che leggono i file in parallelo (predefinito: uno per core, al massimo 4; "
                             "1: nessun processo in più)")
    parser.add_argument("paths", nargs="+", type=Path, help="file o cartelle da caricare")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error("--processi: serve un numero da 1 in su")
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"RIFIUTATO  {path}: il file o la cartella non esiste", file=sys.stderr)
    paths = [p for p in args.paths if p.exists()]
    total = len(expand_paths(paths))
    started = time.perf_counter()

    def report(index, count, result):
        prefix = f"[{index}/{count}] " if count > 1 else ""
        print(prefix + describe(result), flush=True)

    def waiting():
        print(messages.WAITING_FOR_RESTORE, flush=True)

    try:
        results = load_paths(args.db or db.db_path(), paths, report, keep_unrecognised=args.keep, waiting=waiting,
                             workers=args.workers)
    except db.DatabaseBusy as exc:
        print(f"Database occupato da un altro programma ({exc}): riprovare tra poco.", file=sys.stderr)
        return 1
    except Exception as exc:
        if not db.is_disk_full(exc):
            raise
        print(f"Caricamento interrotto: {messages.NO_SPACE} ({exc}).", file=sys.stderr)
        return 1
    lost = [r for r in results if r.status == "lost"]
    for result in lost:                                   # reported as loaded before the final check
        print(describe(result), file=sys.stderr)
    if lost:
        print(messages.LOADS_LOST.format(count=messages.format_count(
            len(lost), "documento dato per caricato non è", "documenti dati per caricati non sono")), file=sys.stderr)
    if results and getattr(results[-1].error, "code", None) == "no_space":
        print(messages.LOAD_STOPPED_NO_SPACE.format(count=messages.format_count(
            total - len(results), "file non tentato", "file non tentati")), file=sys.stderr)
    refused = sum(r.status == "refused" for r in results) + len(missing)
    unrecognised = sum(r.status in ("unrecognised", "kept") for r in results)
    loaded = sum(r.status in ("loaded", "replaced") for r in results)
    unchanged = sum(r.status in ("unchanged", "same_content") for r in results)
    elapsed = time.perf_counter() - started
    print(f"Totale: {total + len(missing)} file, {loaded} caricati, {unchanged} già presenti, {refused} rifiutati, "
          f"{unrecognised} non riconosciuti ({elapsed:.1f} s).")
    return 1 if refused or unrecognised or lost else 0


if __name__ == "__main__":
    sys.exit(main())

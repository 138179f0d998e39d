"""Backup and restore: the whole database as Parquet files (DuckDB's EXPORT/IMPORT DATABASE), zipped.

    python -m cruscotto.backup esporta COPIA.zip      [--db FILE]
    python -m cruscotto.backup ripristina COPIA.zip   [--db FILE]

A restore builds a new database file beside the current one and swaps it in only when the import worked,
so a broken backup never leaves a half-restored database.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from . import db, messages

MAX_RESTORE_BYTES = 2 * 1024 ** 3


# What each failed check of db.restore_problems means, for the person restoring.
RESTORE_PROBLEMS = {
    "years": f"documenti con anni fuori dal {db.FIRST_YEAR}–{db.LAST_YEAR} o periodi impossibili",
    "row_years": "righe con anni o mesi fuori scala",
    "statuses": "stati di indicatori o passi sconosciuti",
    "orphans": "righe che non appartengono a nessun documento o obiettivo",
    "lines": "righe senza una riga d'origine valida",
    "change_dates": "voci del registro delle modifiche datate nel futuro o prima del 2000",
}


class BackupRefused(Exception):
    """A backup we cannot restore; the message is Italian."""


def export_zip(database: Path) -> bytes:
    """The whole database as a zip of Parquet files and the schema. db.DiskFull when the temporary folder
    has no room for the Parquet files."""
    try:
        with tempfile.TemporaryDirectory() as tmp, db.reading(database) as con:
            folder = Path(tmp) / "copia"
            db.export_parquet(con, folder)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(folder.iterdir()):
                    archive.write(file, file.name)
            return out.getvalue()
    except Exception as exc:
        if db.is_disk_full(exc):
            raise db.DiskFull(f"no space left to export {database}") from exc
        raise


def restore_zip(data: bytes, database: Path, editor: str, wait: float = db.RESTORE_WAIT) -> dict[str, int]:
    """Replace the database with a backup; returns the restored table counts.

    The whole restore holds the database's lock file exclusive: it waits at most `wait` seconds for running
    loads and writes (in any process) and then raises db.LoadInProgress; a load that starts meanwhile waits
    for the restore and loads into the restored file. A full disk raises db.DiskFull. Whatever fails, the
    current database is untouched and no '.ripristino' file (nor its WAL) is left behind."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BackupRefused("non è una copia di sicurezza del cruscotto (serve il file .zip creato dall'esportazione)") from exc
    names = archive.namelist()
    if "documents.parquet" not in names:
        raise BackupRefused("lo zip non contiene una copia del database (manca documents.parquet)")
    if sum(i.file_size for i in archive.infolist()) > MAX_RESTORE_BYTES:
        raise BackupRefused("la copia, decompressa, supera 2 GB")
    if any("/" in n or "\\" in n or n.startswith(".") for n in names):
        raise BackupRefused("lo zip contiene percorsi non ammessi")
    database = Path(database)
    fresh = database.with_name(database.name + ".ripristino")
    with db.run_lock(database, exclusive=True, timeout=wait):
        try:
            counts = _build(archive, fresh, editor)
            with db.exclusive():                  # no read or write of this process during the swap
                _checkpoint(database)
                os.replace(fresh, database)
                Path(str(database) + ".wal").unlink(missing_ok=True)
        except BaseException as exc:
            _remove(fresh)
            if db.is_disk_full(exc) and not isinstance(exc, db.DiskFull):
                raise db.DiskFull(f"no space left to restore {database}") from exc
            raise
    return counts


def _build(archive: zipfile.ZipFile, fresh: Path, editor: str) -> dict[str, int]:
    """A new database file from the backup's tables, checked like an upload; its table counts."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "copia"
        archive.extractall(folder)
        _remove(fresh)
        con = db.connect(fresh)                   # our schema, then only our tables' data
        try:
            con.execute("BEGIN TRANSACTION")
            db.import_parquet(con, folder)
            problems = db.restore_problems(con)
            if problems:
                raise BackupRefused("la copia contiene dati che nessun caricamento avrebbe scritto: "
                                    + "; ".join(f"{RESTORE_PROBLEMS[name]} ({count})"
                                                for name, count in problems.items()))
            db.record_change(con, editor, "ripristinato", None, None, "database sostituito da una copia di sicurezza")
            con.execute("COMMIT")
            counts = db.table_counts(con)
            con.close()                           # the checkpoint: every row in the file itself, no WAL beside it
        except BackupRefused:
            _close(con)
            raise
        except Exception as exc:
            _close(con)
            if db.is_disk_full(exc):
                raise
            raise BackupRefused(f"la copia non si lascia importare ({exc})") from exc
    return counts


def _checkpoint(database: Path) -> None:
    """Write the current database's WAL into its file before the swap, so that no other process can open
    the restored file beside the old file's WAL. A process that still holds the file (one not taking the
    lock file) makes the restore refuse; a damaged or absent file is simply replaced."""
    if not database.exists():
        return
    try:
        con = db.connect(database)
    except db.DatabaseBusy:
        raise                                     # held by a program that takes no lock file: not a load
    except Exception:                             # damaged: the restore is what mends it
        return
    try:
        con.execute("CHECKPOINT")
    except Exception as exc:
        if db.is_disk_full(exc):
            raise
    finally:
        _close(con)


def _close(con) -> None:
    try:
        con.close()
    except Exception:                             # a failed close of a file about to be removed
        pass


def _remove(fresh: Path) -> None:
    for leftover in (fresh, Path(str(fresh) + ".wal")):
        leftover.unlink(missing_ok=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cruscotto.backup", description="Copia di sicurezza del database.")
    parser.add_argument("azione", choices=["esporta", "ripristina"])
    parser.add_argument("file", type=Path, help="file .zip della copia")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    database = args.db or db.db_path()
    try:
        if args.azione == "esporta":
            _write_whole(args.file, export_zip(database))
            print(f"Copia di sicurezza scritta in {args.file}.")
        else:
            counts = restore_zip(args.file.read_bytes(), database, "riga di comando")
            print(f"Database ripristinato: {counts['documents']} documenti, {counts['indicators']} indicatori.")
    except db.LoadInProgress:
        print(f"Ripristino non eseguito, il database è rimasto com'era: {messages.LOAD_IN_PROGRESS}.", file=sys.stderr)
        return 1
    except db.DatabaseBusy:
        print("Operazione non riuscita: il database è occupato da un altro programma, riprova tra poco.",
              file=sys.stderr)
        return 1
    except Exception as exc:
        if db.is_disk_full(exc):
            said = messages.EXPORT_NO_SPACE if args.azione == "esporta" else messages.RESTORE_NO_SPACE
            print(f"Operazione non riuscita: {said}.", file=sys.stderr)
        elif isinstance(exc, (BackupRefused, OSError)):
            print(f"Operazione non riuscita: {exc}", file=sys.stderr)
        else:
            raise
        return 1
    return 0


def _write_whole(file: Path, data: bytes) -> None:
    """Write the file, or remove what was written of it (a half zip is worse than none)."""
    try:
        file.write_bytes(data)
    except BaseException:
        file.unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())

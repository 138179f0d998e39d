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

from . import db

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
    """The whole database as a zip of Parquet files and the schema."""
    with tempfile.TemporaryDirectory() as tmp, db.reading(database) as con:
        folder = Path(tmp) / "copia"
        db.export_parquet(con, folder)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, file.name)
        return out.getvalue()


def restore_zip(data: bytes, database: Path, editor: str) -> dict[str, int]:
    """Replace the database with a backup; returns the restored table counts."""
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
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "copia"
        archive.extractall(folder)
        fresh = database.with_name(database.name + ".ripristino")
        fresh.unlink(missing_ok=True)
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
        except BackupRefused:
            con.close()
            fresh.unlink(missing_ok=True)
            raise
        except Exception as exc:
            con.close()
            fresh.unlink(missing_ok=True)
            raise BackupRefused(f"la copia non si lascia importare ({exc})") from exc
        con.close()
        with db.exclusive():                      # no read or write of this process during the swap
            os.replace(fresh, database)
            Path(str(database) + ".wal").unlink(missing_ok=True)
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cruscotto.backup", description="Copia di sicurezza del database.")
    parser.add_argument("azione", choices=["esporta", "ripristina"])
    parser.add_argument("file", type=Path, help="file .zip della copia")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    database = args.db or db.db_path()
    try:
        if args.azione == "esporta":
            args.file.write_bytes(export_zip(database))
            print(f"Copia di sicurezza scritta in {args.file}.")
        else:
            counts = restore_zip(args.file.read_bytes(), database, "riga di comando")
            print(f"Database ripristinato: {counts['documents']} documenti, {counts['indicators']} indicatori.")
    except (BackupRefused, db.DatabaseBusy, OSError) as exc:
        print(f"Operazione non riuscita: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

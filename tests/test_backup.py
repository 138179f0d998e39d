"""Backup and restore of the whole database, from the command line and as functions."""
import io
import shutil
import zipfile

import duckdb
import pytest

from cruscotto import backup, db


def snapshot(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (db.table_counts(con),
                con.execute("SELECT source_name, sha256, md5(original) FROM documents ORDER BY 1").fetchall(),
                con.execute("SELECT name, expected_raw, actual_raw, status FROM indicators ORDER BY indicator_id").fetchall())
    finally:
        con.close()


def test_samples_round_trip_through_a_backup(sample_db, tmp_path):
    original = snapshot(sample_db)
    archive = backup.export_zip(sample_db)
    assert {"schema.sql", "load.sql", "documents.parquet"} <= set(zipfile.ZipFile(io.BytesIO(archive)).namelist())
    target = tmp_path / "restored.duckdb"
    counts = backup.restore_zip(archive, target, "Maria Rossi")
    assert counts["documents"] == 5
    restored = snapshot(target)
    assert restored[1:] == original[1:]
    assert {k: v for k, v in restored[0].items()} == original[0]
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT editor, action FROM changes WHERE action = 'ripristinato'").fetchall() == \
        [("Maria Rossi", "ripristinato")]
    con.close()


def test_restore_replaces_the_current_database(sample_db, tmp_path):
    archive = backup.export_zip(sample_db)
    target = tmp_path / "current.duckdb"
    db.connect(target).close()                                   # an empty database in use
    backup.restore_zip(archive, target, "Maria Rossi")
    assert snapshot(target)[0]["documents"] == 5


def test_bad_backups_are_refused_and_change_nothing(sample_db, tmp_path):
    target = tmp_path / "kept.duckdb"
    shutil.copy(sample_db, target)
    before = snapshot(target)
    with pytest.raises(backup.BackupRefused, match="non è una copia di sicurezza"):
        backup.restore_zip(b"not a zip", target, "x")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("../../etc/passwd", "x")
        archive.writestr("schema.sql", "")
        archive.writestr("load.sql", "")
    with pytest.raises(backup.BackupRefused, match="percorsi non ammessi|manca documents.parquet"):
        backup.restore_zip(out.getvalue(), target, "x")
    assert snapshot(target) == before


def test_command_line(sample_db, tmp_path, capsys):
    archive = tmp_path / "copia.zip"
    assert backup.main(["esporta", str(archive), "--db", str(sample_db)]) == 0
    assert backup.main(["ripristina", str(archive), "--db", str(tmp_path / "nuovo.duckdb")]) == 0
    assert "Database ripristinato: 5 documenti" in capsys.readouterr().out
    assert backup.main(["ripristina", str(tmp_path / "manca.zip"), "--db", str(tmp_path / "x.duckdb")]) == 1


def test_sql_inside_a_backup_is_never_executed(sample_db, tmp_path):
    archive = io.BytesIO()
    stolen = tmp_path / "rubato.csv"
    with zipfile.ZipFile(io.BytesIO(backup.export_zip(sample_db))) as original, \
            zipfile.ZipFile(archive, "w") as forged:
        for name in original.namelist():
            forged.writestr(name, f"COPY (SELECT 1) TO '{stolen}';" if name == "schema.sql" else original.read(name))
    target = tmp_path / "safe.duckdb"
    backup.restore_zip(archive.getvalue(), target, "x")
    assert not stolen.exists()
    assert snapshot(target)[0]["documents"] == 5


@pytest.mark.parametrize("table, change, message", [
    ("documents", "UPDATE t SET period_start = 1, period_end = 5000000 WHERE document_id = 1", "periodi impossibili"),
    ("documents", "UPDATE t SET report_year = 20199", "anni fuori"),
    ("indicators", "UPDATE t SET status = 'hacked'", "stati di indicatori"),
    ("objectives", "UPDATE t SET document_id = 999", "non appartengono"),
    ("milestones", "UPDATE t SET planned_month = DATE '9999-01-01'", "mesi fuori scala"),
    ("budget_lines", "UPDATE t SET source_line = -3", "riga d'origine"),
])
def test_a_backup_with_impossible_data_is_refused_and_changes_nothing(sample_db, tmp_path, table, change, message):
    target = tmp_path / "kept.duckdb"
    shutil.copy(sample_db, target)
    before = snapshot(target)
    source = zipfile.ZipFile(io.BytesIO(backup.export_zip(sample_db)))
    folder = tmp_path / "copia"
    source.extractall(folder)
    con = duckdb.connect()
    parquet = str(folder / f"{table}.parquet")
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{parquet}')")
    con.execute(change)
    con.execute(f"COPY t TO '{parquet}' (FORMAT parquet)")
    con.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    with pytest.raises(backup.BackupRefused, match=message):
        backup.restore_zip(out.getvalue(), target, "x")
    assert snapshot(target) == before
    assert not (tmp_path / "kept.duckdb.ripristino").exists()

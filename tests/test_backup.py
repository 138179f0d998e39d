"""Backup and restore of the whole database, from the command line and as functions."""
import io
import shutil
import zipfile

import duckdb
import pytest

from conftest import DATA, SAMPLES
from cruscotto import backup, db
from loaders.service import load_paths


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


# ---------------------------------------------------------------------------- issue 10, item 10: restored history

def edited_backup(sample_db, tmp_path, change: str, table: str = "changes") -> bytes:
    """The samples' backup with one SQL statement run on one of its tables (named t)."""
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
    return out.getvalue()


FORGED = ("INSERT INTO t BY NAME SELECT 99 AS change_id, TIMESTAMP '2024-03-01 09:00' AS changed_at, "
          "'Direttore Generale' AS editor, 'eliminato' AS action, 7 AS document_id, 'bilancio.pdf' AS source_name, "
          "NULL AS detail, false AS restored")


def register(database):
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute("SELECT editor, action, restored FROM changes ORDER BY change_id").fetchall()
    finally:
        con.close()


def test_issue10_restored_history_is_marked_and_the_restore_is_not(sample_db, tmp_path):
    target = tmp_path / "restored.duckdb"
    backup.restore_zip(backup.export_zip(sample_db), target, "Maria\u202e Rossi")
    rows = register(target)
    assert [r for r in rows if not r[2]] == [("Maria Rossi", "ripristinato", False)]   # the restore itself, last
    assert rows[-1] == ("Maria Rossi", "ripristinato", False)
    assert [(r[1], r[2]) for r in rows[:-1]] == [("caricato", True)] * 5
    backup.restore_zip(backup.export_zip(target), target, "Luca Bianchi")     # a backup of a restored database
    rows = register(target)
    assert [r for r in rows if not r[2]] == [("Luca Bianchi", "ripristinato", False)]
    assert ("Maria Rossi", "ripristinato", True) in rows


def test_issue10_a_forged_row_in_a_backup_shows_as_restored(sample_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT
    from test_auth import PASSWORD_HASH

    target = tmp_path / "forged.duckdb"
    backup.restore_zip(edited_backup(sample_db, tmp_path, FORGED), target, "Maria Rossi")
    assert ("Direttore Generale", "eliminato", True) in register(target)
    monkeypatch.setenv("CRUSCOTTO_DB", str(target))
    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", PASSWORD_HASH)
    monkeypatch.delenv("CRUSCOTTO_EDITORS_FILE", raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("pages/amministrazione.py")
    app.run()
    app.text_input[0].set_value("Luca Bianchi")
    app.text_input[1].set_value("segreta")
    app.button[0].click().run()
    assert not app.exception
    shown = app.dataframe[0].value
    forged = shown[shown["Chi"] == "Direttore Generale"]
    assert list(forged["Provenienza"]) == ["da una copia ripristinata"]
    assert list(shown.loc[shown["Che cosa"] == "ripristinato", "Provenienza"]) == [""]


def test_issue10_a_backup_cannot_forge_a_name_with_bidi_characters(sample_db, tmp_path):
    change = "UPDATE t SET editor = chr(8238) || ')toor( odnamoc id agir' WHERE change_id = 1"
    target = tmp_path / "bidi.duckdb"
    backup.restore_zip(edited_backup(sample_db, tmp_path, change), target, "Maria Rossi")
    assert register(target)[0] == (")toor( odnamoc id agir", "caricato", True)


@pytest.mark.parametrize("when", ["current_timestamp::TIMESTAMP + INTERVAL 30 DAY", "TIMESTAMP '1970-01-01'"])
def test_issue10_a_backup_with_an_impossible_change_date_is_refused(sample_db, tmp_path, when):
    target = tmp_path / "kept.duckdb"
    shutil.copy(sample_db, target)
    before = snapshot(target)
    with pytest.raises(backup.BackupRefused, match="datate nel futuro"):
        backup.restore_zip(edited_backup(sample_db, tmp_path, f"UPDATE t SET changed_at = {when} WHERE change_id = 2"),
                           target, "x")
    assert snapshot(target) == before


def test_issue10_a_backup_made_before_the_restored_column_is_marked_too(sample_db, tmp_path):
    target = tmp_path / "old_backup.duckdb"
    backup.restore_zip(edited_backup(sample_db, tmp_path, "ALTER TABLE t DROP COLUMN restored"), target, "Maria Rossi")
    assert [r[2] for r in register(target)] == [True] * 5 + [False]


def test_issue10_the_register_reads_a_database_written_before_the_restored_column(sample_db, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copy(sample_db, old)
    con = duckdb.connect(str(old))
    con.execute("ALTER TABLE changes DROP COLUMN restored")
    con.close()
    with db.reading(old) as con:                                 # pages read only: nothing adds the column
        shown = db.changes(con)
    assert len(shown) == 5 and not shown["restored"].any()


def test_a_save_after_a_restore_replaces_only_what_the_restored_database_holds(tmp_path):
    """The review's case: a new version of a file is previewed ('replaces document 1'), then another editor
    restores a backup in which document 1 is another report; saving must not delete that report."""
    from loaders.service import prepare, save

    first, second = DATA / SAMPLES["alba"], DATA / SAMPLES["inrete"]
    load_paths(tmp_path / "old.duckdb", [second])
    copy = backup.export_zip(tmp_path / "old.duckdb")
    live = tmp_path / "live.duckdb"
    load_paths(live, [first])
    with db.reading(live) as con:
        prepared = prepare(first.name, first.read_bytes().replace(b"\n", b"\n\n", 1), db.DocumentIndex(con))
    assert prepared.replaces == [1]
    backup.restore_zip(copy, live, "Altro editor")
    with db.writing(live) as con:
        save(db.DocumentWriter(con), prepared, editor="Maria Rossi")
    with db.reading(live) as con:
        names = sorted(name for (name,) in con.execute("SELECT source_name FROM documents").fetchall())
    assert names == sorted([first.name, second.name])

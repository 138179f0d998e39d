"""Who may change what: anonymous users read; only an editor uploads; every change names its editor."""
import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from conftest import DATA, ROOT, SAMPLES
from cruscotto.auth import check_password, hash_password

PASSWORD_HASH = hash_password("segreta", salt="sale-di-prova")


def test_password_hash_is_salted_and_checked():
    stored = hash_password("segreta")
    assert stored.startswith("pbkdf2_sha256$") and "segreta" not in stored
    assert stored != hash_password("segreta")                     # a new salt each time
    assert check_password("segreta", stored) and not check_password("Segreta", stored)
    assert not check_password("segreta", "not-a-hash")


def carica(sample_db, monkeypatch, password_hash=None):
    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    if password_hash:
        monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", password_hash)
    else:
        monkeypatch.delenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("pages/carica.py")
    app.run()
    assert not app.exception
    return app


def test_without_configuration_editing_is_disabled_and_says_how(sample_db, monkeypatch):
    app = carica(sample_db, monkeypatch)
    assert "Le modifiche sono disattivate" in app.info[0].value
    assert not app.get("file_uploader")
    assert not [b for b in app.button if b.label == "Salva nel database"]


def test_anonymous_user_cannot_reach_the_upload(sample_db, monkeypatch):
    app = carica(sample_db, monkeypatch, PASSWORD_HASH)
    assert "serve l'accesso da editor" in app.warning[0].value
    assert not app.get("file_uploader")
    app.text_input[0].set_value("Maria Rossi")
    app.text_input[1].set_value("sbagliata")
    app.button[0].click().run()
    assert "Password non corretta" in app.error[0].value
    assert not app.get("file_uploader")


def test_editor_logs_in_and_is_named(sample_db, monkeypatch):
    app = carica(sample_db, monkeypatch, PASSWORD_HASH)
    app.text_input[0].set_value("Maria Rossi")
    app.text_input[1].set_value("segreta")
    app.button[0].click().run()
    assert not app.exception
    assert "Accesso da editor: Maria Rossi" in " ".join(c.value for c in app.caption)
    assert app.get("file_uploader")
    assert "Nessun file scelto" in app.info[0].value


def test_command_line_loads_are_recorded(tmp_path):
    from loaders.service import load_paths

    path = tmp_path / "audit.duckdb"
    load_paths(path, [DATA / SAMPLES["alba"]])
    con = duckdb.connect(str(path), read_only=True)
    (editor, action, name), = con.execute("SELECT editor, action, source_name FROM changes").fetchall()
    assert editor.startswith("riga di comando") and (action, name) == ("caricato", SAMPLES["alba"])
    con.close()


def administration(database, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_DB", str(database))
    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", PASSWORD_HASH)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("pages/amministrazione.py")
    app.run()
    assert "serve l'accesso da editor" in app.warning[0].value
    assert not [b for b in app.button if b.label in ("Prepara la copia di sicurezza", "Ripristina", "Elimina")]
    return app


def log_in(app, name: str):
    app.text_input[0].set_value(name)
    app.text_input[1].set_value("segreta")
    app.button[0].click().run()
    assert not app.exception


def test_administration_needs_an_editor_and_shows_the_register(sample_db, monkeypatch):
    app = administration(sample_db, monkeypatch)
    log_in(app, "Luca Bianchi")
    register = app.dataframe[0].value
    assert set(register["Che cosa"]) == {"caricato"} and len(register) == 5
    [b for b in app.button if b.label == "Prepara la copia di sicurezza"][0].click().run()
    assert [d for d in app.get("download_button") if d.proto.label == "Scarica la copia (.zip)"]


def test_editor_deletes_a_document_and_the_register_names_them(sample_db, tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "delete.duckdb"
    shutil.copy(sample_db, copy)
    app = administration(copy, monkeypatch)                              # anonymous: no delete
    log_in(app, "Luca Bianchi")
    app.checkbox(key="delete_ok").check().run()
    [b for b in app.button if b.label == "Elimina"][0].click().run()
    assert not app.exception
    con = duckdb.connect(str(copy), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchall() == [(4,)]
    assert con.execute("SELECT editor, action FROM changes WHERE action = 'eliminato'").fetchall() == \
        [("Luca Bianchi", "eliminato")]
    assert con.execute("SELECT count(*) FROM objectives WHERE document_id NOT IN (SELECT document_id FROM documents)"
                       ).fetchall() == [(0,)]
    con.close()


def test_openid_connect_is_used_when_configured(monkeypatch):
    from cruscotto import auth

    monkeypatch.setattr(auth, "_secrets", lambda: {"auth": {"client_id": "x"}})
    assert auth.method() == "oidc"
    monkeypatch.setattr(auth, "_secrets", lambda: {})
    monkeypatch.delenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", raising=False)
    assert auth.method() is None

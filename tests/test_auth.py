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
    assert not check_password("segreta", "pbkdf2_sha256$0$sale$00")           # would raise in hashlib
    assert not check_password("segreta", "pbkdf2_sha256$999999999$sale$00")   # would take minutes


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


def own_copy(sample_db, tmp_path):
    """A copy of the samples' database for a test that writes (a failed login writes to the audit trail)."""
    import shutil

    copy = tmp_path / "own.duckdb"
    shutil.copy(sample_db, copy)
    return copy


def test_anonymous_user_cannot_reach_the_upload(sample_db, tmp_path, monkeypatch):
    app = carica(own_copy(sample_db, tmp_path), monkeypatch, PASSWORD_HASH)
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
        [("Luca Bianchi (dichiarato)", "eliminato")]                   # the shared password proves no name
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


# ---------------------------------------------------------------------------- issue 10, item 9: password guessing

class Clock:
    """The limiter's clock, moved by hand: tests never sleep."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture()
def clock(monkeypatch):
    from cruscotto.login_limits import LIMITER

    fake = Clock()
    monkeypatch.setattr(LIMITER, "clock", fake)
    return fake


@pytest.fixture()
def hashes(monkeypatch):
    """How many PBKDF2 hashes the app computed."""
    import hashlib

    real, calls = hashlib.pbkdf2_hmac, []

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return calls


def submit(app, name: str, password: str):
    app.text_input[0].set_value(name)
    app.text_input[1].set_value(password)
    app.button[0].click().run()
    assert not app.exception
    return " ".join(e.value for e in app.error)


def logged_in(app) -> str | None:
    captions = [c.value for c in app.caption if c.value.startswith("Accesso da editor: ")]
    return captions[0].removeprefix("Accesso da editor: ").split(". Ogni")[0] if captions else None


def audit(database, where: str = "action LIKE 'accesso%'"):
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(f"SELECT editor, action, detail FROM changes WHERE {where} ORDER BY change_id").fetchall()
    finally:
        con.close()


def test_issue10_lockout_after_five_failures_refuses_even_the_right_password(sample_db, tmp_path, monkeypatch,
                                                                            clock, hashes):
    app = carica(own_copy(sample_db, tmp_path), monkeypatch, PASSWORD_HASH)
    for attempt in range(4):
        assert "Password non corretta" in submit(app, "Maria Rossi", f"tentativo {attempt}")
        clock.now += 60                                                 # past every growing delay
    error = submit(app, "Maria Rossi", "tentativo 4")
    assert "Password non corretta" in error and "bloccato fino alle" in error
    assert len(hashes) == 5
    clock.now += 14 * 60                                                # 14 of the 15 minutes
    error = submit(app, "Maria Rossi", "segreta")
    assert "bloccato fino alle" in error and "(tra circa 1 minuto)" in error and "anche la password giusta" in error
    assert logged_in(app) is None and len(hashes) == 5                  # refused before hashing
    clock.now += 61
    assert submit(app, "Maria Rossi", "segreta") == ""
    assert logged_in(app) == "Maria Rossi (dichiarato)"


def test_issue10_a_fast_second_guess_is_refused_without_hashing(sample_db, tmp_path, monkeypatch, clock, hashes):
    app = carica(own_copy(sample_db, tmp_path), monkeypatch, PASSWORD_HASH)
    assert "Password non corretta" in submit(app, "Maria Rossi", "prima")
    assert len(hashes) == 1
    clock.now += 0.5                                                    # 1 s to wait after one failure
    error = submit(app, "Maria Rossi", "segreta")
    assert error == ("Tentativo troppo ravvicinato dopo 1 tentativo non riuscito: la password non è stata "
                     "controllata. Riprova tra 1 secondo.")
    assert len(hashes) == 1 and logged_in(app) is None
    clock.now += 0.6
    assert "Password non corretta" in submit(app, "Maria Rossi", "seconda")
    clock.now += 1.5                                                    # the delay doubled: 2 s
    assert "Riprova tra 1 secondo." in submit(app, "Maria Rossi", "terza")
    assert len(hashes) == 2


def test_issue10_failures_and_lockouts_are_recorded_in_the_audit_trail(sample_db, tmp_path, monkeypatch, clock):
    database = own_copy(sample_db, tmp_path)
    app = carica(database, monkeypatch, PASSWORD_HASH)
    for attempt in range(5):
        submit(app, "Direttore\u202e Generale", f"tentativo {attempt}")
        clock.now += 60
    submit(app, "Direttore Generale", "ancora")                         # refused while locked: not hashed, not a line
    rows = audit(database)
    assert [r[1] for r in rows] == ["accesso non riuscito"] * 5 + ["accesso bloccato"]
    assert {r[0] for r in rows} == {"Direttore Generale (dichiarato)"}
    assert all(r[2] == "sessione test ses: password errata" for r in rows[:5])
    assert rows[5][2] == "sessione test ses: 5 tentativi non riusciti, accesso bloccato per 15 minuti"


def test_issue10_a_busy_database_does_not_break_the_login_form(sample_db, tmp_path, monkeypatch):
    database = own_copy(sample_db, tmp_path)
    app = carica(database, monkeypatch, PASSWORD_HASH)
    holder = duckdb.connect(str(database), read_only=True)              # another configuration holds the file
    try:
        assert "Password non corretta" in submit(app, "Maria Rossi", "sbagliata")
    finally:
        holder.close()
    assert audit(database) == []                                        # the line is lost, the answer is not


def test_issue10_the_global_limit_holds_when_every_guess_comes_from_a_new_session():
    """Eight websockets are eight sessions: the per-client limit alone would let each guess; the global
    one counts them all together."""
    from cruscotto.login_limits import Limiter, LoginLimits

    clock = Clock()
    limiter = Limiter(LoginLimits.from_env(), clock=clock)
    allowed = 0
    for n in range(200):
        verdict = limiter.begin(f"session:{n}")
        if verdict.allowed:
            allowed += 1
            limiter.finish(verdict, ok=False)
        clock.now += 0.15                                               # 200 guesses in 30 s
    assert allowed == 14                                                # 10 free, then 1 + 2 + 4 + 8 s


def test_issue10_no_visitor_can_lock_every_editor_out():
    """The review's denial of service: reading needs no login, so failures from many sessions (or a few
    addresses) must slow everyone down, never lock a real editor out."""
    from cruscotto.login_limits import Limiter, LoginLimits

    clock = Clock()
    limiter = Limiter(LoginLimits.from_env(), clock=clock)
    for n in range(300):                                                # 300 wrong guesses from new sessions
        verdict = limiter.begin(f"session:{n}")
        if verdict.allowed:
            limiter.finish(verdict, ok=False)
        clock.now += 2.0
    clock.now += 31                                                     # the longest delay, waited once
    editor = limiter.begin("ip:192.0.2.99")
    assert editor.allowed
    assert limiter.finish(editor, ok=True) == []


def test_issue10_guesses_fired_at_once_wait_for_the_first_one():
    import threading

    from cruscotto.login_limits import Limiter, LoginLimits

    limiter = Limiter(LoginLimits.from_env(), clock=Clock())
    start, verdicts = threading.Barrier(8), []

    def guess():
        start.wait()
        verdicts.append(limiter.begin("ip:192.0.2.7"))

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(v.allowed for v in verdicts) == 1                        # the first counts as a failure until it ends
    assert {v.reason for v in verdicts if not v.allowed} == {"wait"}


def test_issue10_limits_come_from_the_environment(monkeypatch):
    from cruscotto.login_limits import LoginLimits

    monkeypatch.setenv("CRUSCOTTO_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("CRUSCOTTO_LOGIN_LOCKOUT_MINUTES", "60")
    monkeypatch.setenv("CRUSCOTTO_LOGIN_MAX_FAILURES_ALL", "tanti")   # unreadable: the default stays
    limits = LoginLimits.from_env()
    assert (limits.client.max_failures, limits.client.lockout, limits.everyone.max_failures) == (3, 3600, 0)
    monkeypatch.setenv("CRUSCOTTO_LOGIN_MAX_FAILURES_ALL", "30")                   # a lockout for all, if asked
    assert LoginLimits.from_env().everyone.max_failures == 30
    assert [limits.client.delay(n) for n in range(7)] == [0, 1, 2, 4, 8, 16, 30]


# ---------------------------------------------------------------------------- issue 10, item 10: who is named

@pytest.mark.parametrize("typed, stored", [
    ("\u202e)toor( odnamoc id agir", ")toor( odnamoc id agir"),       # looks like 'riga di comando (root)'
    ("Maria\u200f Rossi\u2066\u2069", "Maria Rossi"),
    ("Luca\tBianchi\x07\x1b[31m", "Luca Bianchi[31m"),
    ("Anna\u200b\ufeff Verdi\u2028", "Anna Verdi"),
    ("\u202a\u202b\u202c\u202d\u200e", "sconosciuto"),
    ("riga di comando (root)\u034f\ufe0f\u3164\u2800", "riga di comando (root)"),    # marks and blank letters
    ("Nicolò Citté", "Nicolò Citté"),                                                  # accents stay
    ("Nicolo\u0300 Citte\u0301", "Nicolò Citté"),                                      # composed by NFC
])
def test_issue10_names_lose_control_and_bidi_characters(typed, stored):
    from cruscotto.db import clean_name

    assert clean_name(typed) == stored


def test_issue10_a_padded_declared_name_keeps_its_mark(sample_db, monkeypatch):
    """The review's forgery: 'riga di comando (root)' padded to the audit's limit with invisible characters
    used to push «(dichiarato)» past it. Now the name is cut before the mark."""
    from cruscotto import auth, db
    from cruscotto.login_limits import Limiter
    from cruscotto.messages import SELF_DECLARED

    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD_HASH", PASSWORD_HASH)
    for padding in ("\u034f" * 200, "." * 200, " x" * 100):
        outcome = auth.attempt_login("riga di comando (root)" + padding, "segreta", auth.Client("s", "sessione"),
                                     "password", Limiter())
        assert outcome.editor.endswith(SELF_DECLARED) and len(outcome.editor) <= db.MAX_NAME
        assert db.clean_name(outcome.editor) == outcome.editor          # nothing more to cut in the audit


def test_issue10_every_way_into_the_audit_trail_cleans_the_name(tmp_path):
    from cruscotto import db
    from loaders.service import load_paths

    path = tmp_path / "names.duckdb"
    load_paths(path, [DATA / SAMPLES["alba"]])
    con = db.connect(path)
    writer_editor = "\u202e)toor( odnamoc id agir"
    db.delete_document(con, 1, writer_editor)
    db.record_change(con, "Maria\u202e Rossi", "ripristinato", None, None)
    editors = [r[0] for r in con.execute("SELECT editor FROM changes ORDER BY change_id").fetchall()]
    con.close()
    assert editors[1:] == [")toor( odnamoc id agir", "Maria Rossi"]
    assert not any(ch in e for e in editors for ch in "\u202e\u200f\x07")


def test_issue10_a_name_typed_with_bidi_characters_logs_in_cleaned(sample_db, monkeypatch):
    app = carica(sample_db, monkeypatch, PASSWORD_HASH)
    submit(app, "\u202e)toor( odnamoc id agir", "segreta")
    assert logged_in(app) == ")toor( odnamoc id agir (dichiarato)"


def accounts_app(sample_db, tmp_path, monkeypatch, shared_password=False):
    from cruscotto.auth import account_line

    accounts = tmp_path / "editori.txt"
    accounts.write_text("# editori del consorzio\n\n" + account_line("Maria Rossi", "segreta-di-maria") + "\n"
                        + account_line("Luca Bianchi", "segreta-di-luca") + "\nriga senza impronta\n",
                        encoding="utf-8")
    monkeypatch.setenv("CRUSCOTTO_EDITORS_FILE", str(accounts))
    return carica(own_copy(sample_db, tmp_path), monkeypatch, PASSWORD_HASH if shared_password else None)


def test_issue10_a_named_account_logs_in_under_the_files_name(sample_db, tmp_path, monkeypatch):
    app = accounts_app(sample_db, tmp_path, monkeypatch)
    assert "Come scritto nell'elenco degli editor" in app.text_input[0].help
    assert submit(app, "  maria   ROSSI ", "segreta-di-maria") == ""
    assert logged_in(app) == "Maria Rossi"                               # the file's spelling, not marked
    assert app.get("file_uploader")


@pytest.mark.parametrize("name, password, why", [
    ("Maria Rossi", "segreta-di-luca", "password errata"),              # a real name, someone else's password
    ("Direttore Generale", "segreta-di-maria", "nome non presente"),    # a name not in the file
    ("Maria Rossi", "segreta", "password errata"),                      # the shared password is not an account's
])
def test_issue10_a_wrong_password_or_unknown_name_fails(sample_db, tmp_path, monkeypatch, clock, hashes,
                                                        name, password, why):
    app = accounts_app(sample_db, tmp_path, monkeypatch, shared_password=True)
    hashes.clear()                                                      # the file's lines were hashed
    assert "Nome o password non corretti" in submit(app, name, password)
    assert logged_in(app) is None and not app.get("file_uploader")
    assert len(hashes) == 1                                             # an unknown name costs one hash too
    (editor, action, detail), = audit(tmp_path / "own.duckdb")
    assert (editor, action) == (f"{name} (dichiarato)", "accesso non riuscito") and why in detail


def test_issue10_an_unreadable_accounts_file_lets_nobody_in(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_EDITORS_FILE", str(tmp_path / "manca.txt"))
    app = carica(sample_db, monkeypatch, PASSWORD_HASH)                  # the shared password is not a fallback
    assert "non si legge" in app.error[0].value
    assert not app.text_input and not app.get("file_uploader")


def test_issue10_the_command_line_makes_a_line_for_the_accounts_file(monkeypatch, capsys):
    from cruscotto import auth

    monkeypatch.setattr("getpass.getpass", lambda prompt: "segreta-di-maria")
    assert auth.main(["Maria", "Rossi"]) == 0
    line = capsys.readouterr().out.strip()
    accounts, bad = auth.parse_accounts(line)
    assert line.startswith("Maria Rossi:pbkdf2_sha256$") and bad == []
    assert auth.check_password("segreta-di-maria", accounts["maria rossi"].password_hash)
    assert auth.main(["Maria:Rossi"]) == 1                               # ':' separates name and hash
    assert auth.main([]) == 0 and capsys.readouterr().out.startswith("pbkdf2_sha256$")

"""Who may change what. Reading is open; uploading, replacing and restoring need an editor.

Three ways to be an editor, whichever is configured (first match wins):
- Streamlit's own login (`st.login`) with an OpenID Connect provider in `.streamlit/secrets.toml` ([auth]);
- named editor accounts: a small file (path in CRUSCOTTO_EDITORS_FILE or secrets `editors_file`) with one
  line per person, `Maria Rossi:pbkdf2_sha256$200000$<salt>$<hex>`, made by
  `python -m cruscotto.auth "Maria Rossi"`. The name in the audit trail is the file's, proved by its password;
- one shared editor password, stored only as a salted hash in CRUSCOTTO_EDITOR_PASSWORD_HASH or in secrets
  (`editor_password_hash`), made by `python -m cruscotto.auth`. Whoever knows it types a name, and the audit
  trail stores that name marked ' (dichiarato)': nobody proved it.
With none, the editing pages say how to enable them and change nothing.

Every password attempt first asks login_limits.LIMITER (a growing delay, then a lockout, per client and for
everyone): a refused attempt is never hashed. Each failure and each lockout is a line of the audit trail.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from . import db
from .login_limits import LIMITER, Limiter, Verdict
from .messages import AUDIT, LOGIN, SELF_DECLARED, format_count

ITERATIONS = 200_000
EDITOR_KEY = "editore"
# Checked when a name is not in the accounts file, so that an unknown name costs the same time as a known one.
_NO_ACCOUNT = f"pbkdf2_sha256${ITERATIONS}$nessun-account${'0' * 64}"

log = logging.getLogger(__name__)


def hash_password(password: str, salt: str | None = None) -> str:
    """'segreta' -> 'pbkdf2_sha256$200000$<salt>$<hex>'."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ITERATIONS).hex()
    return f"pbkdf2_sha256${ITERATIONS}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
        iterations = int(iterations)
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256" or not 0 < iterations <= 10 * ITERATIONS:
        return False                       # (a mistyped count would raise, or make every attempt take minutes)
    computed = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return hmac.compare_digest(computed, digest)


def _secrets() -> dict:
    import streamlit as st

    try:
        return dict(st.secrets)
    except Exception:                      # no secrets.toml: nothing configured there
        return {}


def password_hash() -> str | None:
    return os.environ.get("CRUSCOTTO_EDITOR_PASSWORD_HASH") or _secrets().get("editor_password_hash")


def editors_file() -> Path | None:
    found = os.environ.get("CRUSCOTTO_EDITORS_FILE") or _secrets().get("editors_file")
    return Path(found) if found else None


def method() -> str | None:
    """'oidc', 'accounts', 'password' or None (editing disabled)."""
    if "auth" in _secrets():
        return "oidc"
    if editors_file():
        return "accounts"
    return "password" if password_hash() else None


# ---------------------------------------------------------------------------- named accounts

@dataclass(frozen=True)
class Account:
    name: str
    password_hash: str


def name_key(name: str) -> str:
    """How a typed name meets the file's: ' maria  ROSSI' and 'Maria Rossi' -> 'maria rossi'."""
    return db.clean_name(name).casefold()


def account_line(name: str, password: str, salt: str | None = None) -> str:
    """A line of the accounts file: ('Maria Rossi', 'segreta') -> 'Maria Rossi:pbkdf2_sha256$200000$...'."""
    clean = db.clean_name(name)
    if ":" in clean or not db.clean_name(name, default=""):
        raise ValueError("a name for the accounts file needs letters and no ':'")
    return f"{clean}:{hash_password(password, salt)}"


def parse_accounts(text: str) -> tuple[dict[str, Account], list[int]]:
    """'Maria Rossi:pbkdf2_sha256$...' lines -> ({'maria rossi': Account}, numbers of unreadable lines).
    Blank lines and lines starting with '#' are skipped."""
    accounts, bad = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, stored = line.partition(":")
        if not db.clean_name(name, default="") or stored.count("$") != 3 \
                or not stored.startswith("pbkdf2_sha256$"):
            bad.append(number)
            continue
        accounts[name_key(name)] = Account(db.clean_name(name), stored)
    return accounts, bad


def load_accounts() -> dict[str, Account]:
    """The accounts file, read at each attempt (an edit takes effect at once); {} when it cannot be read."""
    path = editors_file()
    try:
        accounts, bad = parse_accounts(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, AttributeError) as exc:
        log.warning("editors file %s unreadable: %s", path, exc)
        return {}
    if bad:
        log.warning("editors file %s: lines %s are not 'Name:pbkdf2_sha256$...'", path, bad)
    return accounts


# ---------------------------------------------------------------------------- one attempt

@dataclass(frozen=True)
class Client:
    """Who is knocking: `key` for the limiter, `label` for the audit trail."""
    key: str
    label: str


@dataclass(frozen=True)
class Outcome:
    editor: str | None                     # the name to work under, or None
    message: str | None = None             # why not, in Italian


def attempt_login(name: str, password: str, client: Client, how: str, limiter: Limiter | None = None) -> Outcome:
    """Check one login, limits first: a refused attempt is not hashed. Records failures and lockouts."""
    limiter = limiter or LIMITER
    # Cut before the mark, so that no name is long enough to push «(dichiarato)» past the audit's limit.
    declared = db.clean_name(name, limit=db.MAX_NAME - len(SELF_DECLARED))
    verdict = limiter.begin(client.key)
    if not verdict.allowed:
        return Outcome(None, refusal(verdict, limiter))
    editor, why = None, "wrong_password"
    try:
        if how == "accounts":
            account = load_accounts().get(name_key(name))
            if check_password(password, account.password_hash if account else _NO_ACCOUNT) and account:
                editor = account.name
            why = "wrong_password" if account else "unknown_name"
        elif check_password(password, password_hash() or ""):
            editor = declared + SELF_DECLARED
    finally:
        locked = limiter.finish(verdict, ok=editor is not None)
    if editor:
        return Outcome(editor)
    record_failure(declared, client, why, locked, limiter)
    message = LOGIN["wrong_account" if how == "accounts" else "wrong_password"]
    if locked:
        message += " " + refusal(limiter.peek(client.key), limiter)
    return Outcome(None, message)


def refusal(verdict: Verdict, limiter: Limiter) -> str:
    """The Italian sentence for a refused attempt, saying when to retry."""
    seconds = max(0.0, verdict.retry_at - limiter.clock())
    if verdict.reason == "wait":
        failures = (verdict.failures if verdict.scope == "everyone" else
                    format_count(verdict.failures, "tentativo non riuscito", "tentativi non riusciti"))
        return LOGIN["wait_everyone" if verdict.scope == "everyone" else "wait"].format(
            failures=failures, seconds=format_count(max(1, math.ceil(seconds)), "secondo", "secondi"))
    until = datetime.now() + timedelta(seconds=seconds)
    return LOGIN["locked_everyone" if verdict.scope == "everyone" else "locked_client"].format(
        time=until.strftime("%H:%M"), minutes=format_count(max(1, round(seconds / 60)), "minuto", "minuti"))


def record_failure(declared: str, client: Client, why: str, locked: list[str], limiter: Limiter) -> None:
    """One 'accesso non riuscito' line in `changes`, plus one 'accesso bloccato' per lockout it started. The
    name is the one typed, marked as declared. A missing, busy or read-only database only loses the lines:
    the login form keeps working."""
    path = db.db_path()
    if not path.exists():
        return
    editor = declared + SELF_DECLARED
    lines = [(AUDIT["failed"], AUDIT[why].format(client=client.label))]
    for scope in locked:
        policy = limiter.limits.everyone if scope == "everyone" else limiter.limits.client
        lines.append((AUDIT["locked"], AUDIT[f"locked_{scope}"].format(
            client=client.label,
            failures=format_count(policy.max_failures, "tentativo non riuscito", "tentativi non riusciti"),
            minutes=format_count(round(policy.lockout / 60), "minuto", "minuti"))))
    try:
        with db.writing(path, retries=2, wait=0.5) as con:
            for action, detail in lines:
                db.record_change(con, editor, action, None, None, detail)
    except Exception as exc:               # busy, read-only, damaged: the person still gets an answer
        log.warning("failed login not recorded in %s: %s", path, exc)


# ---------------------------------------------------------------------------- the page part

def current_client() -> Client:
    """The session's IP address when Streamlit knows it (it does not for localhost, nor behind a local
    reverse proxy), else its session id."""
    import streamlit as st

    try:
        ip = st.context.ip_address
    except Exception:
        ip = None
    if isinstance(ip, str) and ip:          # (AppTest's runtime is a mock that answers anything)
        return Client(f"ip:{ip}", ip)
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    session = ctx.session_id if ctx else "?"
    return Client(f"session:{session}", AUDIT["session"].format(session=session[:8]))


def current_editor() -> str | None:
    """The name of the logged-in editor, or None."""
    import streamlit as st

    if method() == "oidc":
        user = st.user
        return db.clean_name(user.get("email") or user.get("name")) if user.is_logged_in else None
    return st.session_state.get(EDITOR_KEY)


def editor_gate() -> str | None:
    """Draw what an editing page needs before it may change anything; return the editor's name or None."""
    import streamlit as st

    how = method()
    if how is None:
        st.info(LOGIN["disabled"])
        return None
    editor = current_editor()
    if editor:
        left, right = st.columns([4, 1])
        left.caption(LOGIN["signed_in"].format(editor=editor))
        if right.button(LOGIN["logout"], key="logout"):
            if how == "oidc":
                st.logout()
            st.session_state.pop(EDITOR_KEY, None)
            st.rerun()
        return editor
    st.warning(LOGIN["needed"])
    if how == "oidc":
        st.button(LOGIN["submit"], on_click=st.login, type="primary")
        return None
    if how == "accounts" and not load_accounts():
        st.error(LOGIN["accounts_unreadable"].format(path=editors_file()))
        return None
    with st.form("editor_login"):
        name = st.text_input(LOGIN["name"], help=LOGIN["name_help_account" if how == "accounts" else
                                                          "name_help_declared"])
        password = st.text_input(LOGIN["password"], type="password")
        if st.form_submit_button(LOGIN["submit"], type="primary"):
            if not db.clean_name(name, default=""):
                st.error(LOGIN["name_missing"])
            else:
                outcome = attempt_login(name, password, current_client(), how)
                if outcome.editor:
                    st.session_state[EDITOR_KEY] = outcome.editor
                    st.rerun()
                st.error(outcome.message)
    return None


def main(argv=None) -> int:
    """python -m cruscotto.auth               -> the hash of a password (CRUSCOTTO_EDITOR_PASSWORD_HASH)
    python -m cruscotto.auth "Maria Rossi" -> a line for the accounts file (CRUSCOTTO_EDITORS_FILE)"""
    import getpass
    import sys

    argv = sys.argv[1:] if argv is None else argv
    name = " ".join(argv).strip()
    password = getpass.getpass(f"Password di {name}: " if name else "Password da editor: ")
    if not password:
        print("Password vuota: niente da fare.", file=sys.stderr)
        return 1
    if name:
        try:
            print(account_line(name, password))
        except ValueError:
            print("Il nome deve contenere lettere e nessun ':'.", file=sys.stderr)
            return 1
    else:
        print(hash_password(password))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Who may change what. Reading is open; uploading, replacing and restoring need an editor.

Two ways to be an editor, whichever is configured:
- Streamlit's own login (`st.login`) with an OpenID Connect provider in `.streamlit/secrets.toml` ([auth]);
- a local editor password, stored only as a salted hash in the environment variable
  CRUSCOTTO_EDITOR_PASSWORD_HASH or in secrets (`editor_password_hash`). Make the hash with
  `python -m cruscotto.auth`.
With neither, the editing pages say how to enable them and change nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets

ITERATIONS = 200_000
EDITOR_KEY = "editore"


def hash_password(password: str, salt: str | None = None) -> str:
    """'segreta' -> 'pbkdf2_sha256$200000$<salt>$<hex>'."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ITERATIONS).hex()
    return f"pbkdf2_sha256${ITERATIONS}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    computed = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(computed, digest)


def _secrets() -> dict:
    import streamlit as st

    try:
        return dict(st.secrets)
    except Exception:                      # no secrets.toml: nothing configured there
        return {}


def password_hash() -> str | None:
    return os.environ.get("CRUSCOTTO_EDITOR_PASSWORD_HASH") or _secrets().get("editor_password_hash")


def method() -> str | None:
    """'oidc', 'password' or None (editing disabled)."""
    if "auth" in _secrets():
        return "oidc"
    return "password" if password_hash() else None


def current_editor() -> str | None:
    """The name of the logged-in editor, or None."""
    import streamlit as st

    if method() == "oidc":
        user = st.user
        return (user.get("email") or user.get("name")) if user.is_logged_in else None
    return st.session_state.get(EDITOR_KEY)


def editor_gate() -> str | None:
    """Draw what an editing page needs before it may change anything; return the editor's name or None."""
    import streamlit as st

    how = method()
    if how is None:
        st.info("Le modifiche sono disattivate: nessun accesso da editor è configurato. Per abilitarle, "
                "impostare una password da editor (variabile d'ambiente CRUSCOTTO_EDITOR_PASSWORD_HASH, creata con "
                "`python -m cruscotto.auth`) oppure l'accesso con un fornitore OpenID Connect in "
                "`.streamlit/secrets.toml`: vedi il README.")
        return None
    editor = current_editor()
    if editor:
        left, right = st.columns([4, 1])
        left.caption(f"Accesso da editor: {editor}. Ogni modifica viene registrata con questo nome.")
        if right.button("Esci", key="logout"):
            if how == "oidc":
                st.logout()
            st.session_state.pop(EDITOR_KEY, None)
            st.rerun()
        return editor
    st.warning("Per caricare o modificare documenti serve l'accesso da editor.")
    if how == "oidc":
        st.button("Accedi", on_click=st.login, type="primary")
        return None
    with st.form("editor_login"):
        name = st.text_input("Nome e cognome", help="Compare nel registro delle modifiche.")
        password = st.text_input("Password da editor", type="password")
        if st.form_submit_button("Accedi", type="primary"):
            if not name.strip():
                st.error("Scrivi il tuo nome: serve al registro delle modifiche.")
            elif check_password(password, password_hash() or ""):
                st.session_state[EDITOR_KEY] = name.strip()
                st.rerun()
            else:
                st.error("Password non corretta.")
    return None


if __name__ == "__main__":                 # python -m cruscotto.auth: type a password, get its hash
    import getpass

    print(hash_password(getpass.getpass("Password da editor: ")))

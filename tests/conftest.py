"""Shared fixtures: the five real samples shipped in data/, parsed and loaded."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))

SAMPLES = {
    "alba": "000_5219ceada02bc870.txt",
    "inrete": "001_78aa5272353f3b13.txt",
    "cissac": "002_1cd2a7c4668a1a79.txt",
    "crema": "003_6f8e82cecc449fcd.txt",
    "iris": "004_ec449bf6d7f73167.txt",
}


def sample_text(key: str) -> str:
    return (DATA / SAMPLES[key]).read_text(encoding="utf-8")


def line_of(text: str, number: int) -> str:
    return text.splitlines()[number - 1]


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """A database built from the five samples, as the README's first command builds it."""
    from loaders.service import load_paths

    path = tmp_path_factory.mktemp("db") / "samples.duckdb"
    results = load_paths(path, [DATA])
    assert [r.status for r in results] == ["loaded"] * 5
    return path


@pytest.fixture()
def con(sample_db):
    import duckdb

    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def fresh_login_limits():
    """The login limiter is one per process (as in the dashboard): each test starts with no failures counted."""
    from cruscotto.login_limits import LIMITER

    LIMITER.reset()
    yield
    LIMITER.reset()


@pytest.fixture()
def database(sample_db, tmp_path):
    """A copy of the samples' database that a test may change."""
    import shutil

    copy = tmp_path / "changed.duckdb"
    shutil.copy(sample_db, copy)
    return copy


def log_in(app, name: str = "Maria Rossi", password: str = "segreta"):
    """Fill the editor login form of the page the AppTest shows, as a person would."""
    app.text_input[0].set_value(name)
    app.text_input[1].set_value(password)
    [b for b in app.button if b.label == "Accedi"][0].click().run()
    assert not app.exception, app.exception
    return app

"""The home page, run by Streamlit's AppTest on the sample database."""
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT


@pytest.fixture()
def app(sample_db, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)


def test_home_lists_the_five_documents_with_their_figures(app):
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert len(table) == 5
    alba = table[table.file == "000_5219ceada02bc870.txt"].iloc[0]
    assert (alba["ente"], alba["anno"], alba["obiettivi"], alba["indicatori"]) == \
        ("CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", "2019", 3, 7)
    assert alba["indicatori raggiunti"] == "100%"
    crema = table[table.file == "003_6f8e82cecc449fcd.txt"].iloc[0]
    assert (crema["anno"], crema["tipo"], crema["righe di bilancio"]) == ("2015-2017", "Piano di Zona", 66)
    iris = table[table.file == "004_ec449bf6d7f73167.txt"].iloc[0]
    assert iris["ente"] == "(non indicato nel documento)"


def test_first_run_builds_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "nuovo.duckdb"))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception
    assert (tmp_path / "nuovo.duckdb").exists()
    assert len(app.dataframe[0].value) == 5


def test_empty_database_says_what_to_do(tmp_path, monkeypatch):
    from cruscotto import db

    path = tmp_path / "vuoto.duckdb"
    db.connect(path).close()
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    app.run()
    assert not app.exception
    assert "Nessun documento caricato" in app.info[0].value

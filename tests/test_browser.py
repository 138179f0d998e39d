"""The real app in a real browser: Debian's chromium driven by Playwright.

Starts `streamlit run dashboard.py` on a free localhost port against the sample database, opens every page,
checks its key figures, changes a filter, downloads an Excel export and opens it with openpyxl. Screenshots
go to screenshots/ (git-ignored). `python3 run.py test` installs chromium when it is missing."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import openpyxl
import pytest

from conftest import ROOT

SCREENSHOTS = ROOT / "screenshots"
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = {
    "": ["Cruscotto Performance", "85%", "67%"],
    "raggiungimento": ["Raggiungimento obiettivi", "Indicatori raggiunti per area", "non rendicontati: 2"],
    "indicatori": ["Indicatori: atteso vs consuntivo", "14 su 4"],
    "cronoprogramma": ["Cronoprogramma e slittamenti", "In ritardo", "Passi in ritardo (17)"],
    "risorse": ["Piano di Zona: risorse", "Ambito Distrettuale di Crema", "71%", "29%"],
    "punteggi": ["Punteggi del nucleo di valutazione", "460/500"],
    "qualita": ["Qualità dei dati", "Righe (108)"],
    "documento": ["Documento", "Obiettivo 1"],
    "correzioni": ["Correzioni", "Giudizi: del cruscotto e di una persona"],
    "aree": ["Aree", "stampano la stessa area in modi diversi"],
    # the consortium of the latest report loaded that names itself: Caluso's of 2021 (004 names none)
    "consorzio": ["Il nostro consorzio", "In sintesi", "ha raggiunto 22 indicatori su 23 valutabili (96%)",
                  "Relazione sintetica (PDF)"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_dashboard(database, **extra_env):
    port = free_port()
    env = {**os.environ, "CRUSCOTTO_DB": str(database), **extra_env}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the dashboard did not start within 60 s")
    return process, url


def stop_dashboard(process):
    os.killpg(process.pid, 15)
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(sample_db):
    process, url = start_dashboard(sample_db)
    yield url
    stop_dashboard(process)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is missing: `python3 run.py test` installs it (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def visible_text(page) -> str:
    """The page's text, chart labels (SVG) included."""
    svg = page.evaluate("() => Array.from(document.querySelectorAll('svg text')).map(t => t.textContent).join(' ')")
    return (page.inner_text("body") + " " + svg).replace("\xa0", " ")


def wait_for_texts(page, texts, timeout: float = 40) -> str:
    """Streamlit draws a page in several passes: wait until every expected text is there."""
    deadline = time.time() + timeout
    while True:
        body = visible_text(page)
        if all(t in body for t in texts) or time.time() > deadline:
            return body
        page.wait_for_timeout(500)


def wait_for_app(page):
    page.wait_for_selector("h1", timeout=30000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(1500)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_its_key_figures(server, page, path):
    page.goto(f"{server}/{path}")
    wait_for_app(page)
    body = wait_for_texts(page, PAGES[path])
    for expected in PAGES[path]:
        assert expected in body, f"{expected!r} missing on /{path}"
    assert "Traceback" not in body and "Error" not in body
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{path or 'panoramica'}.png"), full_page=True)


def test_filter_changes_the_figures(server, page):
    page.goto(server)
    wait_for_app(page)
    page.get_by_role("combobox", name="Ente / consorzio").click()
    page.get_by_role("option", name="Consorzio Intercomunale Servizi Socio-Assistenziali Caluso").click()
    page.keyboard.press("Escape")
    wait_for_texts(page, ["Documenti\n\n1\n"])
    assert page.locator('[data-testid="stMetric"]').first.inner_text().split() == ["Documenti", "1"]
    page.get_by_role("link", name="Punteggi").first.click()
    body = wait_for_texts(page, ["Punteggi del nucleo", "470/500"])
    assert "470/500" in body                                  # the filter is still applied on another page
    assert "Caluso" in page.locator('[data-testid="stSidebar"]').inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "filtro_caluso.png"), full_page=True)


def test_a_page_prints_without_the_sidebar_and_with_charts_across_the_sheet(server, page, tmp_path):
    page.goto(f"{server}/raggiungimento")
    page.wait_for_selector("svg.main-svg", timeout=90000)         # the first chart drawn (slow on a busy machine)
    page.wait_for_timeout(2500)                                  # the script gives each chart its viewBox
    screen = page.evaluate("() => document.querySelector('svg.main-svg').getBoundingClientRect().width")
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    printed = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect().width;
        const svg = document.querySelector('svg.main-svg');
        return {main, chart: svg.getBoundingClientRect().width, viewBox: svg.getAttribute('viewBox'),
                sidebar: getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display};
    }""")
    assert printed["sidebar"] == "none"
    assert printed["viewBox"] and printed["chart"] > screen and printed["chart"] >= 0.9 * printed["main"]
    pdf = tmp_path / "stampa.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        text = " ".join(p.extract_text() or "" for p in document.pages)
    assert "Raggiungimento obiettivi" in text and "Filtri" not in text     # the sidebar is not printed
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "stampa_raggiungimento.pdf").write_bytes(pdf.read_bytes())


def test_a_wide_table_keeps_its_key_column_on_screen_and_prints_every_column(server, page, tmp_path):
    page.goto(f"{server}/indicatori")
    wait_for_app(page)
    wait_for_texts(page, ["Indicatori: atteso vs consuntivo", "14 su 4"])
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60000)
    # on screen: the grid, its printed copy hidden
    assert page.evaluate("() => getComputedStyle(document.querySelector('.solo-stampa')).display") == "none"
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    printed = page.evaluate("""() => ({grid: getComputedStyle(document.querySelector('[data-testid="stDataFrame"]')).display,
        headers: Array.from(document.querySelector('.solo-stampa table').querySelectorAll('th')).map(t => t.textContent)})""")
    assert printed["grid"] == "none"
    # the last columns of the widest table, off the grid's window on screen, are on paper
    assert {"Stato", "Perché", "file", "riga"} <= set(printed["headers"])
    pdf = tmp_path / "indicatori.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        text = " ".join(p.extract_text() or "" for p in document.pages)
    # the rows' own words and their rightmost columns (the reason, the file) are on paper
    assert "Incontri CdA" in text and "Perché" in text and "001_78aa5272353f3b13.txt" in text
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "stampa_indicatori.pdf").write_bytes(pdf.read_bytes())


def test_excel_download_opens_with_openpyxl(server, page, tmp_path):
    page.goto(f"{server}/raggiungimento")
    wait_for_app(page)
    buttons = page.get_by_role("button", name="Scarica Excel")
    deadline = time.time() + 30
    while buttons.count() < 2 and time.time() < deadline:      # the page draws its tables one after the other
        page.wait_for_timeout(300)
    wait_for_texts(page, ["Dall'area all'indicatore"])
    with page.expect_download() as download:
        buttons.nth(0).click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "Raggiungimento per area"
    assert [c.value for c in sheet[2]][:3] == ["Ente", "Anno", "Area"]
    assert sheet.max_row == 2 + 15                    # title, headers, one row per area


def test_upload_previews_then_saves(sample_db, tmp_path, page):
    """Upload a text document from another consortium, a PDF, an unnamed document with the issuer typed in,
    an empty file and a file already loaded: previews, refusals, then one save."""
    from conftest import DATA, SAMPLES, sample_text
    from pdf_samples import text_to_pdf

    database = tmp_path / "upload.duckdb"
    shutil.copy(sample_db, database)
    monviso = tmp_path / "monviso_2023.txt"
    monviso.write_text(sample_text("alba").replace("CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", "Consorzio Monviso Solidale")
                       .replace("ASSEGNATI ANNO 2019", "ASSEGNATI ANNO 2023"), encoding="utf-8")
    caluso_pdf = tmp_path / "caluso_2021.pdf"
    caluso_pdf.write_bytes(text_to_pdf(sample_text("cissac")))
    iris = tmp_path / "iris_2021_rev.txt"
    iris.write_text(sample_text("iris").replace("\t8\t11\t+ 3", "\t8\t9\t+ 1"), encoding="utf-8")
    empty = tmp_path / "vuoto.txt"
    empty.write_bytes(b"")
    from cruscotto.template import write_workbook
    half_valid = tmp_path / "modello_compilato.xlsx"
    half_valid.write_bytes(write_workbook(
        {"issuer": "Consorzio Prova", "report_year": 2022, "kind": "relazione_performance"},
        {"Obiettivi": [{"ref": 1, "area": "Anziani", "title": "Domiciliarità"}],
         "Indicatori": [{"objective": 1, "name": "Utenti", "expected_raw": "=> 10", "actual_raw": "12"},
                        {"objective": 2, "name": "Orfano", "expected_raw": "3", "actual_raw": "3"}]}))
    contacts = tmp_path / "rubrica.xlsx"
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["Nome", "Telefono"])
    book.save(contacts)
    from cruscotto.auth import hash_password

    process, url = start_dashboard(database, CRUSCOTTO_EDITOR_PASSWORD_HASH=hash_password("segreta"))
    try:
        page.goto(f"{url}/carica")
        wait_for_app(page)
        wait_for_texts(page, ["serve l'accesso da editor"])
        assert not page.locator('input[type="file"]').count()        # anonymous: no upload
        page.get_by_role("textbox", name="Nome e cognome").fill("Maria Rossi")
        page.get_by_role("textbox", name="Password da editor").fill("segreta")
        page.get_by_role("button", name="Accedi").click()
        wait_for_texts(page, ["Accesso da editor: Maria Rossi"])
        # the uploader speaks Italian: Streamlit's English words hidden, ours in their place
        uploader = page.locator('[data-testid="stFileUploader"]')
        assert "Upload" not in uploader.inner_text() and "MB per file •" not in uploader.inner_text()
        words = page.evaluate("""() => [
            getComputedStyle(document.querySelector('[data-testid="stFileUploaderDropzone"] button '
                + '[data-testid="stMarkdownContainer"]'), '::after').content,
            getComputedStyle(document.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div'),
                '::after').content]""")
        assert words[0] == '"Scegli i file"' and words[1].startswith('"Al massimo 50 MB per file')
        suppliers = tmp_path / "fornitori.txt"
        suppliers.write_text("Consorzio Esempio\nElenco fornitori 2022\n\nFornitore\tCittà\tImporto\n"
                             "Alfa srl\tTorino\t1.000,00\n", encoding="utf-8")
        word = ROOT / "tests" / "files" / "office" / "altro_ente_2022.senza_bordi.docx"
        page.locator('input[type="file"]').set_input_files(
            [str(monviso), str(caluso_pdf), str(iris), str(empty), str(DATA / SAMPLES["alba"]), str(half_valid),
             str(contacts), str(suppliers), str(word)])
        body = wait_for_texts(page, ["vuoto.txt» non può essere caricato: il file è vuoto",
                                     "è già nel database, identico", "(PDF)",
                                     "rubrica.xlsx» non può essere caricato: non è il modello del cruscotto",
                                     "foglio Indicatori, riga 3, colonna Obiettivo (Rif.)"], timeout=90)
        page.get_by_test_id("stCheckbox").get_by_text("Carica solo le righe valide").click()
        body = wait_for_texts(page, ["modello Excel del cruscotto"])
        assert "sembra lo stesso rapporto di «002_1cd2a7c4668a1a79.txt»" in body  # the PDF of a loaded report
        # and the revised copy of 004 is the same report too (issue 9: one cell differs, same objectives)
        assert "sembra lo stesso rapporto di «004_ec449bf6d7f73167.txt»" in body
        twins = page.get_by_test_id("stCheckbox").get_by_text("Salvalo comunque come documento a sé")
        for index in range(twins.count()):
            twins.nth(index).click()
            page.wait_for_timeout(1500)
        assert "Letto come «modello Excel del cruscotto» (Excel)" in body
        assert "Letto come «schede obiettivo» (testo)" in body and "Letto come «tabella obiettivi» (PDF)" in body
        assert "Letto come «schede obiettivo» (Word)" in body                                  # issue 9
        assert "«fornitori.txt»: nessuna struttura riconoscibile" in body
        page.get_by_test_id("stCheckbox").get_by_text("Conserva il documento non riconosciuto").click()
        page.wait_for_timeout(1500)
        page.locator('input[aria-label="Ente"][value=""]').fill("Consorzio I.R.I.S. Biella")
        page.keyboard.press("Tab")
        page.wait_for_timeout(1500)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "carica.png"), full_page=True)
        page.get_by_role("button", name="Salva nel database").click()
        wait_for_texts(page, ["«monviso_2023.txt» salvato nel database"], timeout=60)
    finally:
        stop_dashboard(process)
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    loaded = dict(con.execute("SELECT source_name, issuer FROM documents").fetchall())
    assert loaded["monviso_2023.txt"] == "Consorzio Monviso Solidale"
    assert loaded["iris_2021_rev.txt"] == "Consorzio I.R.I.S. Biella"
    assert "vuoto.txt" not in loaded and "rubrica.xlsx" not in loaded and len(loaded) == 11, sorted(loaded)[5:]
    assert loaded["fornitori.txt"] == "Consorzio Esempio"
    assert loaded["altro_ente_2022.senza_bordi.docx"] == "Consorzio Intercomunale Servizi Sociali Valle del Tanaro"
    assert loaded["modello_compilato.xlsx"] == "Consorzio Prova"
    assert con.execute("SELECT DISTINCT editor FROM changes WHERE source_name = 'monviso_2023.txt'").fetchall() == \
        [("Maria Rossi (dichiarato)",)]                                 # typed with the shared password
    assert con.execute("SELECT i.name, i.status FROM indicators i JOIN objectives o USING (objective_id) "
                       "JOIN documents d USING (document_id) WHERE d.source_name = 'modello_compilato.xlsx'"
                       ).fetchall() == [("Utenti", "met")]
    assert con.execute("SELECT input_format, (SELECT count(*) FROM indicators i JOIN objectives o USING (objective_id) "
                       "WHERE o.document_id = d.document_id) FROM documents d WHERE source_name = 'caluso_2021.pdf'"
                       ).fetchall() == [("pdf", 24)]
    con.close()


def settle(page):
    """Wait until Streamlit has finished the rerun a click started."""
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(500)


def choose(page, combobox, option: str, typed: str | None = None):
    """Pick `option` in a Streamlit selectbox as a person does: open it, type, click the option; again if a
    rerun closed the list meanwhile."""
    for attempt in range(3):
        combobox.click()
        page.keyboard.type(typed or option)
        found = page.get_by_role("option", name=option, exact=False).first
        try:
            found.click(timeout=8000)
            settle(page)
            return
        except Exception:
            page.keyboard.press("Escape")
            settle(page)
    raise AssertionError(f"option {option!r} never appeared")


def test_an_editor_corrects_a_status_and_a_year_as_a_person_would(sample_db, tmp_path, page):
    """Issue 11: log in, correct an indicator's status on Indicatori and a document's year on Documento, with
    the form a nucleo uses; the pages show the corrected values, the database keeps the tool's reading."""
    import duckdb

    from cruscotto.auth import hash_password

    database = tmp_path / "corrections.duckdb"
    shutil.copy(sample_db, database)
    process, url = start_dashboard(database, CRUSCOTTO_EDITOR_PASSWORD_HASH=hash_password("segreta"))
    try:
        page.goto(f"{url}/indicatori")
        wait_for_app(page)
        assert "Correggi un dato" not in visible_text(page)                    # anonymous: no correction form
        page.get_by_role("link", name="Correzioni").first.click()
        wait_for_texts(page, ["serve l'accesso da editor"])
        page.get_by_role("textbox", name="Nome e cognome").fill("Maria Rossi")
        page.get_by_role("textbox", name="Password da editor").fill("segreta")
        page.get_by_role("button", name="Accedi").click()
        wait_for_texts(page, ["Accesso da editor: Maria Rossi"])

        page.get_by_role("link", name="Indicatori: atteso vs consuntivo").first.click()
        wait_for_texts(page, ["Correggi un dato (editor)"])
        page.get_by_text("Correggi un dato (editor)").click()
        settle(page)
        choose(page, page.get_by_role("combobox", name="Dato da correggere"), "Incontri CdA")
        assert "Oggi il cruscotto mostra" in visible_text(page)                    # the first field: Stato
        choose(page, page.get_by_role("combobox", name="Nuovo valore"), "non raggiunto")
        page.get_by_role("textbox", name="Motivo della correzione (obbligatorio)").fill(
            "Il nucleo conta solo gli incontri con delibera")
        page.get_by_role("button", name="Salva correzione").click()
        body = wait_for_texts(page, ["Correzione salvata"])              # tables are drawn on a canvas: the
        assert "Stato ora «non raggiunto» (era «superato»)" in body         # database is checked at the end

        page.get_by_role("link", name="Documento").first.click()
        wait_for_texts(page, ["Correggi un dato (editor)"])
        settle(page)
        choose(page, page.get_by_role("combobox", name="Documento", exact=True), "002_1cd2a7c4668a1a79.txt",
               typed="002_1cd2")
        page.get_by_text("Correggi un dato (editor)").first.click()
        settle(page)
        choose(page, page.get_by_role("combobox", name="Che cosa correggere").first, "Anno dei risultati",
               typed="Anno dei")
        year = page.get_by_role("spinbutton", name="Nuovo valore").first
        year.fill("2022")
        year.press("Tab")
        page.get_by_role("textbox", name="Motivo della correzione (obbligatorio)").first.fill(
            "La relazione rendiconta il 2022 (delibera di approvazione)")
        page.get_by_role("button", name="Salva correzione").first.click()
        body = wait_for_texts(page, ["Correzione salvata"])
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "correzione.png"), full_page=True)
        assert "Correzione salvata" in body
    finally:
        stop_dashboard(process)
    con = duckdb.connect(str(database), read_only=True)
    saved = con.execute("SELECT record_table, field, new_value, editor, status FROM overrides ORDER BY override_id"
                        ).fetchall()
    kept = con.execute("SELECT report_year FROM documents WHERE source_name = '002_1cd2a7c4668a1a79.txt'").fetchone()
    con.close()
    assert saved == [("indicators", "status", "not_met", "Maria Rossi (dichiarato)", "active"),
                     ("documents", "report_year", "2022", "Maria Rossi (dichiarato)", "active")]
    assert kept == (2021,)                                                     # the tool's reading stays


def test_an_editor_maps_a_table_the_tool_did_not_read(sample_db, tmp_path, page):
    """Issue 11: a report whose table headers no reader knows ('Misura | Obiettivo quantitativo | Dato a
    consuntivo | Note') is kept unrecognised; on Documento an editor logs in, gives each column its role,
    sees the preview with statuses, and saves; the records and the layout are in the database."""
    import duckdb

    from cruscotto.auth import hash_password
    from loaders.service import load_paths

    database = tmp_path / "mapping.duckdb"
    shutil.copy(sample_db, database)
    source = ROOT / "tests" / "files" / "mapping" / "misure_valtanaro_2022.txt"
    assert [r.status for r in load_paths(database, [source], keep_unrecognised=True)] == ["kept"]
    process, url = start_dashboard(database, CRUSCOTTO_EDITOR_PASSWORD_HASH=hash_password("segreta"))
    try:
        page.goto(f"{url}/documento")
        wait_for_app(page)
        choose(page, page.get_by_role("combobox", name="Documento", exact=True), "misure_valtanaro_2022.txt",
               typed="misure_valtanaro")
        wait_for_texts(page, ["Tabelle non lette: assegna le colonne", "serve l'accesso da editor"])
        assert "Salva i dati della tabella" not in visible_text(page)          # anonymous: no mapping
        page.get_by_role("textbox", name="Nome e cognome").fill("Maria Rossi")
        page.get_by_role("textbox", name="Password da editor").fill("segreta")
        page.get_by_role("button", name="Accedi").click()
        wait_for_texts(page, ["Anteprima: i dati che verrebbero salvati"])
        for label, role in (("1. Misura", "indicatore"), ("2. Obiettivo quantitativo", "atteso"),
                            ("3. Dato a consuntivo", "consuntivo"), ("4. Note", "— non usare —")):
            choose(page, page.get_by_role("combobox", name=label), role)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "mappatura.png"), full_page=True)
        page.get_by_role("button", name="Salva i dati della tabella").click()
        body = wait_for_texts(page, ["salvate: "], timeout=60)
        assert "Modello di tabella n. 1 conservato" in body
    finally:
        stop_dashboard(process)
    con = duckdb.connect(str(database), read_only=True)
    read = con.execute("SELECT i.name, i.expected_raw, i.actual_raw, i.status FROM indicators i JOIN objectives o "
                       "USING (objective_id) JOIN documents d USING (document_id) "
                       "WHERE d.source_name = 'misure_valtanaro_2022.txt' ORDER BY i.source_line").fetchall()
    layouts = con.execute("SELECT roles, editor FROM layouts").fetchall()
    con.close()
    assert read[:2] == [("Colloqui di segretariato sociale", "=> 400", "452", "met"),
                        ("Nuclei familiari seguiti dal servizio minori", "120", "84", "partly")]
    assert len(read) == 5 and read[-1][3] == "not_reported"
    assert layouts == [('["indicator", "expected", "actual", null]', "Maria Rossi (dichiarato)")]

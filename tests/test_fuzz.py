"""Property-based and mutation tests of the loading service (hypothesis).

Properties: no exception escapes `prepare`; a file is either ready to load or refused with an Italian
reason; reading the same bytes twice gives the same records. The default run is a quick sample;
benchmarks/fuzz.py runs the same properties on 10^4 cases and prints the figures."""
import io
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, sample_text
from cruscotto import db, messages
from loaders.service import prepare

EXAMPLES = int(os.environ.get("CRUSCOTTO_FUZZ_EXAMPLES", "40"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EMPTY_INDEX = db.DocumentIndex(None)
SAMPLE_TEXTS = {key: sample_text(key) for key in SAMPLES}


def check(name: str, data: bytes):
    prepared = prepare(name, data, EMPTY_INDEX)
    assert prepared.status in ("new", "refused", "invalid", "unrecognised")
    prepared.message = messages.about(prepared.status, prepared.error, prepared.existing_name)
    if prepared.status in ("refused", "unrecognised"):
        assert prepared.message and prepared.message[0].islower()      # an Italian clause: 'il file è vuoto'
        return prepared
    again = prepare(name, data, EMPTY_INDEX)
    assert again.rows == prepared.rows                                  # the same bytes, the same records
    refs = {o["ref"] for o in prepared.rows.get("objectives", [])}
    assert all(r["objective"] in refs for t in ("milestones", "indicators") for r in prepared.rows.get(t, []))
    return prepared


@FAST
@given(st.text())
def test_any_text(text):
    check("documento.txt", text.encode("utf-8", "surrogatepass") if text else b"")


@FAST
@given(st.binary(max_size=4096), st.sampled_from(["a.txt", "a.pdf", "a.xlsx", "a.md"]))
def test_any_bytes(data, name):
    check(name, data)


MUTATIONS = ["delete", "duplicate", "swap", "tabs", "garble", "truncate", "control", "crlf"]


@st.composite
def mutated_sample(draw):
    lines = SAMPLE_TEXTS[draw(st.sampled_from(sorted(SAMPLES)))].splitlines()
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=8)):
        i = draw(st.integers(0, len(lines) - 1))
        if mutation == "delete" and len(lines) > 1:
            del lines[i]
        elif mutation == "duplicate":
            lines.insert(i, lines[i])
        elif mutation == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif mutation == "tabs":
            lines[i] = lines[i].replace("\t", " ")
        elif mutation == "garble":
            lines[i] = "".join(draw(st.sampled_from("0123456789,.€%")) if c.isdigit() else c for c in lines[i])
        elif mutation == "truncate":
            lines = lines[: i + 1]
        elif mutation == "control":
            lines[i] = lines[i][: len(lines[i]) // 2] + draw(st.sampled_from(["\x00", "\x07", "\x1b", "\ufeff"])) + \
                lines[i][len(lines[i]) // 2:]
    text = ("\r\n" if "crlf" in MUTATIONS and draw(st.booleans()) else "\n").join(lines)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")


@FAST
@given(mutated_sample())
def test_mutated_samples(data):
    check("variante.txt", data)


def test_a_one_megabyte_line():
    check("riga.txt", b"Obiettivo 1\t" + b"x" * (1024 * 1024))


def test_xlsx_zip_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    prepared = check("bomba.xlsx", out.getvalue())
    assert prepared.status == "refused" and "200 MB" in prepared.message


def test_xlsx_with_too_many_rows_is_refused(monkeypatch):
    import openpyxl

    import loaders.inputs.workbook as workbook
    monkeypatch.setattr(workbook, "MAX_ROWS", 500)
    book = openpyxl.Workbook()
    for n in range(600):
        book.active.append(["Obiettivo", n])
    out = io.BytesIO()
    book.save(out)
    prepared = check("righe.xlsx", out.getvalue())
    assert prepared.status == "refused" and "più di 500 righe" in prepared.message

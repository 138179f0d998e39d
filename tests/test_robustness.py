"""Damaged copies of the samples never crash a parser: lines dropped, shuffled, cut, cells emptied.

Deterministic (fixed seeds), so a failure here is reproducible."""
import random

import pytest

from conftest import SAMPLES, sample_text
from loaders import parse_text
from loaders.errors import Refused
from loaders.rows import document_rows


def damaged(text: str, seed: int) -> str:
    rng = random.Random(seed)
    lines = text.splitlines()
    out = []
    for line in lines:
        roll = rng.random()
        if roll < 0.08:
            continue                                          # a line lost
        if roll < 0.14:
            line = line[: rng.randrange(len(line) + 1)]       # a line cut short
        elif roll < 0.20 and "\t" in line:
            cells = line.split("\t")
            cells[rng.randrange(len(cells))] = ""             # a cell emptied
            line = "\t".join(cells)
        elif roll < 0.24:
            line = line.replace("\t", " ")                    # a table row flattened into text
        out.append(line)
    for _ in range(len(out) // 30):                           # a few lines moved elsewhere
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    return "\n".join(out)


@pytest.mark.parametrize("key", SAMPLES)
@pytest.mark.parametrize("seed", range(12))
def test_damaged_copies_parse_or_are_refused(key, seed):
    text = damaged(sample_text(key), seed)
    try:
        _, parsed = parse_text(text)
    except Refused:
        return
    rows = document_rows(parsed)
    refs = {o["ref"] for o in rows["objectives"]}
    assert all(m["objective"] in refs for m in rows["milestones"])
    assert all(i["objective"] in refs for i in rows["indicators"])
    assert all(r["source_line"] >= 1 for table in rows.values() for r in table if r.get("source_line"))

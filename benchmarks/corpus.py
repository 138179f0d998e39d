"""Write a corpus of N documents varied from the five samples, with a manifest of the records each must give.

    .venv/bin/python benchmarks/corpus.py --docs 1000 --out /tmp/corpus [--seed 12] [--docx 0.05] [--pdf 0.02]

Every document is one of the samples in data/ edited the way real documents differ from each other: another
issuer, another year (every year in the text shifted together), objective blocks dropped or repeated with
another title, indicator and step rows dropped or repeated with another name, other results, months written
another way ('giugno 2019', '06/2019', '30/06/2019', 'GIUGNO'), and rows split over two lines as PDF extraction
splits them (a step whose 'Giugno/' goes on below, a result sentence going on in the next row). A share is
written as Word (.docx, tables as Word tables) and a share as PDF (text layer, tables drawn with borders).

Expected counts: the samples' own counts (the records their parse gives, pinned by tests/) plus what the
generator's edits add or take away, line by line: a dropped row takes its record away, a repeated row or block
adds its records, a split row or another spelling leaves the count alone. Which sample line holds which record
comes from the sample's source_line values. manifest.json lists, per file, the sample it comes from, the edits
made and the counts of objectives, milestones, indicators, budget_lines, reported_totals and scores.

Deterministic: the same --seed and --docs give the same bytes.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTED = ("objectives", "milestones", "indicators", "budget_lines", "reported_totals", "scores")
MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
          "ottobre", "novembre", "dicembre"]
LAST_DAY = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
PLACES = ["Valle Stura", "Monviso", "Alto Canavese", "Colline del Po", "Valsesia", "Pianura Ovest", "Val Tanaro",
          "Langhe", "Roero", "Basso Novarese", "Lomellina", "Oltrepò", "Val d'Ossola", "Cusio", "Verbano",
          "Valli di Lanzo", "Pinerolese", "Chierese", "Carmagnola", "Saluzzese", "Cuneese", "Monregalese",
          "Astigiano Nord", "Acquese", "Ovadese", "Tortonese", "Casalese", "Vercellese", "Biellese Est",
          "Eporediese", "Chivassese", "Ciriacese", "Val Susa", "Val Sangone", "Collegno", "Nichelino",
          "Moncalieri", "Orbassano", "Grugliasco", "Rivoli", "Bassa Valle", "Media Valle", "Alta Langa",
          "Val Bormida", "Val Vigezzo", "Lago Maggiore", "Franciacorta", "Valcamonica", "Sebino", "Garda"]
ISSUER_FORMS = {"000": "Consorzio Socio Assistenziale", "001": "Consorzio dei Servizi Sociali",
                "002": "Consorzio Intercomunale Servizi Socio-Assistenziali", "003": "Ambito Distrettuale di",
                "004": "Consorzio Intercomunale"}
YEAR = re.compile(r"(?<!\d)(?<!\d[.,])(?:19[5-9]\d|20[0-4]\d)(?!\d)(?![.,]\d)")     # not '2.019,00'


@dataclass
class Sample:
    """A sample as the generator edits it: its lines, what it says about itself and which line holds which
    record (from the parse of the untouched sample)."""
    key: str                       # '000' ... '004'
    name: str
    lines: list[str]
    family: str
    issuer: str | None
    year: int | None
    counts: dict[str, int]
    rows: dict[str, list[dict]]
    by_line: dict[int, list[tuple[str, dict]]] = field(default_factory=dict)     # 0-based line -> records
    blocks: list[tuple[int, int, dict]] = field(default_factory=list)   # objective blocks: first, last, counts


@lru_cache(maxsize=None)
def samples() -> tuple[Sample, ...]:
    from cruscotto import db
    from loaders.service import prepare

    out = []
    for path in sorted((ROOT / "data").glob("*.txt")):
        prepared = prepare(path.name, path.read_bytes(), db.DocumentIndex(None))
        counts = {t: prepared.counts.get(t, 0) for t in COUNTED}
        sample = Sample(path.name[:3], path.name, path.read_text(encoding="utf-8").split("\n"), prepared.family,
                        prepared.parsed.issuer, prepared.parsed.report_year, counts, prepared.rows)
        for table in COUNTED:
            for row in prepared.rows.get(table, []):
                sample.by_line.setdefault(row["source_line"] - 1, []).append((table, row))
        sample.blocks = objective_blocks(sample)
        out.append(sample)
    return tuple(out)


def objective_blocks(sample: Sample) -> list[tuple[int, int, dict]]:
    """Objectives whose lines, from the heading to their last record, hold only their own records (and no
    other objective's): such a block can be dropped or repeated and its counts go with it."""
    objectives = sorted(sample.rows.get("objectives", []), key=lambda o: o["source_line"])
    repeated = {o["duplicate_of"] for o in objectives if o["duplicate_of"] is not None}
    blocks = []
    for objective in objectives:
        if objective["duplicate_of"] is not None or objective["ref"] in repeated:
            continue                                     # a block the document prints twice: left alone
        first = objective["source_line"] - 1
        if "\t" not in sample.lines[first] and not re.search(r"(?i)obiettivo", sample.lines[first]):
            continue                                     # a table's section title, not an objective heading
        own = [r["source_line"] - 1 for t in ("milestones", "indicators") for r in sample.rows.get(t, [])
               if r["objective"] == objective["ref"]]
        if not own or min(own) < first:
            continue
        last = max(own)
        later = [o["source_line"] - 1 for o in objectives if o["source_line"] - 1 > first]
        if sample.family == "piano_di_zona" and later:
            last = min(later) - 1                        # a plan's objective runs to the next one: its range list
        inside = [rec for n in range(first, last + 1) for rec in sample.by_line.get(n, [])]
        if any(t not in ("objectives", "milestones", "indicators") for t, _ in inside):
            continue
        if any(t == "objectives" and r is not objective for t, r in inside):
            continue
        if any(t != "objectives" and r["objective"] != objective["ref"] for t, r in inside):
            continue
        if sum(t == "objectives" for t, _ in inside) != 1 or not objective["title"] or \
                objective["title"] not in sample.lines[first]:
            continue
        blocks.append((first, last, Counter(t for t, _ in inside)))
    return blocks


# ---------------------------------------------------------------------------- edits of one line

def month_spelling(rng: random.Random, month: int, year: int) -> str:
    """Month 6 of 2019 as documents write it: 'giugno 2019', '06/2019', '30/06/2019', 'GIUGNO', 'Giugno'."""
    return rng.choice([f"{MONTHS[month - 1]} {year}", f"{month:02d}/{year}",
                       f"{LAST_DAY[month - 1]:02d}/{month:02d}/{year}", MONTHS[month - 1].upper(),
                       MONTHS[month - 1].capitalize()])


def single_month(raw: str | None) -> int | None:
    """'Aprile' -> 4; anything else (a range, a sentence, 'no') -> None."""
    plain = (raw or "").strip().lower()
    return MONTHS.index(plain) + 1 if plain in MONTHS else None


def cell_index(cells: list[str], value: str | None, last: bool = True) -> int | None:
    found = [i for i, c in enumerate(cells) if value and c.strip() == value]
    return (found[-1] if last else found[0]) if found else None


def renamed(cells: list[str], name: str | None, suffix: str) -> list[str] | None:
    """The row with its name cell changed (a row repeated with a change): None if the name is not a cell."""
    at = cell_index(cells, name, last=False)
    if at is None:
        return None
    out = list(cells)
    out[at] = f"{cells[at].strip()} {suffix}"
    return out


def split_at_space(text: str) -> tuple[str, str] | None:
    words = text.split(" ")
    if len(words) < 6:
        return None
    half = len(words) // 2
    return " ".join(words[:half]), " ".join(words[half:])


# ---------------------------------------------------------------------------- one document

@dataclass
class Document:
    name: str
    sample: str
    family: str
    issuer: str
    year: int | None
    form: str
    counts: dict[str, int]
    edits: Counter
    text: str


def issuer_name(sample: Sample, number: int) -> str:
    place = PLACES[number % len(PLACES)]
    return f"{ISSUER_FORMS[sample.key]} {place} {number // len(PLACES) + 1}"   # a number: no name inside another


def vary(sample: Sample, number: int, rng: random.Random) -> Document:
    """The sample edited as another body's document of another year."""
    lines = sample.lines
    counts = dict(sample.counts)
    edits: Counter = Counter()
    year = sample.year or 2015
    replaced: dict[int, list[str]] = {}        # 0-based line -> the lines written instead
    after: dict[int, list[str]] = {}           # 0-based line -> lines written after it

    # Objective blocks: some dropped, some printed again under another title.
    touched: set[int] = set()
    for first, last, inside in sample.blocks:
        roll = rng.random()
        # never every block: a report with no objective left is not a report any reader recognises
        last_one_left = edits["objective_dropped"] == len(sample.blocks) - 1
        if roll < 0.12 and len(sample.blocks) > 1 and not last_one_left:
            for n in range(first, last + 1):
                replaced[n] = []
            touched.update(range(first, last + 1))
            for table, k in inside.items():
                counts[table] -= k
            edits["objective_dropped"] += 1
        elif roll < 0.30:
            copy = lines[first:last + 1]
            title = next(r["title"] for t, r in sample.by_line[first] if t == "objectives")
            copy[0] = copy[0].replace(title, f"{title} - seconda fase {number}", 1)
            after.setdefault(last, []).extend([""] + copy + [""])
            touched.update(range(first, last + 1))
            for table, k in inside.items():
                counts[table] += k
            edits["objective_repeated"] += 1

    # Rows: one record on a tab line, not the first line of an objective.
    for n, records in sorted(sample.by_line.items()):
        if n in touched or len(records) != 1 or "\t" not in lines[n]:
            continue
        if n + 1 < len(lines) and "\t" in lines[n + 1] and n + 1 not in sample.by_line and \
                lines[n].rstrip("\t").endswith("/"):
            continue                                       # a row the sample already splits over two lines
        table, record = records[0]
        if table not in ("milestones", "indicators", "budget_lines"):
            continue
        cells = lines[n].split("\t")
        roll = rng.random()
        if roll < 0.06:
            replaced[n] = []
            counts[table] -= 1
            edits[f"{table}_dropped"] += 1
            continue
        name = record.get("activity") if table == "milestones" else record.get("name") if table == "indicators" \
            else None
        if roll < 0.12 and name:
            copy = renamed(cells, name, f"(bis {number})")
            if copy is not None:
                after.setdefault(n, []).append("\t".join(copy))
                counts[table] += 1
                edits[f"{table}_repeated"] += 1
                continue
        if table == "milestones":
            cells = vary_months(cells, record, year, rng, edits)
            if roll > 0.85 and sample.family == "schede_obiettivo":
                split = split_milestone(cells, record)
                if split:
                    replaced[n] = split
                    edits["row_split"] += 1
                    continue
        elif table == "indicators":
            cells = vary_result(cells, record, rng, edits)
            if roll > 0.8 and sample.family == "tabella_obiettivi":
                split = split_result(cells, record)
                if split:
                    replaced[n] = split
                    edits["row_split"] += 1
                    continue
        elif table == "budget_lines":
            cells = vary_amount(cells, record, rng, edits)
        replaced[n] = ["\t".join(cells)]

    out: list[str] = []
    for n, line in enumerate(lines):
        out += replaced.get(n, [line])
        out += after.get(n, [])

    issuer = issuer_name(sample, number)
    if sample.issuer:
        out = [ln.replace(sample.issuer, issuer) for ln in out]
    else:
        out = [issuer, ""] + out                           # sample 004 names no issuer: this one does
    shift = rng.randint(-4, 4)
    if shift:
        out = [YEAR.sub(lambda m: str(int(m.group(0)) + shift), ln) for ln in out]
    text = "\n".join(out)
    return Document("", sample.name, sample.family, issuer, (sample.year + shift) if sample.year else None,
                    "txt", counts, edits, text)


def vary_months(cells: list[str], record: dict, year: int, rng: random.Random, edits: Counter) -> list[str]:
    out = list(cells)
    for field_name in ("planned_raw", "actual_raw"):
        month = single_month(record.get(field_name))
        at = cell_index(out, record.get(field_name), last=field_name == "actual_raw")
        if month and at is not None and rng.random() < 0.5:
            out[at] = month_spelling(rng, month, year)
            edits["month_spelling"] += 1
    return out


def vary_result(cells: list[str], record: dict, rng: random.Random, edits: Counter) -> list[str]:
    """A whole-number result replaced by another whole number around the target."""
    actual, expected = (record.get("actual_raw") or "").strip(), record.get("expected_value")
    at = cell_index(cells, actual)
    if at is None or not actual.isdigit() or rng.random() < 0.3:
        return cells
    base = int(expected) if isinstance(expected, (int, float)) and expected else int(actual) or 1
    out = list(cells)
    out[at] = str(rng.randint(0, 2 * base))
    edits["value_changed"] += 1
    return out


def vary_amount(cells: list[str], record: dict, rng: random.Random, edits: Counter) -> list[str]:
    """'€ 188.305,60' -> another amount written the same way."""
    raw = (record.get("amount_raw") or "").strip()
    at = cell_index(cells, raw)
    found = re.fullmatch(r"(€\s*)?(\d{1,3}(?:\.\d{3})+|\d+),(\d\d)", raw)
    if at is None or not found or rng.random() < 0.3:
        return cells
    whole = int(found.group(2).replace(".", ""))
    value = max(1, int(whole * rng.uniform(0.7, 1.3)))
    out = list(cells)
    out[at] = f"{found.group(1) or ''}{value:,}".replace(",", ".") + f",{rng.randint(0, 99):02d}"
    edits["amount_changed"] += 1
    return out


def split_milestone(cells: list[str], record: dict) -> list[str] | None:
    """'Activity<TAB>Giugno<TAB>Ottobre' as PDF extraction splits a range: 'First half<TAB>Maggio/<TAB>Ottobre'
    then 'second half<TAB>Giugno<TAB>' (the loader joins them: 'Maggio/ Giugno')."""
    activity, planned = record.get("activity"), record.get("planned_raw")
    a, p = cell_index(cells, activity, last=False), cell_index(cells, planned)
    month = single_month(planned)
    halves = split_at_space(activity or "")
    if a is None or p is None or p <= a or not month or month == 1 or not halves or \
            cell_index(cells, record.get("actual_raw")) in (None, a, p):
        return None
    first, second = list(cells), [""] * len(cells)
    first[a], first[p] = halves[0], f"{MONTHS[month - 2].capitalize()}/"
    second[a], second[p] = halves[1], cells[p]
    return ["\t".join(first), "\t".join(second)]


def split_result(cells: list[str], record: dict) -> list[str] | None:
    """A long result sentence going on in the next row, alone in its column."""
    actual = record.get("actual_raw")
    at = cell_index(cells, actual)
    halves = split_at_space(actual or "")
    if at is None or not halves or halves[1][:1].isupper():
        return None
    first, second = list(cells), [""] * len(cells)
    first[at], second[at] = halves[0], halves[1]
    return ["\t".join(first), "\t".join(second)]


# ---------------------------------------------------------------------------- the corpus

def text_to_docx(text: str, path: Path, issuer: str) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "files"))
    import make_office_files as office

    title = next((ln.strip("# ") for ln in text.splitlines() if ln.strip() and "\t" not in ln), "")
    office.write_docx(office.read_blocks(text), path, issuer, title, bordered=True)


def text_to_pdf(text: str) -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_samples import text_to_pdf as make

    return make(text)


def generate(docs: int, out: Path, seed: int = 12, docx_share: float = 0.05, pdf_share: float = 0.02) -> dict:
    """Write `docs` documents and manifest.json into out; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = samples()
    files = {}
    totals: Counter = Counter()
    for number in range(docs):
        sample = pool[number % len(pool)]
        document = vary(sample, number, random.Random(rng.getrandbits(64)))
        roll = rng.random()
        stem = f"{number:05d}_{sample.key}_{document.year or 'x'}"
        if roll < pdf_share:
            name = f"{stem}.pdf"
            (out / name).write_bytes(text_to_pdf(document.text))
        elif roll < pdf_share + docx_share:
            name = f"{stem}.docx"
            text_to_docx(document.text, out / name, document.issuer)
        else:
            name = f"{stem}.txt"
            (out / name).write_text(document.text, encoding="utf-8")
        files[name] = dict(sample=document.sample, family=document.family, issuer=document.issuer,
                           year=document.year, counts=document.counts, edits=dict(sorted(document.edits.items())))
        totals.update(document.counts)
        totals.update({f"files_{name.rsplit('.', 1)[1]}": 1})
    manifest = dict(seed=seed, docs=docs, totals=dict(sorted(totals.items())), files=files)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def check(folder: Path, manifest: dict) -> list[str]:
    """Load the corpus into a fresh database; one line per file whose counts differ from the manifest."""
    from loaders.service import load_paths

    with tempfile.TemporaryDirectory() as tmp:
        results = load_paths(Path(tmp) / "check.duckdb", [folder])
    wrong = []
    for result in results:
        expected = manifest["files"][result.path.name]["counts"]
        got = {t: result.counts.get(t, 0) for t in COUNTED}
        if result.status != "loaded" or got != expected:
            diff = {t: (expected[t], got[t]) for t in COUNTED if expected[t] != got[t]}
            wrong.append(f"{result.path.name}: {result.status} {diff or ''} {result.error or ''}".strip())
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--docx", type=float, default=0.05, help="share written as .docx (default 0.05)")
    parser.add_argument("--pdf", type=float, default=0.02, help="share written as PDF (default 0.02)")
    parser.add_argument("--check", action="store_true", help="load the corpus and compare with the manifest")
    args = parser.parse_args()
    manifest = generate(args.docs, args.out, args.seed, args.docx, args.pdf)
    print(f"{args.docs} documenti in {args.out}: " + ", ".join(f"{k} {v}" for k, v in manifest["totals"].items()))
    if args.check:
        wrong = check(args.out, manifest)
        print("\n".join(wrong) if wrong else "conteggi come nel manifest")
        sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()

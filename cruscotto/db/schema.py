"""The tables and their columns: a public contract (users query them with SQL), see docs/database.md.
Columns beyond the contract are marked "extra". `connection.connect` creates them in every file it opens
for writing; ALTER ... IF NOT EXISTS brings a file written by an older version up to date."""
from ..records import RECORD_TABLES

# a person's corrections of the tool's reading (issue 11): extra, see docs/database.md
OVERRIDES_COLUMNS = """
    override_id   INTEGER PRIMARY KEY,
    document_id   INTEGER,              -- the document it applies to (the last one, when orphaned)
    record_table  VARCHAR NOT NULL,     -- documents, objectives, indicators, milestones
    record_key    VARCHAR NOT NULL,     -- stable key: issuer, year/period, objective, name (cruscotto/corrections.py)
    field         VARCHAR NOT NULL,
    old_value     VARCHAR,
    new_value     VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    editor        VARCHAR NOT NULL,
    changed_at    TIMESTAMP NOT NULL,
    status        VARCHAR NOT NULL,     -- active, orphaned, withdrawn
    record_id     INTEGER,              -- the row it applies to now (row ids change at every load)
    record_label  VARCHAR,              -- what was corrected, as a person names it
    document_label VARCHAR,             -- the document, as a person names it, when it was corrected
    new_number    DOUBLE,               -- a corrected expected/actual value, read as a number
    judged_status VARCHAR,              -- the status the tool gives a corrected expected/actual value
    judged_reason VARCHAR,
    judged_attainment DOUBLE,
    new_record_id INTEGER               -- a pairing: the objective the indicator belongs to now
"""
OVERRIDES_TABLE = (f"CREATE TABLE IF NOT EXISTS overrides ({OVERRIDES_COLUMNS});\n"
                   "ALTER TABLE overrides ADD COLUMN IF NOT EXISTS new_record_id INTEGER;\n")

# one canonical name for the ways documents print an area (issue 11): extra, see docs/database.md
AREA_ALIASES_COLUMNS = """
    printed_area   VARCHAR PRIMARY KEY,  -- the area as printed (or as a person corrected it), exactly
    canonical_area VARCHAR NOT NULL,     -- the name charts, filters and comparisons use
    editor         VARCHAR NOT NULL,
    changed_at     TIMESTAMP NOT NULL
"""
AREA_ALIASES_TABLE = f"CREATE TABLE IF NOT EXISTS area_aliases ({AREA_ALIASES_COLUMNS});\n"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    document_id   INTEGER PRIMARY KEY,
    source_name   VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    original      BLOB NOT NULL,
    issuer        VARCHAR,
    report_year   INTEGER,
    period_start  INTEGER,
    period_end    INTEGER,
    kind          VARCHAR NOT NULL,
    family        VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    title         VARCHAR,              -- extra: the title line as printed
    line_count    INTEGER               -- extra
);
ALTER TABLE documents ADD COLUMN IF NOT EXISTS input_format VARCHAR;    -- extra: text, pdf, xlsx
ALTER TABLE documents ADD COLUMN IF NOT EXISTS text VARCHAR;            -- extra: text read from a PDF/workbook
ALTER TABLE documents ADD COLUMN IF NOT EXISTS line_pages INTEGER[];    -- extra: PDF page of each text line
ALTER TABLE documents ADD COLUMN IF NOT EXISTS issuer_given BOOLEAN;    -- extra: issuer typed in by a person
ALTER TABLE documents ADD COLUMN IF NOT EXISTS encoding VARCHAR;        -- extra: utf-8, utf-8-sig, cp1252
ALTER TABLE documents ADD COLUMN IF NOT EXISTS content_sha VARCHAR;     -- extra: issuer, period and kind, hashed
ALTER TABLE documents ADD COLUMN IF NOT EXISTS content_words VARCHAR;   -- extra: words of its objective titles
ALTER TABLE documents ADD COLUMN IF NOT EXISTS furniture_lines INTEGER[]; -- extra: lines that are page furniture
ALTER TABLE documents ADD COLUMN IF NOT EXISTS deviation_legend BOOLEAN; -- extra: prints how to read Scostamento
CREATE TABLE IF NOT EXISTS objectives (
    objective_id  INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL,
    area          VARCHAR,
    number        VARCHAR,
    title         VARCHAR,
    description   VARCHAR,
    duplicate_of  INTEGER,
    source_line   INTEGER NOT NULL,
    responsibility_centre VARCHAR,      -- extra: centro di responsabilità
    peg_project   VARCHAR,              -- extra: progetto PEG / servizio
    position      INTEGER               -- extra: order in the document
);
CREATE TABLE IF NOT EXISTS milestones (
    milestone_id  INTEGER PRIMARY KEY,
    objective_id  INTEGER NOT NULL,
    activity      VARCHAR,
    planned_raw   VARCHAR,
    actual_raw    VARCHAR,
    planned_month DATE,
    actual_month  DATE,
    status        VARCHAR NOT NULL,
    slippage_months INTEGER,
    source_line   INTEGER NOT NULL,
    status_reason VARCHAR               -- extra: why this status, in Italian
);
ALTER TABLE objectives ADD COLUMN IF NOT EXISTS weight_raw VARCHAR;     -- extra: the objective's Peso, as printed
ALTER TABLE milestones ADD COLUMN IF NOT EXISTS start_raw VARCHAR;      -- extra: a phases table's Inizio
ALTER TABLE milestones ADD COLUMN IF NOT EXISTS weight_raw VARCHAR;     -- extra: Peso, as printed
CREATE TABLE IF NOT EXISTS indicators (
    indicator_id  INTEGER PRIMARY KEY,
    objective_id  INTEGER NOT NULL,
    name          VARCHAR,
    description   VARCHAR,
    unit          VARCHAR,
    baseline_raw  VARCHAR,
    expected_raw  VARCHAR,
    actual_raw    VARCHAR,
    reported_deviation_raw VARCHAR,
    expected_value DOUBLE,
    actual_value  DOUBLE,
    status        VARCHAR NOT NULL,
    attainment    DOUBLE,
    status_reason VARCHAR NOT NULL,
    source_line   INTEGER NOT NULL,
    computed_deviation DOUBLE,          -- extra: actual - expected where both are numbers
    measurement_source VARCHAR          -- extra: strumento di rilevazione
);
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS weight_raw VARCHAR;     -- extra: Peso, as printed
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS attainment_raw VARCHAR; -- extra: the printed % raggiungimento
CREATE TABLE IF NOT EXISTS budget_lines (
    budget_line_id INTEGER PRIMARY KEY, -- extra
    document_id   INTEGER NOT NULL,
    table_name    VARCHAR NOT NULL,
    group_name    VARCHAR,
    line          VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    amount_eur    DECIMAL(18, 2),
    amount_raw    VARCHAR,
    source_line   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reported_totals (
    total_id      INTEGER PRIMARY KEY,  -- extra
    document_id   INTEGER NOT NULL,
    table_name    VARCHAR NOT NULL,
    label         VARCHAR NOT NULL,
    year          INTEGER,
    value         DOUBLE,
    as_printed    VARCHAR NOT NULL,
    source_line   INTEGER NOT NULL,
    unit          VARCHAR               -- extra: 'EUR' or '%'
);
CREATE TABLE IF NOT EXISTS scores (
    score_id      INTEGER PRIMARY KEY,  -- extra
    document_id   INTEGER NOT NULL,
    area          VARCHAR NOT NULL,
    score         DOUBLE,               -- '8,5 punti su 10' has a decimal score
    max_score     DOUBLE,
    as_printed    VARCHAR NOT NULL,
    source_line   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (      -- extra: who changed what, when (the audit trail)
    change_id     INTEGER PRIMARY KEY,
    changed_at    TIMESTAMP NOT NULL,
    editor        VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,     -- caricato, sostituito, eliminato, ripristinato, accesso non riuscito, accesso bloccato,
                                        -- tabella mappata, modello di tabella eliminato, area unificata, area separata
    document_id   INTEGER,
    source_name   VARCHAR,
    detail        VARCHAR
);
ALTER TABLE changes ADD COLUMN IF NOT EXISTS restored BOOLEAN DEFAULT false;  -- extra: imported from a backup
""" + OVERRIDES_TABLE + AREA_ALIASES_TABLE + """CREATE TABLE IF NOT EXISTS layouts (      -- extra: column roles an editor gave a table the tool did not recognise
    layout_id     INTEGER PRIMARY KEY,
    header_key    VARCHAR NOT NULL,     -- the header's normalised words, '|' between columns
    header_text   VARCHAR NOT NULL,     -- the header as printed, TAB between cells
    roles         VARCHAR NOT NULL,     -- JSON list, one role per column (null: column left out)
    editor        VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    document_id   INTEGER,              -- the document it was made on (it may be deleted since)
    source_name   VARCHAR
);
CREATE TABLE IF NOT EXISTS quality_issues (
    issue_id      INTEGER PRIMARY KEY,  -- extra
    document_id   INTEGER NOT NULL,
    source_line   INTEGER,
    raw_text      VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    category      VARCHAR NOT NULL      -- extra: unreadable, damaged_row, unparsed_table, unjudged, note
);
"""

TABLES = RECORD_TABLES        # table -> its id column, in the order a document's rows are written

"""Backups: every table to Parquet and back, and the checks a backup must pass before it replaces the database."""
from __future__ import annotations

from pathlib import Path

from ..corrections import FIRST_YEAR, LAST_YEAR
from .audit import clean_name
from .connection import first_row
from .schema import TABLES


def export_parquet(con, folder: Path) -> None:
    """Every table as folder/<table>.parquet (plus DuckDB's own schema.sql and load.sql)."""
    con.execute("EXPORT DATABASE '" + str(folder).replace("'", "''") + "' (FORMAT parquet)")


def import_parquet(con, folder: Path) -> None:
    """Fill an empty database with our tables' Parquet files. Only the files named after our tables are read,
    by column name: nothing written in the backup is ever executed as SQL.

    Every imported line of the audit trail is marked `restored` (whatever the backup says): nobody here
    saw those changes happen. Control and bidi characters are taken out of their editors' names."""
    for table in ("documents", "changes", "layouts", *TABLES, "overrides", "area_aliases"):
        file = folder / f"{table}.parquet"
        if file.exists():
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(file)])
    con.execute("UPDATE changes SET restored = true")
    for (editor,) in con.execute("SELECT DISTINCT editor FROM changes").fetchall():
        if clean_name(editor) != editor:
            con.execute("UPDATE changes SET editor = ? WHERE editor = ?", [clean_name(editor), editor])


# What a restored database must hold, as an upload would: checks by name, each counting the rows that break it.
MAX_PERIOD_YEARS = 10


def _restore_checks() -> dict[str, str]:
    from ..evaluation import MILESTONE_LABELS, STATUS_LABELS

    def listed(values) -> str:
        return ", ".join("'" + v + "'" for v in values)

    def out_of_range(column: str) -> str:
        return f"({column} IS NOT NULL AND {column} NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR})"

    orphans = " + ".join(f"(SELECT count(*) FROM {t} WHERE document_id NOT IN (SELECT document_id FROM documents))"
                         for t in ("objectives", "budget_lines", "reported_totals", "scores", "quality_issues"))
    orphans += " + " + " + ".join(f"(SELECT count(*) FROM {t} WHERE objective_id NOT IN "
                                  "(SELECT objective_id FROM objectives))" for t in ("milestones", "indicators"))
    return {
        "years": f"SELECT count(*) FROM documents WHERE {out_of_range('report_year')} OR "
                 f"{out_of_range('period_start')} OR {out_of_range('period_end')} OR period_end < period_start "
                 f"OR period_end - period_start > {MAX_PERIOD_YEARS}",
        "row_years": f"SELECT (SELECT count(*) FROM budget_lines WHERE {out_of_range('year')}) + "
                     f"(SELECT count(*) FROM reported_totals WHERE {out_of_range('year')}) + "
                     f"(SELECT count(*) FROM milestones WHERE {out_of_range('year(planned_month)')} "
                     f"OR {out_of_range('year(actual_month)')})",
        "statuses": f"SELECT (SELECT count(*) FROM indicators WHERE status NOT IN ({listed(STATUS_LABELS)})) + "
                    f"(SELECT count(*) FROM milestones WHERE status NOT IN ({listed(MILESTONE_LABELS)}))",
        "orphans": f"SELECT {orphans}",
        "change_dates": "SELECT count(*) FROM changes WHERE changed_at > current_timestamp::TIMESTAMP + INTERVAL 1 DAY "
                        "OR changed_at < TIMESTAMP '2000-01-01'",
        "lines": "SELECT " + " + ".join(f"(SELECT count(*) FROM {t} WHERE source_line < 1)"
                                        for t in ("objectives", "milestones", "indicators", "budget_lines",
                                                  "reported_totals", "scores", "quality_issues")),
    }


def restore_problems(con) -> dict[str, int]:
    """{check: rows breaking it} for the checks a restored database fails (empty when it holds only what an
    upload could have written)."""
    found = {name: first_row(con, sql)[0] for name, sql in _restore_checks().items()}
    return {name: count for name, count in found.items() if count}


def table_counts(con) -> dict[str, int]:
    return {t: first_row(con, f"SELECT count(*) FROM {t}")[0] for t in ["documents", *TABLES]}

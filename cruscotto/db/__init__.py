"""The database layer: all SQL of the project lives in this package.

    schema      the tables and columns (a public contract, docs/database.md)
    connection  opening the file and taking turns on it (threads, loads, restores, readers elsewhere)
    records     appending and removing a document's rows
    writes      writing whole documents (DocumentWriter), deleting them
    audit       the audit trail
    views       the corrected reading every page query goes through
    queries     what the pages show
    summaries   the pages' counts and keys stored in the file, a cache checked against what it was made from
    consortium  one consortium at a glance: its years, its peers, its commitments
    overrides   corrections; areas: common area names; layouts: column mapping
    archive     backups to Parquet and their checks

Callers use `from cruscotto import db` and the names below.
"""
from .archive import MAX_PERIOD_YEARS, export_parquet, import_parquet, restore_problems, table_counts
from .areas import MAX_AREA, InvalidAlias, area_names, remove_area_alias, save_area_aliases
from .audit import MAX_NAME, changes, clean_name, record_change
from .consortium import (area_comparison, commitments, indicator_history, issuer_years, link_corrections,
                         objective_blocks, objective_history, objective_weights, plan_budget, plan_deadline_checks,
                         plan_steps, plans,
                         previous_choices, report_steps, sources, status_counts, year_on_year)
from .connection import (DEFAULT_DB, LOAD_WAIT, RESTORE_WAIT, TURN_WAIT, WRITE_WAIT, DatabaseBusy, DiskFull,
                         LoadInProgress, connect, connect_for_load, db_path, exclusive, file_state, first_row,
                         end_read_session, is_disk_full, lock_path, read_session, reader_waiting, reading, roll_back,
                         run_lock, turn_path, upgrade, writing)
from .layouts import (MAPPED_FAMILY, delete_layout, document_facts, layouts, save_mapped_table, stored_layouts,
                      unread_lines)
from .overrides import (correction_target, judgements, objective_choices, orphan_overrides, overrides,
                        reattach_overrides, save_correction, stored_value, withdraw_correction)
from .queries import (area_objectives, attainment, budget_shares, document_text, document_totals, documents,
                      documents_with, filter_options, furniture_lines, indicator_areas, indicator_counts, indicators,
                      milestone_counts, milestones, objectives, original, quality_by_issuer, quality_issues,
                      refresh_summaries, scores, slippage_by_area, step_documents, template_rows, totals_check,
                      unnamed_documents)
from .queries import document_choices
from .records import DocumentColumns, rows_to_columns
from .schema import SCHEMA, TABLES
from .views import UNNAMED_ISSUER, Filters
from .writes import DocumentIndex, DocumentWriter, delete_document, document_index, missing_documents
from ..corrections import FIRST_YEAR, LAST_YEAR

"""Issue 12, cold pages: the page queries made cheaper give the same rows, types and numbers as before."""
import pandas as pd
import pytest

from conftest import DATA, SAMPLES
from cruscotto import db
from cruscotto.db import consortium, queries, views
from loaders.service import load_paths

CALUSO = "Consorzio Intercomunale Servizi Socio-Assistenziali Caluso"


def issuer_and_year(con):
    years = db.issuer_years(con)
    reported = years[years["reports"] > 0].iloc[0]
    return str(reported["issuer"]), int(reported["year"])


def consortium_calls(con):
    issuer, year = issuer_and_year(con)
    plan = int(db.plans(con).iloc[0]["document_id"])
    indicator = int(db.indicator_history(con, issuer).iloc[0]["indicator_id"])
    return {
        "issuer_years": lambda: consortium.issuer_years(con),
        "status_counts": lambda: consortium.status_counts(con),
        "status_counts_area": lambda: consortium.status_counts(con, ("area",), issuer=issuer, year=year),
        "status_counts_peers": lambda: consortium.status_counts(con, ("year",), peers_of=issuer, year=year),
        "status_counts_ranked": lambda: consortium.status_counts(con, ("issuer",), year=year),
        "commitments": lambda: consortium.commitments(con, issuer, year),
        "objective_blocks": lambda: consortium.objective_blocks(con, issuer, year),
        "sources": lambda: consortium.sources(con, issuer, year),
        "objective_history": lambda: consortium.objective_history(con, issuer),
        "indicator_history": lambda: consortium.indicator_history(con, issuer),
        "plan_steps": lambda: consortium.plan_steps(con, "Consorzio Socio Assistenziale Cremasco"),
        "report_steps": lambda: consortium.report_steps(con, issuer),
        "objective_weights": lambda: consortium.objective_weights(con, issuer, year),
        "previous_choices": lambda: consortium.previous_choices(con, indicator),
        "link_corrections": lambda: consortium.link_corrections(con, issuer),
        "plans": lambda: consortium.plans(con),
        "plan_budget": lambda: consortium.plan_budget(con, plan),
        "area_comparison": lambda: consortium.area_comparison(con, issuer, year),
    }


def same(found, expected, name):
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(found, expected, obj=name)
    else:
        assert found == expected, name


def test_consortium_queries_read_the_plain_tables_as_the_full_views_when_nothing_is_corrected(con, monkeypatch):
    """With no correction and no common area name, views_for gives the plain tables: every consortium query
    returns the same frame (columns, types, rows) as through the full corrected views."""
    calls = consortium_calls(con)
    assert views.views_for(con).indicators != views.INDICATORS           # the cheap reading is in use
    cheap = {name: call() for name, call in calls.items()}
    assert len(cheap["commitments"]) and len(cheap["status_counts"]) and len(cheap["indicator_history"])
    monkeypatch.setattr(consortium, "views_for", lambda con: views.FULL)
    for name, call in calls.items():
        same(cheap[name], call(), name)



def counted_with_the_page(con, select, params, order, search, columns, limit, offset, kept=False,
                          having=("TRUE", []), narrow=None):
    """queries._listing as it was: the page and count(*) OVER () in one query, of the whole rows."""
    condition, words = queries._words(search, columns)
    condition, words = f"({having[0]}) AND {condition}", list(having[1]) + words
    if limit is None:
        return con.execute(f"SELECT * FROM ({select}) WHERE {condition} ORDER BY {order}", params + words).df()
    sql = f"SELECT *, count(*) OVER () AS total_rows FROM ({select}) WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?"
    return con.execute(sql, params + words + [int(limit), int(offset)]).df()


LISTINGS = {
    "indicators": lambda con, **o: db.indicators(con, **o),
    "numeric": lambda con, **o: db.indicators(con, numeric=True, reports_only=True, **o),
    "textual": lambda con, **o: db.indicators(con, numeric=False, reports_only=True, **o),
    "ratio_high": lambda con, **o: db.indicators(con, numeric=True, reports_only=True, order="ratio_high", **o),
    "milestones": lambda con, **o: db.milestones(con, **o),
    "late": lambda con, **o: db.milestones(con, statuses=("done_late",), order="slippage", **o),
    "documents": lambda con, **o: db.documents(con, **o),
    "attainment": lambda con, **o: db.attainment(con, db.Filters(), "area", **o),
    "quality": lambda con, **o: db.quality_by_issuer(con, categories=("unreadable", "unjudged", "note"), **o),
    "issues": lambda con, **o: db.quality_issues(con, categories=("unreadable", "unjudged", "note", "damaged_row"), **o),
}


@pytest.mark.parametrize("name", LISTINGS)
@pytest.mark.parametrize("search", ["", "2019", "nessuna parola così"])
def test_a_page_of_a_list_is_the_same_as_when_counted_with_the_page(con, monkeypatch, name, search):
    listing = LISTINGS[name]
    whole = listing(con, search=search)
    for limit, offset in ((3, 0), (3, 3), (100, 0), (5, max(len(whole) - 2, 0)), (len(whole), 0), (4, len(whole) + 4)):
        page = listing(con, search=search, limit=limit, offset=offset)
        with monkeypatch.context() as before:
            before.setattr(queries, "_listing", counted_with_the_page)
            expected = listing(con, search=search, limit=limit, offset=offset)
        pd.testing.assert_frame_equal(page, expected, obj=f"{name} {limit} {offset}")
        assert (page["total_rows"] == len(whole)).all()


@pytest.mark.parametrize("options", [{}, {"limit": 100}, {"numeric": False, "reports_only": True, "limit": 7}])
def test_indicators_without_corrections_are_the_same_as_through_the_full_views(con, monkeypatch, options):
    """The column of the objective a person moved an indicator from is NULL at once when nothing is corrected
    (no subquery joined to every row), the same as the full views give."""
    cheap = db.indicators(con, **options)
    assert cheap["original_objective"].isna().all() and len(cheap)
    monkeypatch.setattr(queries, "views_for", lambda con: views.FULL)
    pd.testing.assert_frame_equal(cheap, db.indicators(con, **options))


def test_a_query_loaded_with_then_and_drawn_in_a_chart_runs_once(sample_db, monkeypatch):
    import plotly.graph_objects as go
    import streamlit as st

    from cruscotto import ui

    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    calls = []
    counts = db.status_counts

    def status_counts(con, *args, **kwargs):
        calls.append(args)
        return counts(con, *args, **kwargs)

    monkeypatch.setattr(db, "status_counts", status_counts)
    st.cache_data.clear()
    st.cache_resource.clear()
    plain = ui.load(db.status_counts, ("year",))
    assert ui.load(db.status_counts, ("year",), then=len) == len(plain)
    assert ui.load(db.status_counts, ("year",), then=lambda f: f["year"].tolist()) == plain["year"].tolist()
    ui.query_chart(lambda rows, title: go.Figure(), ("t",), db.status_counts, ("year",), key="one")
    assert calls == [(("year",),)]
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("filters", [db.Filters(), db.Filters(years=(2020,)), db.Filters(areas=("Area Minori",)),
                                     db.Filters(kinds=("relazione_performance",))])
def test_unnamed_documents_are_those_the_document_list_marks(con, filters):
    listed = db.documents(con, filters)
    missing = sorted(listed[listed["issuer_missing"]]["source_name"])
    assert db.unnamed_documents(con, filters) == (len(missing), missing[:20])
    if filters == db.Filters():
        assert missing == ["004_ec449bf6d7f73167.txt"]               # the sample that names no issuer


KEPT_CALLS = [
    ("attainment", dict(by="document", limit=15, order="rate_high", judged_only=True)),
    ("attainment", dict(by="document", limit=15, order="rate_low", judged_only=True)),
    ("attainment", dict(by="document", limit=30, order="name")),
    ("attainment", dict(by="area", limit=15, order="rate_high", judged_only=True)),
    ("attainment", dict(by="area", limit=3, order="rate_low", judged_only=True)),
    ("attainment", dict(by="area", limit=100, offset=0)),
    ("attainment", dict(by="area", limit=4, offset=4, search="minori")),
    ("attainment", dict(by="area")),
    ("documents", dict(limit=100)),
    ("documents", dict(limit=2, offset=2, order="issues")),
    ("documents", dict(limit=10, family="non_riconosciuto")),
    ("documents", dict(limit=10, family="schede_obiettivo", search="2019")),
    ("document_totals", dict()),
    ("indicators", dict(numeric=True, reports_only=True, limit=15, order="ratio_high")),
    ("indicators", dict(numeric=True, reports_only=True, limit=15, order="ratio_low")),
    ("indicators", dict(numeric=True, reports_only=True, limit=5, offset=5)),
    ("indicators", dict(numeric=True, reports_only=True, limit=100, search="2019")),
]


def without_summaries(path):
    """The file as an older version or a person's own SQL leaves it: its stored summaries no longer current."""
    import duckdb

    connection = duckdb.connect(str(path))
    connection.execute("DROP TABLE IF EXISTS summary_state")
    connection.close()
    queries.forget_kept_for_state()


@pytest.mark.parametrize("stored", [True, False])
def test_rows_kept_for_a_read_session_list_the_same_as_a_query_each_time(database, stored):
    """Raggiungimento's counts per document and per area, and every document's counts (the Panoramica's list and
    totals) are computed once per page run and listed from there in every order and page: the same frames as a
    query each time (a page of indicators is found among their keys: stored in the file by the load, or kept for
    the state of the file when the stored ones are not current)."""
    sample_db = database
    if not stored:
        without_summaries(sample_db)

    def run_all():
        with db.reading(sample_db) as con:
            return [getattr(db, name)(con, db.Filters(), **options) for name, options in KEPT_CALLS]

    each_time = run_all()
    with db.read_session(sample_db) as session:
        kept = run_all()
        # by area, for a search and the whole list: a page of counts without a search is found among the counts
        # kept for the state of the file, by the documents' places in name order; a page of documents counts its
        # own rows
        assert sorted(session.memo["kept"].values()) == ["kept_rows_0"]
        # the headline totals count every row at once, unless the counts per document and area are stored: only
        # attainment reads counts kept per document and area
        read_from = session.memo["kept_for_state"]
        assert set(read_from) == {"document_area_indicator_tallies", "document_name_ranks", "indicator_keys",
                                  *(["document_area_tallies"] if stored else [])}
        assert all(table == ("summary_" if stored else "") + name for name, table in read_from.items())
    for (name, options), found, expected in zip(KEPT_CALLS, kept, each_time):
        same(found, expected, f"{name} {options}")
    assert len(each_time[0]) and len(each_time[3]) and len(each_time[8]) and len(each_time[13])
    assert each_time[12]["documents"] == 5


@pytest.mark.parametrize("by", ["area", "document"])
def test_attainment_judged_only_is_every_row_with_a_judged_indicator(con, by):
    every = db.attainment(con, by=by, order="rate_high")
    judged = db.attainment(con, by=by, order="rate_high", judged_only=True)
    assert 0 < len(judged) < len(every) or (every["judged"] > 0).all()
    pd.testing.assert_frame_equal(judged, every[every["judged"] > 0].reset_index(drop=True))
    page = db.attainment(con, by=by, order="rate_low", judged_only=True, limit=3, offset=1)
    assert (page["total_rows"] == len(judged)).all()
    pd.testing.assert_frame_equal(page.drop(columns="total_rows"),
                                  db.attainment(con, by=by, order="rate_low", judged_only=True).iloc[1:4]
                                  .reset_index(drop=True))


def test_one_years_counts_kept_for_a_page_run_sum_as_a_query_each(sample_db):
    """«Il nostro consorzio» asks for one year's counts several ways; inside a read session they are summed from
    the year's counts per issuer and area, made once: the same frames as a query each."""
    with db.reading(sample_db) as con:
        issuer, year = issuer_and_year(con)
        areas = db.status_counts(con, ("area",), issuer=issuer, year=year)["area"].tolist()
    calls = [dict(by=("year",), peers_of=issuer, year=year), dict(by=("area",), issuer=issuer, year=year),
             dict(by=("area",), peers_of=issuer, year=year), dict(by=("issuer",), year=year),
             dict(by=("issuer",), year=year, area=areas[0]), dict(by=("year", "area"), year=year),
             dict(by=("issuer", "year"), year=year, peers_of="nessuno")]

    def run_all():
        with db.reading(sample_db) as con:
            return [db.status_counts(con, c["by"], **{k: v for k, v in c.items() if k != "by"}) for c in calls] + \
                [db.area_comparison(con, issuer, year)]

    each = run_all()
    with db.read_session(sample_db) as session:
        kept = run_all()
        assert len(session.memo["kept"]) == 1
    for call, found, expected in zip(calls + ["area_comparison"], kept, each):
        pd.testing.assert_frame_equal(found, expected, obj=str(call))
    assert all(len(frame) for frame in each)


def test_a_page_found_by_its_keys_shows_corrected_rows_as_the_whole_rows_do(database, monkeypatch):
    """Indicators and steps are paged among narrow rows, then read whole by their keys: with a status corrected,
    an indicator moved to another objective of its document and a step's month corrected (the full corrected
    views), every page is the one the whole rows give, in order and count."""
    with db.reading(database) as con:
        every = db.indicators(con)
        iris = every[every.source_name == SAMPLES["iris"]]
        gara = iris[iris.name == "Capitolato di gara"].iloc[0]
        elsewhere = int(iris[iris.objective_id != gara.objective_id].iloc[0].objective_id)
        late = db.milestones(con, statuses=("done_late",)).iloc[0]
    with db.writing(database) as con:
        db.save_correction(con, "indicators", int(gara.indicator_id), "status", "not_met", "letto male", "Maria Rossi")
        db.save_correction(con, "indicators", int(gara.indicator_id), "objective", elsewhere, "altro obiettivo",
                           "Maria Rossi")
        db.save_correction(con, "milestones", int(late.milestone_id), "actual_month", "2019-01", "letto male",
                           "Maria Rossi")
    with db.reading(database) as con:
        assert views.views_for(con).indicators == views.INDICATORS
        moved = db.indicators(con, statuses=("not_met",), limit=500)
        moved = moved[moved.indicator_id == gara.indicator_id].iloc[0]
        assert (moved.objective_id, moved.status, moved.corrected) == (elsewhere, "not_met", True)
        for name in ("indicators", "numeric", "textual", "ratio_high", "milestones", "late"):
            whole = LISTINGS[name](con)
            for limit, offset in ((3, 0), (7, 5), (100, 0)):
                page = LISTINGS[name](con, limit=limit, offset=offset)
                with monkeypatch.context() as before:
                    before.setattr(queries, "_listing", counted_with_the_page)
                    expected = LISTINGS[name](con, limit=limit, offset=offset)
                pd.testing.assert_frame_equal(page, expected, obj=f"{name} {limit} {offset}")
                assert (page["total_rows"] == len(whole)).all()
        corrected_step = db.milestones(con, limit=500)
        step = corrected_step[corrected_step.milestone_id == late.milestone_id].iloc[0]
        assert str(step.actual_month)[:7] == "2019-01" and step.step_corrected


def attainment_record_by_record(con, filters, by, document_id=None):
    """db.attainment as a plain count over every indicator row joined to its objective and document (the
    query before the counts were made per document id first)."""
    v = views.views_for(con)
    where, params = queries._where(filters, document_id=document_id)
    group = "coalesce(o.area, '(area non indicata)') AS area," if by == "area" else ""
    return con.execute(f"""
        SELECT d.document_id, d.source_name, {views.ISSUER} AS issuer, {views.YEAR} AS year, {group}
               count(*) FILTER (WHERE i.status = 'met') AS met, count(*) FILTER (WHERE i.status = 'exceeded') AS exceeded,
               count(*) FILTER (WHERE i.status = 'partly') AS partly, count(*) FILTER (WHERE i.status = 'not_met') AS not_met,
               count(*) FILTER (WHERE i.status = 'not_reported') AS not_reported,
               count(*) FILTER (WHERE i.status = 'unknown') AS unknown,
               count(*) FILTER (WHERE i.status IN ('met', 'exceeded', 'partly', 'not_met')) AS judged
        FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
        WHERE o.duplicate_of IS NULL AND d.kind <> 'piano_di_zona' AND {where} GROUP BY ALL
        ORDER BY {queries.ATTAINMENT_ORDERS['name']}{', area' if by == 'area' else ''}""", params).df()


def status_counts_record_by_record(con, by, issuer=None, year=None, peers_of=None, area=None):
    """consortium.status_counts as a plain sum over every indicator and step row of the reports."""
    v = views.views_for(con)
    conditions, params = [consortium.REPORTS], []
    for test, value in ((f"{views.ISSUER} = ?", issuer), (f"{views.ISSUER} <> ?", peers_of),
                        ("d.report_year = ?", year), (f"{consortium.GROUPS['area']} = ?", area)):
        if value is not None:
            conditions.append(test)
            params.append(value)
    columns = ", ".join(f"{consortium.GROUPS[g]} AS {g}" for g in by)
    where = " AND ".join(conditions)
    frame = con.execute(f"""
        SELECT {', '.join(by)}, count(DISTINCT who) AS issuers,
               sum(reached)::INT AS reached, sum(partly)::INT AS partly, sum(not_met)::INT AS not_met,
               sum(reached + partly + not_met)::INT AS judged, sum(unassessed)::INT AS unassessed,
               sum(on_time)::INT AS on_time, sum(late)::INT AS late, sum(not_done)::INT AS not_done,
               sum(on_time + late)::INT AS dated
        FROM (SELECT {columns}, {views.ISSUER} AS who, (i.status IN ('met', 'exceeded'))::INT AS reached,
                     (i.status = 'partly')::INT AS partly, (i.status = 'not_met')::INT AS not_met,
                     (i.status IN ('not_reported', 'unknown'))::INT AS unassessed, 0 AS on_time, 0 AS late,
                     0 AS not_done
              FROM {v.indicators} i JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
              WHERE {where}
              UNION ALL
              SELECT {columns}, {views.ISSUER}, 0, 0, 0, 0, (m.status IN ('done_on_time', 'done_early'))::INT,
                     (m.status = 'done_late')::INT, (m.status = 'not_done')::INT
              FROM {v.milestones} m JOIN {v.objectives} o USING (objective_id) JOIN {v.docs} d USING (document_id)
              WHERE {where})
        GROUP BY ALL ORDER BY {', '.join(by)}""", params * 2).df()
    return frame.rename(columns={"issuers": "peers"}) if peers_of is not None else frame.drop(columns="issuers")


def counts_match_record_by_record(con):
    """Every way the pages ask for attainment and status counts gives what a count of every row gives."""
    issuer, year = issuer_and_year(con)
    area = db.status_counts(con, ("area",), issuer=issuer, year=year)["area"].iloc[0]
    document = int(db.documents(con).iloc[0]["document_id"])
    for filters in (db.Filters(), db.Filters(years=(2020,)), db.Filters(areas=("Area Minori", area)),
                    db.Filters(issuers=(issuer,)), db.Filters(kinds=("relazione_performance",))):
        for by in ("area", "document"):
            pd.testing.assert_frame_equal(db.attainment(con, filters, by), attainment_record_by_record(con, filters, by),
                                          obj=f"{filters} {by}")
    for by in ("area", "document"):
        pd.testing.assert_frame_equal(db.attainment(con, by=by, document_id=document),
                                      attainment_record_by_record(con, db.Filters(), by, document), obj=by)
    calls = [dict(by=("issuer", "year")), dict(by=("year",), issuer=issuer), dict(by=("area",), issuer=issuer, year=year),
             dict(by=("year",), peers_of=issuer, year=year), dict(by=("issuer",), year=year),
             dict(by=("issuer",), year=year, area=area), dict(by=("year", "area"), issuer=issuer),
             dict(by=("area",), peers_of=issuer, year=year)]
    found = 0
    for call in calls:
        counted = db.status_counts(con, call["by"], **{k: v for k, v in call.items() if k != "by"})
        pd.testing.assert_frame_equal(counted, status_counts_record_by_record(con, **call), obj=str(call))
        found += len(counted) > 0
    assert found >= len(calls) - 2                       # a year with no peers, after a year's correction
    return issuer, year


def test_counts_made_per_document_first_are_the_counts_of_every_row(con, sample_db):
    issuer, year = counts_match_record_by_record(con)
    assert (issuer, year) == ("CONS. SOC. ASSIST. ALBA-LANGHE-ROERO", 2019)
    ours = db.status_counts(con, ("year",), issuer=issuer)          # sample 001: 3 indicators met, 4 exceeded
    assert ours[["year", "reached", "judged", "dated"]].values.tolist() == [[2019, 7, 7, 0]]
    with db.read_session(sample_db), db.reading(sample_db) as session_con:       # the kept year's counts too
        counts_match_record_by_record(session_con)


def test_counts_made_per_document_first_are_the_counts_of_every_row_with_corrections(database):
    with db.reading(database) as con:
        indicator = db.indicators(con, statuses=("met",)).iloc[0]
        objective = db.objectives(con, int(indicator.document_id)).iloc[0]
    with db.writing(database) as con:
        db.save_correction(con, "indicators", int(indicator.indicator_id), "status", "not_met", "letto male", "Maria Rossi")
        db.save_correction(con, "objectives", int(objective.objective_id), "area", "Area Minori", "letto male", "Maria Rossi")
        db.save_correction(con, "documents", int(indicator.document_id), "report_year", "2020", "letto male", "Maria Rossi")
    with db.reading(database) as con:
        reading = views.views_for(con)
        assert (reading.docs, reading.objectives, reading.indicators) == (views.DOCS, views.OBJECTIVES, views.INDICATORS)
        counts_match_record_by_record(con)


def judgements_record_by_record(con):
    """db.judgements as one count of every indicator and step, through the full views."""
    return con.execute(f"""
        SELECT d.document_id, {views.ISSUER} AS issuer, {views.YEAR} AS year, d.source_name,
               count(*) FILTER (WHERE what = 'indicator' AND NOT by_person) AS indicators_tool,
               count(*) FILTER (WHERE what = 'indicator' AND by_person) AS indicators_person,
               count(*) FILTER (WHERE what = 'step' AND NOT by_person) AS steps_tool,
               count(*) FILTER (WHERE what = 'step' AND by_person) AS steps_person
        FROM (SELECT o.document_id, 'indicator' AS what, i.status_by_person AS by_person
              FROM {views.INDICATORS} i JOIN objectives o USING (objective_id) WHERE o.duplicate_of IS NULL
              UNION ALL
              SELECT o.document_id, 'step', m.status_by_person FROM {views.MILESTONES} m JOIN objectives o
              USING (objective_id) WHERE o.duplicate_of IS NULL AND (m.status <> 'planned' OR m.status_by_person)) j
        JOIN {views.DOCS} d USING (document_id) GROUP BY ALL ORDER BY d.source_name""").df()


@pytest.mark.parametrize("stored", [True, False])
def test_counts_kept_for_a_state_of_the_file_follow_every_correction(database, stored):
    """The counts per document and area are stored in the file by each write (or, when the stored ones are not
    current, kept in memory for a state of the file): read in a session, then corrected, then read in the next
    session, they are counted again with the correction (and equal a count of every row each time)."""
    kept = "summary_" if stored else ""
    if not stored:
        without_summaries(database)
    with db.read_session(database), db.reading(database) as con:
        before = counts_match_record_by_record(con)
        assert queries.tallies(con) == f"{kept}document_area_tallies"          # the kept counts, not the select
        assert queries.indicator_tallies(con) == f"{kept}document_area_indicator_tallies"
        pd.testing.assert_frame_equal(db.judgements(con), judgements_record_by_record(con))
        reached = int(db.status_counts(con, ("year",), issuer=before[0])["reached"].sum())
        indicator = db.indicators(con, db.Filters(issuers=(before[0],)), statuses=("met",)).iloc[0]
        planned = db.milestones(con, statuses=("planned",)).iloc[0]          # a step not judged, until a person does
        steps_tool = int(db.judgements(con)["steps_tool"].sum())
    with db.writing(database) as con:
        db.save_correction(con, "indicators", int(indicator.indicator_id), "status", "not_met", "letto male",
                           "Maria Rossi")
        db.save_correction(con, "milestones", int(planned.milestone_id), "status", "done_late", "letto male",
                           "Maria Rossi")
    if not stored:
        without_summaries(database)
    with db.read_session(database), db.reading(database) as con:
        counts_match_record_by_record(con)
        assert queries.tallies(con) == f"{kept}document_area_tallies"
        assert int(db.status_counts(con, ("year",), issuer=before[0])["reached"].sum()) == reached - 1
        judged = db.judgements(con)
        pd.testing.assert_frame_equal(judged, judgements_record_by_record(con))
        assert judged["indicators_person"].tolist().count(1) == 1 and judged["indicators_person"].sum() == 1
        assert judged["steps_person"].sum() == 1 and int(judged["steps_tool"].sum()) == steps_tool
        mine = judged[judged.document_id == planned.document_id].iloc[0]
        assert mine.steps_person == 1


def totals_of_the_list(con, filters):
    listed = db.documents(con, filters)
    return {"documents": len(listed), **{c: int(listed[c].sum()) for c in
                                         ("objectives", "reached", "judged", "on_time", "dated", "issues")},
            "read": int(listed[["objectives", "milestones", "indicators", "budget_lines", "scores"]].sum().sum())}


FILTERS = [db.Filters(), db.Filters(years=(2020, 2021)), db.Filters(areas=("Area Minori", "Funzioni Generali")),
           db.Filters(kinds=("piano_di_zona",)), db.Filters(issuers=(CALUSO,)), db.Filters(years=(1990,))]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_headline_totals_are_the_sums_of_the_document_list(con, filters):
    assert db.document_totals(con, filters) == totals_of_the_list(con, filters)


def test_the_headline_totals_of_the_samples(con):
    """The five samples: 40 objectives (repeated blocks left out), 61 of 72 judged indicators reached, 34 of 51
    dated steps on time, 108 lines not read or to check."""
    assert db.document_totals(con) == {"documents": 5, "objectives": 40, "reached": 61, "judged": 72, "on_time": 34,
                                       "dated": 51, "issues": 108, "read": 307}


def test_the_headline_totals_and_a_page_of_documents_with_corrections(database, monkeypatch):
    with db.reading(database) as con:
        document = db.documents(con, db.Filters(issuers=(CALUSO,))).iloc[0]
        objective = db.objectives(con, int(document.document_id)).iloc[0]
        indicator = db.indicators(con, db.Filters(issuers=(CALUSO,)), statuses=("met",)).iloc[0]
    with db.writing(database) as con:
        db.save_correction(con, "documents", int(document.document_id), "issuer", "Consorzio Corretto", "letto male",
                           "Maria Rossi")
        db.save_correction(con, "objectives", int(objective.objective_id), "area", "Area Minori", "letto male",
                           "Maria Rossi")
        db.save_correction(con, "indicators", int(indicator.indicator_id), "status", "not_met", "letto male",
                           "Maria Rossi")
    with db.reading(database) as con:
        for filters in FILTERS + [db.Filters(issuers=("Consorzio Corretto",))]:
            assert db.document_totals(con, filters) == totals_of_the_list(con, filters), filters
        assert db.document_totals(con, db.Filters(issuers=("Consorzio Corretto",)))["documents"] == 1
        for order in DOCUMENT_ORDERS_SHOWN:
            for limit, offset, search in ((2, 0, ""), (2, 2, ""), (100, 0, "corretto"), (3, 0, "2019")):
                page = db.documents(con, limit=limit, offset=offset, search=search, order=order)
                with monkeypatch.context() as before:
                    before.setattr(queries, "_listing", counted_with_the_page)
                    expected = db.documents(con, limit=limit, offset=offset, search=search, order=order)
                pd.testing.assert_frame_equal(page, expected, obj=f"{order} {limit} {offset} {search}")
        corrected = db.documents(con, limit=5, search="corretto")
        assert corrected["issuer"].tolist() == ["Consorzio Corretto"] and corrected["document_corrected"].all()


DOCUMENT_ORDERS_SHOWN = ("source_name", "issues")


def test_what_every_rerun_reads_is_shared_until_the_cache_is_dropped(sample_db, monkeypatch):
    """ui.load(shared=True) (the sidebar's choices): the cached object itself at every rerun, the same rows as a
    query, and a new one after forget_cached (a correction)."""
    import streamlit as st

    from cruscotto import consortium_ui, ui

    monkeypatch.setenv("CRUSCOTTO_DB", str(sample_db))
    st.cache_resource.clear()
    first = ui.load(db.issuer_years, then=consortium_ui.issuer_choices, shared=True)
    assert ui.load(db.issuer_years, then=consortium_ui.issuer_choices, shared=True) is first
    with db.reading(sample_db) as con:
        expected = consortium_ui.issuer_choices(db.issuer_years(con))
        options = db.filter_options(con)
    assert first == expected and CALUSO in first[0]
    assert ui.load(db.filter_options, db.Filters(), shared=True) == options
    ui.forget_cached()
    again = ui.load(db.issuer_years, then=consortium_ui.issuer_choices, shared=True)
    assert again is not first and again == first


def test_a_page_of_attainment_sorted_by_name_ranks_is_a_slice_of_the_whole_list(database):
    """Attainment's pages (found by each document's place in name order, kept for the state of the file) are the
    rows of the whole list sorted by the texts, with a corrected issuer sorted under its new name."""
    with db.reading(database) as con:
        document = db.documents(con, db.Filters(issuers=(CALUSO,))).iloc[0]
    with db.writing(database) as con:              # Caluso's report now sorts first, as 'AAA Consorzio'
        db.save_correction(con, "documents", int(document.document_id), "issuer", "AAA Consorzio", "letto male",
                           "Maria Rossi")
    for session in (False, True):
        with (db.read_session(database) if session else db.reading(database)), db.reading(database) as con:
            for by in ("area", "document"):
                for order in ("name", "rate_high", "rate_low"):
                    for judged_only in (False, True):
                        whole = db.attainment(con, by=by, order=order, judged_only=judged_only)
                        for limit, offset in ((3, 0), (3, 3), (100, 0), (4, len(whole) + 4)):
                            page = db.attainment(con, by=by, order=order, judged_only=judged_only, limit=limit,
                                                 offset=offset)
                            expected = whole.iloc[offset:offset + limit].reset_index(drop=True)
                            if expected.empty:                  # past the last page: no row, the same columns
                                assert page.empty and list(page.columns) == [*whole.columns, "total_rows"]
                                continue
                            pd.testing.assert_frame_equal(page.drop(columns="total_rows"), expected,
                                                          obj=f"{by} {order} {judged_only} {limit} {offset}")
                            assert (page["total_rows"] == len(whole)).all()
                first = db.attainment(con, by=by, limit=1)
                assert first["issuer"].tolist() == ["AAA Consorzio"]


@pytest.mark.parametrize("stored", [True, False])
def test_pages_and_counts_found_among_kept_keys_are_those_of_the_full_views_with_corrections(database, stored):
    """Indicators and steps are paged and counted among their keys kept for a state of the file (indicator_keys,
    milestone_keys): with a status, an area, a year and a step's status corrected, read in a read session (the
    keys stored in the file by the correction's write, or kept in memory when those are not current), every page,
    count and band is what a plain query of every row of the full views gives."""
    with db.reading(database) as con:
        met = db.indicators(con, statuses=("met",)).iloc[0]
        objective = db.objectives(con, int(met.document_id)).iloc[0]
        late = db.milestones(con, statuses=("done_late",)).iloc[0]
        not_met_before = db.indicator_counts(con).get("not_met", 0)
    with db.writing(database) as con:
        db.save_correction(con, "indicators", int(met.indicator_id), "status", "not_met", "letto male", "Maria Rossi")
        db.save_correction(con, "objectives", int(objective.objective_id), "area", "Area Minori", "letto male",
                           "Maria Rossi")
        db.save_correction(con, "documents", int(met.document_id), "report_year", "2020", "letto male", "Maria Rossi")
        db.save_correction(con, "milestones", int(late.milestone_id), "status", "done_on_time", "letto male",
                           "Maria Rossi")
    if not stored:
        without_summaries(database)
    with db.read_session(database), db.reading(database) as con:
        assert views.views_for(con) == views.FULL
        indicators = con.execute(f"""
            SELECT i.indicator_id, i.status, o.area, d.kind, d.source_name, o.position, i.source_line,
                   i.expected_value, i.actual_value, d.report_year
            FROM {views.INDICATORS} i JOIN {views.OBJECTIVES} o USING (objective_id) JOIN {views.DOCS} d
              USING (document_id)
            WHERE o.duplicate_of IS NULL""").df()
        steps = con.execute(f"""
            SELECT m.milestone_id, m.status, o.area, d.source_name, o.position, m.source_line, m.slippage_months,
                   d.report_year
            FROM {views.MILESTONES} m JOIN {views.OBJECTIVES} o USING (objective_id) JOIN {views.DOCS} d
              USING (document_id)
            WHERE o.duplicate_of IS NULL""").df()
        assert db.indicator_counts(con)["not_met"] == not_met_before + 1
        assert queries.indicator_keys(con) == ("summary_" if stored else "") + "indicator_keys"     # not the select

        reports = indicators[indicators.kind != "piano_di_zona"]
        numeric = (reports.expected_value.notna() & reports.actual_value.notna() & (reports.expected_value != 0)
                   & reports.status.isin(queries.JUDGED_STATUSES))
        for filters, chosen in ((db.Filters(), reports),
                                (db.Filters(areas=("Area Minori",)), reports[reports.area == "Area Minori"]),
                                (db.Filters(years=(2020,)), reports[reports.report_year == 2020])):
            assert db.indicator_counts(con, filters, reports_only=True) == chosen.status.value_counts().to_dict()
            in_order = chosen.sort_values(["source_name", "position", "source_line", "indicator_id"])
            for offset in (0, 7):
                page = db.indicators(con, filters, reports_only=True, limit=10, offset=offset)
                assert page.indicator_id.tolist() == in_order.indicator_id.tolist()[offset:offset + 10]
                assert (page.total_rows == len(chosen)).all()
        judged = reports[numeric].assign(ratio=lambda f: f.actual_value / f.expected_value)
        highest = judged.sort_values(["ratio", "source_name", "source_line", "indicator_id"],
                                     ascending=[False, True, True, True])
        page = db.indicators(con, numeric=True, reports_only=True, limit=15, order="ratio_high")
        assert page.indicator_id.tolist() == highest.indicator_id.tolist()[:15]
        assert db.indicator_counts(con, numeric=False, reports_only=True) == \
            reports[~numeric].status.value_counts().to_dict()

        assert db.milestone_counts(con) == steps.status.value_counts(dropna=False).to_dict()
        assert db.milestone_counts(con)["done_on_time"] == int((steps.status == "done_on_time").sum())
        for statuses in (("done_late",), ("done_on_time", "not_done")):
            chosen = steps[steps.status.isin(statuses)].sort_values(
                ["source_name", "position", "source_line", "milestone_id"])
            page = db.milestones(con, statuses=statuses, limit=5, offset=2)
            assert page.milestone_id.tolist() == chosen.milestone_id.tolist()[2:7]
            assert (page.total_rows == len(chosen)).all()
        assert late.milestone_id not in db.milestones(con, statuses=("done_late",), limit=500).milestone_id.tolist()
        dated = steps[steps.slippage_months.notna()].assign(area=lambda f: f.area.fillna("(area non indicata)"))
        bands = db.slippage_by_area(con)
        assert dict(zip(bands.area, bands.dated)) == dated.groupby("area").size().to_dict()
        assert dict(zip(bands.area, bands.more)) == dated[dated.slippage_months > 3].groupby("area").size().reindex(
            bands.area, fill_value=0).to_dict()


def test_a_few_rows_are_found_without_making_every_key_and_are_those_of_the_kept_keys(database):
    """A list of a few rows (the Panoramica's six) reads the keys' select itself while the keys are not kept for
    this state of the file; once kept, the same rows and counts come from them, corrections included."""
    with db.reading(database) as con:
        met = db.indicators(con, statuses=("met",)).iloc[0]
        late = db.milestones(con, statuses=("done_late",)).iloc[0]
    with db.writing(database) as con:
        db.save_correction(con, "indicators", int(met.indicator_id), "status", "not_met", "letto male", "Maria Rossi")
        db.save_correction(con, "milestones", int(late.milestone_id), "status", "done_on_time", "letto male",
                           "Maria Rossi")
    calls = [lambda con: db.indicators(con, statuses=("not_met",), limit=6),
             lambda con: db.indicators(con, statuses=("not_met",), limit=6, offset=3),
             lambda con: db.milestones(con, statuses=("done_on_time",), order="slippage", limit=6),
             lambda con: db.milestones(con, statuses=("done_late",), limit=4)]
    without_summaries(database)
    with db.read_session(database) as session, db.reading(database) as con:
        few = [call(con) for call in calls]
        assert not {"indicator_keys", "milestone_keys"} & set(session.memo.get("kept_for_state", {}))
        indicator_counts, step_counts = db.indicator_counts(con), db.milestone_counts(con)     # the keys made, kept
        assert {"indicator_keys", "milestone_keys"} <= set(session.memo["kept_for_state"])
        kept = [call(con) for call in calls]
    for found, expected in zip(few, kept):
        pd.testing.assert_frame_equal(found, expected)
    assert (few[0].total_rows == indicator_counts["not_met"]).all() and (few[1].total_rows == few[0].total_rows).all()
    assert (few[2].total_rows == step_counts["done_on_time"]).all()
    assert (few[3].total_rows == step_counts["done_late"]).all()
    assert late.milestone_id not in few[3].milestone_id.tolist()          # now on time
    assert len(few[0]) == 6 and len(few[2]) == 6 and few[0].status.eq("not_met").all()


def test_stored_summaries_follow_the_tools_writes_and_are_ignored_after_anyone_elses(database):
    """The counts and keys the pages read are stored in the file by the load and by every write of the dashboard
    (a correction), so a page after a write does not make them; a change they were not made from (a person's
    own SQL) makes them stale, and the pages then make their own: the counts are right either way."""
    import duckdb

    def counts():
        """The indicators' and steps' counts read in a page run (and what it read them from), and by plain
        queries outside any run."""
        with db.read_session(database) as session, db.reading(database) as con:
            found = db.indicator_counts(con), db.milestone_counts(con), db.attainment(con, by="document", limit=50)
            read_from = dict(session.memo["kept_for_state"])
        with db.reading(database) as con:
            plain = db.indicator_counts(con), db.milestone_counts(con), db.attainment(con, by="document", limit=50)
        assert found[:2] == plain[:2]
        pd.testing.assert_frame_equal(found[2], plain[2])
        return found, read_from

    (indicators, steps, _), read_from = counts()
    assert set(read_from.values()) == {"summary_indicator_keys", "summary_milestone_keys",
                                       "summary_document_area_indicator_tallies", "summary_document_name_ranks"}
    with db.reading(database) as con:
        met = db.indicators(con, statuses=("met",)).iloc[0]
    with db.writing(database) as con:
        db.save_correction(con, "indicators", int(met.indicator_id), "status", "not_met", "letto male", "Maria Rossi")
    queries.forget_kept_for_state()
    (corrected, _, _), read_from = counts()
    assert read_from["indicator_keys"] == "summary_indicator_keys"          # stored again by the correction
    assert corrected["met"] == indicators["met"] - 1 and corrected["not_met"] == indicators.get("not_met", 0) + 1

    outside = duckdb.connect(str(database))
    outside.execute("UPDATE overrides SET status = 'withdrawn'")           # counts and ids unchanged: hashed
    outside.close()
    queries.forget_kept_for_state()
    (withdrawn, _, _), read_from = counts()
    assert read_from["indicator_keys"] == "indicator_keys" and withdrawn == indicators

    with db.writing(database):
        pass                                              # the tool's next write stores them again
    outside = duckdb.connect(str(database))
    outside.execute("DROP TABLE summary_document_name_ranks")
    outside.close()
    queries.forget_kept_for_state()
    (_, _, _), read_from = counts()
    assert read_from["document_name_ranks"] == "document_name_ranks"

    with db.writing(database):
        pass
    queries.forget_kept_for_state()
    assert counts()[1]["milestone_keys"] == "summary_milestone_keys"
    outside = duckdb.connect(str(database))
    outside.execute("DELETE FROM milestones WHERE milestone_id = (SELECT min(milestone_id) FROM milestones "
                    "WHERE status = 'done_late')")
    outside.close()
    queries.forget_kept_for_state()
    (_, fewer_steps, _), read_from = counts()
    assert read_from["milestone_keys"] == "milestone_keys" and fewer_steps["done_late"] == steps["done_late"] - 1


@pytest.mark.parametrize("filters", FILTERS)
def test_totals_and_status_counts_summed_from_stored_summaries_are_those_of_the_rows(sample_db, filters):
    """The headline totals, the status counts of one issuer or one year, the judgements and the documents' list
    (whole and a page), summed from the counts stored in the file (in a page run), are those counted from the
    rows (outside one)."""
    def read(con):
        issuer, year = issuer_and_year(con)
        return (db.document_totals(con, filters), db.status_counts(con, ("year",), issuer=issuer),
                db.status_counts(con, ("issuer", "area"), year=year), db.judgements(con),
                db.documents(con, filters), db.documents(con, filters, limit=3, offset=1, order="issues"))

    queries.forget_kept_for_state()
    with db.read_session(sample_db) as session, db.reading(sample_db) as con:
        summed = read(con)
        assert session.memo["kept_for_state"]["document_area_tallies"] == "summary_document_area_tallies"
    with db.reading(sample_db) as con:
        counted = read(con)
    assert summed[0] == counted[0]
    assert summed[0]["documents"] > 0 or filters.years == (1990,)
    for found, expected in zip(summed[1:], counted[1:]):
        pd.testing.assert_frame_equal(found, expected)
    assert len(counted[1]) and len(counted[2]) and len(counted[3])


def test_summaries_that_cannot_be_stored_leave_the_write_whole_and_say_so_in_italian(database, caplog):
    """A write whose summaries cannot be stored (here the views' select fails) keeps its rows; the pages then
    count from the rows, and the log says why in Italian."""
    from cruscotto.db import summaries

    with db.reading(database) as con:
        before = db.indicator_counts(con)
    with caplog.at_level("WARNING"), db.writing(database) as con:
        db.record_change(con, "editor", "test", 1, "x.txt", "a write")
        assert summaries.refresh(con, {"indicator_keys": "SELECT * FROM no_such_table"}) is False
    assert any("conteggi riassuntivi non sono stati salvati" in r.getMessage() for r in caplog.records)
    with db.reading(database) as con:
        assert "a write" in db.changes(con).detail.tolist() and db.indicator_counts(con) == before

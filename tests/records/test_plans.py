"""PostgreSQL plans of the hot list queries: each must be served by an index, at any depth.
Skipped on SQLite. enable_seqscan=off makes the planner show whether an index *can* serve
the query (a handful of rows would otherwise always be read sequentially); enable_bitmapscan
off likewise, since a bitmap scan returns rows out of index order (with no statistics, as a
test table has until something analyzes it, a bitmap scan and a sort of one estimated row
can be priced below an index scan that filters as it goes)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.records.models import Work
from apps.records.pages import RECENT_DAYS_SQL

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]


def _plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def works(records):
    """Nine works of one author among 600 others, then ANALYZE: the planner prices plans from
    these statistics, not from whatever autovacuum last saw of earlier tests' rolled-back rows
    (which once made it sort a handful of estimated rows instead of reading the index)."""
    author = records.author("Ada Lindqvist")
    mine = [records.work(author) for _ in range(8)] + [records.work(author, date=None)]
    start = datetime.date(2000, 1, 1)
    Work.objects.bulk_create(
        Work(title=f"Filler {i}", publication_date=start + datetime.timedelta(days=i))
        for i in range(600)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_work")
    return mine


def test_a_works_list_page_bounds_the_index_scan_by_the_cursor(client, works):
    cursor = client.get("/api/v1/works/", {"page_size": 3}).json()["next"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(cursor).status_code == 200
    page_sql = next(q["sql"] for q in queries if 'FROM "records_work"' in q["sql"])
    plan = _plan(page_sql)
    assert "work_recent_idx" in plan, plan
    assert "Index Cond: (ROW(publication_date, id) < ROW(" in plan, plan
    assert "Sort" not in plan, plan  # the index order is the page order


def test_recent_days_hop_down_the_index_without_a_sequential_scan(works):
    plan = _plan(RECENT_DAYS_SQL, [30])
    assert "Seq Scan on records_work" not in plan, plan
    assert "Sort" not in plan, plan  # each hop reads the index in its own order: one probe

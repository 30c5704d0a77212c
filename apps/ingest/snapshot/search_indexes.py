"""Search indexes a bulk load sets aside while it runs.

The full-text index of works and the trigram and word indexes of author names cost the most
to keep up row by row (for 50,000 works, the GIN index on search_vector added 8 s to an
INSERT that took 5.7 s without it; building it over 100,000 rows took 6.6 s), and no query
of the loader, nor of the importer it defers records to, reads them: only search does. So a
run that brings more records for a table than the table holds drops that table's search
indexes before its first partition, in a transaction of its own that also records them in
ingest.SetAsideIndex, and builds them again after its metrics refresh, each with one sort.
Meanwhile search still answers, more slowly (it scans); the search_vector column itself is
kept up by its trigger all along.

A run that fails builds them before it raises; a killed one leaves its rows in SetAsideIndex,
and the next run of the loader, even one that loads nothing, builds them at its end.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from apps.ingest.models import SetAsideIndex

from .metrics import run_deferred_checks

SEARCH_INDEXES = {  # table: its search indexes (records/migrations 0002 and later)
    "records_work": ("work_search_vector_gin",),
    "records_author": ("author_search_name_gist", "author_search_words_gin"),
}
BUILD_MEM = "1GB"  # maintenance_work_mem of each build, its transaction only


def set_aside(incoming: dict[str, int], report: Callable[[str], None]) -> list[str]:
    """Drop the search indexes of every table in `incoming` (table: records the run brings
    for it) that holds fewer rows than that; the names of the indexes dropped."""
    if connection.vendor != "postgresql":
        return []
    dropped = []
    with transaction.atomic(), connection.cursor() as cursor:
        run_deferred_checks(cursor)
        for table, names in SEARCH_INDEXES.items():
            records = incoming.get(table, 0)
            if not records or _rows_up_to(cursor, table, records) >= records:
                continue
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = %s AND indexname = ANY(%s) "
                "ORDER BY indexname",
                [table, list(names)],
            )
            for name, definition in cursor.fetchall():
                SetAsideIndex.objects.create(
                    name=name, table=table, definition=definition, set_aside_at=timezone.now()
                )
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append(name)
    if dropped:
        report(f"search indexes set aside until the load ends: {', '.join(dropped)}")
    return dropped


def _rows_up_to(cursor, table: str, limit: int) -> int:
    """The table's rows, counted up to `limit` (a huge table is not counted through)."""
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) t",  # noqa: S608 - a constant
        [limit],
    )
    return cursor.fetchone()[0]


def restore(report: Callable[[str], None]) -> int:
    """Build every set-aside index again, one transaction each (an index another loader is
    building already is left to it); how many were built."""
    if connection.vendor != "postgresql":
        return 0
    built = 0
    for pk in SetAsideIndex.objects.order_by("name").values_list("pk", flat=True):
        started = time.monotonic()
        with transaction.atomic():
            row = SetAsideIndex.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if row is None:
                continue
            with connection.cursor() as cursor:
                run_deferred_checks(cursor)
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEM}'")
                cursor.execute(if_not_exists(row.definition))
            row.delete()
        built += 1
        report(f"built {row.name} again in {time.monotonic() - started:.1f} s")
    return built


def if_not_exists(definition: str) -> str:
    """pg_get_indexdef's CREATE [UNIQUE] INDEX name ON …, as CREATE … INDEX IF NOT EXISTS."""
    head, sep, rest = definition.partition(" INDEX ")
    if not sep or not head.startswith("CREATE"):
        raise ValueError(f"not an index definition: {definition[:80]}")
    return f"{head} INDEX IF NOT EXISTS {rest}"

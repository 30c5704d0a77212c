"""What a bulk load sets aside while it runs: search indexes and foreign keys.

A run that brings more records for records_work (or records_author) than the table holds, an
initial load, drops two kinds of things before its first partition, in a transaction of its
own that also records each one's definition in ingest.SetAside, and puts them back after its
metrics refresh:

* the table's search indexes (the GIN index on Work.search_vector; the trigram and word
  indexes of author names). No query of the loader, nor of the importer it defers records
  to, reads them; only search does, and it still answers meanwhile (by scanning). The
  search_vector column itself is kept up by its trigger all along. Kept up row by row, the
  GIN index costs an initial load more than building it once at the end.
* the foreign keys of the tables the partitions fill. Each is checked row by row at every
  partition's COMMIT (a query per row); added back, each is checked once, by one join over
  the whole table. A row that breaks one fails that step, and
  the run, with PostgreSQL's message; the key stays recorded for the next run.

A run that fails puts them back before it raises; a killed one leaves its rows in SetAside,
and the next run of the loader, even one that loads nothing, puts them back at its end.
What each saves is measured in docs/benchmarks.md, "Set aside during an initial load".
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from apps.ingest.models import SetAside

from .metrics import run_deferred_checks

# Per table a run may outgrow: its search indexes, and the tables whose foreign keys go.
SEARCH_INDEXES = {
    "records_work": ("work_search_vector_gin",),
    "records_author": ("author_search_name_trgm", "author_search_words_gin"),
}
KEYS_OF = {
    "records_work": (
        "records_work",
        "records_provenance",
        "records_authorship",
        "records_authorship_institutions",
        "records_work_topics",
    ),
    "records_author": ("records_author", "records_author_institutions"),
}
BUILD_MEM = "1GB"  # maintenance_work_mem of each index build, its transaction only


def set_aside(incoming: dict[str, int], report: Callable[[str], None]) -> list[str]:
    """For every table in `incoming` (table: records the run brings for it) that holds fewer
    rows than that, drop its search indexes and the foreign keys of the tables it fills;
    the names of what was dropped."""
    if connection.vendor != "postgresql":
        return []
    dropped = []
    with transaction.atomic(), connection.cursor() as cursor:
        run_deferred_checks(cursor)
        for table in SEARCH_INDEXES:
            records = incoming.get(table, 0)
            if not records or _rows_up_to(cursor, table, records) >= records:
                continue
            for name, on, definition in _definitions(cursor, table):
                if SetAside.objects.filter(name=name).exists():
                    continue  # an earlier run's row, the index rebuilt since: restore drops the row
                SetAside.objects.create(
                    name=name, table=on, definition=definition, set_aside_at=timezone.now()
                )
                if definition.startswith("ALTER TABLE"):
                    cursor.execute(f'ALTER TABLE {on} DROP CONSTRAINT "{name}"')
                else:
                    cursor.execute(f'DROP INDEX "{name}"')
                dropped.append(name)
    if dropped:
        report(f"set aside until the load ends: {len(dropped)} search indexes and foreign keys")
    return dropped


def _definitions(cursor, table: str) -> list[tuple[str, str, str]]:
    """(name, table, statement that creates it) of the table's search indexes, then of the
    foreign keys of the tables it fills."""
    cursor.execute(
        "SELECT indexname, tablename, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename = %s AND indexname = ANY(%s) "
        "ORDER BY indexname",
        [table, list(SEARCH_INDEXES[table])],
    )
    indexes = [(name, on, if_not_exists(sql)) for name, on, sql in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 2, 1",
        [list(KEYS_OF[table])],
    )
    keys = [
        (name, on, f'ALTER TABLE {on} ADD CONSTRAINT "{name}" {sql}')
        for name, on, sql in cursor.fetchall()
    ]
    return indexes + keys


def _rows_up_to(cursor, table: str, limit: int) -> int:
    """The table's rows, counted up to `limit` (a huge table is not counted through)."""
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) t",  # noqa: S608 - a constant
        [limit],
    )
    return cursor.fetchone()[0]


def restore(report: Callable[[str], None]) -> int:
    """Put back everything set aside, one transaction each (what another loader is putting
    back already is left to it); how many were put back."""
    if connection.vendor != "postgresql":
        return 0
    restored = 0
    for pk in SetAside.objects.order_by("set_aside_at", "pk").values_list("pk", flat=True):
        started = time.monotonic()
        with transaction.atomic():
            row = SetAside.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if row is None:
                continue
            with connection.cursor() as cursor:
                run_deferred_checks(cursor)
                if not _exists(cursor, row):
                    cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEM}'")
                    cursor.execute(row.definition)
            row.delete()
        restored += 1
        report(f"put {row.name} back in {time.monotonic() - started:.1f} s")
    return restored


def _exists(cursor, row: SetAside) -> bool:
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = %s "
        "AND conrelid = %s::regclass) "
        "OR EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = %s AND tablename = %s)",
        [row.name, row.table, row.name, row.table],
    )
    return cursor.fetchone()[0]


def if_not_exists(definition: str) -> str:
    """pg_get_indexdef's CREATE [UNIQUE] INDEX name ON …, as CREATE … INDEX IF NOT EXISTS."""
    head, sep, rest = definition.partition(" INDEX ")
    if not sep or not head.startswith("CREATE"):
        raise ValueError(f"not an index definition: {definition[:80]}")
    return f"{head} INDEX IF NOT EXISTS {rest}"

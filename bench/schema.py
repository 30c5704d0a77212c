"""Bulk-load plumbing: set the migrated schema's secondary indexes and constraints aside
while COPY runs, derive the denormalised columns in SQL, then put back exactly what the
migrations created (checked against a snapshot taken before anything was dropped)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg

from .common import DATABASE_URL

BULK_TABLES = [
    "records_topic",
    "records_venue",
    "records_institution",
    "records_author",
    "records_author_institutions",
    "records_work",
    "records_work_topics",
    "records_authorship",
    "records_authortopic",
    "records_coauthorship",
]


@dataclass(frozen=True)
class Snapshot:
    """Every index and constraint on the bulk tables, as PostgreSQL prints them."""

    indexes: frozenset[tuple[str, str, str]]  # (table, index name, CREATE INDEX ...)
    constraints: frozenset[tuple[str, str, str, str]]  # (table, name, type, definition)


def snapshot(conn: psycopg.Connection) -> Snapshot:
    indexes = conn.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = 'public' AND tablename = ANY(%s)",
        [BULK_TABLES],
    ).fetchall()
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, contype::text, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)",
        [BULK_TABLES],
    ).fetchall()
    return Snapshot(frozenset(map(tuple, indexes)), frozenset(map(tuple, constraints)))


def set_aside(conn: psycopg.Connection, shot: Snapshot) -> None:
    """Drop foreign keys, unique constraints and plain secondary indexes; primary keys,
    CHECK constraints and NOT NULL stay (cheap per row). The search_vector trigger stays
    enabled, so COPY fills Work.search_vector with the migration's own expression."""
    backing = {name for _, name, kind, _ in shot.constraints if kind in {"p", "u"}}
    for kind in ("f", "u"):
        for table, name, contype, _ in sorted(shot.constraints):
            if contype == kind:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _table, name, _ in sorted(shot.indexes):
        if name not in backing:
            conn.execute(f'DROP INDEX "{name}"')


def restore(conn: psycopg.Connection, shot: Snapshot, parallel: int = 2) -> None:
    """Recreate what set_aside dropped, then check the schema matches the snapshot.

    Index builds (unique ones included) run `parallel` at a time on their own connections;
    unique constraints then adopt their index (ADD CONSTRAINT ... USING INDEX, instant), and
    foreign keys are added one by one (each validates with one join)."""
    primary = {name for _, name, kind, _ in shot.constraints if kind == "p"}
    builds = [d for _, name, d in sorted(shot.indexes, key=_size_first) if name not in primary]
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(_build, builds))
    for table, name, contype, _ in sorted(shot.constraints):
        if contype == "u":
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
    for table, name, contype, definition in sorted(shot.constraints):
        if contype == "f":
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    after = snapshot(conn)
    if after != shot:
        raise RuntimeError(
            f"schema differs from the migrations: missing {shot.indexes - after.indexes} "
            f"{shot.constraints - after.constraints}, extra {after.indexes - shot.indexes} "
            f"{after.constraints - shot.constraints}"
        )


# Longest builds first (the GIN indexes, then the biggest tables), so both queues end together.
_TABLE_ORDER = ["records_coauthorship", "records_work", "records_authorship"]


def _size_first(index: tuple[str, str, str]) -> tuple[bool, int, str]:
    table, name, definition = index
    order = _TABLE_ORDER.index(table) if table in _TABLE_ORDER else len(_TABLE_ORDER)
    return ("USING gin" not in definition, order, name)


def _build(definition: str) -> None:
    started = time.perf_counter()
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute(definition)
    name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
    print(f"[bench]   {name}: {time.perf_counter() - started:.1f} s", flush=True)


# The derived rows and columns services.author_metrics_refresh would write, in set-based SQL.
AUTHOR_TOPICS = """
INSERT INTO records_authortopic (author_id, topic_id, works_count)
SELECT a.author_id, wt.topic_id, count(*)
FROM records_authorship a JOIN records_work_topics wt ON wt.work_id = a.work_id
WHERE a.status = 'active'
GROUP BY a.author_id, wt.topic_id
"""

# Every co-author edge, both ways round (the whole graph, not just the target's neighbours).
COAUTHORSHIPS = """
INSERT INTO records_coauthorship (author_id, coauthor_id, shared_works)
SELECT a.author_id, b.author_id, count(*)
FROM records_authorship a
JOIN records_authorship b ON b.work_id = a.work_id AND b.author_id <> a.author_id
WHERE a.status = 'active' AND b.status = 'active'
GROUP BY a.author_id, b.author_id
"""

# h-index in SQL: rank each author's works by citations; h = how many have citations >= rank.
AUTHOR_METRICS = """
WITH ranked AS (
    SELECT a.author_id, a.work_id, w.citation_count, w.publication_year,
           row_number() OVER (PARTITION BY a.author_id ORDER BY w.citation_count DESC) AS rank,
           row_number() OVER (PARTITION BY a.author_id
                              ORDER BY w.publication_date DESC NULLS LAST, a.work_id DESC) AS newest
    FROM records_authorship a JOIN records_work w ON w.id = a.work_id
    WHERE a.status = 'active'
), works AS (
    SELECT author_id, count(*) AS works, sum(citation_count) AS citations,
           count(*) FILTER (WHERE citation_count >= rank) AS h,
           min(publication_year) AS first_year, max(publication_year) AS last_year,
           jsonb_agg(work_id ORDER BY newest) FILTER (WHERE newest <= 3) AS recent
    FROM ranked GROUP BY author_id
), topics AS (
    SELECT author_id, count(*) AS n FROM records_authortopic GROUP BY author_id
), close AS (
    SELECT author_id, count(*) AS n FROM records_coauthorship
    WHERE shared_works >= %(close)s GROUP BY author_id
)
UPDATE records_author au SET
    works_count = coalesce(works.works, 0),
    citation_count = coalesce(works.citations, 0),
    h_index = coalesce(works.h, 0),
    topics_count = coalesce(topics.n, 0),
    collaborators_count = coalesce(close.n, 0),
    first_year = works.first_year,
    last_year = works.last_year,
    recent_work_ids = coalesce(works.recent, '[]'::jsonb),
    verification_level = CASE WHEN au.orcid IS NOT NULL THEN 1 ELSE 0 END,
    metrics_updated_at = now()
FROM records_author a2
LEFT JOIN works ON works.author_id = a2.id
LEFT JOIN topics ON topics.author_id = a2.id
LEFT JOIN close ON close.author_id = a2.id
WHERE au.id = a2.id
"""

# Work.authors_count is written by the generator from the byline it made; this proves it.
AUTHORS_COUNT_MISMATCHES = """
SELECT count(*) FROM records_work w
LEFT JOIN (SELECT work_id, count(*) AS n FROM records_authorship
           WHERE status = 'active' GROUP BY work_id) a ON a.work_id = w.id
WHERE w.authors_count <> coalesce(a.n, 0)
"""


def reset_sequences(conn: psycopg.Connection) -> None:
    for table in BULK_TABLES:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - constants
            f"greatest((SELECT max(id) FROM {table}), 1))"
        )


def row_counts(conn: psycopg.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in BULK_TABLES}  # noqa: S608

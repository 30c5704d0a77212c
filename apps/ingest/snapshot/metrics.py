"""records.services.author_metrics_refresh, set-based, for every author a load touched.

Each partition records the authors it touched in ingest.SnapshotTouchedAuthor, in its own
transaction (record_touched); after the last partition of a run the loader refreshes them in
chunks (take_pending + refresh_metrics, one transaction per chunk, which also deletes the
chunk's rows). An initial load so computes each author's metrics once, not once per partition
over every work loaded so far; between partitions of a running load, metrics lag.

The service works in Python over chunks of authors; for the hundreds of thousands of authors
a partition touches, this computes the same numbers in a handful of statements: works,
citations, h-index, years active and newest works over visible authorships, AuthorTopic
rows, co-author edges in both directions, close-collaborator counts (for the touched authors
and everyone at the other end of their edges) and the L0/L1 level.

Derived rows are diffed, not deleted and re-inserted: the current AuthorTopic and
CoAuthorship rows of the touched authors are copied to scratch tables, compared with the
recomputed ones by hash joins, and only rows that appear, disappear or change are written.
A partition that changes nothing writes nothing, and row ids stay put.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from apps.core.pagecache import EVERYTHING, record_changed
from apps.records.metrics import CLOSE_COLLABORATOR_MIN_SHARED, RECENT_WORKS
from apps.records.models import VerificationLevel

# From this many authors in one refresh (an initial load's), the foreign keys of the derived
# tables are dropped and added back in the refresh's transaction: adding one checks every row
# in a single join, where the key's trigger runs a query per inserted row at COMMIT. Dropping
# them locks records_author, records_topic and the derived tables until the refresh commits,
# which only an initial load can afford; smaller refreshes keep the per-row checks.
BULK_FROM = 50_000
DERIVED_TABLES = ("records_authortopic", "records_coauthorship")
WORK_MEM = "256MB"  # per hash/sort, this transaction only: the diffs are big hash joins
# A bulk refresh that inserts at least a third as many rows as a derived table holds drops
# that table's indexes and builds them again after the INSERT: keeping an index up row by row
# (AuthorTopic's topic_id index is written in random order) costs several times what building
# it over the whole table costs per row, and a third is where the two meet (docs/benchmarks.md,
# "Figures behind the code's thresholds").
REBUILD_FROM_SHARE = 1 / 3
INDEX_BUILD_MEM = "512MB"  # maintenance_work_mem of the rebuilds, this transaction only
COMPUTE = (
    f"SET LOCAL work_mem = '{WORK_MEM}'",
    """CREATE TEMP TABLE m_authors ON COMMIT DROP AS
       SELECT DISTINCT author_id AS id FROM s_touched""",
    "ALTER TABLE m_authors ADD PRIMARY KEY (id)",
    "ANALYZE m_authors",
    """CREATE TEMP TABLE m_works ON COMMIT DROP AS
       SELECT a.author_id, a.work_id, w.citation_count, w.publication_date, w.publication_year
       FROM m_authors m
       JOIN records_authorship a ON a.author_id = m.id AND a.status = 'active'
       JOIN records_work w ON w.id = a.work_id""",
    "ANALYZE m_works",
    """CREATE TEMP TABLE m_topics ON COMMIT DROP AS
       SELECT m.author_id, t.topic_id, count(*) AS n
       FROM m_works m JOIN records_work_topics t ON t.work_id = m.work_id
       GROUP BY m.author_id, t.topic_id""",
    # Edges from each touched author, and the reverse of each whose far end is not touched
    # (a touched far end contributes that direction itself).
    """CREATE TEMP TABLE m_edges ON COMMIT DROP AS
       WITH pairs AS (
           SELECT m.author_id, o.author_id AS coauthor_id, count(*) AS n
           FROM m_works m
           JOIN records_authorship o
             ON o.work_id = m.work_id AND o.status = 'active' AND o.author_id <> m.author_id
           GROUP BY m.author_id, o.author_id)
       SELECT author_id, coauthor_id, n FROM pairs
       UNION ALL
       SELECT p.coauthor_id, p.author_id, p.n FROM pairs p
       WHERE NOT EXISTS (SELECT 1 FROM m_authors s WHERE s.id = p.coauthor_id)""",
    """CREATE TEMP TABLE m_old_topics ON COMMIT DROP AS
       SELECT x.id, x.author_id, x.topic_id, x.works_count
       FROM records_authortopic x JOIN m_authors s ON s.id = x.author_id""",
    """CREATE TEMP TABLE m_old_edges ON COMMIT DROP AS
       SELECT c.id, c.author_id, c.coauthor_id, c.shared_works
       FROM records_coauthorship c JOIN m_authors s ON s.id = c.author_id
       UNION ALL
       SELECT c.id, c.author_id, c.coauthor_id, c.shared_works
       FROM records_coauthorship c JOIN m_authors s ON s.id = c.coauthor_id
       WHERE NOT EXISTS (SELECT 1 FROM m_authors t WHERE t.id = c.author_id)""",
    "ANALYZE m_topics",
    "ANALYZE m_edges",
    "ANALYZE m_old_topics",
    "ANALYZE m_old_edges",
)


# Per derived table: its scratch tables of new and of old rows, and the scratch table of the
# old rows to remove or change (a join from the old side only: an initial load has no old
# rows, and a full join would copy every new row into the diff once more);
# the DELETE and UPDATE of those rows; the INSERT of the new rows no old row has.
class Derived(NamedTuple):
    table: str
    new: str
    old: str
    diff: str
    changes: tuple[str, ...]
    insert: str


def _derived(table: str, new: str, old: str, other: str, count: str, kept: str = "") -> Derived:
    """The writes of a derived table keyed by (author_id, `other`) that holds a number in
    `count`; `new` (recomputed) and `old` (stored) have that key and `n` / `count`. `kept`:
    columns of the old row the diff also keeps. (All names are this module's constants.)"""
    diff, match = f"{new}_diff", f"r.author_id = o.author_id AND r.{other} = o.{other}"
    changes = (
        f"""CREATE TEMP TABLE {diff} ON COMMIT DROP AS
            SELECT o.id, {kept} r.author_id, r.n
            FROM {old} o LEFT JOIN {new} r ON {match}
            WHERE r.author_id IS NULL OR o.{count} <> r.n""",  # noqa: S608
        f"""DELETE FROM {table}
            WHERE id IN (SELECT id FROM {diff} WHERE author_id IS NULL)""",  # noqa: S608
        f"""UPDATE {table} x SET {count} = d.n FROM {diff} d
            WHERE x.id = d.id AND d.author_id IS NOT NULL""",  # noqa: S608
    )
    insert = f"""INSERT INTO {table} (author_id, {other}, {count})
        SELECT author_id, {other}, n FROM {new} r
        WHERE NOT EXISTS (SELECT 1 FROM {old} o WHERE {match})
        ORDER BY author_id, {other}"""  # noqa: S608
    return Derived(table, new, old, diff, changes, insert)


DERIVED_WRITES = (
    _derived("records_authortopic", "m_topics", "m_old_topics", "topic_id", "works_count"),
    _derived(
        "records_coauthorship",
        "m_edges",
        "m_old_edges",
        "coauthor_id",
        "shared_works",
        kept="o.author_id AS old_author_id, o.coauthor_id AS old_coauthor_id,",
    ),
)
AUTHOR_WRITES = (
    # One UPDATE per touched author: its numbers, its close-collaborator count (m_edges
    # holds every edge it has now) and its L0/L1 level. (Three statements would write three
    # versions of each row, and every one of them into each of records_author's indexes.)
    """WITH ranked AS (
           SELECT author_id, work_id, citation_count, publication_year,
                  row_number() OVER (PARTITION BY author_id ORDER BY citation_count DESC) AS rank,
                  row_number() OVER (
                      PARTITION BY author_id
                      ORDER BY publication_date DESC NULLS LAST, work_id DESC) AS newest
           FROM m_works),
       numbers AS (
           SELECT author_id, count(*) AS works, sum(citation_count) AS citations,
                  count(*) FILTER (WHERE citation_count >= rank) AS h,
                  min(publication_year) AS first_year, max(publication_year) AS last_year,
                  jsonb_agg(work_id ORDER BY newest) FILTER (WHERE newest <= %(recent)s) AS recent
           FROM ranked GROUP BY author_id),
       topics AS (SELECT author_id, count(*) AS n FROM m_topics GROUP BY author_id),
       close AS (
           SELECT author_id, count(*) AS n FROM m_edges
           WHERE n >= %(close)s GROUP BY author_id)
       UPDATE records_author a
       SET works_count = coalesce(n.works, 0), citation_count = coalesce(n.citations, 0),
           h_index = coalesce(n.h, 0), topics_count = coalesce(t.n, 0),
           first_year = n.first_year, last_year = n.last_year,
           recent_work_ids = coalesce(n.recent, '[]'::jsonb),
           collaborators_count = coalesce(c.n, 0),
           verification_level = CASE
               WHEN a.verification_level >= %(l2)s THEN a.verification_level
               WHEN a.orcid IS NULL THEN %(l0)s ELSE %(l1)s END,
           metrics_updated_at = %(now)s
       FROM m_authors s
       LEFT JOIN numbers n ON n.author_id = s.id
       LEFT JOIN topics t ON t.author_id = s.id
       LEFT JOIN close c ON c.author_id = s.id
       WHERE a.id = s.id""",
    # Close-collaborator counts of the authors at the far end of an edge that is there now
    # or was removed (the service's "old | new co-authors"), when they were not touched.
    """UPDATE records_author a SET collaborators_count = c.n
       FROM (
           SELECT r.id, count(e.author_id) AS n
           FROM (SELECT author_id AS id FROM m_edges
                 UNION SELECT old_author_id FROM m_edges_diff WHERE author_id IS NULL
                 UNION SELECT old_coauthor_id FROM m_edges_diff WHERE author_id IS NULL
                 EXCEPT SELECT id FROM m_authors) r
           LEFT JOIN records_coauthorship e
             ON e.author_id = r.id AND e.shared_works >= %(close)s
           GROUP BY r.id) c
       WHERE a.id = c.id AND a.collaborators_count <> c.n""",
)
SCRATCH = (
    "m_authors",
    "m_works",
    "m_topics",
    "m_edges",
    "m_old_topics",
    "m_old_edges",
    "m_topics_diff",
    "m_edges_diff",
)


def record_touched(cursor, extra_ids: set[int]) -> None:
    """Keep the authors in s_touched and s_authorship plus `extra_ids` as pending (in the
    caller's transaction, so they commit with the partition that touched them)."""
    _copy_touched(cursor, extra_ids)
    cursor.execute(
        "INSERT INTO ingest_snapshottouchedauthor (author_id) "
        "SELECT author_id FROM s_touched UNION SELECT author_id FROM s_authorship "
        "ON CONFLICT DO NOTHING"
    )


def take_pending(cursor, limit: int) -> int:
    """Move up to `limit` pending authors (lowest ids first) into s_touched, deleting them
    from ingest.SnapshotTouchedAuthor in the caller's transaction; how many were taken.
    (SKIP LOCKED: a second loader running at once takes other authors.)"""
    cursor.execute(
        """WITH taken AS (
               DELETE FROM ingest_snapshottouchedauthor WHERE author_id IN (
                   SELECT author_id FROM ingest_snapshottouchedauthor
                   ORDER BY author_id LIMIT %s FOR UPDATE SKIP LOCKED)
               RETURNING author_id)
           INSERT INTO s_touched (author_id) SELECT author_id FROM taken""",
        [limit],
    )
    return max(cursor.rowcount, 0)


def _copy_touched(cursor, extra_ids: set[int]) -> None:
    if extra_ids:
        with cursor.copy("COPY s_touched (author_id) FROM STDIN") as copy:
            for author_id in extra_ids:
                copy.write_row((author_id,))


def refresh_metrics(cursor, extra_ids: set[int], now: datetime.datetime) -> int:
    """Recompute metrics for the authors in s_touched plus `extra_ids`; rows written."""
    _copy_touched(cursor, extra_ids)
    cursor.execute("SELECT EXISTS (SELECT 1 FROM s_touched)")
    if not cursor.fetchone()[0]:
        return 0
    for sql in COMPUTE:
        cursor.execute(sql)
    params = {
        "now": now,
        "close": CLOSE_COLLABORATOR_MIN_SHARED,
        "recent": RECENT_WORKS,
        "l0": VerificationLevel.L0.value,
        "l1": VerificationLevel.L1.value,
        "l2": VerificationLevel.L2.value,
    }
    cursor.execute("SELECT count(*) FROM m_authors")
    bulk = cursor.fetchone()[0] >= BULK_FROM
    keys = set_aside_foreign_keys(cursor) if bulk else []
    written = 0
    for derived in DERIVED_WRITES:
        written += _run(cursor, derived.changes, params)
        rebuild = bulk and _rebuild_pays(cursor, derived)
        indexes = set_aside_indexes(cursor, derived.table) if rebuild else []
        written += _run(cursor, (derived.insert,), params)
        restore_indexes(cursor, indexes)
    restore_foreign_keys(cursor, keys)
    record_changed(*EVERYTHING)  # cached public pages show these numbers
    return written + _run(cursor, AUTHOR_WRITES, params)


def _run(cursor, statements: tuple[str, ...], params: dict) -> int:
    written = 0
    for sql in statements:
        cursor.execute(sql, params)
        if not sql.startswith("CREATE"):  # scratch tables are not written rows
            written += max(cursor.rowcount, 0)
    return written


def set_aside_foreign_keys(cursor) -> list[tuple[str, str, str]]:
    """Drop the derived tables' foreign keys for this transaction: (table, name, definition)
    of each, for restore_foreign_keys. Deferred checks still pending are run first (ALTER
    TABLE refuses a table with pending trigger events)."""
    run_deferred_checks(cursor)
    cursor.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
           FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
           ORDER BY 1, 2""",
        [list(DERIVED_TABLES)],
    )
    keys = cursor.fetchall()
    for table, name, _ in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return keys


def restore_foreign_keys(cursor, keys: list[tuple[str, str, str]]) -> None:
    """Add the set-aside keys back, each checked against the whole table in one query."""
    for table, name, definition in keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _rebuild_pays(cursor, derived: Derived) -> bool:
    """Whether the rows the INSERT adds to the table are at least REBUILD_FROM_SHARE of
    those it holds (after this refresh's DELETE), so building its indexes again costs less.
    (The new rows no old row has: all new rows, less the old ones that stay.)"""
    # (The names are this module's constants.)
    cursor.execute(
        f"""SELECT (SELECT count(*) FROM {derived.new}) - (SELECT count(*) FROM {derived.old})
                   + (SELECT count(*) FROM {derived.diff} WHERE author_id IS NULL),
                   (SELECT count(*) FROM {derived.table})"""  # noqa: S608
    )
    adding, holding = cursor.fetchone()
    return adding > 0 and adding >= holding * REBUILD_FROM_SHARE


def set_aside_indexes(cursor, table: str) -> list[str]:
    """Drop every index of `table` for this transaction (its primary key and unique
    constraints included); the statements that build them again, for restore_indexes.
    Its foreign keys must be set aside already; nothing else refers to these tables."""
    cursor.execute(
        """SELECT c.conname, pg_get_constraintdef(c.oid), pg_get_indexdef(i.indexrelid),
                  i.indexrelid::regclass::text
           FROM pg_index i
           LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                AND c.contype IN ('p', 'u')
           WHERE i.indrelid = %s::regclass
           ORDER BY c.contype = 'p' DESC NULLS LAST, 4""",
        [table],
    )
    rebuilds = []
    for constraint, constraint_def, index_def, index in cursor.fetchall():
        if constraint:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
            rebuilds.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_def}')
        else:
            cursor.execute(f"DROP INDEX {index}")
            rebuilds.append(index_def)
    return rebuilds


def restore_indexes(cursor, rebuilds: list[str]) -> None:
    """Build the set-aside indexes again (a unique one fails on a duplicate row, as the
    INSERT would have), each with one sort of the whole table."""
    if rebuilds:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEM}'")
    for sql in rebuilds:
        cursor.execute(sql)


def run_deferred_checks(cursor) -> None:
    """Run the foreign-key checks the transaction has deferred so far, and defer the rest
    again: ALTER TABLE, CREATE INDEX and DROP INDEX refuse a table with pending trigger
    events (which an outer transaction, as in tests, can hold)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

"""Set-based inserts shared by the works and authors partitions."""

from __future__ import annotations

import datetime

from .outcome import ConcurrentChange
from .staging import Stager

# Rows this load creates, with ids drawn from each table's sequence (resolve.IdPool), so the
# rows that point at them could be staged before they existed. ON CONFLICT DO NOTHING plus a
# row count turns another writer's concurrent insert into ConcurrentChange (retry) instead of
# an error halfway through.
NEW_ROWS = (
    (
        "s_venue",
        """INSERT INTO records_venue (id, name, openalex_id, issn_l, kind)
           SELECT id, name, openalex_id, issn_l, kind FROM s_venue ON CONFLICT DO NOTHING""",
    ),
    (
        "s_topic",
        """INSERT INTO records_topic (id, name, slug, code, openalex_id)
           SELECT id, name, slug, code, openalex_id FROM s_topic ON CONFLICT DO NOTHING""",
    ),
    (
        "s_institution",
        """INSERT INTO records_institution (id, name, ror_id, openalex_id, country_code)
           SELECT id, name, ror_id, openalex_id, country_code FROM s_institution
           ON CONFLICT DO NOTHING""",
    ),
    (
        "s_author",
        """INSERT INTO records_author (id, display_name, name_variants, search_name, orcid,
               openalex_id, other_ids, verification_level, works_count, citation_count,
               h_index, topics_count, collaborators_count, created_at, updated_at)
           SELECT id, display_name, name_variants, search_name, orcid, openalex_id, other_ids,
               0, 0, 0, 0, 0, 0, %(now)s, %(now)s
           FROM s_author ON CONFLICT DO NOTHING""",
    ),
)


def apply_new_rows(cursor, stager: Stager, now: datetime.datetime) -> int:
    """Insert the venues, topics, institutions and authors this partition creates."""
    return sum(insert_checked(cursor, stager, table, sql, now) for table, sql in NEW_ROWS)


def insert_checked(cursor, stager: Stager, table: str, sql: str, now: datetime.datetime) -> int:
    """Run an INSERT … SELECT FROM `table` … ON CONFLICT DO NOTHING and insist every staged
    row landed; returns the row count."""
    expected = stager.counts[table]
    if not expected:
        return 0
    cursor.execute(sql, {"now": now})
    if cursor.rowcount != expected:
        missing = expected - cursor.rowcount
        raise ConcurrentChange(f"{missing} row(s) of {table[2:]} were created meanwhile elsewhere")
    return cursor.rowcount

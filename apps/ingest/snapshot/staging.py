"""Staging tables: a partition's rows go in with COPY, then set-based SQL moves them on.

They are TEMP tables dropped at commit: nothing outlives the partition's transaction, and
nothing is WAL-logged on the way in.
"""

from __future__ import annotations

from collections import defaultdict

import orjson

from .metrics import SCRATCH

_AUTHOR = (  # resolve.new_author_row's order
    ("id", "bigint"),
    ("display_name", "text"),
    ("name_variants", "jsonb"),
    ("search_name", "text"),
    ("orcid", "text"),
    ("openalex_id", "text"),
    ("other_ids", "jsonb"),
)
# Every staging table, its columns and their types. The rows staged for a table are tuples in
# this column order.
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "s_venue": (
        ("id", "bigint"),
        ("name", "text"),
        ("openalex_id", "text"),
        ("issn_l", "text"),
        ("kind", "text"),
    ),
    "s_topic": (
        ("id", "bigint"),
        ("name", "text"),
        ("slug", "text"),
        ("code", "text"),
        ("openalex_id", "text"),
    ),
    "s_institution": (
        ("id", "bigint"),
        ("name", "text"),
        ("ror_id", "text"),
        ("openalex_id", "text"),
        ("country_code", "text"),
    ),
    "s_author": _AUTHOR,  # records this load creates
    "s_author_update": _AUTHOR,  # existing records whose names or identifiers a record sets
    "s_author_provenance": (("author_id", "bigint"), ("source_key", "text"), ("fields", "jsonb")),
    "s_author_institution": (("author_id", "bigint"), ("institution_id", "bigint")),
    "s_work": (
        ("id", "bigint"),
        ("title", "text"),
        ("title_html", "text"),
        ("abstract", "text"),
        ("type", "text"),
        ("publication_date", "date"),
        ("date_precision", "text"),
        ("publication_year", "integer"),
        ("venue_id", "bigint"),
        ("doi", "text"),
        ("arxiv_id", "text"),
        ("openalex_id", "text"),
        ("other_ids", "jsonb"),
        ("landing_url", "text"),
        ("pdf_url", "text"),
        ("code_url", "text"),
        ("citation_count", "integer"),
        ("authors_count", "integer"),
        ("source_key", "text"),
        ("fields", "jsonb"),
    ),
    "s_authorship": (
        ("work_id", "bigint"),
        ("author_id", "bigint"),
        ("position", "integer"),
        ("raw_name", "text"),
    ),
    "s_authorship_institution": (
        ("work_id", "bigint"),
        ("position", "integer"),
        ("institution_id", "bigint"),
    ),
    "s_work_topic": (("work_id", "bigint"), ("topic_id", "bigint")),
    "s_touched": (("author_id", "bigint"),),  # authors whose metrics follow (and s_authorship's)
}
JSON_COLUMNS = {
    table: {i for i, (_, kind) in enumerate(columns) if kind == "jsonb"}
    for table, columns in TABLES.items()
}


def create_tables(cursor) -> None:
    """The staging tables, empty. (Dropped first: inside an outer transaction, as in tests,
    an earlier partition's are still there.)"""
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join([*TABLES, *SCRATCH])}")
    for table, columns in TABLES.items():
        spec = ", ".join(f"{name} {kind}" for name, kind in columns)
        cursor.execute(f"CREATE TEMP TABLE {table} ({spec}) ON COMMIT DROP")


def column_list(table: str) -> str:
    return ", ".join(name for name, _ in TABLES[table])


class Stager:
    """Collects a chunk's rows per staging table and COPYs them in with one COPY per table.
    (A COPY holds the connection, so rows wait here while the chunk's lookups run.)"""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)

    def flush(self, cursor) -> None:
        for table, rows in self.rows.items():
            if rows:
                copy_rows(cursor, table, rows)
                self.counts[table] += len(rows)
        self.rows.clear()


def copy_rows(cursor, table: str, rows: list[tuple], target: str | None = None) -> None:
    """COPY `rows` (in TABLES[table] column order) into `target` (default: the table)."""
    json_at = JSON_COLUMNS[table]
    with cursor.copy(f"COPY {target or table} ({column_list(table)}) FROM STDIN") as copy:
        if json_at:
            for row in rows:
                copy.write_row(_json_dumped(row, json_at))
        else:
            for row in rows:
                copy.write_row(row)


def _json_dumped(row: tuple, json_at: set[int]) -> tuple:
    row = list(row)
    for i in json_at:
        row[i] = orjson.dumps(row[i]).decode()
    return tuple(row)

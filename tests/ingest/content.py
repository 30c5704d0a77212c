"""A content fingerprint of the public records tables, timestamps left out, for proving that
two ways of loading the same data (or loading it twice) end in the same place."""

from __future__ import annotations

import hashlib

from django.db import connection

TABLES = [
    "records_work",
    "records_author",
    "records_authorship",
    "records_authorship_institutions",
    "records_work_topics",
    "records_author_institutions",
    "records_topic",
    "records_venue",
    "records_institution",
    "records_coauthorship",
    "records_authortopic",
]


def table_rows() -> dict[str, list[tuple]]:
    out = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (fixed table names)
            columns = [c[0] for c in cursor.description]
            keep = [i for i, c in enumerate(columns) if not c.endswith("_at")]
            out[table] = sorted(tuple(str(row[i]) for i in keep) for row in cursor.fetchall())
    return out


def content_hash() -> str:
    digest = hashlib.sha256()
    for table, rows in sorted(table_rows().items()):
        digest.update(table.encode())
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()

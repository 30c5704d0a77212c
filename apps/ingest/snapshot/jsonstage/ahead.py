"""The SQL design's second connection: it COPYs and extracts the next works partition into
UNLOGGED tables of its own, in a thread, while the loader's connection writes the current one
(what reader processes do for the Python design)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import DatabaseError, connection

from ..manifest import Partition
from . import extract

WORK_MEM = "256MB"  # the extraction's sorts (bylines, topics: a row each) stay in memory


class Prepared:
    """One partition's lines COPYed and extracted (extract.PARSED's tables, UNLOGGED, in a
    schema of their own) by a second connection, in a thread, committed: what a reader
    process does for the Python design, done by a second backend. `error` when it could not
    (the loader then does it in its own transaction, and meets the same failure there)."""

    def __init__(self, partition: Partition, conninfo: dict) -> None:
        self.partition, self.conninfo = partition, conninfo
        self.schema = self.sha256 = self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import psycopg

        from . import copy_lines

        try:
            with psycopg.connect(**self.conninfo) as conn, conn.cursor() as cursor:
                schema = f"snapshot_ahead_{conn.info.backend_pid}"
                cursor.execute(f"CREATE SCHEMA {schema}")
                cursor.execute(f"SET search_path = {schema}, public")
                cursor.execute(f"SET jit = off; SET work_mem = '{WORK_MEM}'")
                cursor.execute(extract.LINES.format(table="s_line"))
                sha256 = copy_lines(self.partition.path, cursor, "s_line")
                unlogged = extract.PARSED.replace("CREATE TEMP TABLE", "CREATE UNLOGGED TABLE")
                cursor.execute(unlogged.replace(" ON COMMIT DROP", ""))
                cursor.execute(extract.EXTRACT, extract.PARAMS)
                cursor.execute("DROP TABLE s_line")
                conn.commit()
            self.schema, self.sha256 = schema, sha256
        except Exception as exc:  # the loader's own attempt meets it again, and reports it
            self.error = exc


class Ahead:
    """The next works partitions' lines, COPYed and extracted by a second connection while
    the loader's writes the partition before them (SNAPSHOT_STAGING = "sql")."""

    def __init__(self, conninfo: dict) -> None:
        self.conninfo = conninfo
        self.pending: dict[str, Prepared] = {}
        self.schemas: list[str] = []

    def prepare(self, partition: Partition) -> None:
        if partition.key not in self.pending:
            self.pending[partition.key] = Prepared(partition, self.conninfo)

    def take(self, partition: Partition) -> Prepared | None:
        """The partition's prepared tables (waiting for them), or None."""
        prepared = self.pending.pop(partition.key, None)
        if prepared is None:
            return None
        prepared.thread.join()
        if prepared.schema:
            self.schemas.append(prepared.schema)
        return prepared if prepared.error is None else None

    def close(self, cursor) -> None:
        """Drop what a partition did not use (a rolled back one keeps its schema)."""
        for prepared in self.pending.values():
            prepared.thread.join()
            if prepared.schema:
                self.schemas.append(prepared.schema)
        for schema in self.schemas:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        self.pending.clear()
        self.schemas.clear()


def ahead_for(staging: str) -> Ahead | None:
    """With the SQL design, a second connection prepares the next works partition while this
    one loads the current one (jsonstage.Ahead)."""
    if staging != "sql" or connection.vendor != "postgresql":
        return None
    settings_dict = connection.settings_dict
    conninfo = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
    }
    return Ahead({k: v for k, v in conninfo.items() if v})


def close_ahead(ahead: Ahead) -> None:
    """Drop what was prepared and not used. On a failed run whose database went away, the
    run's own error is the one to show (the UNLOGGED schemas stay until dropped by hand)."""
    try:
        with connection.cursor() as cursor:
            ahead.close(cursor)
    except DatabaseError:
        pass


def prepare_next(ahead: Ahead, later: list[Partition], done: Callable[[Partition], bool]) -> None:
    """Hand the next works partition to be loaded to `ahead`."""
    for partition in later:
        if partition.entity == "works" and not partition.is_merge_file and not done(partition):
            ahead.prepare(partition)
            return

"""Staging a works partition in the database (SNAPSHOT_STAGING = "sql"): the partition's lines
are COPYed as they are into a jsonb table, and set-based SQL (extract.py: the parser's rules;
staged.py: the stage's) builds from them the very rows works.WorksStage stages from parsed
records, into the same staging tables; writing, metrics and set-aside are the Python path's
own (WorksStage.apply, load.py).

What the SQL does not spell out is done by the Python code that defines it, on the rows that
need it only:

* a line with a field outside the SQL's rules (markup or entities in a title, an arXiv id or a
  code link among its locations, a DOI in another spelling, …) is parsed by the parser itself
  and its parsed rows replace the SQL's (`_parse_odd_lines`);
* a work that matches an existing row goes through WorksStage's own `_unchanged` test;
* a new author's names (preferred_name, Author.set_names' search key) and a new topic's slug
  are computed in Python, for the new rows only.

In a load, a second connection (Ahead, in a thread) COPYs and extracts the next works partition
into UNLOGGED tables of its own, committed, while the loader's connection writes the current
one, as reader processes parse ahead for the Python path.

A partition the set-based rules cannot give the Python path's rows for (a line PostgreSQL's
JSON parser refuses, a byline identity whose record depends on the order of the lines, a
venue or institution known by name only) is staged by the Python path instead
(`stage_in_database` returns None).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from isal import igzip

from apps.ingest.importer.authors import UNKNOWN_AUTHOR
from apps.ingest.importer.lookups import topic_slug_base
from apps.ingest.importer.precedence import asserted_fields, merge_assertion
from apps.ingest.normalized import ParseError, TopicRecord, WorkRecord
from apps.records.names import preferred_name

from ..manifest import Partition
from ..outcome import PartitionStats
from ..progress import Progress
from ..reader import CHUNK, HashingReader
from ..records import reread
from ..resolve import json_value, new_author_row
from ..staging import Stager, create_tables
from ..works import WorksStage
from . import extract, staged
from .ahead import WORK_MEM, Ahead, Prepared, ahead_for, close_ahead, prepare_next

__all__ = ["Ahead", "ahead_for", "close_ahead", "copy_lines", "prepare_next", "stage_in_database"]

SCRATCH = (
    *extract.PARSED_TABLES,
    "c_work",
    "c_class",
    "n_work_pre",
    "n_work",
    "v_use",
    "u_venue",
    "g_venue",
    "t_venue",
    "n_venue_pre",
    "n_venue",
    "r_venue",
    "u_topic",
    "n_topic_pre",
    "n_topic",
    "a_ref",
    "a_follow",
    "a_res",
    "n_author_pre",
    "n_author",
    "a_kept",
    "i_use",
    "u_inst",
    "g_inst",
    "t_inst",
    "n_inst_pre",
    "n_inst",
    "r_inst",
)
FILLED = ("s_venue", "s_work_topic", "s_authorship", "s_institution", "s_authorship_institution")


@contextmanager
def _work_mem(cursor, size: str) -> Iterator[None]:
    """work_mem raised for one statement, then set back (for the rest of the transaction)."""
    cursor.execute("SELECT current_setting('work_mem')")
    before = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('work_mem', %s, true)", [size])
    yield
    cursor.execute("SELECT set_config('work_mem', %s, true)", [before])


class Fallback(Exception):
    """This partition is staged by the Python path (the reason says why)."""


def stage_in_database(
    partition: Partition,
    cursor,
    stager: Stager,
    stats: PartitionStats,
    bar: Progress,
    ahead: Ahead | None = None,
) -> WorksStage | None:
    """Stage a works partition with SQL (its lines COPYed and extracted already, if `ahead`
    prepared it); None (and nothing staged) when the Python path must stage it. `stats` is
    filled only on success."""
    mine = PartitionStats(partition.key)
    prepared = ahead.take(partition) if ahead else None
    # JIT would compile the extraction's hundreds of expressions for a single run, which
    # costs more than it saves (docs/benchmarks.md); a load's partitions run without it anyway
    cursor.execute("SELECT set_config('jit', 'off', true)")
    cursor.execute("SAVEPOINT json_staging")
    try:
        stage = _stage(partition, cursor, stager, mine, prepared)
    except (Fallback, ParseError) as exc:
        cursor.execute("ROLLBACK TO SAVEPOINT json_staging")
        cursor.execute("RELEASE SAVEPOINT json_staging")
        stats.staged_by = f"python ({exc})"
        return None
    except Exception as exc:
        if not _refused_line(exc):
            raise
        cursor.execute("ROLLBACK TO SAVEPOINT json_staging")
        cursor.execute("RELEASE SAVEPOINT json_staging")
        stats.staged_by = "python (a line PostgreSQL's JSON parser refuses)"
        return None
    cursor.execute("RELEASE SAVEPOINT json_staging")
    for name in ("records", "created", "unchanged", "skipped", "deferred", "sha256"):
        setattr(stats, name, getattr(mine, name))
    stats.phases.update(mine.phases)
    stats.staged_by = mine.staged_by
    stage.stats = stats
    bar.advance(stats.records, partition.size)
    return stage


def _refused_line(exc: Exception) -> bool:
    """A COPY that failed on a line (malformed JSON, \\u0000, bytes that are not UTF-8):
    the Python path then reads the partition and words its error as it always has."""
    import psycopg

    return isinstance(exc, psycopg.errors.DataError | psycopg.errors.UntranslatableCharacter)


def _stage(
    partition: Partition,
    cursor,
    stager: Stager,
    stats: PartitionStats,
    prepared: Prepared | None = None,
) -> WorksStage:
    lap = _Laps(stats)
    create_tables(cursor)
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(SCRATCH)}")
    stage = WorksStage(cursor, stager, stats)
    if prepared is None:
        _copy_and_extract(partition, cursor, stats, lap)
    else:  # its p_* tables are in the prepared schema, ahead of the rest on the search path
        stats.sha256 = prepared.sha256
        cursor.execute(
            "SELECT set_config('search_path', %s || ', ' || current_setting('search_path'), true)",
            [prepared.schema],
        )
        lap("prepared ahead")
    odd = _parse_odd_lines(partition, cursor)
    lap("odd lines")
    _classify(cursor, stage, stats)
    _resolve(cursor, stager)
    if prepared is not None:
        cursor.execute(f"DROP SCHEMA {prepared.schema} CASCADE")
        cursor.execute(
            "SELECT set_config('search_path', "
            "regexp_replace(current_setting('search_path'), '^[^,]*, ', ''), true)"
        )
    lap("resolve")
    stats.staged_by = f"sql ({odd} odd lines parsed in Python)" if odd else "sql"
    return stage


def _copy_and_extract(partition: Partition, cursor, stats: PartitionStats, lap) -> None:
    table = f"snapshot_lines_{cursor.connection.info.backend_pid}"
    cursor.execute(extract.LINES.format(table=table))
    stats.sha256 = copy_lines(partition.path, cursor, table)
    lap("copy")
    cursor.execute(extract.PARSED)
    with _work_mem(cursor, WORK_MEM):
        cursor.execute(extract.EXTRACT.replace("FROM s_line l", f"FROM {table} l"), extract.PARAMS)
    cursor.execute(f"DROP TABLE {table}")
    lap("extract")


class _Laps:
    """Where the staging's time goes, as `sql <step>` phases (docs/benchmarks.md)."""

    def __init__(self, stats: PartitionStats) -> None:
        self.stats, self.clock = stats, time.monotonic()

    def __call__(self, step: str) -> None:
        now = time.monotonic()
        self.stats.phases[f"sql {step}"] = now - self.clock
        self.clock = now


def copy_lines(path: Path, cursor, table: str) -> str:
    """COPY the partition's lines, unchanged, into `table`; the file's SHA-256."""
    raw = HashingReader(path)
    try:
        buffered = io.BufferedReader(raw, CHUNK)
        compressed = buffered.peek(2)[:2] == b"\x1f\x8b"
        stream = igzip.IGzipFile(fileobj=buffered, mode="rb") if compressed else buffered
        lines, last = 0, b"\n"
        with cursor.copy(extract.COPY_LINES.format(table=table)) as copy:
            try:
                while chunk := stream.read(CHUNK):
                    copy.write(as_copy_text(chunk, after_newline=last == b"\n"))
                    lines += chunk.count(b"\n")
                    last = chunk[-1:]
            except (OSError, EOFError) as exc:
                raise Fallback(f"unreadable gzip data ({exc})") from exc
        raw.drain()
        lines += last != b"\n"
        if cursor.rowcount != lines:  # (a line COPY took for two, or for none)
            raise Fallback(f"{lines} lines read, {cursor.rowcount} copied")
        return raw.sha256.hexdigest()
    finally:
        raw.close()


def as_copy_text(chunk: bytes, *, after_newline: bool) -> bytes:
    """A chunk of JSON Lines in COPY's text format: backslashes doubled (so JSON's escapes, and
    a line such as `\\.`, reach the JSON parser as written) and a blank line as NULL (`\\N`),
    so that every line keeps its number. A tab between two tokens would split the line into
    two columns: COPY then fails and the Python path reads the partition."""
    chunk = chunk.replace(b"\\", b"\\\\")
    if after_newline and chunk[:1] == b"\n":
        chunk = b"\\N" + chunk
    while b"\n\n" in chunk:
        chunk = chunk.replace(b"\n\n", b"\n\\N\n")
    return chunk


def _parse_odd_lines(partition: Partition, cursor) -> int:
    """Parse the lines marked `py` with the Python parser and put its rows in place of the
    SQL's. (A line that does not parse raises SnapshotError here, worded as the Python path
    words it.)"""
    cursor.execute("SELECT line FROM p_work WHERE py ORDER BY line")
    odd = [line for (line,) in cursor.fetchall()]
    if not odd:
        return 0
    for table in extract.PARSED_TABLES:
        cursor.execute(f"DELETE FROM {table} WHERE line = ANY(%s)", [odd])
    rows: dict[str, list[tuple]] = {table: [] for table in extract.PARSED_TABLES}
    for line, record in zip(odd, reread(partition, set(odd), WorkRecord), strict=True):
        _parsed_rows(line, record, rows)
    for table, table_rows in rows.items():
        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in table_rows:
                copy.write_row(row)
    return len(odd)


def _parsed_rows(line: int, record: WorkRecord | None, rows: dict[str, list[tuple]]) -> None:
    if record is None:
        rows["p_work"].append((line, True, False) + (None,) * 22)
        return
    venue = record.venue
    rows["p_work"].append(
        (
            line,
            True,
            True,
            record.openalex_id,
            record.title,
            record.title_markup,
            record.abstract,
            record.type,
            record.publication_date,
            record.date_precision,
            *((venue.name, venue.openalex_id, venue.issn_l, venue.kind) if venue else (None,) * 4),
            record.doi,
            record.arxiv_id,
            orjson.dumps(record.other_ids).decode(),
            record.landing_url,
            record.pdf_url,
            record.code_url,
            record.citation_count,
            bool(record.authors),
            record.complete_byline,
            record.source_updated,
            orjson.dumps(asserted_fields(record)).decode(),
        )
    )
    for ref in record.authors:
        rows["p_ref"].append(
            (line, ref.position, ref.raw_name, ref.orcid, ref.openalex_id, ref.display_name)
        )
        for idx, i in enumerate(ref.institutions):
            row = (line, ref.position, idx, i.name, i.ror_id, i.openalex_id, i.country_code)
            rows["p_inst"].append(row)
    for idx, topic in enumerate(record.topics):
        if topic.code:
            raise Fallback("a topic with a code")
        rows["p_topic"].append((line, idx, topic.name, topic.openalex_id))


def _classify(cursor, stage: WorksStage, stats: PartitionStats) -> None:
    """New, unchanged or deferred, as WorksStage._stage decides."""
    cursor.execute(staged.CLASSIFY)
    cursor.execute("SELECT count(*), count(*) FILTER (WHERE usable) FROM p_work")
    stats.records, usable = cursor.fetchone()
    stats.skipped = stats.records - usable
    cursor.execute("SELECT outcome, array_agg(line) FROM c_class GROUP BY outcome")
    lines = dict(cursor.fetchall())
    stats.created = len(lines.get("create") or [])
    for line in lines.get("defer") or []:
        stage._defer(line)
    cursor.execute(staged.FOUND)
    for line, fields, stored in cursor.fetchall():
        stored = json_value(stored)
        if stored is not None and merge_assertion(stored, json_value(fields)) == stored:
            stats.add("unchanged")
        else:
            stage._defer(line)


def _resolve(cursor, stager: Stager) -> None:
    """The rows the new works bring, in the staging tables."""
    cursor.execute(staged.NEW_WORKS)
    cursor.execute("SELECT count(*) FROM p_topic t JOIN n_work USING (line) WHERE t.oa IS NULL")
    if cursor.fetchone()[0]:
        raise Fallback("a topic known by name only")
    cursor.execute(staged.VENUES, extract.PARAMS)
    cursor.execute(staged.VENUE_ODD, extract.PARAMS)
    if cursor.fetchone()[0]:
        raise Fallback("a venue known by a name that is not ASCII or is cut to fit")
    cursor.execute(staged.TOPICS, extract.PARAMS)
    _new_topics(cursor, stager)
    cursor.execute(staged.AUTHOR_REFS)
    cursor.execute(staged.AUTHOR_CONFLICTS)
    if cursor.fetchone()[0]:
        raise Fallback("a byline identity that depends on the order of the lines")
    cursor.execute(staged.AUTHORS, extract.PARAMS)
    _new_authors(cursor, stager)
    cursor.execute(staged.INSTITUTION_REFS)
    cursor.execute(staged.INSTITUTION_CONFLICTS, extract.PARAMS)
    if cursor.fetchone()[0]:
        raise Fallback("an institution by conflicting identifiers, or by a name not in ASCII")
    cursor.execute(staged.INSTITUTIONS, extract.PARAMS)
    cursor.execute(staged.WORKS, extract.PARAMS)
    stager.flush(cursor)
    for table in (*FILLED, "s_work"):
        cursor.execute(f"SELECT count(*) FROM {table}")
        stager.counts[table] += cursor.fetchone()[0]


def _new_topics(cursor, stager: Stager) -> None:
    """SharedRows._create_topic's slugs: numbered past the ones taken, in creation order."""
    cursor.execute(staged.NEW_TOPICS)
    created = cursor.fetchall()
    if not created:
        return
    cursor.execute("SELECT slug FROM records_topic")
    taken = {slug for (slug,) in cursor.fetchall()}
    for pk, name, openalex_id in created:
        base = topic_slug_base(TopicRecord(name=name, openalex_id=openalex_id))
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        stager.add("s_topic", (pk, name[:200], slug, None, openalex_id))


def _new_authors(cursor, stager: Stager) -> None:
    """WorksStage._author_for's new records: named as printed, names set by the model."""
    cursor.execute(staged.NEW_AUTHORS)
    for pk, raw_name, display_name, orcid, key in cursor.fetchall():
        name = preferred_name(raw_name, display_name) or UNKNOWN_AUTHOR
        stager.add("s_author", new_author_row(pk, name, [], orcid=orcid, openalex_id=key))

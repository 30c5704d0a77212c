"""Loading a snapshot folder partition by partition, each in one transaction.

A partition's rows and its LoadedPartition row commit together, so a crash mid-partition
leaves nothing of it and the next run loads it again; a partition whose size and SHA-256
match its LoadedPartition row is skipped (`force` reloads it, which writes nothing when
nothing changed). On PostgreSQL records are staged with COPY and upserted set-based
(works.py, authors.py, metrics.py); on SQLite each chunk of records goes through the
per-record importer, which is slow but gives the same rows.

On PostgreSQL author metrics are not refreshed partition by partition: each partition keeps
the authors it touched (ingest.SnapshotTouchedAuthor, in its transaction), and once the last
partition of a run is in, their metrics are refreshed in chunks (refresh_pending_metrics),
also when every partition was skipped, so a killed run's pending authors are caught up.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.ingest.importer import import_batch
from apps.ingest.models import LoadedPartition
from apps.ingest.normalized import AuthorRecord, Batch, ParseError, WorkRecord
from apps.ingest.parsers.openalex import parse_merged_ids_csv
from apps.records.models import Author, Authorship, Institution, Provenance, Topic, Venue, Work

from . import set_aside
from .authors import AuthorsStage
from .collector import fewer_collections
from .jsonstage import Ahead, ahead_for, close_ahead, prepare_next, stage_in_database
from .manifest import ENTITIES, ManifestError, Partition, plan_snapshot
from .merges import load_merges
from .metrics import record_touched, refresh_metrics, take_pending
from .outcome import METRICS_KEY, ConcurrentChange, PartitionStats, SnapshotError
from .parallel import InlineLines, Readers, default_workers
from .progress import Progress
from .reader import file_sha256, read_text
from .records import read_records, reread
from .staging import Stager, create_tables
from .works import WorksStage

CHUNK = 5_000  # records looked up, resolved and COPYed together
IMPORTER_CHUNK = 500  # records per import_batch on SQLite
ATTEMPTS = 3  # a partition that lost a race to another writer is loaded again
STAGES = {"works": WorksStage, "authors": AuthorsStage}
STAGING = ("python", "sql")  # how works partitions are staged (settings.SNAPSHOT_STAGING)
PARALLEL_FROM_BYTES = 4 << 20  # smaller partitions are read inline: handing over costs more
METRICS_CHUNK = 500_000  # pending authors refreshed per transaction (an initial load: in bulk)
ANALYZE_FROM_ROWS = 100_000  # a run that wrote this many rows refreshes the planner's statistics
ANALYZED = tuple(  # the tables partitions write
    model._meta.db_table
    for model in (
        Work,
        Authorship,
        Author,
        Provenance,
        Venue,
        Topic,
        Institution,
        Author.institutions.through,
        Authorship.institutions.through,
        Work.topics.through,
    )
)


@fewer_collections()
def load_snapshot(
    folder: Path,
    *,
    entities: Iterable[str] = ENTITIES,
    force: bool = False,
    progress: bool = True,
    report: Callable[[str], None] = print,
    workers: int | None = None,
    staging: str | None = None,
) -> list[PartitionStats]:
    """Load every partition of the snapshot at `folder` that is not loaded yet, then its
    merged ids. Raises SnapshotError (one line) for what cannot be loaded; partitions
    loaded before it stay loaded. `workers`: reader processes (see default_workers);
    `staging`: "python" or "sql" (default settings.SNAPSHOT_STAGING; see staging_design)."""
    staging = staging_design(staging)
    try:
        plan = plan_snapshot(Path(folder), tuple(entities))
    except ManifestError as exc:
        raise SnapshotError(str(exc)) from exc
    bar = Progress(plan, enabled=progress, report=report)
    for warning in plan.warnings:
        bar.write(f"warning: {warning}")
    results, readers = [], Readers(default_workers() if workers is None else workers)
    done = _Done(force, staging)
    ahead = ahead_for(staging)
    written, analyzed = 0, False
    try:
        set_aside.set_aside(_incoming(plan.partitions, done), bar.write)
        try:
            for i, partition in enumerate(plan.partitions):
                if partition.is_merge_file and not analyzed:
                    analyzed = analyze_after_bulk(written, bar.write)
                later = (p.path for p in islice(plan.partitions, i, None) if _reads_ahead(p, done))
                readers.read_ahead(islice(later, readers.workers + 1))
                if ahead is not None:
                    prepare_next(ahead, plan.partitions[i + 1 :], done)
                stats = load_partition(
                    partition,
                    force=force,
                    bar=bar,
                    readers=readers,
                    done=done(partition),
                    staging=staging,
                    ahead=ahead,
                )
                bar.write(stats.line())
                results.append(stats)
                written += stats.rows_written
        finally:
            readers.close()
            bar.close()
            if ahead is not None:
                close_ahead(ahead)
        if not analyzed:
            analyze_after_bulk(written, report)
        if (metrics := refresh_pending_metrics()) is not None:
            report(metrics.line())
            results.append(metrics)
    except Exception:
        _restore_after_failure(report)
        raise
    set_aside.restore(report)
    return results


def staging_design(staging: str | None = None) -> str:
    """How works partitions are staged on PostgreSQL: "python" (reader processes parse the
    lines; works.py and resolve.py stage the records) or "sql" (the lines are COPYed into a
    jsonb table and staged by set-based SQL, jsonstage.py). Both stage the same rows;
    docs/benchmarks.md ("Staging in the database") compares them."""
    chosen = staging or getattr(settings, "SNAPSHOT_STAGING", "python")
    if chosen not in STAGING:
        raise SnapshotError(f"unknown staging {chosen!r}: expected one of {', '.join(STAGING)}")
    return chosen


def _restore_after_failure(report: Callable[[str], None]) -> None:
    """A failed run puts back what it set aside. If even that fails (the database went
    away), the run's own error is the one to show; the next run puts them back."""
    try:
        set_aside.restore(report)
    except Exception as exc:  # the run's own error follows
        report(f"search indexes and foreign keys not put back ({exc}); the next run does")


def _incoming(partitions: list[Partition], done: _Done) -> dict[str, int]:
    """Records the run's partitions bring (as their manifests count them), by the table
    they fill: what set_aside.set_aside weighs against the rows already there."""
    tables = {"works": "records_work", "authors": "records_author"}
    incoming = dict.fromkeys(tables.values(), 0)
    for partition in partitions:
        if partition.entity in tables and not partition.is_merge_file and not done(partition):
            incoming[tables[partition.entity]] += partition.record_count or 0
    return incoming


def analyze_after_bulk(rows_written: int, report: Callable[[str], None]) -> bool:
    """ANALYZE the tables partitions write, once a run has written ANALYZE_FROM_ROWS rows,
    before the merged ids and the metrics refresh query them. Without fresh statistics
    PostgreSQL plans for the empty tables it last sampled (a merge's metrics refresh then
    scans where it would probe an index); autovacuum would get there only later, and not at
    all where it is off. True if it ran."""
    if connection.vendor != "postgresql" or rows_written < ANALYZE_FROM_ROWS:
        return False
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(ANALYZED)}")
    report(f"analyzed {len(ANALYZED)} tables in {time.monotonic() - started:.1f} s")
    return True


def refresh_pending_metrics(chunk: int | None = None) -> PartitionStats | None:
    """Refresh the metrics of every author a partition touched (ingest.SnapshotTouchedAuthor),
    `chunk` authors a transaction, each deleting its authors' rows as it commits. None when
    nothing was pending (or off PostgreSQL, where the importer refreshes as it goes)."""
    if connection.vendor != "postgresql":
        return None
    stats, started = PartitionStats(METRICS_KEY), time.monotonic()
    while True:
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                create_tables(cursor)
                taken = take_pending(cursor, chunk or METRICS_CHUNK)
                if not taken:
                    break
                stats.records += taken
                stats.rows_written += refresh_metrics(cursor, set(), timezone.now())
    stats.seconds = stats.phases[METRICS_KEY] = time.monotonic() - started
    return stats if stats.records else None


def load_partition(
    partition: Partition,
    *,
    force: bool,
    bar: Progress,
    readers: Readers,
    done: bool | None = None,
    staging: str | None = None,
    ahead: Ahead | None = None,
) -> PartitionStats:
    """Load one partition, unless it is loaded already (`done`, if the caller knows)."""
    staging = staging_design(staging)
    if not force and (already_loaded(partition) if done is None else done):
        bar.skip(partition)
        return PartitionStats(partition.key, already_loaded=True)
    for attempt in range(1, ATTEMPTS + 1):
        mark = bar.mark()
        try:
            return _load_once(partition, bar, readers, staging, ahead)
        except (ConcurrentChange, IntegrityError) as exc:
            bar.rewind(mark)
            if attempt == ATTEMPTS:
                raise SnapshotError(f"{partition.key}: {exc}".splitlines()[0]) from exc
    raise AssertionError("unreachable")


class _Done:
    """already_loaded, asked once per partition in a run (it hashes the file)."""

    def __init__(self, force: bool, staging: str = "python") -> None:
        self.force, self.staging = force, staging
        self._known: dict[str, bool] = {}

    def __call__(self, partition: Partition) -> bool:
        if self.force:
            return False
        if partition.key not in self._known:
            self._known[partition.key] = already_loaded(partition)
        return self._known[partition.key]


def _reads_ahead(partition: Partition, done: _Done) -> bool:
    """Whether a reader process may read this partition before the loader gets to it (not
    a works partition the database stages from its raw lines)."""
    return (
        connection.vendor == "postgresql"
        and partition.entity in STAGES
        and not (partition.entity == "works" and done.staging == "sql")
        and not partition.is_merge_file
        and _parallel(partition)
        and not done(partition)
    )


def _parallel(partition: Partition) -> bool:
    """Whether a reader process reads this partition (smaller ones are read inline)."""
    return partition.size >= PARALLEL_FROM_BYTES


def already_loaded(partition: Partition) -> bool:
    done = LoadedPartition.objects.filter(entity=partition.entity, path=partition.key).first()
    return (
        done is not None
        and done.size == partition.size
        and done.sha256 == file_sha256(partition.path)
    )


def _load_once(
    partition: Partition, bar: Progress, readers: Readers, staging: str, ahead: Ahead | None
) -> PartitionStats:
    started, now = time.monotonic(), timezone.now()
    stats = PartitionStats(partition.key)
    with transaction.atomic():
        if partition.is_merge_file:
            _load_merge_file(partition, stats)
        elif connection.vendor == "postgresql":
            _load_set_based(partition, stats, now, bar, readers, staging, ahead)
        else:
            _load_with_importer(partition, stats, now, bar)
        stats.seconds = time.monotonic() - started
        _mark_loaded(partition, stats, now)
        clock = time.monotonic()
    stats.phases["commit"] = time.monotonic() - clock  # deferred foreign keys are checked here
    stats.seconds = time.monotonic() - started
    return stats


def _mark_loaded(partition: Partition, stats: PartitionStats, now: datetime.datetime) -> None:
    LoadedPartition.objects.update_or_create(
        entity=partition.entity,
        path=partition.key,
        defaults={
            "size": partition.size,
            "sha256": stats.sha256 or file_sha256(partition.path),
            "record_count": stats.records,
            "rows_created": stats.created,
            "rows_updated": stats.updated,
            "seconds": round(stats.seconds, 3),
            "loaded_at": now,
        },
    )


# PostgreSQL -------------------------------------------------------------------------------------


def _load_set_based(
    partition: Partition,
    stats: PartitionStats,
    now: datetime.datetime,
    bar: Progress,
    readers: Readers,
    staging: str,
    ahead: Ahead | None = None,
) -> None:
    connection.ensure_connection()
    clock = time.monotonic()
    with connection.connection.cursor() as cursor:
        # Each of a partition's big INSERT … SELECTs runs once, so compiling it costs more
        # than it saves (docs/benchmarks.md, "Reader processes and no JIT"). The metrics
        # refresh's aggregations keep it.
        cursor.execute("SET LOCAL jit = off")
        stage = stage_partition(partition, cursor, Stager(), stats, bar, readers, staging, ahead)
        clock = _lap(stats, "staging", clock)
        stage.apply(now)
        clock = _lap(stats, "writing", clock)
        if stage.deferred_lines:
            lines = stage.deferred_lines
            stage.run_deferred(reread(partition, lines, stage.record_type), now)
            clock = _lap(stats, "importer", clock)
        record_touched(cursor, stats.touched_authors)  # refreshed after the run's last partition
        _lap(stats, "touched", clock)


def _lap(stats: PartitionStats, phase: str, since: float) -> float:
    now = time.monotonic()
    stats.phases[phase] = now - since
    return now


def stage_partition(
    partition: Partition,
    cursor,
    stager: Stager,
    stats: PartitionStats,
    bar: Progress,
    readers: Readers | None = None,
    staging: str | None = None,
    ahead: Ahead | None = None,
) -> WorksStage | AuthorsStage:
    """Parse the partition and COPY what it adds into the staging tables (the loader's
    staging step); a works partition with `staging` "sql" is staged by jsonstage.py, unless
    it sends the partition back here."""
    if partition.entity == "works" and staging_design(staging) == "sql":
        if stage := stage_in_database(partition, cursor, stager, stats, bar, ahead):
            return stage
        readers = None  # no reader was handed this partition: read it here
    stats.staged_by = stats.staged_by or "python"
    create_tables(cursor)
    stage = STAGES[partition.entity](cursor, stager, stats)
    lines = (readers or Readers()).lines(partition.path, parallel=_parallel(partition))
    try:
        records = read_records(partition, lines, stage.record_type, stats)
        while chunk := list(islice(records, CHUNK)):
            stage.stage_chunk(chunk)
            bar.advance(len(chunk), lines.bytes_read)
    finally:
        lines.close()
    stats.sha256 = lines.sha256
    return stage


# SQLite (or any other database): the per-record importer ----------------------------------------


def _load_with_importer(
    partition: Partition, stats: PartitionStats, now: datetime.datetime, bar: Progress
) -> None:
    record_type = STAGES[partition.entity].record_type
    lines = InlineLines(partition.path)
    records = read_records(partition, lines, record_type, stats)
    while chunk := [record for _, record in islice(records, IMPORTER_CHUNK)]:
        works = [r for r in chunk if isinstance(r, WorkRecord)]
        authors = [r for r in chunk if isinstance(r, AuthorRecord)]
        result = import_batch(Batch(works=works, authors=authors), now=now)
        stats.created += result.created
        stats.updated += result.updated
        stats.unchanged += result.unchanged
        stats.skipped += result.skipped
        bar.advance(len(chunk), lines.bytes_read)
    stats.sha256 = lines.sha256
    stats.rows_written = stats.created + stats.updated


def _load_merge_file(partition: Partition, stats: PartitionStats) -> None:
    try:
        pairs = parse_merged_ids_csv(read_text(partition.path))
    except ParseError as exc:
        raise SnapshotError(f"{partition.key}: {exc}") from exc
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            load_merges(cursor, pairs, stats)
    else:
        result = import_batch(Batch(merged=pairs))
        stats.records, stats.created = len(pairs), result.merged
        stats.unchanged, stats.rows_written = len(pairs) - result.merged, result.merged

"""Reading a partition's records: each one checked to be of the partition's entity, and a
line that does not parse named in one SnapshotError."""

from __future__ import annotations

from collections.abc import Iterator

from apps.ingest.normalized import AuthorRecord, ParseError, WorkRecord

from .manifest import Partition
from .outcome import PartitionStats, SnapshotError
from .parallel import InlineLines, ReadLines, batches, parse_batch
from .reader import HashingReader, iter_lines
from .works import PreparedWork


def read_records(
    partition: Partition,
    lines: InlineLines | ReadLines,
    record_type: type,
    stats: PartitionStats,
) -> Iterator[tuple[int, WorkRecord | AuthorRecord]]:
    """(line number, record) for every usable record; SnapshotError names the line of the
    first one that does not parse."""
    try:
        for batch in lines:
            for number, record, error in batch:
                _check(partition, number, record, error, record_type)
                stats.records += 1
                if record is None:
                    stats.skipped += 1
                else:
                    yield number, record
    except ParseError as exc:  # a damaged gzip stream, or a reader that stopped
        raise SnapshotError(f"{partition.key}: {exc}") from exc


def _check(partition: Partition, number: int, record, error: str | None, record_type: type):
    if error is not None:
        raise SnapshotError(f"{partition.key} line {number}: {error}")
    if isinstance(record, PreparedWork):
        record = record.record
    if record is not None and not isinstance(record, record_type):
        kind = "an author" if isinstance(record, AuthorRecord) else "a work"
        raise SnapshotError(
            f"{partition.key} line {number}: {kind} in the {partition.entity} partition"
        )


def reread(partition: Partition, wanted: set[int], record_type: type) -> Iterator:
    """The records on the `wanted` lines, read again (a second pass costs less memory than
    keeping every record of a large partition)."""
    raw = HashingReader(partition.path)
    try:
        lines = ((n, line) for n, line in iter_lines(partition.path, raw) if n in wanted)
        for batch in batches(lines):
            for number, record, error in parse_batch(batch):
                _check(partition, number, record, error, record_type)
                yield record
    finally:
        raw.close()

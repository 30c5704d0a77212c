"""Parsing partition lines in worker processes while the main process stages.

The parser is most of a partition's CPU time, and it is pure, so batches of lines go to a
pool of spawned processes (not forked: a forked child would share the database connection)
and come back as records, in order. At most a few batches are in flight, so a 2 GB partition
is never read ahead into memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass, replace

from apps.ingest.normalized import AuthorRecord, ParseError, WorkRecord
from apps.ingest.parsers.openalex import parse_snapshot_line

BATCH = 1_000  # lines per task
IN_FLIGHT = 3  # batches queued per worker
Parsed = tuple[int, WorkRecord | AuthorRecord | None, str | None]  # line, record, error


def default_workers() -> int:
    """Parser processes for the cores left once the staging process and PostgreSQL have one
    each; none below four cores, where handing lines over costs what parsing them does
    (measured on two cores: no gain), and at most four, past which staging is the limit."""
    return min(max((os.cpu_count() or 1) - 2, 0), 4) if (os.cpu_count() or 1) >= 4 else 0


def parse_batch(batch: list[tuple[int, bytes]]) -> list[Parsed]:
    """(line number, record or None if unusable, None) for each non-blank line, and
    (line number, None, error) for the first line that does not parse, which ends the batch."""
    parsed = []
    for number, line in batch:
        if not line.strip():
            continue
        try:
            record = parse_snapshot_line(line)
        except ParseError as exc:
            parsed.append((number, None, str(exc)))
            break
        if record is not None and b"\\u0000" in line:
            record = without_nul(record)  # PostgreSQL text cannot hold U+0000
        parsed.append((number, record, None))
    return parsed


def without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {k: without_nul(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: without_nul(getattr(value, f.name)) for f in fields(value)}
        return replace(value, **changes)
    return value


def batches(lines: Iterable[tuple[int, bytes]], size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in lines:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class ParserPool:
    """Parses batches inline, or in `workers` processes started on first use."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers
        self._pool = None

    def parse(self, lines: Iterable[tuple[int, bytes]], *, parallel: bool) -> Iterator[Parsed]:
        if not (parallel and self.workers):
            for batch in batches(lines):
                yield from parse_batch(batch)
            return
        pool, pending = self._started(), deque()
        for batch in batches(lines):
            pending.append(pool.apply_async(parse_batch, (batch,)))
            if len(pending) >= self.workers * IN_FLIGHT:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def start(self) -> None:
        """Start the workers now (they take a second or so to import Django)."""
        if self.workers:
            self._started()

    def _started(self):
        if self._pool is None:
            import django  # the workers unpickle records of Django apps' modules

            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self.workers, initializer=django.setup)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

"""Reading and parsing partition files in spawned processes, ahead of the loader.

Parsing is most of a partition's CPU time, and it is pure. So a reader process reads a
partition file itself (gunzip, SHA-256, lines, parse) and sends back batches of records
while the loader stages the batches before them. The loader also hands the readers the
partitions after the one it is loading, so a reader parses partition N+1 while PostgreSQL
writes and commits partition N, a phase in which the loader itself only waits.

A reader also prepares each work for staging (works.prepare_work: its provenance as JSON,
the importer's values for a new work), which needs no database.

Readers are spawned, not forked: a forked child would share the database connection. Each
reader's queue holds at most AHEAD batches, so a 2 GB partition is never read ahead into
memory. Without readers (one core, SQLite, small partitions) the same code runs inline.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

from apps.ingest.normalized import AuthorRecord, ParseError, WorkRecord
from apps.ingest.parsers.openalex import parse_snapshot_line

from .reader import HashingReader, iter_lines
from .works import PreparedWork, prepare_work

BATCH = 1_000  # lines per batch
AHEAD = 64  # batches a reader may have parsed that the loader has not taken yet
POLL = 5.0  # seconds between checks that a silent reader is still alive
# (line, record, error); a work comes prepared for staging when asked (parse_batch)
Parsed = tuple[int, WorkRecord | PreparedWork | AuthorRecord | None, str | None]


def default_workers() -> int:
    """Reader processes: one per core left once the loader has one, at most four (each is
    a partition read ahead); none on one core, where a reader only takes the loader's turn."""
    cores = os.cpu_count() or 1
    return min(cores - 1, 4) if cores > 1 else 0


def parse_batch(batch: list[tuple[int, bytes]], *, prepare: bool = False) -> list[Parsed]:
    """(line number, record or None if unusable, None) for each non-blank line, and
    (line number, None, error) for the first line that does not parse, which ends the batch.
    With `prepare`, each work record comes as a works.PreparedWork (the staging step's)."""
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
        if prepare and isinstance(record, WorkRecord):
            record = prepare_work(record)
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


def ends_badly(batch: list[Parsed]) -> bool:
    return bool(batch) and batch[-1][2] is not None


# A partition's lines, read here or in a reader ----------------------------------------------


class InlineLines:
    """A partition's parsed lines, batch by batch, read in this process (works prepared for
    staging, with `prepare`). After the last batch `sha256` holds the file's hash;
    `bytes_read` counts compressed bytes as they go. A damaged gzip stream raises ParseError."""

    def __init__(self, path: Path, *, prepare: bool = False) -> None:
        self.path, self.prepare = path, prepare
        self.bytes_read, self.sha256 = 0, None

    def __iter__(self) -> Iterator[list[Parsed]]:
        raw = HashingReader(self.path)
        try:
            for batch in batches(iter_lines(self.path, raw)):
                parsed = parse_batch(batch, prepare=self.prepare)
                self.bytes_read = raw.bytes_read
                yield parsed
                if ends_badly(parsed):
                    return
            self.bytes_read, self.sha256 = raw.bytes_read, raw.sha256.hexdigest()
        finally:
            raw.close()

    def close(self) -> None:
        """(Nothing to give back: the file closes with the iteration.)"""


class ReadLines:
    """The same, read by a reader process: its messages for this partition, in order."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.bytes_read, self.sha256 = 0, None
        self._finished = False

    def __iter__(self) -> Iterator[list[Parsed]]:
        while not self._finished:
            kind, value, self.bytes_read = self.reader.receive()
            if kind == "batch":
                yield value
            elif kind == "end":
                self.sha256, self._finished = value, True
                self.reader.finished()
            else:
                self.close()
                raise ParseError(value)

    def close(self) -> None:
        """Stop the reader if this partition was left half read: its next messages would
        be this partition's, not the next one's."""
        if not self._finished:
            self._finished = True
            self.reader.reset()


def read_partition(path: Path, send: Callable[[tuple], None]) -> None:
    """A reader's work for one partition: ("batch", parsed, bytes read) messages, then
    ("end", sha256, bytes read), or ("error", one line, bytes read) for a file it cannot
    read. A batch that ends on a line that does not parse is the last one."""
    lines = InlineLines(path, prepare=True)
    try:
        for parsed in lines:
            send(("batch", parsed, lines.bytes_read))
        send(("end", lines.sha256, lines.bytes_read))
    except ParseError as exc:
        send(("error", str(exc), lines.bytes_read))
    except Exception as exc:  # the loader must hear of it, or it would wait for ever
        send(("error", f"reader process: {type(exc).__name__}: {exc}", lines.bytes_read))


def serve(tasks, results) -> None:
    """A reader process's loop: partitions (paths) in, messages out, until None."""
    while (path := tasks.get()) is not None:
        read_partition(Path(path), results.put)


# The reader processes -----------------------------------------------------------------------


class Reader:
    """One spawned reader process, started on first use, and the partitions handed to it
    whose end the loader has not yet taken (it reads them in that order)."""

    def __init__(self) -> None:
        self.pending: deque[Path] = deque()
        self.process = self._tasks = self._results = None

    def submit(self, path: Path) -> None:
        self.start()
        self._tasks.put(str(path))
        self.pending.append(path)

    def start(self) -> None:
        """Start the process, unless it runs (it takes a second or so to import Django)."""
        if self.process is not None:
            return
        from apps.ingest.snapshot_process import run_reader

        context = multiprocessing.get_context("spawn")
        self._tasks, self._results = context.Queue(), context.Queue(AHEAD)
        self._tasks.cancel_join_thread()  # (paths only: nothing to flush at exit)
        self.process = context.Process(
            target=run_reader, args=(self._tasks, self._results), daemon=True
        )
        self.process.start()

    def receive(self) -> tuple:
        while True:
            try:
                return self._results.get(timeout=POLL)
            except queue.Empty:
                if not self.process.is_alive():
                    code = self.process.exitcode
                    self.reset()
                    raise ParseError(f"the reader process stopped (exit code {code})") from None

    def finished(self) -> None:
        self.pending.popleft()

    def reset(self) -> None:
        """Stop the process and forget what it was given (the next submit starts another)."""
        if self.process is not None:
            self.process.terminate()
            self.process.join(10)
            for channel in (self._tasks, self._results):
                channel.close()
        self.process = self._tasks = self._results = None
        self.pending.clear()


class Readers:
    """`workers` reader processes, or none (every partition is then read inline)."""

    def __init__(self, workers: int = 0) -> None:
        self.readers = [Reader() for _ in range(workers)]

    @property
    def workers(self) -> int:
        return len(self.readers)

    def lines(self, path: Path, *, parallel: bool) -> InlineLines | ReadLines:
        """The partition's lines: from the reader it was handed to, if it is that reader's
        next one; else from an idle reader (one that is busy elsewhere is stopped first)."""
        if not (parallel and self.readers):
            return InlineLines(path, prepare=True)
        reader = next((r for r in self.readers if r.pending and r.pending[0] == path), None)
        if reader is None:
            reader = next((r for r in self.readers if not r.pending), self.readers[0])
            if reader.pending:
                reader.reset()
            reader.submit(path)
        return ReadLines(reader)

    def read_ahead(self, paths: Iterable[Path]) -> None:
        """Hand these partitions (the next ones the loader will take, in order) to the
        least busy readers, those not handed out yet."""
        if not self.readers:
            return
        for path in paths:
            if not any(path in r.pending for r in self.readers):
                min(self.readers, key=lambda r: len(r.pending)).submit(path)

    def start(self) -> None:
        """Start the processes now, before they are needed."""
        for reader in self.readers:
            reader.start()

    def close(self) -> None:
        for reader in self.readers:
            reader.reset()

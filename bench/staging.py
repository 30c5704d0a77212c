"""What only the snapshot benchmark needs from the loader's staging step: a stager that keeps
the rows it staged (raw COPY, the baseline, COPYs the very same rows again) and the reader
processes' ids (their CPU time is read from /proc). Import after django.setup()."""

from __future__ import annotations

from collections import defaultdict

from apps.ingest.snapshot.parallel import Readers
from apps.ingest.snapshot.staging import Stager


class CapturingStager(Stager):
    """A Stager that also keeps every row it staged."""

    def __init__(self) -> None:
        super().__init__()
        self.captured: dict[str, list[tuple]] = defaultdict(list)

    def add(self, table: str, row: tuple) -> None:
        super().add(table, row)
        self.captured[table].append(row)


def reader_pids(readers: Readers) -> list[int]:
    """The process ids of the readers that run."""
    return [r.process.pid for r in readers.readers if r.process is not None]

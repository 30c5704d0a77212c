"""One progress bar over the whole load: records/s and ETA against the manifests' counts."""

from __future__ import annotations

from collections.abc import Callable

from tqdm import tqdm

from .manifest import Partition, Plan


class Progress:
    """Counts records when every partition's record_count is known from a manifest, else
    compressed bytes read (files on disk the manifest does not list have no count)."""

    def __init__(self, plan: Plan, *, enabled: bool, report: Callable[[str], None]) -> None:
        self.report, self.enabled = report, enabled
        self.by_bytes = plan.total_records is None
        self.bar = tqdm(
            total=plan.total_bytes if self.by_bytes else plan.total_records,
            unit="B" if self.by_bytes else " records",
            unit_scale=True,
            smoothing=0.05,
            dynamic_ncols=True,
            disable=not enabled,
        )
        self._partition_bytes = 0

    def advance(self, records: int, bytes_read: int) -> None:
        if self.by_bytes:
            self.bar.update(bytes_read - self._partition_bytes)
            self._partition_bytes = bytes_read
        else:
            self.bar.update(records)

    def skip(self, partition: Partition) -> None:
        self.bar.update(partition.size if self.by_bytes else partition.record_count or 0)

    def mark(self) -> float:
        """Where the bar stands, so a partition that is loaded again can start over."""
        self._partition_bytes = 0
        return self.bar.n

    def rewind(self, mark: float) -> None:
        self.bar.n = mark
        self._partition_bytes = 0
        self.bar.refresh()

    def write(self, line: str) -> None:
        if self.enabled:
            self.bar.write(line)
        else:
            self.report(line)

    def close(self) -> None:
        self.bar.close()

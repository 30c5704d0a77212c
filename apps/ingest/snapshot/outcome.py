"""What loading a partition did, and how it can fail."""

from __future__ import annotations

from dataclasses import dataclass, field

METRICS_KEY = "metrics"  # PartitionStats.key of a run's deferred metrics refresh


class SnapshotError(Exception):
    """A snapshot the loader cannot load: missing folder, malformed manifest, a partition
    line that does not parse. The message is one readable line."""


class ConcurrentChange(Exception):
    """Another writer created a row this partition was about to create (a work with the same
    DOI, an author with the same ORCID iD). The partition's transaction is rolled back and
    the partition loaded again, now finding that row."""


@dataclass
class PartitionStats:
    key: str
    records: int = 0  # lines that held a record
    created: int = 0  # works or authors (records) new to the database
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # unusable records (no title and no identifier, "Deleted Author")
    deferred: int = 0  # records handed to the per-record importer (see works.py)
    rows_written: int = 0  # rows inserted or updated in any table, metrics included
    seconds: float = 0.0  # wall time, commit included
    phases: dict[str, float] = field(default_factory=dict, repr=False)  # staging, writing, ...
    sha256: str = ""
    already_loaded: bool = False
    touched_authors: set[int] = field(default_factory=set, repr=False)
    staged_by: str = ""  # a works partition's staging design ("sql", or "python (why)")

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def line(self) -> str:
        if self.already_loaded:
            return f"{self.key}: already loaded, skipped"
        if self.key == METRICS_KEY:
            return (
                f"metrics: {self.records} authors refreshed; {self.rows_written} rows written; "
                f"{self.seconds:.1f} s"
            )
        return (
            f"{self.key}: {self.records} records, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.skipped} skipped; "
            f"{self.rows_written} rows written; {self.seconds:.1f} s"
        )

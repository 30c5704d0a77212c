"""Bookkeeping for the OpenAlex snapshot loader (apps/ingest/snapshot/). Imported by models.py."""

from __future__ import annotations

from django.db import models


class LoadedPartition(models.Model):
    """One snapshot file that was loaded completely. Written in the same transaction as the
    rows it produced, so a crash mid-file leaves neither and a re-run loads the file again;
    a file with the same size and SHA-256 as its row here is skipped."""

    entity = models.CharField(max_length=40)  # works, authors, merged_ids/authors, ...
    # Relative to the snapshot folder (works/updated_date=2023-05-16/part_000.gz), so the
    # folder can move without every partition loading again.
    path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    record_count = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    loaded_at = models.DateTimeField()

    class Meta:
        app_label = "ingest"
        constraints = [
            models.UniqueConstraint(fields=["entity", "path"], name="loadedpartition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.path} ({self.record_count} records)"


class SnapshotTouchedAuthor(models.Model):
    """An author whose metrics a loaded partition made stale. Written in the partition's
    transaction; the loader refreshes these authors' metrics once, after the last partition
    of a run, and deletes the rows in the same transaction as the refresh. So a killed run
    leaves its pending authors here and the next run (even one that skips every partition)
    refreshes them."""

    author_id = models.BigIntegerField(primary_key=True)  # no foreign key: bookkeeping only

    class Meta:
        app_label = "ingest"

    def __str__(self) -> str:
        return f"metrics pending for author {self.author_id}"


class SetAside(models.Model):
    """A search index or foreign key a bulk load dropped while it runs (snapshot/set_aside.py),
    and the statement that puts it back. Written when it is dropped, in the same transaction;
    deleted when it is back. A killed load leaves its rows here, and the next run of the
    loader (even one that loads nothing) puts them back at its end."""

    name = models.CharField(max_length=63, unique=True)  # PostgreSQL's identifier limit
    table = models.CharField(max_length=63)
    definition = models.TextField()  # CREATE INDEX … or ALTER TABLE … ADD CONSTRAINT …
    set_aside_at = models.DateTimeField()

    class Meta:
        app_label = "ingest"

    def __str__(self) -> str:
        return f"{self.name} on {self.table}, set aside at {self.set_aside_at:%Y-%m-%d %H:%M}"

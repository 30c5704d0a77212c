"""Importing a parsed batch: one transaction, counts by outcome."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.ingest.hooks import works_created
from apps.ingest.models import MergedId
from apps.ingest.normalized import Batch
from apps.records.models import Author, Work
from apps.records.services import author_merge_into, author_metrics_refresh

from .authors import author_upsert
from .clean import batch_clean
from .lookups import Lookups
from .works import work_upsert


@dataclass
class ImportStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    merged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __iadd__(self, other: ImportStats) -> ImportStats:
        for name in ("created", "updated", "unchanged", "skipped", "merged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def line(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped"
        )


def import_batch(batch: Batch, *, now: datetime.datetime | None = None) -> ImportStats:
    """Upsert everything in `batch` in one transaction: all of it lands, or none of it.
    Metrics of every author whose works changed are recomputed before it commits. A batch
    that cannot be stored as it is raises UnusableRecord (a ParseError) before any write."""
    now = now or timezone.now()
    batch = batch_clean(batch)
    stats, lookups = ImportStats(), Lookups()
    with transaction.atomic():
        for old, new in batch.merged:
            stats.merged += _apply_merge(old, new)
        for work in batch.works:
            stats.add(work_upsert(work, lookups, now))
        for author in batch.authors:
            stats.add(author_upsert(author, lookups, now))
        stats.skipped += batch.skipped
        if lookups.touched_authors:
            author_metrics_refresh(lookups.touched_authors)
        if lookups.created_works:
            created = sorted(lookups.created_works)
            transaction.on_commit(lambda: works_created(created))
    return stats


def _apply_merge(old: str, new: str) -> int:
    """Record an OpenAlex merge and apply it to rows we hold. Returns 1 if it was new."""
    _, made = MergedId.objects.update_or_create(old_id=old, defaults={"new_id": new})
    model = Author if old.startswith("A") else Work if old.startswith("W") else None
    stale = model.objects.filter(openalex_id=old).first() if model else None
    if stale is None:
        return int(made)
    survivor = model.objects.filter(openalex_id=new).first()
    if survivor is None:
        model.objects.filter(pk=stale.pk).update(openalex_id=new)
    elif model is Author:
        author_merge_into(stale, survivor)
    # Two rows for one OpenAlex work: left as they are; their DOIs/arXiv ids keep them apart.
    return int(made)

"""Trust tasks take ids, call a service, return; every one is idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from apps.records.models import Author, Authorship

from . import services

NIGHTLY_CHUNK = 500


@shared_task(name="trust.recompute_authors")
def recompute_authors(author_ids: list[int], cause: str = "inputs changed") -> int:
    return services.trust_recompute_many(author_ids, cause=cause)


@shared_task(name="trust.recompute_all")
def recompute_all() -> int:
    """Nightly: every standing record, by id in chunks (each chunk its own transaction), so
    time-based inputs (recency, tenure) and co-authors' levels stay current."""
    changed, last = 0, 0
    while True:
        ids = list(
            Author.objects.active()
            .filter(id__gt=last)
            .order_by("id")
            .values_list("id", flat=True)[:NIGHTLY_CHUNK]
        )
        if not ids:
            return changed
        changed += services.trust_recompute_many(ids, cause="nightly")
        last = ids[-1]


def works_created(work_ids: list[int]) -> None:
    """ingest.hooks.on_works_created (after the import commits): rescore their authors."""
    ids = list(
        Authorship.objects.filter(work_id__in=work_ids)
        .values_list("author_id", flat=True)
        .distinct()
    )
    if ids:
        transaction.on_commit(lambda: recompute_authors.delay(ids, "refresh"))

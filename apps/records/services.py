"""Services over public records: the writes that cross rows (STYLE.md rung 4)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .metrics import CLOSE_COLLABORATOR_MIN_SHARED, h_index
from .models import Author, Authorship, AuthorTopic, CoAuthorship, VerificationLevel, Work


def _refresh_one(author_id: int) -> set[int]:
    """Recompute one author's metrics, topic counts and co-author edges (both directions).
    Returns the co-authors whose edges changed, so their counts can follow."""
    work_ids = list(
        Authorship.objects.visible().filter(author_id=author_id).values_list("work_id", flat=True)
    )
    citations = list(Work.objects.filter(id__in=work_ids).values_list("citation_count", flat=True))
    topic_counts = (
        Work.topics.through.objects.filter(work_id__in=work_ids)
        .values("topic_id")
        .annotate(n=Count("work_id"))
    )
    coauthor_counts = (
        Authorship.objects.visible()
        .filter(work_id__in=work_ids)
        .exclude(author_id=author_id)
        .values("author_id")
        .annotate(n=Count("work_id"))
    )
    AuthorTopic.objects.filter(author_id=author_id).delete()
    AuthorTopic.objects.bulk_create(
        AuthorTopic(author_id=author_id, topic_id=row["topic_id"], works_count=row["n"])
        for row in topic_counts
    )
    old = set(
        CoAuthorship.objects.filter(author_id=author_id).values_list("coauthor_id", flat=True)
    )
    CoAuthorship.objects.filter(author_id=author_id).delete()
    CoAuthorship.objects.filter(coauthor_id=author_id).delete()
    edges = [(row["author_id"], row["n"]) for row in coauthor_counts]
    CoAuthorship.objects.bulk_create(
        [CoAuthorship(author_id=author_id, coauthor_id=c, shared_works=n) for c, n in edges]
        + [CoAuthorship(author_id=c, coauthor_id=author_id, shared_works=n) for c, n in edges]
    )
    Author.objects.filter(id=author_id).update(
        works_count=len(work_ids),
        citation_count=sum(citations),
        h_index=h_index(citations),
        topics_count=len(topic_counts),
        metrics_updated_at=timezone.now(),
    )
    return old | {c for c, _ in edges}


def _refresh_collaborator_counts(author_ids: Iterable[int]) -> None:
    close = (
        CoAuthorship.objects.filter(
            author_id=OuterRef("pk"), shared_works__gte=CLOSE_COLLABORATOR_MIN_SHARED
        )
        .values("author_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    Author.objects.filter(id__in=list(author_ids)).update(
        collaborators_count=Coalesce(Subquery(close), 0)
    )


@transaction.atomic
def author_metrics_refresh(author_ids: Iterable[int]) -> None:
    """Recompute metrics for these authors from the works their records show.

    Call it whenever an authorship's status, a work's citations or topics, or a byline
    changes; pages read the stored numbers and never compute them. Idempotent."""
    ids = set(author_ids)
    touched = set(ids)
    for author_id in sorted(ids):
        touched |= _refresh_one(author_id)
    _refresh_collaborator_counts(touched)
    author_levels_sync(ids)


def works_changed(work_ids: Iterable[int]) -> None:
    """Keep the metrics of everyone on these works' bylines current."""
    author_ids = set(
        Authorship.objects.filter(work_id__in=list(work_ids)).values_list("author_id", flat=True)
    )
    author_metrics_refresh(author_ids)


def author_levels_sync(author_ids: Iterable[int]) -> None:
    """Set L0/L1 from identifiers on records nobody has verified further (L2/L3 belong to the
    claiming and trust services and are never lowered here)."""
    below_l2 = Author.objects.filter(id__in=list(author_ids), verification_level__lt=2)
    below_l2.filter(orcid__isnull=False).update(verification_level=VerificationLevel.L1)
    below_l2.filter(orcid__isnull=True).update(verification_level=VerificationLevel.L0)


@transaction.atomic
def author_merge_into(duplicate: Author, survivor: Author) -> None:
    """Fold a duplicate record into the one that survives: its authorships move over (where
    the survivor is not already on the work), its identifiers fill gaps, and it is marked
    merged, so its page redirects and every later import resolves to the survivor."""
    if duplicate.pk == survivor.pk or duplicate.merged_into_id == survivor.pk:
        return
    on_survivor = Authorship.objects.filter(author=survivor).values("work_id")
    Authorship.objects.filter(author=duplicate).exclude(work_id__in=on_survivor).update(
        author=survivor
    )
    variants = {*survivor.name_variants, *duplicate.name_variants, duplicate.display_name}
    survivor.set_names(survivor.display_name, sorted(variants - {survivor.display_name}))
    survivor.save(update_fields=["name_variants", "search_name"])
    Author.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    author_metrics_refresh([duplicate.pk, survivor.pk])

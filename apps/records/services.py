"""Services over public records: the writes that cross rows (STYLE.md rung 4)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.pagecache import record_changed

from .metrics import CLOSE_COLLABORATOR_MIN_SHARED, h_index, newest_work_ids, years_active
from .models import Author, Authorship, AuthorTopic, CoAuthorship, VerificationLevel, Work

METRICS_CHUNK = 500  # authors recomputed per round of queries
# The Author columns a recomputation writes (besides collaborators_count and the level).
AUTHOR_METRICS = [
    "works_count",
    "citation_count",
    "h_index",
    "topics_count",
    "first_year",
    "last_year",
    "recent_work_ids",
    "metrics_updated_at",
]
# pg_advisory_xact_lock key ("metrics" in ASCII): one metrics recomputation at a time.
METRICS_LOCK = 0x6D657472696373


def _metrics_lock() -> None:
    """Wait for any other transaction recomputing metrics to commit. Co-authors refreshed at
    once rewrite each other's edges: without the wait, each reads the other's works as they
    were before the other's import and the last to commit leaves stale counts behind (and,
    writing the same edge rows, one of them fails). Held until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [METRICS_LOCK])


def _visible_pairs(author_ids: list[int]) -> dict[int, set[int]]:
    pairs: dict[int, set[int]] = {a: set() for a in author_ids}
    rows = Authorship.objects.visible().filter(author_id__in=author_ids)
    for author_id, work_id in rows.values_list("author_id", "work_id"):
        pairs[author_id].add(work_id)
    return pairs


def _refresh_chunk(author_ids: list[int], now) -> set[int]:
    """Recompute metrics, topic counts and co-author edges (both directions) for a chunk of
    authors in a fixed number of queries. Returns co-authors whose edges were rewritten."""
    works_of = _visible_pairs(author_ids)
    all_works = set().union(*works_of.values())
    dated = {}  # work id: (citations, publication date, publication year)
    for work_id, *row in Work.objects.filter(id__in=all_works).values_list(
        "id", "citation_count", "publication_date", "publication_year"
    ):
        dated[work_id] = row
    topics_of: dict[int, list[int]] = {}
    for work_id, topic_id in Work.topics.through.objects.filter(work_id__in=all_works).values_list(
        "work_id", "topic_id"
    ):
        topics_of.setdefault(work_id, []).append(topic_id)
    byline: dict[int, list[int]] = {}
    for work_id, author_id in (
        Authorship.objects.visible()
        .filter(work_id__in=all_works)
        .values_list("work_id", "author_id")
    ):
        byline.setdefault(work_id, []).append(author_id)

    topic_rows, edges, authors = [], {}, []
    for author_id, work_ids in works_of.items():
        topic_counts = Counter(t for w in work_ids for t in topics_of.get(w, ()))
        topic_rows += [
            AuthorTopic(author_id=author_id, topic_id=t, works_count=n)
            for t, n in topic_counts.items()
        ]
        shared = Counter(c for w in work_ids for c in byline.get(w, ()) if c != author_id)
        for coauthor, n in shared.items():
            edges[(author_id, coauthor)] = edges[(coauthor, author_id)] = n
        cited = [dated[w][0] for w in work_ids]
        first_year, last_year = years_active(dated[w][2] for w in work_ids)
        authors.append(
            Author(
                id=author_id,
                works_count=len(work_ids),
                citation_count=sum(cited),
                h_index=h_index(cited),
                topics_count=len(topic_counts),
                first_year=first_year,
                last_year=last_year,
                recent_work_ids=newest_work_ids((w, dated[w][1]) for w in work_ids),
                metrics_updated_at=now,
            )
        )
    old = set(
        CoAuthorship.objects.filter(author_id__in=author_ids).values_list("coauthor_id", flat=True)
    )
    AuthorTopic.objects.filter(author_id__in=author_ids).delete()
    AuthorTopic.objects.bulk_create(
        topic_rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["author", "topic"],
        update_fields=["works_count"],
    )
    CoAuthorship.objects.filter(author_id__in=author_ids).delete()
    CoAuthorship.objects.filter(coauthor_id__in=author_ids).delete()
    CoAuthorship.objects.bulk_create(
        [
            CoAuthorship(author_id=a, coauthor_id=c, shared_works=edges[(a, c)])
            for a, c in sorted(edges)
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["author", "coauthor"],
        update_fields=["shared_works"],
    )
    Author.objects.bulk_update(authors, AUTHOR_METRICS, batch_size=1000)
    return old | {c for _, c in edges}


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

    Call it whenever an authorship's status, a work's citations, topics or date, or a byline
    changes; pages and recognition cards read the stored numbers and never compute them.
    Idempotent, and a fixed number of queries per chunk of authors however many there are."""
    ids = sorted(set(author_ids))
    if not ids:
        return
    _metrics_lock()
    touched, now = set(ids), timezone.now()
    for start in range(0, len(ids), METRICS_CHUNK):
        touched |= _refresh_chunk(ids[start : start + METRICS_CHUNK], now)
    touched = sorted(touched)
    for start in range(0, len(touched), METRICS_CHUNK * 10):
        _refresh_collaborator_counts(touched[start : start + METRICS_CHUNK * 10])
    for start in range(0, len(ids), METRICS_CHUNK * 10):
        author_levels_sync(ids[start : start + METRICS_CHUNK * 10])
    record_changed("author", *touched)  # their pages show these numbers


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
    record_changed("works", 0)  # bylines in every listing may name the duplicate
    author_metrics_refresh([duplicate.pk, survivor.pk])

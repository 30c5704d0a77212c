"""How well two author records fit: shared topics, shared co-authors and their distance in
the co-author graph (records.graph's breadth-first path: at most MAX_HOPS queries, each
frontier capped, so a prolific neighbourhood cannot make a page slow)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from apps.records.graph import MAX_HOPS, coauthor_distance
from apps.records.models import Author, AuthorTopic, CoAuthorship

__all__ = ["MAX_HOPS", "Fit", "coauthor_distance", "fit_between"]

SHOWN = 5  # shared topics / collaborators listed


@dataclass
class Fit:
    topics: list[str] = field(default_factory=list)
    collaborators: list[dict] = field(default_factory=list)
    distance: int | None = None  # co-author hops, None when further than MAX_HOPS

    def as_dict(self) -> dict:
        return asdict(self)


def fit_between(a: Author, b: Author, max_hops: int = MAX_HOPS) -> Fit:
    """The fit of records `a` and `b` (2 queries plus at most `max_hops`)."""
    b_topics = AuthorTopic.objects.filter(author=b).values("topic_id")
    topics = (
        AuthorTopic.objects.filter(author=a, topic_id__in=b_topics)
        .order_by("-works_count", "topic__name")
        .values_list("topic__name", flat=True)[:SHOWN]
    )
    b_coauthors = CoAuthorship.objects.filter(author=b).values("coauthor_id")
    shared = (
        CoAuthorship.objects.filter(author=a, coauthor_id__in=b_coauthors)
        .order_by("-shared_works", "coauthor_id")
        .values_list("coauthor_id", "coauthor__display_name")[:SHOWN]
    )
    return Fit(
        topics=list(topics),
        collaborators=[{"id": pk, "name": name} for pk, name in shared],
        distance=coauthor_distance(a.pk, b.pk, max_hops),
    )

"""How well two author records fit: shared topics, shared co-authors and their distance in
the co-author graph. Every read is bounded: at most MAX_HOPS queries for the distance, each
frontier capped, so a prolific neighbourhood cannot make a page slow."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from apps.records.models import Author, AuthorTopic, CoAuthorship

MAX_HOPS = 3
FRONTIER_CAP = 5_000  # co-authors expanded per hop at most
SHOWN = 5  # shared topics / collaborators listed


@dataclass
class Fit:
    topics: list[str] = field(default_factory=list)
    collaborators: list[dict] = field(default_factory=list)
    distance: int | None = None  # co-author hops, None when further than MAX_HOPS

    def as_dict(self) -> dict:
        return asdict(self)


def coauthor_distance(a_id: int, b_id: int, max_hops: int = MAX_HOPS) -> int | None:
    """Hops from record `a` to record `b` over CoAuthorship (1 = co-authors), breadth-first
    with one query per hop; None when `b` is further than `max_hops`."""
    if a_id == b_id:
        return 0
    seen, frontier = {a_id}, {a_id}
    for hop in range(1, max_hops + 1):
        edges = CoAuthorship.objects.filter(author_id__in=frontier).exclude(coauthor_id__in=seen)
        found = set(edges.values_list("coauthor_id", flat=True).distinct()[:FRONTIER_CAP])
        if b_id in found:
            return hop
        if not found:
            return None
        seen |= found
        frontier = found
    return None


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

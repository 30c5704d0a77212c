"""Nearby papers: works close to one work by shared authors, shared topics and the words of
their titles (PostgreSQL full text), each with the reasons it was found ("2 shared authors ·
same topic"). A fixed number of queries: one per kind of closeness, then one for the works."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from .models import Work
from .names import fold
from .search import _postgres, work_search

NEARBY = 8
TITLE_WORDS = 6  # the longest words of a title that the text search looks for


@dataclass
class Nearby:
    work: Work
    shared_authors: int = 0
    shared_topics: int = 0
    shared_words: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return 3 * self.shared_authors + 2 * self.shared_topics + len(self.shared_words)

    @property
    def because(self) -> str:
        reasons = []
        if self.shared_authors:
            n = self.shared_authors
            reasons.append(f"{n} shared author{'s' if n != 1 else ''}")
        if self.shared_topics:
            n = self.shared_topics
            reasons.append("same topic" if n == 1 else f"{n} shared topics")
        if self.shared_words:
            reasons.append("title words: " + ", ".join(self.shared_words))
        return " · ".join(reasons)


def _by_authors(work: Work, limit: int) -> dict[int, int]:
    authors = work.authorships.visible().values("author_id")[:50]
    rows = (
        Work.objects.filter(authorships__author_id__in=authors, authorships__status="active")
        .exclude(id=work.id)
        .annotate(shared=Count("id"))
        .order_by("-shared", "-citation_count")
        .values_list("id", "shared")[:limit]
    )
    return dict(rows)


def _by_topics(work: Work, limit: int) -> dict[int, int]:
    rows = (
        Work.objects.filter(topics__in=work.topics.values("id"))
        .exclude(id=work.id)
        .annotate(shared=Count("id"))
        .order_by("-shared", "-citation_count")
        .values_list("id", "shared")[:limit]
    )
    return dict(rows)


def title_words(title: str) -> list[str]:
    """The longest distinct words of a title (folded), longest first."""
    words = {w for w in fold(title).split() if len(w) > 3 and not w.isdigit()}
    return sorted(words, key=lambda w: (-len(w), w))[:TITLE_WORDS]


def _by_text(work: Work, words: list[str], limit: int) -> list[int]:
    if not words or not _postgres():
        return []
    found = work_search(" or ".join(words)).exclude(id=work.id)
    return list(found.values_list("id", flat=True)[:limit])


def nearby_works(work: Work, limit: int = NEARBY) -> list[Nearby]:
    """Up to `limit` works near `work`, the closest first, each saying why it is near."""
    by_authors, by_topics = _by_authors(work, limit), _by_topics(work, limit)
    words = title_words(work.title)
    by_text = _by_text(work, words, limit)
    # The work itself rides along so that the query runs even when nothing is near (Django
    # skips an empty IN): the page then costs the same number of queries either way.
    ids = {work.id, *by_authors, *by_topics, *by_text}
    found = Work.objects.filter(id__in=ids).select_related("venue").defer("search_vector")
    nearby = []
    for other in (w for w in found if w.id != work.id):
        theirs = set(fold(other.title).split())
        shared = [w for w in words if w in theirs] if other.id in by_text else []
        nearby.append(
            Nearby(other, by_authors.get(other.id, 0), by_topics.get(other.id, 0), shared)
        )
    nearby = [n for n in nearby if n.because]
    nearby.sort(key=lambda n: (-n.score, -n.work.citation_count, -n.work.id))
    return nearby[:limit]

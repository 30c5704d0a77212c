"""Reads: the feed, follower counts, upvote counts and trending. Each is a fixed number of
queries however many follows, works or votes there are (asserted in tests/follows)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from apps.records.models import Author, Authorship, Topic, Work

from .models import Follow, Upvote

PERIODS = {"day": datetime.timedelta(days=1), "week": datetime.timedelta(days=7)}
TRENDING_SIZE = 10


def feed_works(user):
    """New works from what `user` follows, as a Work queryset to order and page.

    A work is in the feed when a followed author is on its byline (an authorship not
    disowned) or it carries a followed topic. A follow of a record since merged counts for
    its survivor. The query starts from the follows: the ids of the followed records' and
    topics' works (a UNION the planner joins to works), so its cost is the followed works',
    and nothing at all for someone who follows nothing. (Walking every work newest first and
    probing each one cost seconds on a large database for a sparse or empty feed.)"""
    authors = Follow.objects.by(user).of_authors().values("author_id")
    survivors = Author.objects.filter(pk__in=authors, merged_into__isnull=False).values(
        "merged_into_id"
    )
    topics = Follow.objects.by(user).of_topics().values("topic_id")
    followed = authors.union(survivors)  # an OR of the two would scan every authorship
    by_author = Authorship.objects.visible().filter(author_id__in=followed).values("work_id")
    by_topic = Work.topics.through.objects.filter(topic_id__in=topics).values("work_id")
    return Work.objects.filter(pk__in=by_author.union(by_topic))


def followers_count(*, author: Author | None = None, topic: Topic | None = None) -> int:
    """Public follower count: one COUNT over the (target, created_at) index."""
    if author is not None:
        return Follow.objects.filter(author=author).count()
    return Follow.objects.filter(topic=topic).count()


def upvotes_for(works: list[Work], user) -> dict[int, tuple[int, bool]]:
    """{work id: (upvotes, upvoted by `user`)} for a page of works, in one grouped query."""
    ids = [work.pk for work in works]
    if not ids:
        return {}
    mine = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    rows = (
        Upvote.objects.filter(work_id__in=ids)
        .values("work_id")
        .annotate(n=Count("id"), mine=Count("id", filter=mine))
    )
    found = {row["work_id"]: (row["n"], row["mine"] > 0) for row in rows}
    return {pk: found.get(pk, (0, False)) for pk in ids}


def recency_weight(now: datetime.datetime, window: datetime.timedelta):
    """A SQL weight for a row's created_at: 3 in the newest sixth of the window, 2 in the rest
    of its newest half, 1 for the older half. Step weights keep it the same on SQLite and
    PostgreSQL and easy to explain next to the list."""
    return Case(
        When(created_at__gte=now - window / 6, then=Value(3)),
        When(created_at__gte=now - window / 2, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


@dataclass
class Trending:
    period: str
    works: list[Work]
    authors: list[Author]
    topics: list[Topic]


def _ranked(model_rows, key: str, now, window, limit) -> list[tuple[int, int]]:
    rows = (
        model_rows.filter(created_at__gte=now - window)
        .values(key)
        .annotate(score=Sum(recency_weight(now, window)))
        .order_by("-score", f"-{key}")[:limit]
    )
    return [(row[key], row["score"]) for row in rows]


def _in_order(queryset, ranked: list[tuple[int, int]]) -> list:
    found = {obj.pk: obj for obj in queryset.filter(pk__in=[pk for pk, _ in ranked])}
    ordered = []
    for pk, score in ranked:
        if pk in found:
            found[pk].score = score
            ordered.append(found[pk])
    return ordered


def trending(
    period: str = "day", *, now: datetime.datetime | None = None, limit: int = TRENDING_SIZE
) -> Trending:
    """What is rising over the last day or week: works by upvotes, author records and topics
    by new follows, each vote or follow weighted by how recent it is (recency_weight).
    A grouped ranking and a fetch for each list (works add their byline and topics)."""
    now, window = now or timezone.now(), PERIODS[period]
    works = _ranked(Upvote.objects.all(), "work_id", now, window, limit)
    authors = _ranked(Follow.objects.of_authors(), "author_id", now, window, limit)
    topics = _ranked(Follow.objects.of_topics(), "topic_id", now, window, limit)
    return Trending(
        period=period,
        works=_in_order(Work.objects.for_listing(), works),
        authors=_in_order(Author.objects.all(), authors),
        topics=_in_order(Topic.objects.all(), topics),
    )


def top_of_day(day: datetime.date, limit: int = 5) -> list[Work]:
    """The day's works with the most upvotes (the daily-papers ranking); one query."""
    return list(
        Work.objects.filter(publication_date=day, date_precision="day")
        .annotate(score=Count("upvotes"))
        .filter(score__gt=0)
        .order_by("-score", "-id")[:limit]
    )

"""What the record pages show, each in a bounded number of queries whatever the number of
works (the counts are asserted in tests/records/test_query_budgets.py)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count

from apps.core.keyset import Key, paginate
from apps.core.pagecache import cached_fragment

from .forms import WorkFilterForm
from .metrics import CLOSE_COLLABORATOR_MIN_SHARED
from .models import Author, Authorship, AuthorTopic, CoAuthorship, Work

WORKS_PAGE_SIZE = 25
GRAPH_SIZE = 8
RELATED_WORKS = 8


def listing_keys() -> list[Key]:
    """Newest first; undated works last; the id breaks ties."""
    return [Key("publication_date", descending=True, nulls_last=True), Key("id")]


def author_graph(author: Author) -> dict:
    """The research-graph summary: top topics, close collaborators, institutions."""
    topics = (
        AuthorTopic.objects.filter(author=author)
        .select_related("topic")
        .order_by("-works_count", "topic__name")[:GRAPH_SIZE]
    )
    collaborators = (
        CoAuthorship.objects.filter(author=author, shared_works__gte=CLOSE_COLLABORATOR_MIN_SHARED)
        .select_related("coauthor")
        .order_by("-shared_works", "coauthor__display_name")[:GRAPH_SIZE]
    )
    return {
        "topics": list(topics),
        "collaborators": list(collaborators),
        "institutions": list(author.institutions.all()[:GRAPH_SIZE]),
    }


def author_works(author: Author, filters: dict):
    """The works an author's page lists, filtered, ready for a list row."""
    return Work.objects.visible_on(author).filtered(**filters).for_listing()


def _public(author: Author) -> dict:
    years = (
        Authorship.objects.visible()
        .filter(author=author, work__publication_year__isnull=False)
        .values_list("work__publication_year", flat=True)
        .distinct()
        .order_by("-work__publication_year")
    )
    return {**author_graph(author), "years": list(years)}


def author_page_context(author: Author, form: WorkFilterForm) -> dict:
    filters = form.filters()
    works = author_works(author, filters)
    page = paginate(works, listing_keys(), form.cleaned_data.get("cursor"), WORKS_PAGE_SIZE)
    # The same for every reader until the record changes: shared through the cache.
    public = cached_fragment("author-graph", [("author", author.pk)], lambda: _public(author))
    return {
        "author": author,
        **public,
        "form": form,
        "filters": filters,
        "page": page,
    }


def work_page_context(work: Work) -> dict:
    authorships = list(
        work.authorships.visible()
        .select_related("author")
        .prefetch_related("institutions")
        .order_by("position")
    )
    return {
        "work": work,
        "authorships": authorships,
        "topics": list(work.topics.all()),
        "related": related_works(work),
    }


def related_works(work: Work, limit: int = RELATED_WORKS) -> list[Work]:
    """Works sharing the most authors, then topics, with this one; one grouped query each."""
    author_ids = work.authorships.visible().values("author_id")[:50]
    by_authors = (
        Work.objects.filter(authorships__author_id__in=author_ids, authorships__status="active")
        .exclude(id=work.id)
        .annotate(shared=Count("id"))
        .order_by("-shared", "-citation_count")
        .values_list("id", flat=True)[:limit]
    )
    ids = list(by_authors)
    if len(ids) < limit:
        by_topics = (
            Work.objects.filter(topics__in=work.topics.values("id"))
            .exclude(id__in=[work.id, *ids])
            .annotate(shared=Count("id"))
            .order_by("-shared", "-citation_count")
            .values_list("id", flat=True)[: limit - len(ids)]
        )
        ids += list(by_topics)
    found = {w.id: w for w in Work.objects.filter(id__in=ids).select_related("venue")}
    return [found[i] for i in ids if i in found]


RECENT_DAYS_SQL = """
WITH RECURSIVE days(day) AS (
    (SELECT publication_date FROM records_work
      WHERE publication_date IS NOT NULL AND date_precision = 'day'
      ORDER BY publication_date DESC NULLS LAST LIMIT 1)
    UNION ALL
    SELECT (SELECT w.publication_date FROM records_work w
             WHERE w.publication_date < days.day AND w.date_precision = 'day'
             ORDER BY w.publication_date DESC NULLS LAST LIMIT 1)
      FROM days WHERE days.day IS NOT NULL
)
SELECT day FROM days WHERE day IS NOT NULL LIMIT %s
"""


def recent_days(limit: int = 30) -> list[datetime.date]:
    """The most recent days with works dated to the day, newest first.

    On PostgreSQL a recursive query hops down the newest-first index one distinct day at a
    time (a few index probes, not a scan of every work); both subqueries must order `DESC
    NULLS LAST`, as work_recent_idx does, or each hop becomes a sequential scan. SQLite takes
    the plain route."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(RECENT_DAYS_SQL, [limit])
            return [row[0] for row in cursor.fetchall()]
    days = (
        Work.objects.filter(publication_date__isnull=False, date_precision="day")
        .order_by("-publication_date")
        .values_list("publication_date", flat=True)
        .distinct()[:limit]
    )
    return list(days)

"""What the record pages show, each in a bounded number of queries whatever the number of
works (the counts are asserted in tests/records/test_query_budgets.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Sum, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string

from apps.core.keyset import Key, paginate
from apps.core.pagecache import cached_fragment

from .charts import bar_chart, year_series
from .forms import WorkFilterForm
from .metrics import CLOSE_COLLABORATOR_MIN_SHARED
from .models import Author, Authorship, AuthorTopic, CoAuthorship, Work
from .nearby import nearby_works

WORKS_PAGE_SIZE = 25
GRAPH_SIZE = 8


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
    """What every reader of the page sees alike: the research graph, years and charts. The
    charts are kept drawn (their SVG is most of their cost, see docs/benchmarks.md)."""
    by_year = author_years(author)
    charts = author_charts(author, by_year)
    return {
        **author_graph(author),
        "years": sorted(by_year, reverse=True),
        "charts_html": render_to_string("records/_charts.html", {"charts": charts}),
    }


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


def author_years(author: Author) -> dict[int, tuple[int, int]]:
    """{year: (visible works, their citations)} for the years the record's works carry: one
    grouped query, which also gives the works filter its years."""
    rows = (
        Authorship.objects.visible()
        .filter(author=author, work__publication_year__isnull=False)
        .values_list("work__publication_year")
        .annotate(works=Count("id"), citations=Sum("work__citation_count"))
        .order_by()
    )
    return {year: (works, citations or 0) for year, works, citations in rows}


def author_charts(author: Author, by_year: dict[int, tuple[int, int]]) -> list:
    """Works per year (the works this page shows, so "not mine" is left out) and citations
    per year: as OpenAlex counts them when it gave them, else the citations of each year's
    works (computed here, and titled so)."""
    works = year_series({year: n for year, (n, _) in by_year.items()})
    charts = [
        bar_chart(
            "works-per-year", "Works per year", works, noun="works", source="Works on this page"
        )
    ]
    if author.counts_by_year:
        cited = year_series({row["year"]: row["citations"] for row in author.counts_by_year})
        title, source = (
            "Citations per year",
            "Citations received each year, as OpenAlex counts them",
        )
    else:
        cited = year_series({year: c for year, (_, c) in by_year.items()})
        title, source = (
            "Citations by year of publication",
            "Citations of the works published each year",
        )
    charts.append(bar_chart("citations-per-year", title, cited, noun="citations", source=source))
    return [chart for chart in charts if chart is not None]


def work_byline(work: Work) -> list[Authorship]:
    """Every name printed on the work, in order; a disowned one is shown unlinked, never
    dropped (authors_count counts them all)."""
    return list(
        work.authorships.select_related("author")
        .prefetch_related("institutions")
        .order_by("position")
    )


def work_page_context(work: Work) -> dict:
    return {
        "work": work,
        "authorships": work_byline(work),
        "code_links": list(work.links.filter(removed_at__isnull=True)),
        "topics": list(work.topics.all()),
        "nearby": nearby_works(work),
    }


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


HOME_NEW_WORKS = 5
COUNTS_TTL = 600  # seconds: the home page's figures may be ten minutes old


def site_counts() -> dict[str, int]:
    """Records (not merged away) and works: two COUNTs, cached for COUNTS_TTL."""

    def count() -> dict[str, int]:
        return {"records": Author.objects.active().count(), "works": Work.objects.count()}

    return cache.get_or_set("records:site_counts", count, COUNTS_TTL)


def newest_day_works(limit: int = HOME_NEW_WORKS) -> dict:
    """The newest day with works dated to it, and its first `limit` works for a list."""
    days = recent_days(limit=1)
    if not days:
        return {"day": None, "works": []}
    works = Work.objects.filter(publication_date=days[0], date_precision="day").for_listing()
    return {"day": days[0], "works": list(works.newest_first()[:limit])}


OUTLINE_SIZE = 6


@dataclass
class Outline:
    """What tells one record from another at a glance: its most cited works, its closest
    co-authors and its main topics."""

    works: list = field(default_factory=list)
    coauthors: list = field(default_factory=list)
    topics: list = field(default_factory=list)


def _top(qs, partition: str, order: list, size: int):
    """The first `size` rows of each `partition` value, by `order` (one query)."""
    window = Window(RowNumber(), partition_by=[F(partition)], order_by=order)
    return qs.annotate(rank=window).filter(rank__lte=size).order_by(partition, "rank")


def record_outlines(author_ids, size: int = OUTLINE_SIZE) -> dict[int, Outline]:
    """{author id: Outline} for records shown side by side (a merge, a claim, a dispute):
    three queries however many records."""
    ids = list(dict.fromkeys(author_ids))
    found = {pk: Outline() for pk in ids}
    works = Authorship.objects.visible().filter(author_id__in=ids).select_related("work")
    order = [F("work__citation_count").desc(), F("work_id").desc()]
    for a in _top(works, "author_id", order, size):
        found[a.author_id].works.append(a.work)
    edges = CoAuthorship.objects.filter(author_id__in=ids).select_related("coauthor")
    for e in _top(edges, "author_id", [F("shared_works").desc(), F("coauthor_id")], size):
        found[e.author_id].coauthors.append(e)
    topics = AuthorTopic.objects.filter(author_id__in=ids).select_related("topic")
    for t in _top(topics, "author_id", [F("works_count").desc(), F("topic_id")], size):
        found[t.author_id].topics.append(t)
    return found

"""Every record page and list endpoint runs a fixed number of queries, however many works it
shows: measured with 1 work and with 50, and held to a budget of 12.

The author page is 10 queries for a visitor: 9 of its own (ingest's refresh log included)
plus one from apps.claims (the record's approved claim with its user, read once for both the
snapshot's Claimed/Unclaimed and the identity panel). apps.trust's stored score is joined and
apps.follows' follower count annotated onto the page's author query
(`records.panels.author_page_queryset`), so they add none. The filtered page also looks up
its topic filter: 11. (On SQLite each is one more: `author_page_budget`.)

The work page's nearby works search its title words: on PostgreSQL that search first reads
the newest work's id, which bounds its row-by-row probe (records.search._work_candidates):
13."""

import pytest

from apps.records.services import author_metrics_refresh
from tests.factories import author_page_budget, count_queries

BUDGET = 12
BUDGETS = {
    "author page": author_page_budget(10),
    "author page, filtered": author_page_budget(11),
    "work page": 13,
}
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    """These budgets are what rendering costs; a cached hit is test_cached_pages.py's."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def world(records):
    """Build an author with `n` works (each with 6 co-authors, 2 topics and a venue: a page
    that read each work's venue on its own would cost a query per work)."""
    from apps.records.models import Venue

    def build(n):
        author = records.author("Yongji Wu", orcid="0000-0003-1415-9269")
        peers = [records.author(f"Peer Person{i}") for i in range(6)]
        topics = [records.topic("cs.DC"), records.topic("cs.LG")]
        venues = [Venue.objects.create(name=f"Journal of Things {i}") for i in range(n)]
        works = [
            records.work(
                author, *peers, title=f"Distributed training {i}", topics=topics, venue=venues[i]
            )
            for i in range(n)
        ]
        author_metrics_refresh([author.id, *(p.id for p in peers)])
        return author, works, topics

    return build


URLS = {
    "author page": lambda a, w, t: f"/authors/{a.pk}/",
    "author page, filtered": lambda a, w, t: f"/authors/{a.pk}/?type=other&topic={t[0].slug}",
    "work page": lambda a, w, t: f"/works/{w[0].pk}/",
    "author search": lambda a, w, t: "/search/?q=Yongji+Wu&kind=authors",
    "work search": lambda a, w, t: "/search/?q=distributed+training&kind=works",
    "recent day": lambda a, w, t: f"/recent/{w[0].publication_date.isoformat()}/",
    "topic page": lambda a, w, t: f"/topics/{t[0].slug}/",
    "api authors": lambda a, w, t: "/api/v1/authors/",
    "api author search": lambda a, w, t: "/api/v1/authors/?q=Y.+Wu",
    "api author": lambda a, w, t: f"/api/v1/authors/{a.pk}/",
    "api author works": lambda a, w, t: f"/api/v1/authors/{a.pk}/works/",
    "api works": lambda a, w, t: "/api/v1/works/",
    "api work search": lambda a, w, t: "/api/v1/works/?q=distributed",
    "api work": lambda a, w, t: f"/api/v1/works/{w[0].pk}/",
    "api topics": lambda a, w, t: "/api/v1/topics/",
    "api institutions": lambda a, w, t: "/api/v1/institutions/",
}


@pytest.mark.parametrize("name", URLS)
def test_query_count_is_fixed_and_within_budget(client, world, name, django_db_reset_sequences):
    one = count_queries(client, URLS[name](*world(1)))
    from apps.records.models import Author, Work

    Work.objects.all().delete()
    Author.objects.all().delete()
    many = count_queries(client, URLS[name](*world(50)))
    print(f"{name}: {many} queries")
    assert one == many, f"{name}: {one} queries with 1 work, {many} with 50"
    assert many <= BUDGETS.get(name, BUDGET), f"{name}: {many} queries"

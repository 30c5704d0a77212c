"""Anonymous public pages come from the cache, and every write that changes what they show
retires the cached copy at once (apps/core/pagecache.py): a hit costs no more than 2 queries,
and no test here ever sees a stale page after a write."""

from __future__ import annotations

import datetime

import pytest

from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_decide, claim_evidence, works_disown
from apps.follows.services import follow_create, upvote_toggle
from apps.ingest.importer import import_batch
from apps.ingest.parsers import parse
from apps.trust.services import trust_recompute
from tests import samples
from tests.factories import count_queries

pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 9, 11)


@pytest.fixture
def page_world(records):
    author = records.author("Wen Cached", orcid="0000-0002-1825-0097")
    topic = records.topic("cs.DC")
    work = records.work(author, title="Caching for the many", topics=[topic], date=DAY)
    work.date_precision = "day"
    work.save(update_fields=["date_precision"])
    return author, work, topic


PAGES = {
    "author": lambda a, w, t: f"/authors/{a.pk}/",
    "work": lambda a, w, t: f"/works/{w.pk}/",
    "topic": lambda a, w, t: f"/topics/{t.slug}/",
    "recent day": lambda a, w, t: f"/recent/{DAY.isoformat()}/",
    "trending": lambda a, w, t: "/trending/",
}


def _get(client, url):
    queries, response = count_queries(client, url, with_response=True)
    return queries, response, response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_cached_hit_costs_at_most_two_queries(client, page_world, name):
    url = PAGES[name](*page_world)
    _, first, html = _get(client, url)
    queries, again, cached = _get(client, url)

    assert "X-Page-Cache" not in first
    assert again["X-Page-Cache"] == "hit"
    assert cached == html
    assert queries <= 2


def test_signed_in_readers_get_their_own_page(client, researcher_client, page_world):
    url = PAGES["author"](*page_world)
    client.get(url)
    response = researcher_client.get(url)
    assert "X-Page-Cache" not in response
    assert "Sign out" in response.content.decode()


def test_a_follow_shows_on_the_author_page_at_once(client, page_world, peer):
    author, _, _ = page_world
    url = PAGES["author"](*page_world)
    assert "<strong>0</strong> followers" in _get(client, url)[2]
    follow_create(follower=peer, author=author)
    assert "<strong>1</strong> follower" in _get(client, url)[2]


def test_a_claim_decision_shows_on_the_author_page_at_once(client, records, peer, moderator):
    author = records.author("Pablo Someone")
    url = f"/authors/{author.pk}/"
    assert "Unclaimed" in _get(client, url)[2]
    claim = claim_evidence(
        user=peer,
        author=author,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    claim_decide(claim=claim, actor=moderator, approve=True, reason="Checked the evidence.")
    assert Claim.objects.holder_of(author)
    html = _get(client, url)[2]
    assert "Unclaimed" not in html and "Claimed" in html


def test_curation_shows_on_the_author_page_and_listings_at_once(
    client, researcher, researcher_record, records
):
    work = records.work(researcher_record, title="Not my paper at all", date=DAY)
    work.date_precision = "day"
    work.save(update_fields=["date_precision"])
    author_url, day_url = f"/authors/{researcher_record.pk}/", f"/recent/{DAY.isoformat()}/"
    assert "Not my paper at all" in _get(client, author_url)[2]
    assert "Rosa Researcher" in _get(client, day_url)[2]

    works_disown(user=researcher, author=researcher_record, work_ids=[work.pk])

    assert "Not my paper at all" not in _get(client, author_url)[2]
    assert _get(client, day_url)[1].get("X-Page-Cache") != "hit"


def test_an_import_shows_on_the_listings_at_once(client, page_world):
    url = PAGES["recent day"](*page_world)
    assert "Lock-free queues" not in _get(client, url)[2]
    body = (samples.FIXTURES / "openalex/works-page-cursor.json").read_text()
    import_batch(parse("openalex", body))
    assert "Lock-free queues" in _get(client, url)[2]


def test_an_upvote_shows_on_the_work_page_and_trending_at_once(client, page_world, peer):
    _, work, _ = page_world
    work_url = PAGES["work"](*page_world)
    before = _get(client, work_url)[2]
    trending = _get(client, "/trending/")[2]
    upvote_toggle(user=peer, work=work)
    assert _get(client, work_url)[2] != before
    assert _get(client, "/trending/")[2] != trending


def test_a_trust_recompute_retires_the_author_page(client, page_world):
    author, _, _ = page_world
    url = PAGES["author"](*page_world)
    _get(client, url)
    assert _get(client, url)[1]["X-Page-Cache"] == "hit"
    trust_recompute(author, cause="test")
    assert "X-Page-Cache" not in _get(client, url)[1]


def test_a_refresh_retires_the_author_page(client, page_world, fake_upstream, settings):
    from apps.ingest.refresh import author_refresh

    author, _, _ = page_world
    settings.ORCID_API_BASE_URL = f"{fake_upstream.url}/orcid"
    settings.CROSSREF_API_URL = f"{fake_upstream.url}/crossref"
    settings.UPSTREAM_RETRY = {"max_attempts": 1, "max_wait": 0.05, "backoff_base": 0.01}
    url = PAGES["author"](*page_world)
    assert 'data-testid="refresh-failed"' not in _get(client, url)[2]
    author_refresh(author.pk, task_id="t1")  # every source unknown to the fake: 404s
    assert 'data-testid="refresh-failed"' in _get(client, url)[2]

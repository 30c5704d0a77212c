"""Refreshing an author from every source, in process, against the fake upstream over HTTP."""

import json

import pytest

from apps.ingest.models import AuthorRefreshState, Outcome, RefreshLog
from apps.ingest.refresh import author_lock, author_refresh
from apps.ingest.services import RefreshAnswer, RefreshTooSoon, refresh_request, refresh_schedule
from apps.records.models import Authorship, Work
from tests import samples

FIXTURES = samples.FIXTURES
MAREN_ORCID = "0000-0002-5555-0101"
EMPTY_ARXIV = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <id>https://arxiv.org/api/empty</id><title>empty</title><updated>2024-01-01T00:00:00Z</updated>
  <opensearch:totalResults>0</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex><opensearch:itemsPerPage>100</opensearch:itemsPerPage>
</feed>"""

pytestmark = pytest.mark.django_db


def _json(path):
    return json.loads((FIXTURES / path).read_text())


@pytest.fixture
def upstream(fake_upstream, settings):
    """One fake server; each source under its own path prefix."""
    url = fake_upstream.url
    settings.OPENALEX_API_URL = f"{url}/openalex"
    settings.ORCID_API_BASE_URL = f"{url}/orcid"
    settings.CROSSREF_API_URL = f"{url}/crossref"
    settings.ARXIV_API_URL = f"{url}/arxiv"
    settings.UPSTREAM_RATE_LIMITS = {s: 1000 for s in ("openalex", "orcid", "crossref", "arxiv")}
    settings.UPSTREAM_RETRY = {"max_attempts": 3, "max_wait": 0.05, "backoff_base": 0.01}
    return fake_upstream


def _serve_maren(upstream):
    upstream.add(
        "GET", "/openalex/authors/A5100000011", json=_json("openalex/author-A5100000011.json")
    )
    upstream.add("GET", "/openalex/works", json=_json("openalex/works-page-cursor.json"))
    upstream.add(
        "GET", "/openalex/works", json={"meta": {"count": 57, "next_cursor": None}, "results": []}
    )
    record = _json("orcid/record-0000-0003-1415-9269.json")
    record["orcid-identifier"].update(path=MAREN_ORCID, uri=f"https://orcid.org/{MAREN_ORCID}")
    record["path"] = f"/{MAREN_ORCID}"
    upstream.add("GET", f"/orcid/v3.0/{MAREN_ORCID}/record", json=record)
    upstream.add("GET", "/crossref/works", json=_json("crossref/works-orcid-cursor.json"))
    upstream.add("GET", "/arxiv/api/query", body=EMPTY_ARXIV, content_type="application/atom+xml")


@pytest.fixture
def maren(records):
    return records.author("Maren Oyelaran-Fitch", openalex_id="A5100000011", orcid=MAREN_ORCID)


def test_a_refresh_asks_every_source_and_imports_what_they_say(upstream, maren):
    _serve_maren(upstream)

    logs = author_refresh(maren.pk, task_id="t1")

    assert {(log.source, log.outcome) for log in logs} == {
        ("openalex", "ok"),
        ("orcid", "ok"),
        ("crossref", "ok"),
    }  # no arXiv fetch: none of her works carries an arXiv id
    maren.refresh_from_db()
    dois = set(Work.objects.visible_on(maren).values_list("doi", flat=True))
    assert {"10.5555/peerage.conf.2023.118", "10.5555/peerage.preprint.2022.55"} <= dois
    assert (
        maren.works_count == Authorship.objects.filter(author=maren, status="active").count() >= 3
    )
    state = AuthorRefreshState.objects.get(pk=maren.pk)
    assert state.last_refreshed_at is not None and state.last_error == ""
    assert upstream.requests_to("GET", "/openalex/works")[0].query["filter"] == [
        "authorships.author.id:A5100000011"
    ]


def test_a_second_refresh_changes_nothing(upstream, maren):
    _serve_maren(upstream)
    author_refresh(maren.pk, task_id="t1")
    works = Work.objects.count()
    logs = author_refresh(maren.pk, task_id="t2")
    assert sum(log.created + log.updated for log in logs) == 0
    assert Work.objects.count() == works


def test_a_failing_source_is_logged_and_deletes_nothing(upstream, maren):
    _serve_maren(upstream)
    author_refresh(maren.pk, task_id="t1")
    before = Work.objects.count()
    seen = len(upstream.requests_to("GET", "/openalex/authors/A5100000011"))
    upstream._routes.clear()
    upstream.add("GET", "/openalex/authors/A5100000011", status=500, body="down")
    upstream.add("GET", "/openalex/works", status=500, body="down")
    upstream.add("GET", f"/orcid/v3.0/{MAREN_ORCID}/record", status=404, json={"error": "gone"})
    upstream.add("GET", "/crossref/works", body="{not json", content_type="application/json")
    upstream.add("GET", "/arxiv/api/query", body=EMPTY_ARXIV, content_type="application/atom+xml")

    logs = author_refresh(maren.pk, task_id="t2")

    outcomes = {(log.source, log.outcome) for log in logs}
    assert ("openalex", Outcome.TRANSIENT) in outcomes
    assert ("orcid", Outcome.PERMANENT) in outcomes
    assert ("crossref", Outcome.PERMANENT) in outcomes
    assert (
        len(upstream.requests_to("GET", "/openalex/authors/A5100000011")) == seen + 3
    )  # max attempts
    assert Work.objects.count() == before
    state = AuthorRefreshState.objects.get(pk=maren.pk)
    assert state.last_error and state.next_due_at > state.last_attempt_at


def test_a_daily_budget_skips_a_source(upstream, maren, settings):
    _serve_maren(upstream)
    settings.REFRESH_DAILY_BUDGET = {**settings.REFRESH_DAILY_BUDGET, "crossref": 0}
    logs = author_refresh(maren.pk, task_id="t1")
    assert [log.outcome for log in logs if log.source == "crossref"] == [Outcome.SKIPPED]
    assert not upstream.requests_to("GET", "/crossref/works")


def test_a_held_lock_makes_a_duplicate_delivery_a_no_op(upstream, maren):
    _serve_maren(upstream)
    with author_lock(maren.pk, "t1") as got:
        assert got
        assert author_refresh(maren.pk, task_id="t1") == []  # same task, holder alive: skip
        assert author_refresh(maren.pk, task_id="t2") == []
    assert not RefreshLog.objects.exists()


def test_two_schedulers_queue_each_author_once(maren, records, django_capture_on_commit_callbacks):
    other = records.author("Someone Else", orcid="0000-0003-1415-9269")
    records.author("No Identifiers")  # nothing to ask a source about: never queued
    with django_capture_on_commit_callbacks() as callbacks:
        first = refresh_schedule(limit=10)
        second = refresh_schedule(limit=10)
    assert sorted(first) == sorted([maren.pk, other.pk])
    assert second == []
    assert len(callbacks) == 2


def test_claimed_records_are_scheduled_first(maren, records, django_capture_on_commit_callbacks):
    from apps.ingest.models import Priority
    from apps.ingest.services import refresh_priority_set

    other = records.author("Someone Else", orcid="0000-0003-1415-9269")
    refresh_priority_set(other.pk, Priority.CLAIMED)
    with django_capture_on_commit_callbacks():
        assert refresh_schedule(limit=1) == [other.pk]


def test_refresh_now_is_rate_limited(maren, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        assert refresh_request(maren, user_id=1) is RefreshAnswer.QUEUED
    with pytest.raises(RefreshTooSoon):
        refresh_request(maren, user_id=1)


def test_the_author_page_says_when_and_from_where(upstream, maren, client, researcher_client):
    _serve_maren(upstream)
    author_refresh(maren.pk, task_id="t1")
    html = client.get(f"/authors/{maren.pk}/").content.decode()
    assert "Last updated from OpenAlex, ORCID, Crossref 0\xa0minutes ago." in html
    assert "Refresh now" not in html  # visitors cannot ask
    assert "Refresh now" in researcher_client.get(f"/authors/{maren.pk}/").content.decode()


def test_refresh_now_from_the_page(maren, researcher_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = researcher_client.post(f"/authors/{maren.pk}/refresh/", follow=True)
    assert b"Refresh queued." in response.content
    assert len(callbacks) == 1
    again = researcher_client.post(f"/authors/{maren.pk}/refresh/", follow=True)
    assert b"try again in a few minutes" in again.content


def test_visitors_cannot_ask_for_a_refresh(maren, client):
    response = client.post(f"/authors/{maren.pk}/refresh/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

"""Records that cannot be refreshed cost nothing: the demo community's made-up identifiers are
never sent upstream, and a record whose refreshes keep failing waits twice as long after each
failure (capped), and its page says so."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from apps.ingest.models import AuthorRefreshState
from apps.ingest.refresh import author_refresh, retry_after
from apps.ingest.services import refresh_schedule
from apps.records.models import Provenance, Source
from tests import samples

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def failing(fake_upstream, settings, records):
    """A record whose only source answers 500 every time."""
    settings.OPENALEX_API_URL = f"{fake_upstream.url}/openalex"
    settings.UPSTREAM_RATE_LIMITS = {"openalex": 1000}
    settings.UPSTREAM_RETRY = {"max_attempts": 1, "max_wait": 0.05, "backoff_base": 0.01}
    settings.REFRESH_RETRY_AFTER = 3_600
    settings.REFRESH_RETRY_MAX = 86_400
    fake_upstream.add("GET", "/openalex/authors/A5100000011", status=500, body="down")
    fake_upstream.add("GET", "/openalex/works", status=500, body="down")
    return records.author("Maren Oyelaran-Fitch", openalex_id="A5100000011")


def _wait_after_run(author, n: int) -> datetime.timedelta:
    author_refresh(author.pk, task_id=f"t{n}")
    state = AuthorRefreshState.objects.get(pk=author.pk)
    assert state.consecutive_failures == n
    return state.next_due_at - state.last_attempt_at


def test_each_failure_in_a_row_doubles_the_wait_up_to_the_cap(failing):
    waits = [_wait_after_run(failing, n) for n in range(1, 5)]
    assert waits == [HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR]
    assert retry_after(6) == 24 * HOUR  # 32 hours, capped at REFRESH_RETRY_MAX
    assert retry_after(60_000) == 24 * HOUR


def test_a_success_starts_the_count_again(failing, fake_upstream):
    _wait_after_run(failing, 1)
    _wait_after_run(failing, 2)
    fake_upstream._routes.clear()
    author = json.loads((samples.FIXTURES / "openalex/author-A5100000011.json").read_text())
    fake_upstream.add("GET", "/openalex/authors/A5100000011", json=author)
    fake_upstream.add("GET", "/openalex/works", json={"meta": {"next_cursor": None}, "results": []})

    author_refresh(failing.pk, task_id="t3")

    state = AuthorRefreshState.objects.get(pk=failing.pk)
    assert state.consecutive_failures == 0
    assert state.next_due_at - state.last_attempt_at == datetime.timedelta(days=14)


def test_a_backed_off_record_is_not_queued_before_its_time(
    failing, django_capture_on_commit_callbacks
):
    for n in (1, 2, 3):
        _wait_after_run(failing, n)
    due = AuthorRefreshState.objects.get(pk=failing.pk).next_due_at
    with django_capture_on_commit_callbacks():
        assert refresh_schedule(now=due - datetime.timedelta(minutes=1)) == []
        assert refresh_schedule(now=due) == [failing.pk]


def test_the_page_says_in_plain_words_that_it_is_tried_less_often(failing, client):
    _wait_after_run(failing, 1)
    html = client.get(f"/authors/{failing.pk}/").content.decode()
    assert "tried less often" not in html  # one failure is not yet a pattern
    _wait_after_run(failing, 2)
    html = client.get(f"/authors/{failing.pk}/").content.decode()
    assert "The last 2 refreshes from its sources failed, so it is now tried less often" in html
    assert "next try in 1\xa0hour" in html


def test_a_demo_record_is_never_fetched_nor_offered_a_refresh(
    fake_upstream, settings, records, researcher_client, django_capture_on_commit_callbacks
):
    settings.OPENALEX_API_URL = f"{fake_upstream.url}/openalex"
    demo = records.author("Ines Demo", openalex_id="A9912345678")
    Provenance.objects.create(author=demo, source=Source.DEMO, fetched_at=timezone.now())

    with django_capture_on_commit_callbacks() as callbacks:
        assert refresh_schedule(limit=10) == []
    assert author_refresh(demo.pk, task_id="t1") == []
    assert callbacks == [] and fake_upstream.requests == []
    html = researcher_client.get(f"/authors/{demo.pk}/").content.decode()
    assert "A demo record: its identifiers are made up" in html
    assert "Refresh now" not in html
    response = researcher_client.post(f"/authors/{demo.pk}/refresh/", follow=True)
    assert b"No source can be asked about this record" in response.content
    assert fake_upstream.requests == []

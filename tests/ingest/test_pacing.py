"""Each source at its own pace: a refresh that would wait for one source's rate slot frees its
worker and comes back at its turn, and a first refresh asks arXiv about the preprints it has
just imported. Real HTTP to the fake upstream; the worker test runs a real Celery worker
process on PostgreSQL and Redis."""

from __future__ import annotations

import json
import time

import pytest
from django.conf import settings as django_settings

from apps.ingest import ratelimit
from apps.ingest.models import AuthorRefreshState, Outcome, RefreshLog
from apps.ingest.ratelimit import GUARD_SECONDS, LocalRateLimiter, RateLimitTimeout
from apps.ingest.refresh import author_refresh, author_refresh_part
from apps.records.models import Work
from config.celery import app
from tests import samples
from tests.fakes.upstream import FakeUpstream
from tests.ingest.test_ratelimit import FakeClock, redis_prefix  # noqa: F401 (a fixture)
from tests.ingest.worker_process import (
    ON_POSTGRES_AND_REDIS,
    SKIP_REASON,
    start_worker,
    stop_worker,
    wait_for,
)

FIXTURES = samples.FIXTURES
AUTHOR = "A5100000011"
PREPRINT = "2403.01234"  # the arXiv id of W5100000001, through its DataCite DOI
EMPTY_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <id>https://arxiv.org/api/empty</id><title>empty</title><updated>2024-01-01T00:00:00Z</updated>
  <opensearch:totalResults>0</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex><opensearch:itemsPerPage>100</opensearch:itemsPerPage>
</feed>"""
EMPTY_PAGE = {"meta": {"count": 0, "next_cursor": None}, "results": []}


# Turns, on a fake clock ------------------------------------------------------------------------


def test_turns_are_one_interval_apart_from_the_next_free_slot():
    clock = FakeClock()
    limiter = LocalRateLimiter({"s": (1, 3.0)}, clock=clock, sleep=clock.sleep)
    interval = 3.0 + GUARD_SECONDS
    limiter.acquire("s", timeout=0)  # a request just went: the next slot is one interval away

    turns = [limiter.book("s", horizon=10) for _ in range(3)]

    assert turns == pytest.approx([interval, 2 * interval, 3 * interval])
    assert clock.sleeps == []  # booking never sleeps


def test_a_turn_beyond_the_horizon_books_nothing():
    clock = FakeClock()
    limiter = LocalRateLimiter({"s": (1, 3.0)}, clock=clock, sleep=clock.sleep)
    assert limiter.book("s", horizon=1) == 0
    with pytest.raises(RateLimitTimeout):
        limiter.book("s", horizon=1)
    # The refused booking kept nothing: the next turn is still one interval after the first.
    assert limiter.book("s", horizon=10) == pytest.approx(3.0 + GUARD_SECONDS)


def test_a_turn_never_comes_before_the_next_free_slot():
    clock = FakeClock()
    limiter = LocalRateLimiter({"s": (1, 3.0)}, clock=clock, sleep=clock.sleep)
    assert limiter.book("s", horizon=10) == 0
    clock.now += 10  # the turn went unused, then someone else took the slot
    limiter.acquire("s", timeout=0)
    assert limiter.book("s", horizon=10) == pytest.approx(3.0 + GUARD_SECONDS)


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs a real Redis (REDIS_URL)")
def test_redis_turns_are_shared_and_follow_the_slot(redis_prefix):  # noqa: F811
    limiter = ratelimit.RedisRateLimiter.from_url(
        django_settings.REDIS_URL, rates={"s": (1, 3.0)}, prefix=redis_prefix
    )
    other = ratelimit.RedisRateLimiter.from_url(
        django_settings.REDIS_URL, rates={"s": (1, 3.0)}, prefix=redis_prefix
    )
    assert limiter.acquire("s", timeout=0) == 0
    first, second = limiter.book("s", horizon=10), other.book("s", horizon=10)
    assert 3.0 < first <= 3.0 + GUARD_SECONDS
    assert second == pytest.approx(first + 3.0 + GUARD_SECONDS, abs=0.05)
    with pytest.raises(RateLimitTimeout):
        other.book("s", horizon=5)


# A refresh in process against the fake upstream ------------------------------------------------


def _json(path):
    return json.loads((FIXTURES / path).read_text())


@pytest.fixture
def upstream(fake_upstream, settings):
    url = fake_upstream.url
    settings.OPENALEX_API_URL = f"{url}/openalex"
    settings.ARXIV_API_URL = f"{url}/arxiv"
    # arXiv's interval is long enough that the OpenAlex fetches end well inside it, even on a
    # busy machine.
    settings.UPSTREAM_RATE_LIMITS = {"openalex": 1000, "arxiv": (1, 4.0)}
    settings.UPSTREAM_RETRY = {"max_attempts": 2, "max_wait": 0.05, "backoff_base": 0.01}
    return fake_upstream


def _serve_first_refresh(upstream):
    """OpenAlex knows the author and one work of theirs, a preprint; arXiv has its feed."""
    known = _json(f"openalex/author-{AUTHOR}.json")
    known["orcid"] = known["ids"]["orcid"] = None  # OpenAlex only: no ORCID or Crossref fetch
    upstream.add("GET", f"/openalex/authors/{AUTHOR}", json=known)
    work = _json("openalex/work-W5100000001-arxiv-preprint.json")
    for authorship in work["authorships"]:
        authorship["author"]["orcid"] = None
    upstream.add(
        "GET",
        "/openalex/works",
        json={"meta": {"count": 1, "next_cursor": None}, "results": [work]},
    )
    upstream.add("GET", "/arxiv/api/query", body=EMPTY_FEED, content_type="application/atom+xml")


@pytest.mark.django_db
def test_a_first_refresh_asks_arxiv_about_the_preprints_it_just_imported(upstream, records):
    author = records.author("M. Oyelaran-Fitch", openalex_id=AUTHOR)
    assert not Work.objects.visible_on(author).exists()  # nothing known before the refresh
    _serve_first_refresh(upstream)

    logs = author_refresh(author.pk, task_id="first")

    assert [(log.source, log.outcome) for log in logs] == [
        ("openalex", Outcome.OK),
        ("openalex", Outcome.OK),
        ("arxiv", Outcome.OK),
    ]
    (asked,) = upstream.requests_to("GET", "/arxiv/api/query")
    assert asked.query["id_list"] == [PREPRINT]
    assert {log.task_id for log in logs} == {"first"}


@pytest.mark.django_db
def test_a_refresh_waiting_for_arxiv_stops_and_continues_where_it_left_off(
    upstream, records, settings
):
    author = records.author("M. Oyelaran-Fitch", openalex_id=AUTHOR)
    AuthorRefreshState.objects.create(author=author)
    _serve_first_refresh(upstream)
    ratelimit.acquire("arxiv", timeout=10)  # arXiv's slot was just taken: the next is 4 s away

    part = author_refresh_part(author.pk, task_id="paced")

    # OpenAlex is done and logged; arXiv was not asked, nor waited for: the run stopped with
    # its turn booked up to four seconds ahead.
    assert [log.source for log in part.logs] == ["openalex", "openalex"]
    assert settings.REFRESH_SLOT_WAIT < part.defer <= 4.0 + GUARD_SECONDS
    assert part.turn
    assert not upstream.requests_to("GET", "/arxiv/api/query")
    state = AuthorRefreshState.objects.get(pk=author.pk)
    assert state.enqueued_at is not None  # still queued: "Refresh now" says so
    assert state.last_attempt_at is None  # the outcome waits for the end of the run

    time.sleep(part.defer)
    rest = author_refresh_part(
        author.pk, task_id="paced", done=[log.pk for log in part.logs], turn=part.turn
    )

    assert rest.defer is None
    assert [log.source for log in rest.logs] == ["openalex", "openalex", "arxiv"]
    assert len(upstream.requests_to("GET", "/openalex/works")) == 1  # not fetched again
    assert set(RefreshLog.objects.filter(author=author).values_list("task_id", flat=True)) == {
        "paced"
    }
    state.refresh_from_db()
    assert state.enqueued_at is None and state.last_refreshed_at is not None
    assert state.consecutive_failures == 0


# A real worker ---------------------------------------------------------------------------------

WAITING = 5  # authors with only OpenAlex to ask, queued behind two with preprints


@pytest.fixture
def paced_upstream():
    server = FakeUpstream().start()
    server.add("GET", "/openalex/works", json=EMPTY_PAGE)
    server.add("GET", "/arxiv/api/query", body=EMPTY_FEED, content_type="application/atom+xml")
    yield server
    server.stop()


def _arxiv_requests(server):
    return server.requests_to("GET", "/arxiv/api/query")


@pytest.mark.skipif(not ON_POSTGRES_AND_REDIS, reason=SKIP_REASON)
@pytest.mark.django_db(transaction=True)
def test_a_worker_serves_openalex_while_a_refresh_waits_for_arxiv(paced_upstream, records):
    """One worker, one process: the second preprint author must wait three seconds for arXiv.
    Had it slept, every OpenAlex request queued behind it would come after its arXiv request;
    it re-queues itself for its turn instead, and the worker serves them meanwhile."""
    with_preprints = [
        records.author(f"Preprint Person{i}", openalex_id=f"A70000000{i}") for i in (1, 2)
    ]
    for i, author in enumerate(with_preprints):
        records.work(author, arxiv_id=f"2401.0000{i}")
    others = [
        records.author(f"Openalex Only{i}", openalex_id=f"A80000000{i}") for i in range(WAITING)
    ]
    worker = start_worker(
        paced_upstream,
        pool="solo",
        concurrency=1,
        env={
            "UPSTREAM_RATE_LIMITS": json.dumps({"openalex": 100, "arxiv": [1, 3]}),
            # The worker queues tasks through the broker, as production does.
            "DJANGO_SETTINGS_MODULE": "config.settings.test_worker",
        },
    )
    try:
        for author in [*with_preprints, *others]:
            app.send_task("ingest.refresh_author", args=[author.pk])
        wait_for(
            lambda: (
                len(_arxiv_requests(paced_upstream)) == 2
                and AuthorRefreshState.objects.filter(
                    last_attempt_at__isnull=False, enqueued_at__isnull=True
                ).count()
                == 2 + WAITING
            ),
            40,
            "the refreshes did not all finish",
            worker.lines,
        )
    finally:
        stop_worker(worker)

    first, second = _arxiv_requests(paced_upstream)
    assert second.at - first.at >= 3.0  # arXiv's limit held
    others_asked = [
        r.at
        for r in paced_upstream.requests_to("GET", "/openalex/works")
        if any(f"A80000000{i}" in r.query["filter"][0] for i in range(WAITING))
    ]
    assert len(others_asked) == WAITING
    # Served while the arXiv refresh waited for its turn (a sleeping worker serves none then).
    assert sum(first.at < t < second.at for t in others_asked) >= 2
    waited = with_preprints[1]
    logs = list(RefreshLog.objects.filter(author=waited).order_by("pk"))
    assert [log.source for log in logs] == ["openalex", "openalex", "arxiv"]
    assert len({log.task_id for log in logs}) == 1  # one run, continued under its task id
    assert second.query["id_list"] == ["2401.00001"]  # the waiting author's preprint
    # The run ended once, at its end: the author is unknown to OpenAlex (a 404), so one failure.
    state = AuthorRefreshState.objects.get(pk=waited.pk)
    assert state.enqueued_at is None and state.consecutive_failures == 1

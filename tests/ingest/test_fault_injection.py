"""Faults injected into real refreshes: Celery worker processes (`celery -A config worker`)
on the test PostgreSQL database and Redis, fetching from the fake upstream. Co-authors
refreshed at once, database connections terminated mid-refresh and a worker killed outright
all end with every refresh applied and logged, none dropped.

Runs on PostgreSQL and Redis (CI); skipped on SQLite, with the reason shown."""

from __future__ import annotations

import time
from contextlib import contextmanager
from functools import partial

import pytest
from django.core.cache import cache
from django.db import connection

from apps.ingest.models import AuthorRefreshState, Outcome, RefreshLog
from apps.records.models import Author, CoAuthorship, Topic, Work
from config.celery import app
from tests.fakes.upstream import FakeUpstream
from tests.ingest.worker_process import (
    ON_POSTGRES_AND_REDIS,
    SKIP_REASON,
    kill_worker,
    start_worker,
    stop_worker,
    wait_for,
)

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES_AND_REDIS, reason=SKIP_REASON),
    pytest.mark.django_db(transaction=True),
]
PEOPLE = 8
ROUNDS = 5
WORKS_PER_ROUND = 2
TIME_LIMIT = 12  # seconds: the killed worker's tasks must run again soon after this
VISIBILITY_MARGIN = 3
FAST_RETRY = '{"max_attempts": 8, "max_wait": 2, "backoff_base": 0.2}'


def _oa(prefix: str, n: int | str) -> str:
    return f"https://openalex.org/{prefix}{n}"


def _work(round_: int, k: int, people: list[Author]) -> dict:
    """A work every one of `people` wrote, with a topic, venue and institution new this round
    (so every refresh races the others to create them)."""
    n = 900_000_000 + round_ * 10 + k
    place = {"id": _oa("I", 900_000 + round_), "display_name": f"Institute {round_}"}
    return {
        "id": _oa("W", n),
        "display_name": f"Shared work {round_}.{k}",
        "publication_date": "2024-05-01",
        "type": "article",
        "cited_by_count": round_,
        "updated_date": f"2025-0{round_}-01T00:00:00",
        "primary_location": {
            "source": {"id": _oa("S", 900_000 + round_), "display_name": f"Journal {round_}"}
        },
        "topics": [{"id": _oa("T", 900_000 + round_), "display_name": f"Topic {round_}"}],
        "authorships": [
            {
                "author_position": "first" if i == 0 else "middle",
                "author": {"id": _oa(p.openalex_id, ""), "display_name": p.display_name},
                "raw_author_name": p.display_name,
                "institutions": [place],
            }
            for i, p in enumerate(people)
        ],
    }


def _serve_round(upstream: FakeUpstream, round_: int, people: list[Author], delay=0.0) -> None:
    for recorded in (upstream._routes, upstream._served, upstream.requests):
        recorded.clear()
    for p in people:
        body = {"id": _oa(p.openalex_id, ""), "display_name": p.display_name}
        upstream.add("GET", f"/openalex/authors/{p.openalex_id}", json=body)
    works = [_work(round_, k, people) for k in range(WORKS_PER_ROUND)]
    page = {"meta": {"count": len(works), "next_cursor": None}, "results": works}
    upstream.add("GET", "/openalex/works", json=page, delay=delay)


@pytest.fixture(scope="module")
def upstream():
    server = FakeUpstream().start()
    yield server
    server.stop()


@pytest.fixture
def people(records) -> list[Author]:
    return [
        records.author(f"Coauthor Number{i}", openalex_id=f"A9000000{i:02d}") for i in range(PEOPLE)
    ]


@contextmanager
def running(upstream, **options):
    proc = start_worker(
        upstream,
        env={
            "REFRESH_DB_RETRY": FAST_RETRY,
            "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
            "CELERY_VISIBILITY_MARGIN": str(VISIBILITY_MARGIN),
        },
        **options,
    )
    try:
        yield proc
    finally:
        stop_worker(proc)


def _send_all(people: list[Author], label: str) -> dict[int, str]:
    ids = {p.pk: f"{label}-{p.pk}" for p in people}
    for author_id, task_id in ids.items():
        app.send_task("ingest.refresh_author", args=[author_id], task_id=task_id)
    return ids


def _finished(task_ids: dict[int, str]) -> bool:
    """Each task's latest attempt logged both fetches and neither needs another attempt."""
    for task_id in task_ids.values():
        logs = list(RefreshLog.objects.filter(task_id=task_id).order_by("-id")[:2])
        if len(logs) < 2 or any(log.outcome != Outcome.OK for log in logs):
            return False
    return True


def _applied(round_: int, people: list[Author]) -> None:
    works = Work.objects.filter(title__startswith=f"Shared work {round_}.")
    assert works.count() == WORKS_PER_ROUND
    for work in works:
        assert set(work.authorships.values_list("author_id", flat=True)) == {p.pk for p in people}
    assert Topic.objects.filter(name=f"Topic {round_}").count() == 1
    shared = round_ * WORKS_PER_ROUND  # every round's works are shared by everyone
    edges = CoAuthorship.objects.filter(author__in=people)
    assert edges.count() == len(people) * (len(people) - 1)
    assert set(edges.values_list("shared_works", flat=True)) == {shared}


def test_co_authors_refreshed_eight_at_once_for_five_rounds_all_land(upstream, people):
    with running(upstream, pool="threads", concurrency=PEOPLE) as worker:
        for round_ in range(1, ROUNDS + 1):
            _serve_round(upstream, round_, people)
            task_ids = _send_all(people, f"round{round_}")
            wait_for(partial(_finished, task_ids), 60, f"round {round_} unfinished", worker.lines)
            _applied(round_, people)

    assert AuthorRefreshState.objects.filter(author__in=people, last_error="").count() == PEOPLE
    retried = RefreshLog.objects.filter(outcome=Outcome.DATABASE).count()
    print(f"{ROUNDS * PEOPLE} refreshes, {retried} attempts cut short and retried, 0 dropped")


def _terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _works_logged(task_ids: dict[int, str]) -> set[str]:
    done = RefreshLog.objects.filter(task_id__in=task_ids.values(), target__startswith="works")
    return set(done.values_list("task_id", flat=True))


def test_connections_terminated_mid_refresh_are_retried_and_logged(upstream, people):
    with running(upstream, pool="threads", concurrency=PEOPLE) as worker:
        _serve_round(upstream, 1, people, delay=5)
        task_ids = _send_all(people, "terminated")
        wait_for(
            lambda: len(upstream.requests_to("GET", "/openalex/works")) >= PEOPLE,
            30,
            "the refreshes never reached their works fetch",
            worker.lines,
        )
        cut_short = set(task_ids.values()) - _works_logged(task_ids)
        assert _terminate_other_connections() >= len(cut_short)
        wait_for(partial(_finished, task_ids), 60, "refreshes not retried", worker.lines)

    _applied(1, people)
    assert len(cut_short) >= PEOPLE // 2  # most were waiting on their works page
    for task_id in cut_short:
        outcomes = set(RefreshLog.objects.filter(task_id=task_id).values_list("outcome", flat=True))
        assert Outcome.DATABASE in outcomes, task_id  # the cut-short attempt is logged
    assert not AuthorRefreshState.objects.filter(author__in=people).exclude(last_error="")


def _lock_ttls(people: list[Author]) -> list[int]:
    client = cache._cache.get_client(write=False)
    keys = [cache.make_and_validate_key(f"refresh-lock:{p.pk}") for p in people]
    return [client.ttl(key) for key in keys if client.exists(key)]


def test_a_worker_killed_outright_has_its_tasks_run_again_and_its_locks_freed(upstream, people):
    two = people[:2]
    _serve_round(upstream, 1, two, delay=4)
    with running(upstream, concurrency=2) as doomed:
        sent_at = time.monotonic()
        task_ids = _send_all(two, "killed")
        wait_for(
            lambda: len(upstream.requests_to("GET", "/openalex/works")) >= 2,
            30,
            "the refreshes never started",
            doomed.lines,
        )
        ttls = _lock_ttls(two)
        kill_worker(doomed)
        killed_at = time.monotonic()
    assert len(ttls) == 2 and all(0 < ttl <= TIME_LIMIT for ttl in ttls)  # not 15 minutes

    _serve_round(upstream, 1, two)
    # kombu hands unacked messages back when a worker polls after their visibility timeout
    # (the time limit plus the margin): start the next worker once it has passed.
    time.sleep(max(0.0, sent_at + TIME_LIMIT + VISIBILITY_MARGIN - time.monotonic()))
    with running(upstream, concurrency=2) as survivor:
        wait_for(partial(_finished, task_ids), TIME_LIMIT * 2, "not run again", survivor.lines)
    rerun_after = time.monotonic() - killed_at

    assert rerun_after < TIME_LIMIT * 3  # the visibility timeout follows the time limit
    assert _lock_ttls(two) == []  # every lock released
    assert {log.task_id for log in RefreshLog.objects.all()} == set(task_ids.values())
    _applied(1, two)

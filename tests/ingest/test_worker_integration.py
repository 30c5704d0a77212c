"""The refresh as production runs it: a real Celery worker process, consuming from real Redis,
writing to real PostgreSQL, fetching over HTTP from the fake upstream.

Skipped unless DATABASE_URL (PostgreSQL) and REDIS_URL are set, as they are in CI.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.ingest.models import AuthorRefreshState, Outcome, RefreshLog
from apps.ingest.refresh import author_refresh
from apps.ingest.services import refresh_schedule
from apps.records.models import Author, Work
from config.celery import app
from tests import samples
from tests.fakes.upstream import FakeUpstream

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = samples.FIXTURES
AUTHOR = "A5100000011"
SOURCES = ("openalex", "orcid", "crossref", "arxiv")

pytestmark = [
    pytest.mark.skipif(
        not (
            os.environ.get("REDIS_URL")
            and os.environ.get("DATABASE_URL", "").startswith("postgres")
        ),
        reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def upstream():
    server = FakeUpstream().start()
    yield server
    server.stop()


def _reset(server: FakeUpstream) -> None:
    server._routes.clear()
    server._served.clear()
    server.requests.clear()


@pytest.fixture
def worker(upstream, transactional_db):
    """A worker process (prefork, two children) with the test database and the fake upstream."""
    _reset(upstream)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "OPENALEX_API_URL": f"{upstream.url}/openalex",
        "ORCID_API_BASE_URL": f"{upstream.url}/orcid",
        "CROSSREF_API_URL": f"{upstream.url}/crossref",
        "ARXIV_API_URL": f"{upstream.url}/arxiv",
        "UPSTREAM_RATE_LIMITS": json.dumps({s: 100 for s in SOURCES}),
        "UPSTREAM_RETRY": json.dumps({"max_attempts": 3, "max_wait": 5, "backoff_base": 0.05}),
    }
    hostname = f"itest-{uuid.uuid4().hex[:8]}@%h"
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "-n",
            hostname,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    _wait(lambda: any("ready." in line for line in lines), 30, "worker did not start", lines)
    proc.lines = lines
    yield proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait(predicate, timeout, message, lines=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(message + "\n" + "".join(list(lines)[-40:]))


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def _serve(upstream, *, author_status=200, retry_after=None, works_delay=0.0, works_body=None):
    """OpenAlex answers for the author and their works; the other sources have nothing."""
    author = json.loads((FIXTURES / "openalex/author-A5100000011.json").read_text())
    if retry_after is not None:
        upstream.add(
            "GET",
            f"/openalex/authors/{AUTHOR}",
            status=429,
            json={"error": "slow down"},
            headers={"Retry-After": str(retry_after)},
        )
    if author_status == 200:
        upstream.add("GET", f"/openalex/authors/{AUTHOR}", json=author)
    else:
        upstream.add("GET", f"/openalex/authors/{AUTHOR}", status=author_status, body="down")
    if works_body is not None:
        upstream.add("GET", "/openalex/works", body=works_body, content_type="application/json")
    else:
        page = json.loads((FIXTURES / "openalex/works-page-cursor.json").read_text())
        upstream.add("GET", "/openalex/works", json=page, delay=works_delay)
        upstream.add("GET", "/openalex/works", json={"meta": {"next_cursor": None}, "results": []})


@pytest.fixture
def maren():
    author = Author(openalex_id=AUTHOR)
    author.set_names("M. Oyelaran-Fitch", [])
    author.save()
    return author


def _run(author_id: int, task_id: str | None = None):
    return app.send_task("ingest.refresh_author", args=[author_id], task_id=task_id)


def _logs(author):
    return list(RefreshLog.objects.filter(author=author).order_by("id"))


def _state(author) -> AuthorRefreshState | None:
    return AuthorRefreshState.objects.filter(pk=author.pk).first()


def test_a_429_with_retry_after_is_waited_out_then_the_data_lands(worker, upstream, maren):
    _serve(upstream, retry_after=1)
    _run(maren.pk)
    _wait(lambda: len(_logs(maren)) == 2, 90, "refresh did not finish", worker.lines)

    first, second = upstream.requests_to("GET", f"/openalex/authors/{AUTHOR}")[:2]
    assert second.at - first.at >= 1.0  # Retry-After honoured
    assert {log.outcome for log in _logs(maren)} == {Outcome.OK}
    maren.refresh_from_db()
    assert maren.display_name == "Maren Oyelaran-Fitch"
    assert Work.objects.filter(openalex_id="W5100000005").exists()


def test_a_source_failing_forever_gives_up_deletes_nothing_and_is_logged(
    worker, upstream, maren, records
):
    kept = records.work(maren, title="Already known")
    _serve(upstream, author_status=500)
    _run(maren.pk)
    _wait(lambda: len(_logs(maren)) == 2, 90, "refresh did not finish", worker.lines)

    failed = [log for log in _logs(maren) if log.outcome == Outcome.TRANSIENT]
    assert len(failed) == 1 and failed[0].attempts == 3
    assert len(upstream.requests_to("GET", f"/openalex/authors/{AUTHOR}")) == 3
    assert Work.objects.filter(pk=kept.pk).exists()
    assert _state(maren).last_error


def test_a_worker_killed_mid_refresh_is_redelivered_and_ends_like_a_clean_run(
    worker, upstream, maren
):
    _serve(upstream, works_delay=3.0)
    _run(maren.pk, task_id="kill-me")
    _wait(
        lambda: upstream.requests_to("GET", "/openalex/works"), 30, "no works fetch", worker.lines
    )
    for child in _children(worker.pid):
        os.kill(child, signal.SIGKILL)
    _wait(
        lambda: {log.source for log in _logs(maren)} >= {"openalex"} and len(_logs(maren)) >= 2,
        60,
        "redelivered refresh did not finish",
        worker.lines,
    )

    assert {log.task_id for log in _logs(maren)} == {"kill-me"}
    assert any("WorkerLostError" in line or "signal 9" in line for line in worker.lines)
    clean = author_refresh(maren.pk, task_id="clean-run")  # a clean run finds nothing to change
    assert sum(log.created + log.updated for log in clean) == 0


def test_duplicate_deliveries_and_two_schedulers_refresh_each_author_once(worker, upstream, maren):
    _serve(upstream, works_delay=2.0)
    results: list[list[int]] = []
    barrier = threading.Barrier(2)

    def schedule():
        barrier.wait()
        results.append(refresh_schedule(limit=5))
        connection.close()

    threads = [threading.Thread(target=schedule) for _ in range(2)]
    app.conf.task_always_eager = False  # the scheduler's task goes to the worker process
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        app.conf.task_always_eager = True
    assert sorted(len(r) for r in results) == [0, 1]
    _run(maren.pk, task_id="dup")
    _run(maren.pk, task_id="dup")  # the same task delivered twice
    _wait(lambda: _state(maren) and _state(maren).last_refreshed_at, 60, "no refresh", worker.lines)
    time.sleep(3)  # let any duplicate finish too

    works_logs = [log for log in _logs(maren) if log.target.startswith("works of")]
    # One effective refresh: the first fetch of the works created them; any run that a
    # duplicate delivery still made after the lock was free found nothing to change.
    assert works_logs[0].created > 0, [(log.task_id, log.outcome, log.error) for log in works_logs]
    assert all(log.created == log.updated == 0 for log in works_logs[1:])
    assert Work.objects.filter(openalex_id="W5100000005").count() == 1
    assert Author.objects.filter(openalex_id=AUTHOR).count() == 1


def test_a_malformed_body_is_a_permanent_error_with_no_partial_write(worker, upstream, maren):
    _serve(
        upstream, works_body='{"meta": {"count": 3}, "results": [{"id": "https://openalex.org/W51'
    )
    _run(maren.pk)
    _wait(lambda: len(_logs(maren)) == 2, 90, "refresh did not finish", worker.lines)

    works_log = next(log for log in _logs(maren) if log.target.startswith("works of"))
    assert works_log.outcome == Outcome.PERMANENT
    assert len(upstream.requests_to("GET", "/openalex/works")) == 1  # not retried
    assert not Work.objects.exists()
    assert settings.CELERY_TASK_ACKS_LATE

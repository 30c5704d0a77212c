"""Redis stopped under a running site: a moderator's decision still commits and answers
without a 500, its mail waits in the outbox, and a worker delivers it once Redis is back.
Reads of the cache fail open; a rate limit that needs Redis answers 503 with Retry-After.

The test starts its own redis-server on a free port (never the shared one) and stops it."""

from __future__ import annotations

import shutil
import socket
import subprocess

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.test import Client

from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_evidence
from apps.core.models import OutboxItem
from config.celery import app
from tests.factories import urgent_queues, wait_for

pytestmark = [
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server binary"),
    pytest.mark.usefixtures("outbox_mailer"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float = 15.0) -> bool:
    return wait_for(predicate, timeout)


class OwnRedis:
    def __init__(self, tmp_path) -> None:
        self.port, self.dir, self.process = _free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}"

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert _wait_for(self._answers), "redis-server did not start"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert not self._answers()


@pytest.fixture
def own_redis(tmp_path, settings):
    """Cache and broker on a Redis of this test's own."""
    server = OwnRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.FailOpenRedisCache",
            "LOCATION": f"{server.url}/1",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    saved = app.conf.broker_url, app.conf.task_always_eager
    _broker_at(f"{server.url}/0", eager=False)
    try:
        yield server
    finally:
        _broker_at(saved[0], eager=saved[1])
        if server.process.poll() is None:
            server.stop()


def _broker_at(url: str, *, eager: bool) -> None:
    """Point the Celery app at `url`, dropping connections pooled for the old broker."""
    app.conf.broker_url, app.conf.task_always_eager = url, eager
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def waiting_claim(records, make_user):
    claimant = make_user(email="claimant@example.org", display_name="Cleo Claimant")
    author = records.author("Cleo Claimant")
    return claim_evidence(
        user=claimant, author=author, evidence=Evidence(note="it is me: these are my papers.")
    )


def test_a_decision_with_redis_down_commits_and_its_mail_arrives_later(
    transactional_db, own_redis, waiting_claim, moderator
):
    client = Client(raise_request_exception=False)
    client.force_login(moderator)
    own_redis.stop()

    response = client.post(
        f"/api/v1/moderation/decide/claim/{waiting_claim.pk}/",
        {"approve": True, "reason": "Evidence checks out"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    waiting_claim.refresh_from_db()
    assert waiting_claim.status == Claim.Status.APPROVED
    item = OutboxItem.objects.get(args__0__subject__icontains="You now hold the record")
    assert item.done_at is None
    assert mail.outbox == []

    own_redis.start()
    with start_worker(
        app, pool="solo", queues=urgent_queues(), perform_ping_check=False, shutdown_timeout=10
    ):
        app.send_task("core.outbox_sweep")  # what beat sends every minute
        assert _wait_for(lambda: OutboxItem.objects.filter(done_at=None).count() == 0)
    decided = [m for m in mail.outbox if "You now hold the record" in m.subject]
    assert [m.to for m in decided] == [["claimant@example.org"]]
    item.refresh_from_db()
    assert item.done_at is not None


def test_reads_fail_open_and_a_rate_limited_write_answers_503(
    db, own_redis, researcher_client, records
):
    author = records.author("Ada Lindqvist", orcid="0000-0002-1825-0097")
    own_redis.stop()
    researcher_client.raise_request_exception = False

    assert cache.get("anything", "miss") == "miss"
    cache.set("anything", 1)  # skipped, not raised
    with pytest.raises(redis.RedisError):
        cache.add("a-counter", 1)
    assert researcher_client.get(f"/authors/{author.pk}/").status_code == 200
    assert researcher_client.get("/api/v1/works/").status_code == 200

    refresh = researcher_client.post(f"/authors/{author.pk}/refresh/")
    assert refresh.status_code == 503
    assert refresh["Retry-After"] == "60"
    assert b"not answering" in refresh.content

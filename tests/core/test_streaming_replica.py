"""Read replicas against a real streaming replica (tests/replica.py makes one per session with
pg_basebackup): public pages and API reads come from it, whoever has just written reads from the
primary while the replica lags behind (its replay paused), and a replica that goes down while
serving is skipped without an error page. Routing alone is tests/core/test_replicas.py."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from apps.core import replicas
from apps.core.pagecache import record_changed
from apps.records.models import Author
from tests import replica as standby_cluster

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica0"])
ALIAS = "replica0"


@pytest.fixture(scope="session")
def standby(django_db_setup, django_db_blocker):
    """One standby for the session, copied after the test database exists."""
    settings = connection.settings_dict
    if settings["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a streaming replica needs PostgreSQL (DATABASE_URL), as in CI's first pass")
    with django_db_blocker.unblock():
        major = connection.cursor().connection.info.server_version // 10000
    cluster = standby_cluster.StandbyCluster(
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        user=settings["USER"] or "postgres",
        major=major,
    )
    reason = cluster.unavailable() or cluster.create()
    if reason:
        cluster.destroy()
        if standby_cluster.required():  # CI: a replica test that cannot run is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="module", autouse=True)
def replica_alias(standby):
    """The standby as "replica0", added before each test's database set-up. As a test mirror it
    is not flushed between tests (a standby is read-only; the primary's flush streams to it)."""
    test = {**connection.settings_dict["TEST"], "MIRROR": "default"}
    connections.settings[ALIAS] = {
        **connection.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": str(standby.port),
        "TEST": test,
    }
    yield ALIAS
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


@pytest.fixture(autouse=True)
def routed(settings, monkeypatch):
    """The router and middleware as DATABASE_REPLICA_URLS turns them on; pages rendered, not
    served from the page cache."""
    settings.DATABASE_ROUTERS = ["apps.core.replicas.ReplicaRouter"]
    settings.MIDDLEWARE = ["apps.core.replicas.ReplicaReadsMiddleware", *settings.MIDDLEWARE]
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(replicas, "_down_until", {})
    assert replicas.replica_aliases() == [ALIAS]


def replayed() -> None:
    """Until the standby has replayed every write made so far."""
    with connection.cursor() as primary, connections[ALIAS].cursor() as standby:
        standby_cluster.wait_for_replay(primary, standby)


@contextmanager
def replay_paused():
    """The standby stops applying the primary's writes: a lagging replica, on demand."""
    with connections[ALIAS].cursor() as standby:
        standby.execute("SELECT pg_wal_replay_pause()")
        for _ in range(200):
            standby.execute("SELECT pg_get_wal_replay_pause_state()")
            if standby.fetchone()[0] == "paused":
                break
            time.sleep(0.05)
        try:
            yield
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")


def test_public_pages_and_api_reads_come_from_the_replica(client, records):
    author = records.author("Ada Before")
    url = reverse("records:author", args=[author.pk])
    replayed()
    with replay_paused():
        Author.objects.filter(pk=author.pk).update(display_name="Ada After")
        page = client.get(url).content.decode()
        assert "Ada Before" in page and "Ada After" not in page  # the replica's copy
        api = client.get(f"/api/v1/authors/{author.pk}/")
        assert api.status_code == 200 and api.json()["display_name"] == "Ada Before"
    replayed()
    assert "Ada After" in client.get(url).content.decode()


def test_whoever_wrote_reads_their_write_while_the_replica_lags(client, researcher, records):
    author = records.author("Ada Lovelace")
    url = reverse("records:author", args=[author.pk])
    client.force_login(researcher)
    replayed()
    with replay_paused():
        response = client.post(reverse("follows:author", args=[author.pk]), {"action": "follow"})
        assert response.status_code == 302
        assert replicas.RECENT_WRITE_COOKIE in response.cookies
        page = client.get(url).content.decode()
        # From the primary:
        assert "Following · Unfollow" in page and "<strong>1</strong> follower" in page
        # The same person once the read-your-writes window has closed: the replica still lags.
        del client.cookies[replicas.RECENT_WRITE_COOKIE]
        page = client.get(url).content.decode()
        assert "Following · Unfollow" not in page and "<strong>0</strong> followers" in page
    replayed()
    assert "Following · Unfollow" in client.get(url).content.decode()


def test_the_page_cache_never_keeps_a_lagging_replica_s_copy(client, records, settings):
    """A write bumps the record's version; the page stored under the new version is read from
    the primary, or the replica's old rows would be served until the next change."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    author = records.author("Ada Before")
    url = reverse("records:author", args=[author.pk])
    assert "Ada Before" in client.get(url).content.decode()
    replayed()
    with replay_paused():
        with transaction.atomic():
            Author.objects.filter(pk=author.pk).update(display_name="Ada After")
            record_changed("author", author.pk)  # as the services that change a record do
        assert "Ada After" in client.get(url).content.decode()
        hit = client.get(url)
        assert hit["X-Page-Cache"] == "hit" and "Ada After" in hit.content.decode()


def test_a_replica_that_goes_down_while_serving_falls_back_to_the_primary(client, records, standby):
    author = records.author("Ada Lovelace")
    url = reverse("records:author", args=[author.pk])
    replayed()
    assert client.get(url).status_code == 200  # the replica's connection is open now
    standby.stop()
    try:
        response = client.get(url)
        assert response.status_code == 200 and "Ada Lovelace" in response.content.decode()
        assert client.get(f"/api/v1/authors/{author.pk}/").status_code == 200
        assert replicas._down_until[ALIAS] > time.monotonic()  # not tried on every request
    finally:
        connections[ALIAS].close()
        assert standby.start() is None

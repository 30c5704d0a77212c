"""Read replicas (apps/core/replicas.py): safe requests read from a replica, a browser that has
just written reads from the primary, and a replica that is down is skipped.

The replica here is a second alias onto the test database (a real PostgreSQL connection, no
streaming): what is tested is the routing. tests/core/test_streaming_replica.py does the same
against a real streaming replica, lag and a replica that goes down included."""

from __future__ import annotations

import pytest
from django.db import connection, connections, router
from django.http import HttpResponse
from django.test import RequestFactory

from apps.accounts.models import User
from apps.core import replicas
from tests.samples import postgres_only

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica0"])
ALIAS = "replica0"


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup):
    """The alias exists before each test's database set-up, which lets tests use it."""
    connections.settings[ALIAS] = {**connection.settings_dict}
    yield
    connections[ALIAS].close()
    del connections[ALIAS]  # the thread's wrapper too: a later module's alias of this name is new
    del connections.settings[ALIAS]


def _use(monkeypatch, settings, **overrides) -> str:
    settings.DATABASE_ROUTERS = ["apps.core.replicas.ReplicaRouter"]
    connections[ALIAS].close()
    connections[ALIAS].settings_dict.update({**connection.settings_dict, **overrides})
    monkeypatch.setattr(replicas, "replica_aliases", lambda: [ALIAS])
    monkeypatch.setattr(replicas, "_down_until", {})
    return ALIAS


@pytest.fixture
def replica(monkeypatch, settings):
    return _use(monkeypatch, settings)


@pytest.fixture
def down_replica(monkeypatch, settings):
    yield _use(monkeypatch, settings, PORT="1", OPTIONS={"connect_timeout": 2})
    connections[ALIAS].settings_dict.update(connection.settings_dict)


def _through_middleware(method: str, cookies: dict | None = None):
    """Run a request through the middleware; the view reports where a read would go."""
    seen = {}

    def view(request):
        seen["alias"] = router.db_for_read(User)
        seen["write"] = router.db_for_write(User)
        User.objects.using(seen["alias"]).count()  # a real query on the chosen alias
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method.lower())("/anything/")
    request.COOKIES.update(cookies or {})
    response = replicas.ReplicaReadsMiddleware(view)(request)
    return seen, response


def test_a_read_goes_to_the_replica_and_a_write_to_the_primary(replica):
    seen, response = _through_middleware("GET")
    assert seen == {"alias": replica, "write": "default"}
    assert replicas.RECENT_WRITE_COOKIE not in response.cookies


def test_whoever_just_wrote_reads_the_primary(replica, settings):
    seen, response = _through_middleware("POST")
    assert seen["alias"] == "default"
    cookie = response.cookies[replicas.RECENT_WRITE_COOKIE]
    assert cookie["max-age"] == settings.RECENT_WRITE_SECONDS
    seen, _ = _through_middleware("GET", {replicas.RECENT_WRITE_COOKIE: "1"})
    assert seen["alias"] == "default"


def test_outside_a_request_everything_reads_the_primary(replica):
    assert router.db_for_read(User) == "default"  # workers, commands, shells


@postgres_only("a replica that refuses connections is a PostgreSQL server down (SQLite has none)")
def test_a_replica_that_is_down_falls_back_to_the_primary(down_replica):
    seen, _ = _through_middleware("GET")
    assert seen["alias"] == "default"
    assert replicas._down_until[down_replica] > 0  # not tried again on the next request


def test_settings_add_replicas_only_when_asked(monkeypatch):
    from config.settings import base

    middleware = ["x"]
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    assert base.with_replicas({"default": {"CONN_MAX_AGE": 0}}, middleware)[2] == []
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://u@h1:5433/db,postgres://u@h2/db")
    databases, chain, routers = base.with_replicas({"default": {"CONN_MAX_AGE": 0}}, middleware)
    assert databases["replica0"]["PORT"] == 5433 and databases["replica1"]["HOST"] == "h2"
    assert chain[0] == "apps.core.replicas.ReplicaReadsMiddleware"
    assert routers == ["apps.core.replicas.ReplicaRouter"]


def test_no_standby_is_attempted_without_the_server_s_programs():
    """tests/core/test_streaming_replica.py skips (fails in CI) with this reason."""
    from tests.replica import StandbyCluster

    cluster = StandbyCluster(host="127.0.0.1", port=5432, user="postgres", major=99)
    assert cluster.unavailable() == (
        "pg_basebackup and pg_ctl for PostgreSQL 99 not found (/usr/lib/postgresql/99/bin or PATH)"
    )

"""Read replicas: safe requests read from a replica, everything else from the primary.

With DATABASE_REPLICA_URLS set, settings add the aliases "replica0", "replica1", ... and this
router. `ReplicaReadsMiddleware` lets a GET or HEAD read from a replica unless the browser
wrote within RECENT_WRITE_SECONDS (a cookie set on every unsafe request): whoever has just
written reads the primary, so they see their own write whatever the replica's lag. A replica
that refuses a connection, or whose kept connection no longer answers, is skipped for
DOWN_SECONDS; with none up, reads go to the primary. The replica is chosen once per request.
Workers and commands never set the flag, so they use the primary throughout; `primary_reads()`
sends a block of a request's reads to the primary (what the page cache stores must not be a
lagging replica's copy).
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections

RECENT_WRITE_COOKIE = "peerage_wrote"
DOWN_SECONDS = 30

# Per request: {"replica": may this request read a replica, "alias": the one chosen, once}.
_request = contextvars.ContextVar("replica_reads", default=None)
_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def _usable(alias: str) -> bool:
    """Up, or not known to be down: one connection attempt per DOWN_SECONDS when it is. A
    connection kept from an earlier request (CONN_MAX_AGE) is asked first whether it still
    answers: a replica that went down since would otherwise fail this request's queries."""
    if _down_until.get(alias, 0) > time.monotonic():
        return False
    conn = connections[alias]
    try:
        if conn.connection is not None and not conn.is_usable():
            conn.close()
        conn.ensure_connection()
    except DatabaseError:
        _down_until[alias] = time.monotonic() + DOWN_SECONDS
        return False
    return True


def read_alias() -> str:
    """Where this request's reads go: the first usable replica, else the primary."""
    state = _request.get()
    if not state or not state["replica"]:
        return "default"
    if state["alias"] is None:
        usable = (alias for alias in replica_aliases() if _usable(alias))
        state["alias"] = next(usable, "default")
    return state["alias"]


@contextmanager
def primary_reads():
    """Reads inside the block go to the primary, whatever the request's choice."""
    token = _request.set(None)
    try:
        yield
    finally:
        _request.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on every alias

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        replica = safe and RECENT_WRITE_COOKIE not in request.COOKIES
        token = _request.set({"replica": replica, "alias": None})
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if not safe:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=settings.RECENT_WRITE_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

"""The checks behind /healthz. Each returns a dict with at least `ok`; none raises."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from .heartbeat import heartbeat_read


def _timed(check: Callable[[], dict | None]) -> dict:
    started = time.monotonic()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as exc:  # a health check reports failures, it does not raise them
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache() -> dict | None:
    cache = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)
    return {"backend": cache.__class__.__name__}


def check_broker() -> dict | None:
    # The project's Celery app is the current one (config/__init__.py creates it at start-up);
    # naming it here would make this app import the project that installs it.
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        return {"transport": conn.transport_cls}


def health_report() -> tuple[bool, dict]:
    """Run every check; the report is healthy when every required part is up."""
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "broker": _timed(check_broker),
        "worker": _timed(heartbeat_read),
    }
    required = ["database", "cache", "broker"]
    if settings.HEALTHZ_REQUIRE_WORKER:
        required.append("worker")
    for name, result in checks.items():
        result["required"] = name in required
    healthy = all(checks[name]["ok"] for name in required)
    return healthy, checks

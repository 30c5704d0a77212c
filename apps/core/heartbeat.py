"""Worker liveness. Each worker writes a heartbeat to the cache on a timer; /healthz reads it.

The cache is shared by every process (Redis, or a file cache on the embedded default), so the
web process sees heartbeats from workers running anywhere.
"""

from __future__ import annotations

import logging
import socket
import time

from celery import bootsteps
from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)
HEARTBEAT_KEY = "worker:heartbeat"


def heartbeat_write(hostname: str, *, now: float | None = None) -> None:
    """Record that the worker `hostname` is alive at `now` (epoch seconds)."""
    beat = {"hostname": hostname, "at": time.time() if now is None else now}
    cache.set(HEARTBEAT_KEY, beat, timeout=settings.WORKER_HEARTBEAT_MAX_AGE * 10)


def heartbeat_read(*, now: float | None = None) -> dict:
    """The latest heartbeat from any worker, with its age and whether it is fresh."""
    beat = cache.get(HEARTBEAT_KEY)
    if not beat:
        return {"ok": False, "status": "missing"}
    age = (time.time() if now is None else now) - beat["at"]
    fresh = age <= settings.WORKER_HEARTBEAT_MAX_AGE
    return {
        "ok": fresh,
        "status": "ok" if fresh else "stale",
        "hostname": beat["hostname"],
        "age_seconds": round(age, 1),
    }


class HeartbeatStep(bootsteps.StartStopStep):
    """A worker boot step that beats once at start-up and then every interval."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        hostname = getattr(worker, "hostname", None) or socket.gethostname()
        self._beat(hostname)
        self.tref = worker.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_INTERVAL, self._beat, (hostname,), priority=10
        )

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    @staticmethod
    def _beat(hostname: str) -> None:
        try:
            heartbeat_write(hostname)
        except Exception:  # a cache outage must not kill the worker; /healthz will say so
            log.exception("worker heartbeat could not be written")

"""The shared upstream rate limit.

The guarantee: with a limit of N requests per second shared by several processes, the server
never sees more than N requests in any one-second window. The cross-process test needs a real
Redis (REDIS_URL) and runs two spawned OS processes against the fake upstream for about three
seconds; everything else runs on a fake clock.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import uuid

import pytest
from django.conf import settings

from apps.ingest import ratelimit
from apps.ingest.clients.base import UpstreamClient
from apps.ingest.ratelimit import (
    GUARD_SECONDS,
    LocalRateLimiter,
    RateLimitTimeout,
    RedisRateLimiter,
)

LIMIT = 5  # requests per second in the cross-process test
RUN_SECONDS = 3.0

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL,
    reason="needs a real Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/15)",
)


class FakeClock:
    """time.monotonic and time.sleep for a limiter, with sleeping moving the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# The in-process fallback -----------------------------------------------------------------------


def test_local_limiter_spaces_requests_evenly_with_the_guard():
    clock = FakeClock()
    limiter = LocalRateLimiter({"s": (5, 1.0)}, clock=clock, sleep=clock.sleep)
    interval = (1.0 + GUARD_SECONDS) / 5

    granted = []
    for _ in range(11):
        limiter.acquire("s", timeout=10)
        granted.append(clock.now)

    assert granted[0] == 1000.0  # an idle source answers at once
    gaps = [b - a for a, b in itertools.pairwise(granted)]
    assert gaps == pytest.approx([interval] * 10)
    # Any LIMIT + 1 consecutive grants span more than a second: no window holds LIMIT + 1.
    assert all(granted[i + 5] - granted[i] > 1.0 for i in range(len(granted) - 5))


def test_local_limiter_times_out_without_taking_the_slot():
    clock = FakeClock()
    limiter = LocalRateLimiter({"s": (1, 3.0)}, clock=clock, sleep=clock.sleep)
    limiter.acquire("s", timeout=0)

    with pytest.raises(RateLimitTimeout) as caught:
        limiter.acquire("s", timeout=1.0)

    assert caught.value.wait == pytest.approx(3.0 + GUARD_SECONDS)
    clock.now += 3.0 + GUARD_SECONDS
    assert limiter.acquire("s", timeout=0) == 0  # the refused call reserved nothing


def test_local_limiter_keeps_sources_apart():
    clock = FakeClock()
    limiter = LocalRateLimiter({"a": (1, 1.0), "b": (1, 1.0)}, clock=clock, sleep=clock.sleep)
    assert limiter.acquire("a", timeout=0) == limiter.acquire("b", timeout=0) == 0


def test_local_limiter_is_shared_by_threads():
    # A real clock, a short period: 4 threads racing for 10 slots per 0.2 s for 0.6 s.
    limiter = LocalRateLimiter({"s": (10, 0.2)})
    stamps: list[float] = []
    deadline = time.monotonic() + 0.6

    def worker() -> None:
        while time.monotonic() < deadline:
            limiter.acquire("s", timeout=5)
            stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stamps.sort()
    assert len(stamps) >= 20
    assert all(stamps[i + 10] - stamps[i] >= 0.2 for i in range(len(stamps) - 10))


def test_rates_come_from_settings_over_the_defaults(settings):
    # Numbers are requests per second; pairs (lists, as env.json gives them) are (n, seconds).
    settings.UPSTREAM_RATE_LIMITS = {"openalex": 20, "arxiv": [1, 3], "crossref": 0.5}

    rates = ratelimit.configured_rates()

    assert rates["openalex"] == (20, 1.0)
    assert rates["arxiv"] == (1, 3.0)
    assert rates["crossref"] == (1, 2.0)
    assert rates["orcid"] == ratelimit.DEFAULTS["orcid"]


def test_an_unconfigured_source_is_refused_rather_than_unlimited():
    with pytest.raises(KeyError, match="no rate limit configured"):
        LocalRateLimiter().acquire("nowhere", timeout=1)


def test_without_redis_the_limiter_is_the_local_one(settings):
    settings.REDIS_URL = ""
    assert isinstance(ratelimit.get_limiter(), LocalRateLimiter)


# Redis -----------------------------------------------------------------------------------------


@pytest.fixture
def redis_prefix():
    """A key prefix of its own per test, so parallel runs on one Redis never meet; deleted
    afterwards."""
    prefix = f"ratelimit-test-{uuid.uuid4().hex}:"
    yield prefix
    limiter = RedisRateLimiter.from_url(settings.REDIS_URL, rates={})
    for key in limiter._client.scan_iter(f"{prefix}*"):
        limiter._client.delete(key)


@needs_redis
def test_redis_limiter_reserves_the_next_slot_and_refuses_beyond_the_timeout(redis_prefix):
    sleeps: list[float] = []
    limiter = RedisRateLimiter.from_url(
        settings.REDIS_URL, rates={"s": (1, 3.0)}, prefix=redis_prefix, sleep=sleeps.append
    )

    assert limiter.acquire("s", timeout=0) == 0
    with pytest.raises(RateLimitTimeout):
        limiter.acquire("s", timeout=1.0)
    waited = limiter.acquire("s", timeout=10)

    # The refused call reserved nothing: the next slot is still one interval after the first.
    assert 3.0 < waited <= 3.0 + GUARD_SECONDS
    assert sleeps == [waited]
    assert limiter._client.pttl(limiter.key("s")) > 0  # the key expires on its own


@needs_redis
def test_with_redis_the_limiter_is_the_shared_one(settings):
    assert isinstance(ratelimit.get_limiter(), RedisRateLimiter)


class _Probe(UpstreamClient):
    """A client for the fake upstream's /ping, for the cross-process test."""

    source = "probe"
    base_url_setting = "PROBE_URL"  # never set: the test passes base_url
    default_base_url = "http://127.0.0.1:9"


def _hammer(base_url: str, redis_url: str, prefix: str, barrier) -> None:
    """One worker process: as many /ping requests as the shared limiter allows for
    RUN_SECONDS, starting together with the other worker (the barrier)."""
    # Settings only (user agent); the client needs no app registry, so no slow django.setup().
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    limiter = RedisRateLimiter.from_url(redis_url, rates={"probe": (LIMIT, 1.0)}, prefix=prefix)
    with _Probe(base_url=base_url, limiter=limiter) as client:
        barrier.wait(timeout=60)
        stop_at = time.monotonic() + RUN_SECONDS
        while time.monotonic() < stop_at:
            client.get("/ping", headers={"X-Worker": str(os.getpid())})


@needs_redis
def test_two_processes_sharing_a_limit_never_exceed_it_in_any_second(fake_upstream, redis_prefix):
    import multiprocessing

    fake_upstream.add("GET", "/ping", json={"pong": True})
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    args = (fake_upstream.url, settings.REDIS_URL, redis_prefix, barrier)
    workers = [context.Process(target=_hammer, args=args) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=90)

    assert [worker.exitcode for worker in workers] == [0, 0]
    windows = fake_upstream.requests_in_windows(1.0)
    times = sorted(r.at for r in fake_upstream.requests)
    tightest = min(b - a for a, b in zip(times, times[LIMIT:], strict=False))
    print(
        f"\n{len(times)} requests; most in any 1.0 s window: {max(windows)} (limit {LIMIT}); "
        f"shortest span of {LIMIT + 1} consecutive arrivals: {tightest:.3f} s"
    )
    assert max(windows) <= LIMIT
    # The limit was reached, not just respected, and both processes had their share.
    assert len(windows) >= LIMIT * (RUN_SECONDS - 1)
    assert len({r.headers["x-worker"] for r in fake_upstream.requests}) == 2

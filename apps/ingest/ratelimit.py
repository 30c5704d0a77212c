"""Request rate limits per upstream source, shared by every process that calls it.

The algorithm is GCRA (the "generic cell rate algorithm", a token bucket of capacity one):
each source has a *theoretical arrival time* (TAT), the earliest moment the next request may
leave. `acquire()` reserves that moment and pushes the TAT forward by one interval, then sleeps
until its reservation. Requests therefore leave evenly spaced, never in bursts, which is what
the upstreams ask for (arXiv: one request every three seconds; Crossref and ORCID cap
concurrency as well as rate).

Spacing is `(period + GUARD_SECONDS) / requests`. The guard absorbs the jitter between the
moment a slot is granted and the moment the request reaches the server: without it, two
requests granted exactly one period apart could land inside one server-side window. With it,
any `requests + 1` consecutive grants span at least `period + guard`, so the server never sees
more than `requests` in any window of `period` as long as the jitter stays under the guard.

Two implementations:

* `RedisRateLimiter` (when settings.REDIS_URL is set): the TAT lives in Redis under
  `ratelimit:<source>` and a Lua script reads and moves it atomically, on Redis's own clock,
  so every worker process and machine sharing that Redis shares the limit.
* `LocalRateLimiter` (the embedded default, no Redis): the same algorithm behind a
  `threading.Lock`. It is **per process**: two worker processes each get the full rate. Run a
  single worker process without Redis, or set REDIS_URL.

Turns (`book()`): a refresh task that would have to wait longer than a moment for a slot does
not sleep; it books a *turn* and is queued again to run at it, so the worker serves another
source meanwhile (apps/ingest/refresh.py). Turns live under `ratelimit:turn:<source>` and are
handed out one interval apart, never before the next free slot, so the tasks that wait for one
source wake one at a time instead of all at once. A turn is only an appointment: the request
still takes its slot through `acquire()`, so turns can never push a source over its limit.

Limits come from `settings.UPSTREAM_RATE_LIMITS`, a dict of source -> `(requests, seconds)`
(or a plain number of requests per second), laid over `DEFAULTS`.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

import redis
from django.conf import settings

# (requests, per seconds). Chosen from shared/docs/upstream-apis.md:
DEFAULTS: dict[str, tuple[int, float]] = {
    # 100/s is allowed on every plan, but each call costs the same whatever the pace, so going
    # faster buys nothing; 10/s keeps several instances behind one address far from the cap
    # (OpenAlex answers 403 "slow down" when it is exceeded).
    "openalex": (10, 1.0),
    # Anonymous public API: 12/s and a daily quota *per IP*. Sign-in (django-allauth fetching
    # /record) uses the same quota without passing through this limiter, so leave headroom.
    "orcid": (8, 1.0),
    # Single-DOI lookups: 5/s is the public pool's limit and half the polite pool's (10/s).
    "crossref": (5, 1.0),
    # Lists (filters, cursors): the public pool allows 1/s, the polite pool (mailto) 3/s.
    # Raise to 3 with CONTACT_EMAIL set.
    "crossref_list": (1, 1.0),
    # Terms of use: no more than one request every three seconds, across all our machines.
    "arxiv": (1, 3.0),
}

KEY_PREFIX = "ratelimit:"
GUARD_SECONDS = 0.05  # see the module docstring

Rate = tuple[int, float]


class RateLimitTimeout(Exception):
    """No slot for `source` within the caller's timeout. Nothing was reserved."""

    def __init__(self, source: str, wait: float, timeout: float) -> None:
        super().__init__(f"rate limit for {source}: next slot in {wait:.2f}s > {timeout:.2f}s")
        self.source = source
        self.wait = wait
        self.timeout = timeout


class Limiter(Protocol):
    def acquire(self, source: str, timeout: float) -> float:
        """Block until `source` may be called; return the seconds waited."""
        ...

    def book(self, source: str, horizon: float) -> float:
        """Book the next turn for `source`; the seconds until it. RateLimitTimeout (nothing
        booked) when that turn is more than `horizon` seconds away."""
        ...


def configured_rates() -> dict[str, Rate]:
    """DEFAULTS with settings.UPSTREAM_RATE_LIMITS laid over them."""
    overrides = getattr(settings, "UPSTREAM_RATE_LIMITS", DEFAULTS)
    return {**DEFAULTS, **{name: _as_rate(value) for name, value in overrides.items()}}


def _as_rate(value: float | tuple[int, float]) -> Rate:
    """`(requests, seconds)` from either that pair or a number of requests per second."""
    if isinstance(value, tuple | list):
        requests, seconds = value
        return int(requests), float(seconds)
    if value >= 1:
        return int(value), 1.0
    return 1, 1.0 / float(value)  # 1/3 -> one request every three seconds


def interval_for(rate: Rate) -> float:
    """Seconds between two consecutive grants for `rate`."""
    requests, seconds = rate
    if requests < 1 or seconds <= 0:
        raise ValueError(f"not a usable rate limit: {rate!r}")
    return (seconds + GUARD_SECONDS) / requests


class _RateTable:
    """Looks up a source's rate: fixed rates when given, else the settings at call time (so
    override_settings in tests and a changed setting after reload both apply)."""

    def __init__(self, rates: Mapping[str, Rate | float] | None) -> None:
        self._rates = {name: _as_rate(value) for name, value in (rates or {}).items()}
        self._fixed = rates is not None

    def interval(self, source: str) -> float:
        rates = self._rates if self._fixed else configured_rates()
        if source not in rates:
            # A new source must get an explicit limit, not an accidental unlimited one.
            raise KeyError(f"no rate limit configured for upstream source {source!r}")
        return interval_for(rates[source])


# KEYS[1] = the source's key. ARGV[1] = interval, ARGV[2] = longest acceptable wait, both in
# microseconds. Returns the microseconds the caller must wait for its reserved slot, or -wait
# (negative, nothing reserved) when that wait would exceed ARGV[2].
_GCRA_LUA = """
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now
if wait > max_wait then return -wait end
redis.call('SET', KEYS[1], string.format('%d', tat + interval), 'PX',
           math.ceil((tat + interval - now) / 1000) + 1000)
return wait
"""


# KEYS[1] = the source's slot key, KEYS[2] = its turn key. ARGV as above. A turn is the later of
# now, the next free slot and the turn after the last one booked; returns the microseconds until
# it, or -wait when that is beyond ARGV[2] (nothing booked).
_TURN_LUA = """
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local turn = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'),
                      tonumber(redis.call('GET', KEYS[2]) or '0'))
local wait = turn - now
if wait > max_wait then return -wait end
redis.call('SET', KEYS[2], string.format('%d', turn + interval), 'PX',
           math.ceil((turn + interval - now) / 1000) + 1000)
return wait
"""


class RedisRateLimiter:
    """GCRA in Redis, atomic through one Lua script; shared by all processes on that Redis."""

    def __init__(
        self,
        client: redis.Redis,
        rates: Mapping[str, Rate | float] | None = None,
        *,
        prefix: str = KEY_PREFIX,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._script = client.register_script(_GCRA_LUA)
        self._turn_script = client.register_script(_TURN_LUA)
        self._rates = _RateTable(rates)
        self._prefix = prefix
        self._sleep = sleep

    @classmethod
    def from_url(cls, url: str, **kwargs) -> RedisRateLimiter:
        # Short socket timeouts: a stuck Redis must fail the fetch, not hang a worker.
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return cls(client, **kwargs)

    def key(self, source: str) -> str:
        return f"{self._prefix}{source}"

    def acquire(self, source: str, timeout: float) -> float:
        """Reserve the next slot for `source` and sleep until it; RateLimitTimeout if that
        slot is more than `timeout` seconds away (then nothing is reserved)."""
        interval_us = round(self._rates.interval(source) * 1_000_000)
        max_wait_us = round(max(timeout, 0.0) * 1_000_000)
        result = int(self._script(keys=[self.key(source)], args=[interval_us, max_wait_us]))
        if result < 0:
            raise RateLimitTimeout(source, -result / 1_000_000, timeout)
        wait = result / 1_000_000
        if wait > 0:
            self._sleep(wait)
        return wait

    def book(self, source: str, horizon: float) -> float:
        """Book the next turn for `source` (see the module docstring); never sleeps."""
        interval_us = round(self._rates.interval(source) * 1_000_000)
        max_wait_us = round(max(horizon, 0.0) * 1_000_000)
        keys = [self.key(source), f"{self._prefix}turn:{source}"]
        result = int(self._turn_script(keys=keys, args=[interval_us, max_wait_us]))
        if result < 0:
            raise RateLimitTimeout(source, -result / 1_000_000, horizon)
        return result / 1_000_000


class LocalRateLimiter:
    """GCRA in this process's memory. Per process: see the module docstring."""

    def __init__(
        self,
        rates: Mapping[str, Rate | float] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rates = _RateTable(rates)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tat: dict[str, float] = {}
        self._turns: dict[str, float] = {}

    def acquire(self, source: str, timeout: float) -> float:
        """As RedisRateLimiter.acquire, for the threads of this process only."""
        interval = self._rates.interval(source)
        with self._lock:
            now = self._clock()
            tat = max(self._tat.get(source, now), now)
            wait = tat - now
            if wait > timeout:
                raise RateLimitTimeout(source, wait, timeout)
            self._tat[source] = tat + interval
        if wait > 0:
            self._sleep(wait)  # outside the lock: other threads may reserve later slots
        return wait

    def book(self, source: str, horizon: float) -> float:
        """As RedisRateLimiter.book, for this process only."""
        interval = self._rates.interval(source)
        with self._lock:
            now = self._clock()
            turn = max(now, self._tat.get(source, now), self._turns.get(source, now))
            wait = turn - now
            if wait > horizon:
                raise RateLimitTimeout(source, wait, horizon)
            self._turns[source] = turn + interval
        return wait


_local_limiter = LocalRateLimiter()


@functools.cache
def _redis_limiter(url: str) -> RedisRateLimiter:
    return RedisRateLimiter.from_url(url)


def get_limiter() -> Limiter:
    """The limiter this process should use: Redis-backed when REDIS_URL is set."""
    url = getattr(settings, "REDIS_URL", "")
    return _redis_limiter(url) if url else _local_limiter


def acquire(source: str, timeout: float = 60.0) -> float:
    """Block until a request to `source` is allowed; return the seconds waited.

    Raises RateLimitTimeout when the next free slot is more than `timeout` seconds away.
    """
    return get_limiter().acquire(source, timeout)


def book(source: str, horizon: float) -> float:
    """Book the next turn for `source`; the seconds until it (see the module docstring).

    Raises RateLimitTimeout, booking nothing, when that turn is more than `horizon` away.
    """
    return get_limiter().book(source, horizon)

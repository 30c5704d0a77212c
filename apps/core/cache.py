"""The Redis cache, failing open: Redis down is a slower site, not a broken one.

A read that cannot reach Redis is a miss and a plain write is skipped (both logged), so pages,
the API's throttles and sign-in's rate limits go on without it. `add` and `incr` still raise:
they are counters and locks (a message rate limit, "Refresh now"), which must not pass
unchecked; apps.core.errors.as_domain_error turns that error into a 503 with Retry-After."""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _skipped(operation: str, exc: Exception) -> None:
    logger.warning("cache %s skipped: Redis unavailable (%s)", operation, exc)


def _fail_open(operation: str, fallback):
    """RedisCache's `operation`, answering `fallback(*args)` (logged) when Redis is down."""

    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, operation)(self, *args, **kwargs)
        except RedisError as exc:
            _skipped(operation, exc)
            return fallback(*args, **kwargs)

    method.__name__ = operation
    return method


def _arg(args, kwargs, position: int, name: str, default=None):
    return args[position] if len(args) > position else kwargs.get(name, default)


class FailOpenRedisCache(RedisCache):
    get = _fail_open("get", lambda *a, **kw: _arg(a, kw, 1, "default"))
    get_many = _fail_open("get_many", lambda *a, **kw: {})
    has_key = _fail_open("has_key", lambda *a, **kw: False)
    set = _fail_open("set", lambda *a, **kw: None)
    set_many = _fail_open("set_many", lambda *a, **kw: list(_arg(a, kw, 0, "data", {})))
    delete = _fail_open("delete", lambda *a, **kw: False)

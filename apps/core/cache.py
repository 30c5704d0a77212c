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


class FailOpenRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _skipped("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            _skipped("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as exc:
            _skipped("has_key", exc)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            _skipped("set", exc)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as exc:
            _skipped("set_many", exc)
            return list(data)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as exc:
            _skipped("delete", exc)
            return False

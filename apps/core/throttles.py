"""The API's request throttles, and the same throttles for pages that cost as much (search).

Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read when a request arrives. Counts
live in the cache, so with Redis down they fail open (apps.core.cache)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from .errors import RateLimited


class _RatesFromSettings:
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    """Visitors, by address."""


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    """Signed-in people, by account."""


def throttled(view: Callable) -> Callable:
    """Hold a page to the API's throttles (DEFAULT_THROTTLE_CLASSES): past the rate, a 429
    page with Retry-After (apps.core.middleware)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        for throttle in (cls() for cls in api_settings.DEFAULT_THROTTLE_CLASSES):
            if not throttle.allow_request(request, None):
                raise RateLimited(
                    "Too many requests in a short time; wait a moment and try again.",
                    retry_after=math.ceil(throttle.wait() or 1),
                )
        return view(request, *args, **kwargs)

    return wrapper


class _AddressThrottle(_RatesFromSettings, SimpleRateThrottle):
    """Anyone, signed in or not, by address, at the rate named `scope`."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def address_throttle(request, scope: str) -> None:
    """Count one use of a form whose rate is DEFAULT_THROTTLE_RATES[scope] (per address);
    past the rate, RateLimited (a 429 page with Retry-After)."""
    throttle = _AddressThrottle(scope)
    if not throttle.allow_request(request, None):
        raise RateLimited(
            "Too many requests from your address; wait a while and try again.",
            retry_after=math.ceil(throttle.wait() or 1),
        )

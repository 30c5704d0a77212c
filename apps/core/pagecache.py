"""Public pages cached for anonymous readers, invalidated by the writes that change them.

A cached page names the records it shows, as (kind, id) pairs: ("author", 7), ("works", 0) for
every works listing. Its cache key holds each record's current version, so a service that
changes a record calls `record_changed(kind, *ids)` and, once its transaction commits, the next
read builds a new key and renders afresh. Old entries are never read again and expire.

    @cached_public_page(lambda kw: [("author", kw["pk"])])
    def author_detail(request, pk): ...

    record_changed("author", author.pk)  # in the service, inside its transaction

What is stored is rendered from the primary (`replicas.primary_reads`): a replica that has not
yet replayed the write would otherwise fill the new version with the old rows. Pages that are
never stored (signed-in readers, or with the cache off) read a replica.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError

from .replicas import primary_reads

logger = logging.getLogger(__name__)

Record = tuple[str, object]
T = TypeVar("T")
EVERYTHING: Record = ("all", 0)  # part of every page's key
BULK = 1_000
VERSION_SECONDS = 30 * 86_400  # longer than any page lives; a lost version starts afresh


def _version_key(kind: str, pk: object) -> str:
    return f"version:{kind}:{pk}"


def _fresh() -> int:
    """A starting version never used before, so a version key that Redis dropped cannot bring
    back pages cached under an old number."""
    return time.time_ns()


def record_changed(kind: str, *pks: object) -> None:
    """Bump the version of each record now and again once the current transaction commits: a
    reader between the two may cache the old rows under the first new version, which the second
    retires. A change to more than BULK records (a snapshot load) bumps EVERYTHING instead."""
    keys = [_version_key(kind, pk) for pk in pks]
    if len(keys) > BULK:
        keys = [_version_key(*EVERYTHING)]
    if keys:
        _bump(keys)
        transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    try:
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # never read, or expired: any new number will do
                cache.add(key, _fresh(), VERSION_SECONDS)
    except RedisError:  # Redis down: nothing is being cached meanwhile either
        logger.warning("page versions not bumped: Redis unavailable")


def _versions_key(records: Iterable[Record]) -> str | None:
    """The records' versions joined for a cache key; None when Redis cannot say (then the page
    or fragment is computed afresh and not stored: Redis down is a slower site)."""
    try:
        return ".".join(str(v) for v in record_versions(records))
    except RedisError:
        logger.warning("page cache skipped: Redis unavailable")
        return None


def record_versions(records: Iterable[Record]) -> list[int]:
    """The current version of EVERYTHING and of each record, in one cache round trip when all
    are known."""
    keys = [_version_key(kind, pk) for kind, pk in [EVERYTHING, *records]]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), VERSION_SECONDS)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def cached_fragment(name: str, records: list[Record], compute: Callable[[], T]) -> T:
    """Public data that every reader's page shows alike, signed in or not (an author's research
    graph), computed once per version of `records` and shared."""
    if not settings.PUBLIC_PAGE_CACHE_SECONDS:
        return compute()
    versions = _versions_key(records)
    if versions is None:
        return compute()
    key = f"fragment:{name}:{versions}"
    value = cache.get(key)
    if value is None:
        with primary_reads():  # stored for every reader: never a lagging replica's copy
            value = compute()
        cache.set(key, value, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return value


def _anonymous_reader(request: HttpRequest) -> bool:
    """A GET from someone signed out with no message waiting to be shown."""
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _page_key(request: HttpRequest, records: list[Record]) -> str | None:
    versions = _versions_key(records)
    if versions is None:
        return None
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{path}:{versions}"


def cached_public_page(records: Callable[[dict], list[Record]]):
    """Serve anonymous GETs of the view from the cache, keyed by its URL and the versions of
    `records(view kwargs)`. Only a plain 200 that set no cookie and used no CSRF token (which
    belongs to one visitor) is stored."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not settings.PUBLIC_PAGE_CACHE_SECONDS or not _anonymous_reader(request):
                return view(request, *args, **kwargs)
            key = _page_key(request, records(kwargs))
            if key is None:
                return view(request, *args, **kwargs)
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return response
            with primary_reads():  # stored for every reader: never a lagging replica's copy
                response = view(request, *args, **kwargs)
            if _storable(request, response):
                value = (response.content, response["Content-Type"])
                cache.set(key, value, settings.PUBLIC_PAGE_CACHE_SECONDS)
            return response

        return wrapped

    return decorator


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )

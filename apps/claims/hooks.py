"""What claims tell the apps above them, without importing them (arrows point one way).

Claims decide who holds a record; the verification level and the trust score that follow
belong to `apps.trust`, which subscribes in its AppConfig.ready():

    from apps.claims.hooks import on_level_change, on_record_change

    on_level_change(verification_level_set)   # (author, level, *, actor, reason, cause)
    on_record_change(record_changed)          # (author_ids, *, cause)

Both are called synchronously inside the claims service's transaction, so a failing
subscriber rolls the whole decision back (nothing half-done).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

_level_setters: list[Callable] = []
_record_listeners: list[Callable] = []


def on_level_change(func: Callable) -> Callable:
    """Register the one service that stores a record's verification level."""
    if func not in _level_setters:
        _level_setters.append(func)
    return func


def on_record_change(func: Callable) -> Callable:
    """Register a callback told when a record's claim state or curation changed."""
    if func not in _record_listeners:
        _record_listeners.append(func)
    return func


def level_change(author, level: int, *, actor, reason: str, cause: str) -> None:
    """Ask for `author`'s verification level to become `level` (L2 on approval, the
    identifier level on release or revocation)."""
    if not _level_setters:
        raise ImproperlyConfigured("no verification level service is installed (apps.trust)")
    for func in _level_setters:
        func(author, level, actor=actor, reason=reason, cause=cause)


def record_change(author_ids: Iterable[int], *, cause: str) -> None:
    """Tell subscribers that these records' claim or curation state changed."""
    ids = sorted({int(i) for i in author_ids if i})
    for func in _record_listeners:
        func(ids, cause=cause)

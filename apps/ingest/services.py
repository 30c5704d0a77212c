"""Scheduling refreshes: what other apps and the scheduler call."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.records.models import Author

from .models import AuthorRefreshState, Priority


class RefreshTooSoon(Exception):
    """A manual refresh asked for again before its cool-down ended."""


def refreshable_authors():
    """Standing records a source can be asked about (never the demo community's)."""
    return Author.objects.active().upstream()


def refresh_priority_set(author_id: int, priority: Priority) -> None:
    """Claims and follows call this so their records are refreshed first (and more often)."""
    state, _ = AuthorRefreshState.objects.get_or_create(author_id=author_id)
    if state.priority != priority:
        AuthorRefreshState.objects.filter(pk=author_id).update(priority=priority)


def refresh_priority_raise(author_id: int, priority: Priority) -> None:
    """Raise a record's priority to at least `priority`, never lowering it (a follow must not
    demote a claimed record)."""
    AuthorRefreshState.objects.get_or_create(author_id=author_id)
    AuthorRefreshState.objects.filter(pk=author_id, priority__lt=priority).update(priority=priority)


def refresh_priority_drop(author_id: int, priority: Priority) -> None:
    """Back to normal, but only from `priority` (the last follower leaving a followed record
    leaves a claimed one claimed)."""
    AuthorRefreshState.objects.filter(pk=author_id, priority=priority).update(
        priority=Priority.NORMAL
    )


def _claim(author_id: int, now: datetime.datetime) -> bool:
    """Compare-and-set: mark the author queued unless another scheduler just did. A claim
    older than the task's time limit is treated as lost (its worker died before starting)."""
    AuthorRefreshState.objects.get_or_create(author_id=author_id)
    stale = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)
    free = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    return AuthorRefreshState.objects.filter(free, pk=author_id).update(enqueued_at=now) == 1


def _enqueue(author_id: int, *, asked: bool = False) -> None:
    """After commit, queue the refresh: on the interactive queue when a person `asked`."""
    from .tasks import author_refresh_now_task, author_refresh_task

    task = author_refresh_now_task if asked else author_refresh_task
    transaction.on_commit(lambda: task.delay(author_id))


def refresh_schedule(
    *, now: datetime.datetime | None = None, limit: int | None = None
) -> list[int]:
    """Queue the records most due for a refresh: claimed first, then followed, then the
    stalest. Two schedulers running at once queue each author once."""
    now = now or timezone.now()
    limit = limit or settings.REFRESH_BATCH_SIZE
    due = Q(refresh_state__isnull=True) | Q(refresh_state__next_due_at__isnull=True)
    due |= Q(refresh_state__next_due_at__lte=now)
    candidates = (
        refreshable_authors()
        .filter(due)
        .order_by(
            F("refresh_state__priority").desc(nulls_last=True),
            F("refresh_state__next_due_at").asc(nulls_first=True),
            "id",
        )
        .values_list("id", flat=True)[: limit * 2]
    )
    queued = []
    for author_id in candidates:
        if len(queued) == limit:
            break
        if _claim(author_id, now):
            _enqueue(author_id)
            queued.append(author_id)
    return queued


def refresh_request(author: Author, *, user_id: int, now: datetime.datetime | None = None) -> bool:
    """A person asks for a refresh now. Limited per user and per record; True if queued,
    False if one is already queued or running. Raises RefreshTooSoon inside the cool-down."""
    now = now or timezone.now()
    cooldown = settings.REFRESH_MANUAL_COOLDOWN
    if not cache.add(f"refresh-request:user:{user_id}:{author.pk}", 1, cooldown):
        raise RefreshTooSoon("You asked for this record recently; try again in a few minutes.")
    if not cache.add(f"refresh-request:author:{author.pk}", 1, cooldown // 5 or 1):
        raise RefreshTooSoon("This record was refreshed moments ago.")
    if not _claim(author.pk, now):
        return False
    _enqueue(author.pk, asked=True)
    return True

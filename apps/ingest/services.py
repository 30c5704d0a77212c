"""Scheduling refreshes: what other apps and the scheduler call."""

from __future__ import annotations

import datetime
import enum

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from apps.records.models import Author

from .models import AuthorRefreshState, Priority
from .refresh import author_lock_held


class RefreshTooSoon(Exception):
    """A manual refresh asked for again before its cool-down ended."""


class RefreshAnswer(enum.Enum):
    """What became of a request to refresh a record now; the value is what the person is told."""

    QUEUED = "Refresh queued."
    WAITING = "A refresh of this record is already queued."
    RUNNING = "A refresh of this record is running now."
    NOT_QUEUED = "The refresh could not be queued just now; try again in a few minutes."


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


def _enqueue(author_id: int, *, asked: bool = False) -> bool:
    """Send the refresh task (on the interactive queue when a person `asked`); False, with the
    claim released, when the broker cannot take it. Inside a transaction it is sent on commit,
    and counted as sent."""
    from .tasks import author_refresh_now_task, author_refresh_task

    task = author_refresh_now_task if asked else author_refresh_task
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: task.delay(author_id))
        return True
    try:
        task.delay(author_id)
    except (BrokerError, redis.RedisError, OSError):
        AuthorRefreshState.objects.filter(pk=author_id).update(enqueued_at=None)
        return False
    return True


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
        if _claim(author_id, now) and _enqueue(author_id):
            queued.append(author_id)
    return queued


def refresh_request(
    author: Author, *, user_id: int, now: datetime.datetime | None = None
) -> RefreshAnswer:
    """A person asks for a refresh now. Limited per user and per record (RefreshTooSoon
    inside the cool-down); says whether it was queued, is already queued or running, or
    could not be queued (then the cool-down is lifted, so asking again works)."""
    now = now or timezone.now()
    cooldown = settings.REFRESH_MANUAL_COOLDOWN
    keys = f"refresh-request:user:{user_id}:{author.pk}", f"refresh-request:author:{author.pk}"
    if not cache.add(keys[0], 1, cooldown):
        raise RefreshTooSoon("You asked for this record recently; try again in a few minutes.")
    if not cache.add(keys[1], 1, cooldown // 5 or 1):
        raise RefreshTooSoon("This record was refreshed moments ago.")
    if not _claim(author.pk, now):
        return RefreshAnswer.RUNNING if author_lock_held(author.pk) else RefreshAnswer.WAITING
    if not _enqueue(author.pk, asked=True):
        cache.delete_many(keys)
        return RefreshAnswer.NOT_QUEUED
    return RefreshAnswer.QUEUED

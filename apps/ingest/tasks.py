"""Celery tasks: ids in, a service call, nothing else (STYLE.md).

Each task is its service's name with `_task` added. The registered `name=` is the one the task
was first queued under, kept so that beat's schedule and messages already in a broker still
find it."""

from __future__ import annotations

import random

from celery import shared_task
from django.conf import settings

from .clients.base import RetryPolicy, backoff_delay
from .refresh import (
    RETRYABLE_DB_ERRORS,
    author_refresh,
    author_refresh_part,
    needs_retry,
    refresh_interrupted,
)
from .services import refresh_schedule


def _db_retry_policy() -> RetryPolicy:
    return RetryPolicy(**settings.REFRESH_DB_RETRY)


@shared_task(name="ingest.refresh_author", bind=True, max_retries=None)
def author_refresh_task(
    self, author_id: int, done: list[int] | None = None, turn: bool = False
) -> int:
    """Refresh one author from every source. acks_late (settings): a task whose worker dies
    is delivered again and, holding the same task id, takes over the author's lock. A run the
    database cut short (its logs say so) is run again after a jittered backoff, up to the
    policy's attempts; each run logs itself. A run waiting for a source's turn is queued
    again for it (`done`: the logs it wrote so far), under the same task id."""
    return _refresh_run(self, author_id, done or [], turn)


def _refresh_run(task, author_id: int, done: list[int], turn: bool) -> int:
    task_id = task.request.id or ""
    try:
        if task.request.is_eager:  # no broker to hold the wait: wait here
            logs = author_refresh(author_id, task_id=task_id)
        else:
            part = author_refresh_part(author_id, task_id=task_id, done=done, turn=turn)
            if part.defer is not None:
                _continue_later(task, author_id, part)
                return len(part.logs)
            logs = part.logs
    except RETRYABLE_DB_ERRORS as exc:  # the database failed before the run could log it
        refresh_interrupted(author_id, exc, task_id)
        _retry(task, exc)
        raise
    if needs_retry(logs):
        _retry(task, None)
    return len(logs)


# Where a run continues: a scheduled one on "turns", which workers take before "scheduled" (at
# the tail of that queue it would wake long after its turn); one a person asked for stays on
# its urgent queue (routed by name).
CONTINUE_ON = {"ingest.refresh_author": "turns"}


def _continue_later(task, author_id: int, part) -> None:
    """Queue the rest of the run for its turn, instead of sleeping on the worker: same task
    id (the run's logs share it), the retry count kept."""
    queue = {"queue": CONTINUE_ON[task.name]} if task.name in CONTINUE_ON else {}
    task.apply_async(
        (author_id,),
        {"done": [log.pk for log in part.logs], "turn": part.turn},
        countdown=part.defer,
        task_id=task.request.id,
        retries=task.request.retries,
        **queue,
    )


def _retry(task, exc: Exception | None) -> None:
    policy = _db_retry_policy()
    attempt = task.request.retries + 1
    if attempt >= policy.max_attempts:
        return  # given up: the state says so, and the scheduler tries again later
    delay = backoff_delay(attempt, policy, random.Random())  # noqa: S311 - jitter
    raise task.retry(exc=exc, countdown=delay)


@shared_task(name="ingest.refresh_author_now", bind=True, max_retries=None)
def author_refresh_now_task(
    self, author_id: int, done: list[int] | None = None, turn: bool = False
) -> int:
    """The same refresh, asked for by a person ("refresh now"): its own name so that settings
    route it to the interactive queue, ahead of the scheduler's bulk."""
    return _refresh_run(self, author_id, done or [], turn)


@shared_task(name="ingest.schedule_refreshes")
def refresh_schedule_task() -> int:
    """Beat runs this: queue the records most due for a refresh."""
    return len(refresh_schedule())

"""The transactional outbox: after-commit work that a dead broker delays but never loses.

A service calls `outbox_add(task_name, *args)` inside its transaction. The row commits with
the action (or vanishes with it). After the commit, a best-effort `outbox_deliver` task is
queued for it; if the broker is down that hand-off is skipped, not raised into the response,
and beat's `outbox_sweep` (every minute) runs every item that is due. Each run claims its item
by compare-and-set, so two runners never run it at once; a failure is retried with backoff;
an item whose runner died is claimed again once its lease (the task time limit) is over.
At-least-once: a runner killed after the work but before marking it done runs it again.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from .models import OutboxItem

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # backoff 30 s, 1 min, 2 min, ... capped at an hour: about 8 hours in all
BROKER_ERRORS = (OperationalError, RedisError, OSError)


def outbox_add(task: str, *args) -> OutboxItem:
    """Promise to run the Celery task named `task` with `args` (JSON) once this transaction
    commits."""
    item = OutboxItem.objects.create(task=task, args=list(args))
    transaction.on_commit(partial(_hand_off, item.pk), robust=True)
    return item


def _hand_off(pk: int) -> None:
    from .tasks import outbox_deliver

    try:
        outbox_deliver.apply_async((pk,), retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("outbox item %s waits for the sweep: broker unavailable (%s)", pk, exc)


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def _task(name: str):
    if name not in current_app.tasks:  # a web process imports apps' tasks modules on demand
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def outbox_run(pk: int) -> bool:
    """Run one due item, if no one else is running it. True when it is done."""
    now = timezone.now()
    claimed = OutboxItem.objects.filter(pk=pk, done_at__isnull=True, due_at__lte=now).update(
        due_at=now + _lease(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    item = OutboxItem.objects.get(pk=pk)
    try:
        _task(item.task).run(*item.args)
    except Exception as exc:
        logger.exception("outbox item %s (%s) failed, attempt %s", pk, item.task, item.attempts)
        again = None if item.attempts >= MAX_ATTEMPTS else timezone.now() + _backoff(item.attempts)
        OutboxItem.objects.filter(pk=pk).update(due_at=again, last_error=repr(exc)[:2000])
        return False
    OutboxItem.objects.filter(pk=pk).update(done_at=timezone.now(), last_error="")
    return True


def outbox_sweep(limit: int = 500) -> int:
    """Run every item that is due, oldest first; returns how many were done."""
    due = OutboxItem.objects.filter(done_at__isnull=True, due_at__lte=timezone.now())
    ids = list(due.order_by("due_at").values_list("pk", flat=True)[:limit])
    return sum(outbox_run(pk) for pk in ids)

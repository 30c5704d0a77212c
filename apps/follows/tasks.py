"""Tasks take ids, call a service, return; every one is idempotent.

Each task is its service's name with `_task` added. The registered `name=` is the one the task
was first queued under, kept so that beat's schedule and messages already in a broker still
find it."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from . import digest, services, subscribers


@shared_task(name="follows.notify_new_works")
def new_work_notify_task(work_ids: list[int]) -> int:
    return services.new_work_notify(work_ids)


def enqueue_new_work_notifications(work_ids: list[int]) -> None:
    """The importer's hook (apps/ingest/hooks.py): called after its commit, it only queues."""
    transaction.on_commit(lambda: new_work_notify_task.delay(list(work_ids)))


@shared_task(name="follows.digests_enqueue")
def digests_enqueue_task() -> int:
    return digest.digests_enqueue()


@shared_task(name="follows.digest_batch_send")
def digest_batch_send_task(period_key: str, user_ids: list[int]) -> int:
    return digest.digest_batch_send(period_key, user_ids)


@shared_task(name="follows.subscriber_digest_batch_send")
def subscriber_digest_batch_send_task(period_key: str, subscriber_ids: list[int]) -> int:
    return digest.subscriber_digest_batch_send(period_key, subscriber_ids)


@shared_task(name="follows.subscribers_purge")
def subscribers_purge_task() -> int:
    return subscribers.subscribers_purge()


@shared_task(name="follows.repoint_merged")
def follows_repoint_merged_task() -> int:
    return services.follows_repoint_merged()

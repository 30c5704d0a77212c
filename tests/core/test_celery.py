"""A real worker, in a thread, consuming from the configured broker (Redis when REDIS_URL is
set, kombu's in-memory transport otherwise): the path a task takes in production."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from apps.core.heartbeat import heartbeat_read
from apps.core.mail import message_to_payload
from apps.core.tasks import email_deliver
from config.celery import app
from tests.factories import urgent_queues, wait_for


@pytest.fixture
def live_worker(transactional_db):
    """Celery's Django fix-up runs system checks when a worker starts, so the worker thread
    needs database access of its own (hence transactional_db)."""
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", queues=urgent_queues(), perform_ping_check=False, shutdown_timeout=10
        ) as w:
            yield w
    finally:
        app.conf.task_always_eager = True


def _wait_for(predicate, timeout: float = 10.0) -> bool:
    return wait_for(predicate, timeout)


def test_the_app_is_configured_for_idempotent_json_tasks():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_a_queued_task_is_executed_by_a_worker(live_worker):
    from django.core.mail import EmailMessage

    message = EmailMessage("Queued", "through the broker", to=["ada@example.org"])
    result = email_deliver.delay(message_to_payload(message))

    assert result.id
    assert _wait_for(lambda: len(mail.outbox) == 1), "the worker never delivered the message"
    assert mail.outbox[0].subject == "Queued"


def test_a_running_worker_writes_a_heartbeat(live_worker):
    assert _wait_for(lambda: heartbeat_read()["ok"])
    beat = heartbeat_read()
    assert beat["status"] == "ok"
    assert beat["hostname"] == live_worker.hostname


def test_tasks_keep_the_names_they_were_first_queued_under():
    """Messages already in a broker, and beat's schedule, name tasks by these strings."""
    from apps.follows import tasks as follows
    from apps.ingest import tasks as ingest

    registered = {
        ingest.author_refresh_task: "ingest.refresh_author",
        ingest.refresh_schedule_task: "ingest.schedule_refreshes",
        follows.new_work_notify_task: "follows.notify_new_works",
        follows.digests_enqueue_task: "follows.digests_enqueue",
        follows.digest_batch_send_task: "follows.digest_batch_send",
        follows.follows_repoint_merged_task: "follows.repoint_merged",
    }
    for task, name in registered.items():
        assert task.name == name
        assert app.tasks[name].run.__name__ == task.run.__name__


@pytest.mark.django_db  # Celery's Django fixup runs the model checks, which ask SQLite features
def test_beat_schedules_only_registered_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_expired_sessions_are_cleared_and_live_ones_kept():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from apps.core.tasks import sessions_clear_expired

    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))

    sessions_clear_expired.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]

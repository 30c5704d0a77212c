"""When refreshes run again: timings derived from the task time limit, "Refresh now" telling
the truth, and a source's long Retry-After moving the record's next refresh."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone

from apps.ingest.models import AuthorRefreshState
from apps.ingest.refresh import author_lock, author_refresh, lock_seconds
from apps.ingest.services import RefreshAnswer, refresh_request
from config.celery import app

pytestmark = pytest.mark.django_db


def test_visibility_timeout_and_lock_follow_the_task_time_limit():
    limit = django_settings.CELERY_TASK_TIME_LIMIT
    visibility = app.conf.broker_transport_options.get("visibility_timeout")
    if django_settings.REDIS_URL:  # the in-memory broker of a bare test run has none
        assert limit < visibility <= limit + 60
    assert lock_seconds() == limit
    assert app.conf.task_soft_time_limit < limit
    # A retry waiting for its countdown is held unacked: it must come back before Redis
    # would hand it to another worker.
    assert django_settings.REFRESH_DB_RETRY["max_wait"] < django_settings.CELERY_VISIBILITY_MARGIN


@pytest.fixture
def oa_author(records):
    return records.author("Quota Person", openalex_id="A900000077")


def test_refresh_now_says_queued_then_waiting_then_running(
    oa_author, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as sent:
        assert refresh_request(oa_author, user_id=1) is RefreshAnswer.QUEUED
    assert len(sent) == 1
    cache.clear()  # past the cool-downs
    assert refresh_request(oa_author, user_id=2) is RefreshAnswer.WAITING
    cache.clear()
    with author_lock(oa_author.pk, "running-task"):
        answer = refresh_request(oa_author, user_id=3)
    assert answer is RefreshAnswer.RUNNING


@pytest.fixture
def dead_broker(transactional_db):
    """The broker at an address nobody listens on, tasks sent for real (not run eagerly)."""
    conf, saved = app.conf, (app.conf.broker_url, app.conf.task_always_eager)
    app.pool.force_close_all()
    app._pool = app.amqp._producer_pool = None  # the producer pool holds the old connections
    conf.broker_url, conf.task_always_eager = "redis://127.0.0.1:9/0", False
    conf.task_publish_retry_policy = {"max_retries": 0}
    yield
    app.pool.force_close_all()
    app._pool = app.amqp._producer_pool = None  # the producer pool holds the old connections
    conf.broker_url, conf.task_always_eager = saved


def test_refresh_now_with_the_broker_down_says_so_and_can_be_asked_again(
    records, dead_broker, researcher_client
):
    author = records.author("Queue Person", openalex_id="A900000078")
    response = researcher_client.post(f"/authors/{author.pk}/refresh/", follow=True)

    assert response.status_code == 200
    assert RefreshAnswer.NOT_QUEUED.value.encode() in response.content
    assert AuthorRefreshState.objects.get(pk=author.pk).enqueued_at is None  # claim released
    again = researcher_client.post(f"/authors/{author.pk}/refresh/", follow=True)
    assert RefreshAnswer.NOT_QUEUED.value.encode() in again.content  # not "asked recently"


def test_a_retry_after_beyond_max_wait_moves_the_next_refresh_to_then(
    oa_author, fake_upstream, settings
):
    settings.OPENALEX_API_URL = fake_upstream.url
    settings.UPSTREAM_RATE_LIMITS = {"openalex": 1000}
    settings.UPSTREAM_RETRY = {"max_attempts": 3, "max_wait": 5, "backoff_base": 0.01}
    day = 86_400
    for path in ("/authors/A900000077", "/works"):
        fake_upstream.add(
            "GET", path, status=429, json={"error": "quota"}, headers={"Retry-After": str(day)}
        )
    before = timezone.now()

    logs = author_refresh(oa_author.pk, task_id="quota")

    assert len(logs) == 2 and all(log.retry_at for log in logs)
    next_due = AuthorRefreshState.objects.get(pk=oa_author.pk).next_due_at
    assert next_due >= before + datetime.timedelta(seconds=day)  # not an hour from now
    assert len(fake_upstream.requests_to("GET", "/authors/A900000077")) == 1  # no sleeping

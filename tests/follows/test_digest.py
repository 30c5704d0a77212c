"""The email digest: off by default, one email per user and period however often the task
runs (also two runs at once on PostgreSQL), text and HTML parts, and a signed one-click
unsubscribe link that works signed out and refuses a tampered token."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from apps.follows.digest import Period, digests_enqueue, unsubscribe_token
from apps.follows.models import DigestSent, FollowSettings
from apps.follows.services import follow_create, follow_settings_set, upvote_toggle
from apps.notifications.models import Notification
from apps.records.models import Work
from tests.factories import at_once

NOW = datetime.datetime(2026, 12, 2, 6, 5, tzinfo=datetime.UTC)  # a Wednesday
YESTERDAY = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def test_periods_are_the_last_ended_day_and_week():
    daily, weekly = Period.last_ended("daily", NOW), Period.last_ended("weekly", NOW)
    assert (daily.key, daily.end - daily.start) == ("daily:2026-12-01", datetime.timedelta(1))
    assert weekly.key == "weekly:2026-11-23" and weekly.end.date() == datetime.date(2026, 11, 30)
    assert Period.from_key(weekly.key) == weekly


@pytest.fixture
def subscribers(make_user, records):
    """Three users with a new work from a followed author yesterday: two daily, one weekly;
    a fourth follows too but never turned the digest on."""
    ada = records.author("Ada Lindqvist")
    work = records.work(ada, title="Elastic sharding")
    Work.objects.filter(pk=work.pk).update(created_at=YESTERDAY)
    users = [make_user(email=f"sub{i}@example.org") for i in range(4)]
    for user, digest in zip(users, ["daily", "daily", "weekly", None], strict=True):
        follow_create(follower=user, author=ada)
        if digest:
            follow_settings_set(user, follows_public=False, digest=digest)
    return users


@pytest.mark.django_db
def test_digest_runs_twice_sends_once_per_user(subscribers, settings):
    settings.DIGEST_BATCH_SIZE = 1  # one batch task per user
    assert digests_enqueue(NOW) == 3  # one batch per subscriber
    assert digests_enqueue(NOW) == 0  # all claimed: nothing left to batch
    # the weekly subscriber's week had nothing new and nothing trending: claimed, not sent
    assert sorted(m.to[0] for m in mail.outbox) == ["sub0@example.org", "sub1@example.org"]
    assert DigestSent.objects.filter(period="daily:2026-12-01").count() == 2
    assert DigestSent.objects.filter(period="weekly:2026-11-23").count() == 1
    assert Notification.objects.filter(kind="follows.digest").count() == 2


@pytest.mark.django_db
def test_a_redelivered_batch_sends_nothing_twice(subscribers):
    from apps.follows.digest import digest_batch_send

    ids = [u.pk for u in subscribers]
    assert digest_batch_send("daily:2026-12-01", ids) == 2
    assert digest_batch_send("daily:2026-12-01", ids) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_weekly_digest_covers_the_week(subscribers):
    Work.objects.update(created_at=datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC))
    digests_enqueue(NOW)
    assert [m.to[0] for m in mail.outbox] == ["sub2@example.org"]
    assert "Elastic sharding" in mail.outbox[0].body


@pytest.mark.django_db
def test_digest_message_has_text_html_and_list_unsubscribe(subscribers, researcher, records):
    upvote_toggle(user=researcher, work=Work.objects.get())
    Work.objects.update(created_at=YESTERDAY)
    digests_enqueue(NOW)
    message = mail.outbox[0]
    assert "Elastic sharding" in message.body and "/works/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Elastic sharding" in html
    token = unsubscribe_token(subscribers[0])
    assert message.extra_headers["List-Unsubscribe"].endswith(f"/digest/unsubscribe/{token}/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/digest/unsubscribe/{token}/" in message.body


@pytest.mark.django_db
def test_unsubscribe_link_works_signed_out(client, subscribers):
    user = subscribers[0]
    url = f"/digest/unsubscribe/{unsubscribe_token(user)}/"
    assert client.get(url).status_code == 200  # a page with one button; GET changes nothing
    assert FollowSettings.objects.get(user=user).digest == "daily"
    assert client.post(url).status_code == 200
    assert FollowSettings.objects.get(user=user).digest == "off"
    assert client.post(url).status_code == 200  # again: still fine


@pytest.mark.django_db
def test_a_tampered_unsubscribe_link_is_rejected(client, subscribers):
    victim = subscribers[1]
    token = unsubscribe_token(subscribers[0])
    value, _, signature = token.partition(":")
    from django.core import signing

    forged = signing.Signer(salt="something else").sign_object(victim.pk)
    for bad in (f"{value}x:{signature}", forged, "garbage", token[:-2]):
        assert client.post(f"/digest/unsubscribe/{bad}/").status_code == 400
    assert FollowSettings.objects.get(user=victim).digest == "daily"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent sessions"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_one_email_per_user(subscribers, settings):
    settings.DIGEST_BATCH_SIZE = 1
    errors = at_once(lambda: digests_enqueue(NOW), lambda: digests_enqueue(NOW))
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == ["sub0@example.org", "sub1@example.org"]
    assert DigestSent.objects.count() == 3


@pytest.mark.django_db
def test_digest_task_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"follows.digests_enqueue", "follows.repoint_merged"} <= tasks
    assert timezone.now()  # the schedule runs in UTC (CELERY_TIMEZONE)

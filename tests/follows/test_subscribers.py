"""The trending digest without an account: double opt-in, the same answer whether or not an
address is known, a signed one-click unsubscribe that deletes the address, one digest per
period however often the task runs, unconfirmed addresses deleted after a week, and a
rate-limited form."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.utils import timezone

from apps.core.models import OutboxItem
from apps.follows.digest import digests_enqueue
from apps.follows.models import DigestSent, DigestSubscriber
from apps.follows.services import upvote_toggle
from apps.follows.subscribers import (
    UNSUBSCRIBE_SALT,
    subscriber_add,
    subscribers_purge,
    unsubscribe_token,
)
from apps.records.models import Work

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 2, 6, 5, tzinfo=datetime.UTC)  # a Wednesday
YESTERDAY = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _link(message, name: str) -> str:
    return re.search(rf"https?://[^/\s]+(/digest/{name}/[^/\s]+/)", message.body).group(1)


def _subscribe(client, email="reader@example.org", frequency="daily"):
    return client.post("/digest/subscribe/", {"email": email, "frequency": frequency})


def _confirmed(email="reader@example.org", frequency="daily") -> DigestSubscriber:
    subscriber_add(email=email, frequency=frequency)
    DigestSubscriber.objects.filter(email=email).update(confirmed_at=timezone.now())
    return DigestSubscriber.objects.get(email=email)


@pytest.fixture
def upvoted_yesterday(records, researcher):
    """One work upvoted yesterday, so yesterday's and last week's trending are not empty."""
    work = records.work(records.author("Ada Lindqvist"), title="Elastic sharding")
    upvote_toggle(user=researcher, work=work)
    from apps.follows.models import Upvote

    Upvote.objects.update(created_at=YESTERDAY)
    Work.objects.update(created_at=YESTERDAY)
    return work


def test_subscribing_sends_a_confirmation_link_and_nothing_counts_before_it(client):
    response = _subscribe(client, email="  Reader@Example.org ")

    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    row = DigestSubscriber.objects.get()
    assert (row.email, row.frequency, row.confirmed_at) == ("reader@example.org", "daily", None)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    confirm = _link(mail.outbox[0], "confirm")
    assert client.get(confirm).status_code == 200  # a button; a mail scanner confirms nothing
    assert DigestSubscriber.objects.get().confirmed_at is None

    page = client.post(confirm)

    assert 'data-testid="subscribe-confirmed"' in page.content.decode()
    assert DigestSubscriber.objects.get().confirmed_at is not None


def test_the_confirmation_goes_through_the_outbox(client, outbox_mailer):
    _subscribe(client)

    item = OutboxItem.objects.get()
    assert item.task == "core.email_deliver" and item.args[0]["to"] == ["reader@example.org"]


def test_a_tampered_confirmation_link_confirms_nothing(client):
    _subscribe(client)
    token = _link(mail.outbox[0], "confirm").split("/")[-2]
    forged = signing.dumps({"s": DigestSubscriber.objects.get().pk, "e": "x"}, salt="other")

    for bad in (token[:-3] + "abc", forged):
        assert client.post(f"/digest/confirm/{bad}/").status_code == 400

    assert DigestSubscriber.objects.get().confirmed_at is None


def test_the_answer_is_the_same_for_a_known_address(client):
    first = _subscribe(client)
    DigestSubscriber.objects.update(confirmed_at=timezone.now())
    again = _subscribe(client, frequency="weekly")
    fresh = _subscribe(client, email="someone.else@example.org")

    assert first.status_code == again.status_code == fresh.status_code == 302
    assert first["Location"] == again["Location"] == fresh["Location"]
    assert client.get(first["Location"]).content == client.get(again["Location"]).content
    # the confirmed subscriber keeps their choice and gets no second mail
    assert DigestSubscriber.objects.get(email="reader@example.org").frequency == "daily"
    assert [m.to[0] for m in mail.outbox] == ["reader@example.org", "someone.else@example.org"]


def test_an_unconfirmed_address_gets_the_link_again_at_most_hourly():
    subscriber_add(email="reader@example.org", frequency="daily", now=NOW)
    subscriber_add(email="reader@example.org", frequency="weekly", now=NOW)
    assert len(mail.outbox) == 1

    subscriber_add(
        email="reader@example.org", frequency="weekly", now=NOW + datetime.timedelta(hours=2)
    )

    assert len(mail.outbox) == 2
    assert DigestSubscriber.objects.get().frequency == "weekly"


def test_a_bad_address_is_a_form_error(client):
    response = _subscribe(client, email="not an address")

    assert response.status_code == 200 and "email address" in response.content.decode()
    assert not DigestSubscriber.objects.exists() and not mail.outbox


def test_the_subscribe_form_is_rate_limited(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"digest_subscribe": "3/hour"},
    }
    codes = [_subscribe(client, email=f"r{i}@example.org").status_code for i in range(4)]

    assert codes == [302, 302, 302, 429]
    assert DigestSubscriber.objects.count() == 3


def test_the_digest_is_sent_once_per_period(upvoted_yesterday, settings):
    settings.DIGEST_BATCH_SIZE = 1
    daily, weekly = _confirmed(), _confirmed("weekly@example.org", "weekly")
    subscriber_add(email="unconfirmed@example.org", frequency="daily")
    mail.outbox.clear()

    digests_enqueue(NOW)
    digests_enqueue(NOW)

    assert sorted(m.to[0] for m in mail.outbox) == ["reader@example.org", "weekly@example.org"]
    message = next(m for m in mail.outbox if m.to == ["reader@example.org"])
    assert "Elastic sharding" in message.body
    assert set(DigestSent.objects.values_list("subscriber_id", "period")) == {
        (daily.pk, "daily:2026-12-01"),
        (weekly.pk, "weekly:2026-11-23"),
    }


def test_the_digest_has_a_signed_one_click_unsubscribe(upvoted_yesterday, client):
    subscriber = _confirmed()
    digests_enqueue(NOW)
    message = mail.outbox[-1]
    url = f"/digest/stop/{unsubscribe_token(subscriber)}/"

    assert message.extra_headers["List-Unsubscribe"].endswith(f"{url}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.get(url).status_code == 200 and DigestSubscriber.objects.exists()
    assert client.post(url).status_code == 200  # what a mail client's one click sends

    assert not DigestSubscriber.objects.exists()  # the address is gone
    assert not DigestSent.objects.filter(subscriber__isnull=False).exists()
    assert client.post(url).status_code == 200  # again: still fine


def test_a_tampered_unsubscribe_link_is_refused(client):
    victim, other = _confirmed(), _confirmed("other@example.org")
    token = unsubscribe_token(other)
    value, _, signature = token.partition(":")
    forged = signing.Signer(salt="something else").sign_object(victim.pk)
    unsigned = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(victim.pk).partition(":")[0]

    for bad in (f"{value}x:{signature}", forged, f"{unsigned}:{signature}", "garbage"):
        assert client.post(f"/digest/stop/{bad}/").status_code == 400

    assert DigestSubscriber.objects.count() == 2


def test_unconfirmed_addresses_are_deleted_after_a_week():
    subscriber_add(email="old@example.org", frequency="daily", now=NOW - datetime.timedelta(days=8))
    subscriber_add(email="new@example.org", frequency="daily", now=NOW - datetime.timedelta(days=2))
    _confirmed("kept@example.org")
    DigestSubscriber.objects.filter(email="kept@example.org").update(
        created_at=NOW - datetime.timedelta(days=30)
    )

    assert subscribers_purge(NOW) == 1

    assert set(DigestSubscriber.objects.values_list("email", flat=True)) == {
        "new@example.org",
        "kept@example.org",
    }


def test_the_trending_and_daily_pages_lead_to_the_form(client):
    page = client.get("/trending/?period=week").content.decode()

    assert 'href="/digest/subscribe/?frequency=weekly"' in page
    assert client.get("/digest/subscribe/?frequency=weekly").status_code == 200


def test_purge_and_digest_tasks_are_scheduled_and_routed(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "follows.subscribers_purge" in tasks
    assert settings.CELERY_TASK_ROUTES["follows.subscriber_digest_batch_send"] == {
        "queue": "digests"
    }

import pytest
from django.core import mail
from django.urls import reverse

from apps.notifications.kinds import register_kind
from apps.notifications.models import EmailPreference, Notification
from apps.notifications.services import (
    email_preferences_set,
    email_wanted,
    notification_send,
    notifications_mark_read,
)

pytestmark = pytest.mark.django_db

register_kind("test.loud", "Loud test events", email=True)
register_kind("test.quiet", "Quiet test events", email=False)


def send(user, kind="test.loud", **extra):
    return notification_send(recipient=user, kind=kind, title="Something happened", **extra)


def test_send_creates_row_and_emails_after_commit(researcher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = send(researcher, body="Details.", url="/authors/1/")
    assert Notification.objects.get() == note and not note.is_read
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["researcher@example.org"]
    assert "Something happened" in message.subject
    assert "/authors/1/" in message.body and "/notifications/preferences/" in message.body


def test_rolled_back_change_sends_no_email(
    researcher, outbox_mailer, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from apps.core.models import OutboxItem

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(researcher)
    assert len(callbacks) == 1  # written in the transaction, handed to a worker after commit
    assert OutboxItem.objects.count() == 1 and mail.outbox == []
    with pytest.raises(RuntimeError), transaction.atomic():
        send(researcher)
        raise RuntimeError("the change fails")
    assert OutboxItem.objects.count() == 1 and mail.outbox == []


def test_preferences_override_the_kind_default(researcher, django_capture_on_commit_callbacks):
    assert email_wanted(researcher, "test.loud") and not email_wanted(researcher, "test.quiet")
    email_preferences_set(researcher, {"test.loud": False, "test.quiet": True})
    assert not email_wanted(researcher, "test.loud") and email_wanted(researcher, "test.quiet")
    with django_capture_on_commit_callbacks(execute=True):
        send(researcher, kind="test.loud")
        send(researcher, kind="test.quiet")
    assert [m.subject.endswith("Something happened") for m in mail.outbox] == [True]
    assert Notification.objects.count() == 2


def test_unknown_kind_is_refused(researcher):
    with pytest.raises(LookupError):
        send(researcher, kind="nobody.registered.this")
    with pytest.raises(LookupError):
        email_preferences_set(researcher, {"nobody.registered.this": True})


def test_dedupe_key_makes_a_send_idempotent(researcher):
    assert send(researcher, dedupe_key="work:7") is not None
    assert send(researcher, dedupe_key="work:7") is None
    assert Notification.objects.count() == 1


def test_mark_read_ignores_other_users_ids(researcher, peer):
    mine, theirs = send(researcher), send(peer)
    assert notifications_mark_read(researcher, [mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- pages -------------------------------------------------------------------------------


def test_visitor_is_sent_to_sign_in(visitor):
    response = visitor.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_shows_only_own_and_header_counts_unread(researcher, peer, researcher_client):
    send(researcher, dedupe_key="a")
    send(peer)
    response = researcher_client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="notification"') == 1
    assert 'aria-label="1 unread"' in response.content.decode()


def test_inbox_query_budget_does_not_grow(
    researcher, researcher_client, django_assert_max_num_queries
):
    for i in range(40):
        send(researcher, dedupe_key=str(i))
    # session, user, notifications page (+1 look-ahead row), unread count
    with django_assert_max_num_queries(5):
        assert researcher_client.get(reverse("notifications:inbox")).status_code == 200


def test_mark_one_and_all_read_by_post(researcher, researcher_client):
    first, second = send(researcher, url="/recent/"), send(researcher)
    response = researcher_client.post(reverse("notifications:read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/recent/"
    first.refresh_from_db()
    assert first.is_read
    researcher_client.post(reverse("notifications:read_all"))
    second.refresh_from_db()
    assert second.is_read


def test_outsider_cannot_mark_someone_elses_notification(researcher, outsider_client):
    note = send(researcher)
    outsider_client.post(reverse("notifications:read", args=[note.pk]))
    note.refresh_from_db()
    assert not note.is_read


def test_preferences_page_saves_choices(researcher, researcher_client):
    url = reverse("notifications:preferences")
    assert "Loud test events" in researcher_client.get(url).content.decode()
    response = researcher_client.post(url, {"test.quiet": "on"})
    assert response.status_code == 302
    saved = dict(EmailPreference.objects.filter(user=researcher).values_list("kind", "email"))
    assert saved["test.quiet"] is True and saved["test.loud"] is False


# --- API ---------------------------------------------------------------------------------


def test_api_needs_sign_in(visitor):
    assert visitor.get("/api/v1/notifications/").status_code == 401


def test_api_lists_own_marks_read_and_counts(researcher, peer, researcher_client):
    mine = send(researcher)
    send(peer)
    body = researcher_client.get("/api/v1/notifications/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert researcher_client.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    response = researcher_client.post(
        "/api/v1/notifications/read/", {"ids": [mine.pk]}, content_type="application/json"
    )
    assert response.json() == {"marked": 1}
    assert researcher_client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_api_rejects_bad_ids_with_json_400(researcher_client):
    response = researcher_client.post(
        "/api/v1/notifications/read/", {"ids": ["x"]}, content_type="application/json"
    )
    assert response.status_code == 400 and "ids" in response.json()

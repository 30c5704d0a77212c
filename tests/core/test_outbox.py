"""The outbox (apps.core.outbox): written with the action, run after it, retried until done."""

import datetime
import socket

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from apps.core.models import OutboxItem
from apps.core.outbox import MAX_ATTEMPTS, outbox_add, outbox_run, outbox_sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox_mailer")]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _smtp_at(port: int) -> dict:
    """A "delivery" mailer whose SMTP server refuses every connection."""
    options = {"host": "127.0.0.1", "port": port, "timeout": 2}
    return {
        "MAILERS": {
            "default": {"BACKEND": "apps.core.mail.OutboxEmailBackend"},
            "delivery": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                         "OPTIONS": options},
        }
    }  # fmt: skip


def test_mail_of_a_rolled_back_action_is_never_sent(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_mail("Decided", "body", None, ["ada@example.org"])
        raise RuntimeError("the action failed")
    assert OutboxItem.objects.count() == 0
    assert mail.outbox == []


def test_mail_is_written_in_the_transaction_and_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail("Decided", "body", None, ["ada@example.org"])
    item = OutboxItem.objects.get()
    assert (item.task, item.done_at, mail.outbox) == ("core.email_deliver", None, [])
    callbacks[0]()  # the commit hands it to the worker (eager in tests)
    item.refresh_from_db()
    assert item.done_at is not None
    assert [m.subject for m in mail.outbox] == ["Decided"]


def test_an_item_missed_by_the_broker_is_run_by_the_sweep():
    outbox_add("core.email_deliver", _payload("Swept"))  # no commit hook runs here
    assert mail.outbox == []
    assert outbox_sweep() == 1
    assert [m.subject for m in mail.outbox] == ["Swept"]
    assert outbox_sweep() == 0  # done items are never run again


def test_a_failed_delivery_is_retried_later_then_given_up():
    item = outbox_add("core.email_deliver", _payload("Retried"))
    with override_settings(**_smtp_at(_closed_port())):
        assert outbox_run(item.pk) is False
    item.refresh_from_db()
    assert item.attempts == 1 and item.done_at is None
    assert "Connection refused" in item.last_error or "ConnectionRefused" in item.last_error
    assert item.due_at > timezone.now() + datetime.timedelta(seconds=20)
    assert outbox_sweep() == 0  # not due yet

    OutboxItem.objects.filter(pk=item.pk).update(due_at=timezone.now())
    assert outbox_sweep() == 1  # the mail server is back
    assert [m.subject for m in mail.outbox] == ["Retried"]

    stuck = outbox_add("core.email_deliver", _payload("Never"))
    OutboxItem.objects.filter(pk=stuck.pk).update(attempts=MAX_ATTEMPTS - 1)
    with override_settings(**_smtp_at(_closed_port())):
        outbox_run(stuck.pk)
    stuck.refresh_from_db()
    assert stuck.due_at is None and stuck.done_at is None  # kept for staff, no longer tried


def test_a_claimed_item_is_not_run_twice():
    item = outbox_add("core.email_deliver", _payload("Once"))
    OutboxItem.objects.filter(pk=item.pk).update(
        due_at=timezone.now() + datetime.timedelta(minutes=5), attempts=1
    )  # another runner holds its lease
    assert outbox_run(item.pk) is False
    assert mail.outbox == []


def _payload(subject: str) -> dict:
    from django.core.mail import EmailMessage

    from apps.core.mail import message_to_payload

    return message_to_payload(EmailMessage(subject, "body", to=["ada@example.org"]))

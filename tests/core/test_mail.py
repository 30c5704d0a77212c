"""Mail composed in a request becomes an outbox item, delivered by the worker after commit."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from apps.core.mail import OutboxEmailBackend, message_to_payload, payload_to_message


def _message():
    message = EmailMultiAlternatives(
        subject="Please confirm",
        body="Open https://peerage.example.org/confirm/abc",
        from_email="Peerage <noreply@peerage.example.org>",
        to=["ada@example.org"],
        cc=["cc@example.org"],
        bcc=["bcc@example.org"],
        reply_to=["help@peerage.example.org"],
        headers={"X-Peerage": "1"},
    )
    message.attach_alternative("<p>Open the link</p>", "text/html")
    message.attach("scan.bin", b"\x00\x01binary", "application/octet-stream")
    return message


def test_a_message_survives_the_json_round_trip():
    original = _message()
    rebuilt = payload_to_message(message_to_payload(original))

    assert rebuilt.subject == original.subject
    assert rebuilt.body == original.body
    assert rebuilt.recipients() == original.recipients()
    assert rebuilt.reply_to == original.reply_to
    assert rebuilt.extra_headers == {"X-Peerage": "1"}
    assert rebuilt.alternatives[0][0] == "<p>Open the link</p>"
    assert rebuilt.attachments[0][:2] == ("scan.bin", b"\x00\x01binary")


def test_the_queueing_backend_hands_the_message_to_the_delivery_task(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = OutboxEmailBackend().send_messages([_message()])

    assert sent == 1
    assert len(mail.outbox) == 1  # delivered by the (eager) task through the test mailbox
    assert mail.outbox[0].subject == "Please confirm"
    assert mail.outbox[0].to == ["ada@example.org"]


def test_a_message_without_recipients_is_not_queued(db):
    message = EmailMultiAlternatives(subject="nobody", body="x", to=[])
    assert OutboxEmailBackend().send_messages([message]) == 0
    assert mail.outbox == []


def test_a_prebuilt_mime_attachment_is_refused_with_a_clear_error():
    from email.mime.text import MIMEText

    message = EmailMultiAlternatives(subject="s", body="b", to=["a@example.org"])
    message.attachments.append(MIMEText("inline"))
    with pytest.raises(ValueError, match="cannot be queued"):
        message_to_payload(message)

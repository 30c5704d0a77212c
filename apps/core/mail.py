"""An email backend that takes delivery off the request: each message becomes an outbox item
(apps.core.outbox) in the request's transaction, which a worker delivers after the commit.

The payload is self-contained JSON, so the worker delivers exactly what the request composed,
through settings.EMAIL_DELIVERY_BACKEND (SMTP, console, locmem...).
"""

from __future__ import annotations

import base64
from email.message import Message

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


def message_to_payload(message: EmailMessage) -> dict:
    """Serialise a message to JSON-safe data; `payload_to_message` reverses it."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, Message):
            raise ValueError("pre-built MIME attachments cannot be queued; attach bytes instead")
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode(), mimetype])
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(alt) for alt in getattr(message, "alternatives", [])],
        "attachments": attachments,
        "content_subtype": message.content_subtype,
    }


def delivery_connection() -> BaseEmailBackend:
    """The backend that really sends: the "delivery" mailer (Django 6.1+) or
    settings.EMAIL_DELIVERY_BACKEND (older Django)."""
    if hasattr(settings, "MAILERS"):
        from django.core.mail import mailers

        return mailers["delivery"]
    return get_connection(settings.EMAIL_DELIVERY_BACKEND)


def payload_to_message(payload: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    message.content_subtype = payload["content_subtype"]
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in payload["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from .outbox import outbox_add

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outbox_add("core.email_deliver", message_to_payload(message))
            count += 1
        return count


class ReadableConsoleBackend(ConsoleEmailBackend):
    """Prints each message as a person reads it: headers, then the text body undecorated, so a
    link in a development mail can be copied straight from the worker's console."""

    def write_message(self, message) -> None:
        lines = [
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            "",
            message.body,
            "-" * 79,
        ]
        self.stream.write("\n".join(lines) + "\n")

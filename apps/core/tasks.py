from __future__ import annotations

import smtplib

from celery import shared_task

from .mail import delivery_connection, payload_to_message


@shared_task(
    name="core.email_deliver",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=5,
)
def email_deliver(payload: dict) -> int:
    """Deliver one message composed by a request.

    At-least-once: if the worker dies after handing the message to the mail server, the
    recipient may get it twice, which beats losing it.
    """
    return delivery_connection().send_messages([payload_to_message(payload)])


@shared_task(name="core.sessions_clear_expired")
def sessions_clear_expired() -> None:
    """Delete expired sessions (Django's `clearsessions`); idempotent, run nightly by beat."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()

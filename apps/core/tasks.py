from __future__ import annotations

from celery import shared_task

from .mail import delivery_connection, payload_to_message
from .outbox import outbox_run, outbox_sweep


@shared_task(name="core.email_deliver")
def email_deliver(payload: dict) -> int:
    """Deliver one message composed by a request (queued through the outbox, which retries).

    At-least-once: if the worker dies after handing the message to the mail server, the
    recipient may get it twice, which beats losing it.
    """
    return delivery_connection().send_messages([payload_to_message(payload)])


@shared_task(name="core.outbox_deliver")
def outbox_deliver(pk: int) -> bool:
    """Run one outbox item now (queued right after its transaction commits)."""
    return outbox_run(pk)


@shared_task(name="core.outbox_sweep")
def outbox_sweep_task() -> int:
    """Run every outbox item that is due: those whose hand-off the broker missed, and retries.
    Beat sends it every minute."""
    return outbox_sweep()


@shared_task(name="core.sessions_clear_expired")
def sessions_clear_expired() -> None:
    """Delete expired sessions (Django's `clearsessions`); idempotent, run nightly by beat."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()

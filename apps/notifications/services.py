"""Sending notifications: one row in the recipient's inbox and, when their preference for
that kind says so, an email queued after the transaction commits (a rolled-back change
notifies nobody)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from apps.core.links import absolute_url

from .kinds import all_kinds, get_kind
from .models import EmailPreference, Notification


def email_wanted(user, kind: str) -> bool:
    """Whether `user` gets email for `kind`: their own choice, else the kind's default."""
    choice = EmailPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True)
    chosen = list(choice[:1])
    return chosen[0] if chosen else get_kind(kind).email


def _email(notification: Notification, email: str) -> None:
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{absolute_url(notification.url)}".strip()
    body += "\n\nChange which emails you get: " + absolute_url("/notifications/preferences/")
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + notification.title,
        message=body,
        from_email=None,
        recipient_list=[email],
    )


def notification_send(
    *, recipient, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str = ""
) -> Notification | None:
    """Notify `recipient` of `kind`. With a `dedupe_key`, a second send with the same key is
    a no-op (returns None), so a task that runs twice notifies once."""
    get_kind(kind)  # an unregistered kind is a programming error, caught in tests
    notification = Notification(
        recipient=recipient,
        kind=kind,
        title=title[:300],
        body=body,
        url=url,
        dedupe_key=dedupe_key or None,
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if recipient.is_active and recipient.email and email_wanted(recipient, kind):
        _email(notification, recipient.email)  # an outbox item: sent once this commits
    return notification


def notifications_send(recipients: Iterable, **message) -> list[Notification]:
    """The same notification to several users (each with their own preferences)."""
    sent = [notification_send(recipient=user, **message) for user in recipients]
    return [n for n in sent if n is not None]


def notifications_mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s notifications read: the given ids (others' ids are ignored) or all."""
    qs = Notification.objects.for_user(user)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.mark_read()


def email_preferences_set(user, choices: dict[str, bool]) -> None:
    """Store `user`'s email choice for each kind given (unknown kinds are refused)."""
    for code in choices:
        get_kind(code)
    with transaction.atomic():
        for code, wanted in choices.items():
            EmailPreference.objects.update_or_create(
                user=user, kind=code, defaults={"email": wanted}
            )


def email_preferences_for(user) -> list[tuple]:
    """(kind, email on?) for every registered kind, the user's choice or the default."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    return [(kind, chosen.get(kind.code, kind.email)) for kind in all_kinds()]

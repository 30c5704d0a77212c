"""The trending digest for people without an account: an email address, a daily or weekly
choice, nothing else.

subscribe form ─▶ subscriber_add: a row (unconfirmed) and a confirmation link by mail, through
the outbox; the same answer whether or not the address was already there ─▶ the link
(signed, 7 days) ─▶ subscriber_confirm. The digest rides on the members' machinery
(apps.follows.digest): digests_enqueue queues subscriber batches too, and each send inserts its
DigestSent claim first, so a period goes out at most once. Unsubscribing (a signed one-click
link, also in List-Unsubscribe) deletes the row and the address with it; beat deletes rows
never confirmed after UNCONFIRMED_DAYS. The address is used for these mails only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import Refused
from apps.core.links import absolute_url, signed_id, signed_id_read

from .models import DigestFrequency, DigestSent, DigestSubscriber

CONFIRM_SALT = "follows.subscriber.confirm"
UNSUBSCRIBE_SALT = "follows.subscriber.unsubscribe"
CONFIRM_DAYS = 7  # a confirmation link works this long
UNCONFIRMED_DAYS = 7  # then the unconfirmed row (and its address) is deleted
RESEND_AFTER = datetime.timedelta(hours=1)  # at most one confirmation mail an hour an address
FREQUENCIES = (DigestFrequency.DAILY, DigestFrequency.WEEKLY)


def confirm_token(subscriber: DigestSubscriber) -> str:
    """Names the row and its address (a later row for the same address needs its own link)."""
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)


def unsubscribe_token(subscriber: DigestSubscriber) -> str:
    """Signed, without expiry: an old digest's link keeps working."""
    return signed_id(UNSUBSCRIBE_SALT, subscriber.pk)


def _unsubscribe_id(token: str) -> int | None:
    return signed_id_read(UNSUBSCRIBE_SALT, token)


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("Give an email address.", field="email") from None
    return email


@transaction.atomic
def subscriber_add(*, email: str, frequency: str, now: datetime.datetime | None = None) -> None:
    """Ask for the digest at `frequency`. A new address gets a confirmation link; an
    unconfirmed one gets it again (at most hourly) with the new frequency; a confirmed one
    gets nothing and keeps its choice (anyone may type any address). Returns nothing, so a
    caller cannot tell which case it was."""
    email, now = _clean_email(email), now or timezone.now()
    if frequency not in FREQUENCIES:
        raise Refused("Choose daily or weekly.", field="frequency")
    try:
        with transaction.atomic():
            subscriber = DigestSubscriber.objects.create(
                email=email, frequency=frequency, created_at=now, confirmation_sent_at=now
            )
    except IntegrityError:
        resend = DigestSubscriber.objects.filter(
            email=email, confirmed_at__isnull=True, confirmation_sent_at__lte=now - RESEND_AFTER
        ).update(frequency=frequency, confirmation_sent_at=now)
        if not resend:
            return
        subscriber = DigestSubscriber.objects.get(email=email)
    _confirmation_message(subscriber).send()  # the outbox: delivered after the commit


def _confirmation_message(subscriber: DigestSubscriber) -> EmailMultiAlternatives:
    context = {
        "subscriber": subscriber,
        "confirm_url": absolute_url(
            reverse("follows:subscribe_confirm", args=[confirm_token(subscriber)])
        ),
        "days": CONFIRM_DAYS,
    }
    return EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Confirm your trending digest",
        body=render_to_string("follows/email/subscriber_confirm.txt", context),
        to=[subscriber.email],
    )


def subscriber_confirm(token: str) -> DigestSubscriber:
    """The confirmation link was opened: the address starts getting digests (opening it again
    changes nothing)."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 24 * 3600)
    except signing.BadSignature:
        raise Refused("This link is not valid or has expired. Subscribe again.") from None
    found = DigestSubscriber.objects.filter(pk=data.get("s"), email=data.get("e"))
    subscriber = found.first()
    if subscriber is None:
        raise Refused("This link is not valid or has expired. Subscribe again.")
    if found.filter(confirmed_at__isnull=True).update(confirmed_at=timezone.now()):
        subscriber.refresh_from_db(fields=["confirmed_at"])
    return subscriber


def unsubscribe_token_valid(token: str) -> bool:
    return _unsubscribe_id(token) is not None


def subscriber_delete(token: str) -> bool:
    """Unsubscribe: delete the row, its address and its sent-digest claims. False for a
    tampered token; a valid one whose row is gone already is fine (True)."""
    pk = _unsubscribe_id(token)
    if pk is None:
        return False
    DigestSubscriber.objects.filter(pk=pk).delete()
    return True


def subscribers_purge(now: datetime.datetime | None = None) -> int:
    """Delete the addresses never confirmed within UNCONFIRMED_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=UNCONFIRMED_DAYS)
    stale = DigestSubscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    return stale.delete()[1].get(DigestSubscriber._meta.label, 0)


def subscriber_batches(frequency: str, period_key: str, size: int):
    """Ids of confirmed subscribers at `frequency` not yet sent `period_key`, `size` at a time
    (keyset on the id)."""
    sent = DigestSent.objects.filter(period=period_key, subscriber__isnull=False)
    due = (
        DigestSubscriber.objects.filter(frequency=frequency, confirmed_at__isnull=False)
        .exclude(pk__in=sent.values("subscriber_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = 0
    while batch := list(due.filter(pk__gt=last)[:size]):
        yield batch
        last = batch[-1]


def subscriber_digest_send(subscriber: DigestSubscriber, period, rising: list) -> bool:
    """Claim the period for this subscriber, then queue the mail; False when another run
    claimed it first or nothing was trending."""
    try:
        with transaction.atomic():
            DigestSent.objects.create(subscriber=subscriber, period=period.key)
    except IntegrityError:
        return False
    if not rising:
        return False  # claimed, so the period is settled, but there is nothing to say
    _digest_message(subscriber, period, rising).send()
    return True


def _digest_message(subscriber: DigestSubscriber, period, rising: list) -> EmailMultiAlternatives:
    unsubscribe = absolute_url(
        reverse("follows:subscriber_unsubscribe", args=[unsubscribe_token(subscriber)])
    )
    context = {
        "period": period,
        "rising": rising,
        "site_url": absolute_url(""),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Trending papers, {period.frequency}",
        body=render_to_string("follows/email/subscriber_digest.txt", context),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    html = render_to_string("follows/email/subscriber_digest.html", context)
    message.attach_alternative(html, "text/html")
    return message

"""The email digest: daily or weekly, off until the user turns it on.

beat ─▶ tasks.digests_enqueue_task ─▶ digests_enqueue(now): for each frequency, the period
that last ended and its subscribers in batches ─▶ tasks.digest_batch_send_task(ids) ─▶
digest_batch_send ─▶ digest_send per user: insert DigestSent(user, period) first (the claim),
then queue the email. Two runs, a redelivered batch or a worker killed midway can only ever
skip a period, never send it twice. Subscribers without an account (apps.follows.subscribers)
go the same way: their batches are queued by the same run and claim the same DigestSent rows,
to get the trending part only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core.links import absolute_url, signed_id, signed_id_read
from apps.notifications.services import notification_send

from .feed import feed_works, trending
from .models import DigestFrequency, DigestSent, FollowSettings

UNSUBSCRIBE_SALT = "follows.digest.unsubscribe"
DIGEST_WORKS = 20
DIGEST_TRENDING = 5


@dataclass(frozen=True)
class Period:
    frequency: str  # DigestFrequency.DAILY or WEEKLY
    start: datetime.datetime
    end: datetime.datetime

    @property
    def key(self) -> str:
        return f"{self.frequency}:{self.start.date().isoformat()}"

    @property
    def trending_period(self) -> str:
        return "day" if self.frequency == DigestFrequency.DAILY else "week"

    @classmethod
    def last_ended(cls, frequency: str, now: datetime.datetime) -> Period:
        """The latest complete period: yesterday (UTC), or last Monday-to-Sunday week."""
        today = datetime.datetime.combine(now.date(), datetime.time(), tzinfo=datetime.UTC)
        if frequency == DigestFrequency.DAILY:
            return cls(frequency, today - datetime.timedelta(days=1), today)
        monday = today - datetime.timedelta(days=today.weekday())
        return cls(frequency, monday - datetime.timedelta(days=7), monday)

    @classmethod
    def from_key(cls, key: str) -> Period:
        frequency, day = key.split(":")
        start = datetime.datetime.combine(
            datetime.date.fromisoformat(day), datetime.time(), tzinfo=datetime.UTC
        )
        length = datetime.timedelta(days=1 if frequency == DigestFrequency.DAILY else 7)
        return cls(frequency, start, start + length)


def unsubscribe_token(user) -> str:
    """A link token naming the user, signed with SECRET_KEY: it needs no login and cannot be
    made for another user without the key (`core.links.signed_id`)."""
    return signed_id(UNSUBSCRIBE_SALT, user.pk)


def unsubscribe_user_id(token: str) -> int | None:
    """The user a token names, or None for a tampered or malformed one."""
    return signed_id_read(UNSUBSCRIBE_SALT, token)


def subscriber_batches(frequency: str, period: Period, size: int):
    """Ids of users subscribed at `frequency` and not yet sent `period`, in id order, `size` at
    a time (keyset on the user id, so a large list costs the same per batch)."""
    sent = DigestSent.objects.filter(period=period.key, user__isnull=False).values("user_id")
    subscribed = (
        FollowSettings.objects.filter(digest=frequency, user__is_active=True)
        .exclude(user_id__in=sent)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    last = 0
    while batch := list(subscribed.filter(user_id__gt=last)[:size]):
        yield batch
        last = batch[-1]


def digests_enqueue(now: datetime.datetime | None = None) -> int:
    """Queue one batch task per `DIGEST_BATCH_SIZE` members, and one per as many subscribers
    without an account, for each frequency's last ended period; returns the number of batches."""
    from .subscribers import subscriber_batches as address_batches
    from .tasks import digest_batch_send_task, subscriber_digest_batch_send_task

    now, size = now or timezone.now(), settings.DIGEST_BATCH_SIZE
    batches = 0
    for frequency in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        period = Period.last_ended(frequency, now)
        for ids in subscriber_batches(frequency, period, size):
            digest_batch_send_task.delay(period.key, ids)
            batches += 1
        for ids in address_batches(frequency, period.key, size):
            subscriber_digest_batch_send_task.delay(period.key, ids)
            batches += 1
    return batches


def digest_batch_send(period_key: str, user_ids: list[int]) -> int:
    """Send `period` to each of these users still subscribed at its frequency; returns how
    many were sent (users already sent are skipped by the claim)."""
    from apps.accounts.models import User

    period = Period.from_key(period_key)
    rising = trending(period.trending_period, now=period.end, limit=DIGEST_TRENDING).works
    users = User.objects.filter(
        pk__in=user_ids, is_active=True, follow_settings__digest=period.frequency
    ).exclude(email="")
    return sum(digest_send(user, period, rising) for user in users.order_by("pk"))


def subscriber_digest_batch_send(period_key: str, subscriber_ids: list[int]) -> int:
    """Send `period`'s trending works to each of these confirmed subscribers still at its
    frequency; returns how many were sent."""
    from .models import DigestSubscriber
    from .subscribers import subscriber_digest_send

    period = Period.from_key(period_key)
    rising = trending(period.trending_period, now=period.end, limit=DIGEST_TRENDING).works
    subscribers = DigestSubscriber.objects.filter(
        pk__in=subscriber_ids, frequency=period.frequency, confirmed_at__isnull=False
    ).order_by("pk")
    return sum(subscriber_digest_send(s, period, rising) for s in subscribers)


def digest_send(user, period: Period, rising: list) -> bool:
    works = list(
        feed_works(user)
        .filter(created_at__gte=period.start, created_at__lt=period.end)
        .newest_first()
        .for_listing()[:DIGEST_WORKS]
    )
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, period=period.key, works_count=len(works))
    except IntegrityError:
        return False  # another run claimed this period for this user first
    if not works and not rising:
        return False  # claimed, so the period is settled, but there is nothing to say
    _message(user, period, works, rising).send()
    notification_send(
        recipient=user,
        kind="follows.digest",
        title=f"Your {period.frequency} digest: {len(works)} new work{'s' * (len(works) != 1)}",
        url=reverse("follows:feed"),
        dedupe_key=f"follows.digest:{period.key}",
    )
    return True


def _message(user, period: Period, works: list, rising: list) -> EmailMultiAlternatives:
    unsubscribe = absolute_url(reverse("follows:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "user": user,
        "period": period,
        "works": works,
        "rising": rising,
        "site_url": absolute_url(""),
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute_url(reverse("follows:settings")),
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your {period.frequency} digest",
        body=render_to_string("follows/email/digest.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("follows/email/digest.html", context), "text/html")
    return message

"""Follows of author records and topics, upvotes on works, a user's follow settings, and the
digests already sent (one row per user and period, claimed before the email goes out)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.records.models import Author, Topic, Work


class FollowQuerySet(models.QuerySet):
    def by(self, user):
        """The follows `user` made."""
        return self.filter(follower=user)

    def of_authors(self):
        return self.filter(author__isnull=False)

    def of_topics(self):
        return self.filter(topic__isnull=False)

    def visible_to(self, viewer, owner):
        """`owner`'s follows as `viewer` may see them: all of them for the owner, for others
        only when the owner made their follows public."""
        if viewer.is_authenticated and viewer.pk == owner.pk:
            return self.by(owner)
        public = FollowSettings.objects.filter(user=owner, follows_public=True).exists()
        return self.by(owner) if public else self.none()


class Follow(models.Model):
    """A user following one author record or one topic."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False, topic__isnull=True)
                | Q(author__isnull=True, topic__isnull=False),
                name="follow_one_target",
            ),
            # These also serve "what does this user follow" (follower leads).
            models.UniqueConstraint(
                fields=["follower", "author"],
                condition=Q(author__isnull=False),
                name="follow_author_unique",
            ),
            models.UniqueConstraint(
                fields=["follower", "topic"],
                condition=Q(topic__isnull=False),
                name="follow_topic_unique",
            ),
        ]
        indexes = [
            # Follower counts and trending (new follows in a window) per target.
            models.Index(fields=["author", "created_at"], name="follow_author_idx"),
            models.Index(fields=["topic", "created_at"], name="follow_topic_idx"),
            models.Index(fields=["follower", "-created_at", "-id"], name="follow_list_idx"),
        ]

    def __str__(self) -> str:
        target = f"author {self.author_id}" if self.author_id else f"topic {self.topic_id}"
        return f"{self.follower_id} follows {target}"


class Upvote(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upvotes"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="upvotes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "work"], name="upvote_unique")]
        indexes = [
            models.Index(fields=["work", "created_at"], name="upvote_work_idx"),
            models.Index(fields=["created_at"], name="upvote_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ▲ {self.work_id}"


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Audience(models.TextChoices):
    """Who may see a part of someone's social graph (the person themself always may)."""

    EVERYONE = "everyone", "Everyone"
    SIGNED_IN = "signed_in", "Anyone signed in"
    FOLLOWERS = "followers", "People who follow my record"
    VERIFIED = "verified", "Researchers who hold a record (L2 and up)"
    NOBODY = "nobody", "Only me"


class FollowSettings(models.Model):
    """A user's choices for this app. Without a row: follows private, no digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="follow_settings",
    )
    follows_public = models.BooleanField("show whom I follow to others", default=False)
    followers_audience = models.CharField(
        "who sees who follows my record", max_length=10, choices=Audience.choices,
        default=Audience.EVERYONE,
    )  # fmt: skip
    digest = models.CharField(
        "email digest", max_length=10, choices=DigestFrequency.choices, default="off"
    )
    badge_audience = models.CharField(
        "who sees that my institutional email is verified", max_length=10,
        choices=Audience.choices, default=Audience.EVERYONE,
    )  # fmt: skip

    class Meta:
        verbose_name_plural = "follow settings"
        indexes = [
            models.Index(fields=["digest", "user"], name="followsettings_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: digest {self.digest}"


class DigestSubscriber(models.Model):
    """An email address, without an account, that asked for the trending digest. It counts
    once its owner opened the confirmation link; the row (the address with it) is deleted on
    unsubscribe, and unconfirmed rows are deleted after a while. Used for the digest only."""

    email = models.EmailField(unique=True)  # stored lower-cased
    frequency = models.CharField(
        max_length=10,
        choices=[(DigestFrequency.DAILY, "Daily"), (DigestFrequency.WEEKLY, "Weekly")],
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["frequency", "id"],
                condition=Q(confirmed_at__isnull=False),
                name="digestsubscriber_confirmed_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(confirmed_at__isnull=True),
                name="digestsubscriber_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"subscriber {self.pk} ({self.frequency})"


class DigestSent(models.Model):
    """One digest period for one member or one subscriber without an account, inserted
    *before* the email is sent: the unique row is the claim, so two runs (or a redelivered
    task) send a period at most once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    subscriber = models.ForeignKey(
        DigestSubscriber, null=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=20)  # "daily:2026-11-30", "weekly:2026-11-23"
    works_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="digest_sent_unique"),
            models.UniqueConstraint(
                fields=["subscriber", "period"], name="digest_sent_subscriber_unique"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, subscriber__isnull=True)
                | Q(user__isnull=True, subscriber__isnull=False),
                name="digest_sent_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or 's' + str(self.subscriber_id)} {self.period}"


class FeedToken(models.Model):
    """The secret in a user's personal Atom feed URL (feed readers cannot sign in). Made on
    first use; resetting it puts a new one in its place, and the old URL stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feed token of {self.user_id}"

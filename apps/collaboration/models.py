"""Invitations between claimed researchers, the conversations they open, messages, blocks
and each recipient's preference. The invariants are database constraints: one open
invitation per pair of people (either direction), one conversation per pair, one block per
pair and direction, and an invitation's purpose names exactly what its kind says."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from apps.records.models import Author, Topic, Work

PURPOSE_MAX = 1000
MESSAGE_MAX = 10_000
DECLINE_REASON_MAX = 1000


class Preference(models.Model):
    """Whom a researcher accepts invitations from (default: any claimed researcher)."""

    class AcceptFrom(models.TextChoices):
        ANYONE = "anyone", "Any researcher with a claimed record"
        VERIFIED = "verified", "Moderator-verified (L3) researchers only"
        NETWORK = "network", "Researchers within two co-author hops"
        FOLLOWED = "followed", "Researchers whose records I follow"
        NOBODY = "nobody", "Nobody"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaboration_pref"
    )
    accept_from = models.CharField(
        max_length=10, choices=AcceptFrom.choices, default=AcceptFrom.ANYONE
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.accept_from}"


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An invitation is seen by its sender and its recipient only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(sender=user) | Q(recipient=user))

    def pending(self):
        """Open invitations (including ones past their expiry the beat task has not marked)."""
        return self.filter(status=Invitation.Status.PENDING)

    def between(self, a, b):
        """Invitations between two users, in either direction."""
        return self.filter(Q(sender=a, recipient=b) | Q(sender=b, recipient=a))

    def due_to_expire(self, now=None):
        return self.pending().filter(expires_at__lte=now or timezone.now())


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Purpose(models.TextChoices):
        TOPIC = "topic", "A topic"
        WORK = "work", "A work"
        TEXT = "text", "Something else"

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_received"
    )
    sender_author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    recipient_author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL)
    # The sender's words (required when the purpose is free text), plain text or Markdown.
    note = models.TextField(max_length=PURPOSE_MAX, blank=True)
    # The fit as computed when sent: {"topics": [...], "collaborators": [...], "distance": n}.
    fit = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(max_length=DECLINE_REASON_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="invitation_not_self"
            ),
            models.UniqueConstraint(
                Least("sender", "recipient"),
                Greatest("sender", "recipient"),
                condition=Q(status="pending"),
                name="invitation_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=(
                    Q(purpose="topic", topic__isnull=False)
                    | Q(purpose="work", work__isnull=False)
                    | (Q(purpose="text") & ~Q(note=""))
                ),
                name="invitation_purpose_given",
            ),
        ]
        indexes = [
            models.Index(fields=["sender", "created_at"], name="invitation_quota_idx"),
            models.Index(fields=["recipient", "status"], name="invitation_inbox_idx"),
            models.Index(fields=["status", "expires_at"], name="invitation_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()

    @property
    def purpose_label(self) -> str:
        if self.purpose == self.Purpose.TOPIC and self.topic:
            return f"Topic: {self.topic.name}"
        if self.purpose == self.Purpose.WORK and self.work:
            return f"Work: {self.work.title}"
        return "Proposed collaboration"


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A conversation is seen by its two participants only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(participants__user=user)


class Conversation(models.Model):
    """Opened by an accepted invitation; `user_low`/`user_high` are the pair in id order."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="conversation"
    )
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user_low__lt=models.F("user_high")), name="conversation_pair_ordered"
            ),
            models.UniqueConstraint(
                fields=["user_low", "user_high"], name="conversation_one_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    def other(self, user):
        return self.user_high if user.pk == self.user_low_id else self.user_low


class Participant(models.Model):
    """One side of a conversation, with its read state."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_seats"
    )
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in conversation {self.conversation_id}"


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Messages of the user's conversations; a shadowed message (sent while its recipient
        blocked the sender) is seen by its sender only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(conversation__participants__user=user).filter(
            Q(shadowed=False) | Q(sender=user)
        )

    def unread_by(self, user, since: datetime.datetime):
        return self.filter(created_at__gt=since, shadowed=False).exclude(sender=user)


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX)  # as written
    body_html = models.TextField()  # Markdown rendered, then sanitised (render.py)
    shadowed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_thread_idx")]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Block(models.Model):
    """`blocker` receives nothing more from `blocked`; `blocked` is never told."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"

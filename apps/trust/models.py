"""The stored trust score of each record (current value and its history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import Decision

from .score import tier_for


class TrustRecord(models.Model):
    """The current trust score of one author record, with the breakdown that explains it."""

    author = models.OneToOneField(
        "records.Author", primary_key=True, on_delete=models.CASCADE, related_name="trust"
    )
    score = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    breakdown = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__lte=100), name="trust_score_max")]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.score}"

    @property
    def tier(self) -> str:
        return tier_for(self.score)


class TrustHistory(models.Model):
    """Every change of a record's score, newest last; kept so a score's past is explainable."""

    author = models.ForeignKey(
        "records.Author", on_delete=models.CASCADE, related_name="trust_history"
    )
    score = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    breakdown = models.JSONField(default=list)
    cause = models.CharField(max_length=100, blank=True)  # "claim.approve", "nightly"
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["author", "-computed_at"], name="trust_history_idx")]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.score} ({self.cause})"


class VerificationRequestQuerySet(models.QuerySet):
    def pending(self):
        """Requests whose email is confirmed, waiting for a moderator, oldest first."""
        return self.filter(status=VerificationRequest.Status.PENDING).order_by("created_at", "id")


class VerificationRequest(Decision):
    """A holder asks for L3: an institutional email (confirmed by a signed link sent to it)
    and a note; a moderator decides, and the decision records who, when and why."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for the email to be confirmed"
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Verified (L3)"
        REJECTED = "rejected", "Not verified"
        WITHDRAWN = "withdrawn", "Withdrawn"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_requests"
    )
    author = models.ForeignKey(
        "records.Author", on_delete=models.CASCADE, related_name="verification_requests"
    )
    email = models.EmailField("institutional email")
    note = models.TextField(blank=True)
    domain_matches = models.BooleanField(default=False)  # on a domain of the record's institutions
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = VerificationRequestQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author"],
                condition=Q(status__in=["unconfirmed", "pending"]),
                name="verification_one_open_per_author",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="verification_queue_idx")]

    def __str__(self) -> str:
        return f"L3 request for {self.author_id} ({self.status})"

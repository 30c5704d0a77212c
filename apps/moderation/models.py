"""Abuse reports. Anything a user can see can be reported (an invitation, a message, a
record); the report names its target by model label and id, so this app needs to import
none of the apps whose content it moderates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import Decision


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Reports waiting for a moderator, oldest first (the queue order)."""
        return self.filter(status=Report.Status.OPEN).order_by("created_at", "id")

    def abuse(self):
        """Reports about behaviour (misattributed works have their own queue)."""
        return self.exclude(reason=Report.Reason.MISATTRIBUTED)

    def misattributions(self):
        return self.filter(reason=Report.Reason.MISATTRIBUTED)

    def upheld_against(self, user):
        """Reports a moderator upheld against `user` (a negative trust signal)."""
        return self.filter(status=Report.Status.UPHELD, reported_user=user)


class Report(Decision):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or unsolicited promotion"
        HARASSMENT = "harassment", "Harassment or abuse"
        IMPERSONATION = "impersonation", "Impersonation"
        OTHER = "other", "Something else"
        # A work on a record that is not that person's (apps/moderation/attributions.py).
        MISATTRIBUTED = "misattributed", "Work on the wrong person's record"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_filed"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_against",
    )
    target_type = models.CharField(max_length=60)  # "collaboration.message"
    target_id = models.CharField(max_length=40)
    # What the reporter saw, kept so the report survives the target's deletion.
    excerpt = models.TextField(blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    # A misattribution report: the record's place on the work, and an optional evidence link.
    authorship = models.ForeignKey(
        "records.Authorship", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    evidence_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)  # (Decision's, without its index)

    objects = ReportQuerySet.as_manager()

    class Meta:
        constraints = [
            # One open report per reporter and target: reporting twice is one report.
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="report_open_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_queue_idx"),
            models.Index(fields=["reported_user", "status"], name="report_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.target_type}:{self.target_id}"


class SuspensionQuerySet(models.QuerySet):
    def active(self):
        """Suspensions in force (not lifted)."""
        return self.filter(lifted_at__isnull=True)


class Suspension(models.Model):
    """A moderator suspended an account: it cannot sign in or act (User.is_active is False
    while a suspension is in force). Lifting it is a new, audited action; rows stay."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(lifted_at__isnull=True), name="suspension_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"suspension of {self.user_id}{' (lifted)' if self.lifted_at else ''}"


class MixupFlag(models.Model):
    """A record whose works fall cleanly into two groups (apps.records.clusters): likely two
    people on one record. Open until a moderator repairs the record (a rescan finds it clean)
    or says it is one person; a dismissed flag is not raised again."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Repaired"
        DISMISSED = "dismissed", "Not a mix-up"

    author = models.OneToOneField(
        "records.Author", on_delete=models.CASCADE, related_name="mixup_flag"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    groups = models.JSONField(default=list)  # the group sizes when found, largest first
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="mixup_queue_idx")]

    def __str__(self) -> str:
        return f"likely mix-up: {self.author} ({self.status})"

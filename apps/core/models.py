"""Shapes several apps' models share (abstract: no table of their own), and the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Decision(models.Model):
    """A request someone decides (a claim, a dispute, a merge, an L3 request, a report): when
    it was made, when, by whom and why it was decided. Each model adds its own `status`
    (its choices), which `move` compares and sets."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def age(self):
        """How long it has waited since it was made."""
        return timezone.now() - self.created_at

    def move(self, status_from: str, **fields) -> bool:
        """Compare-and-set: write `fields` only while the row is still in `status_from`, then
        reload it. False when someone moved it first (no row matched), so the caller refuses."""
        if not type(self).objects.filter(pk=self.pk, status=status_from).update(**fields):
            return False
        self.refresh_from_db()
        return True

    @staticmethod
    def decided(status: str, actor, reason: str) -> dict:
        """The fields a moderator's decision sets: the new status, now, who, why."""
        return {
            "status": status,
            "decided_at": timezone.now(),
            "decided_by": actor,
            "decision_reason": reason,
        }


class OutboxItem(models.Model):
    """Work a request promised to do after its transaction: a mail to send, a task to run.
    Written in the request's own transaction, so it exists exactly when the action committed;
    delivered by a worker (apps.core.outbox), retried until done, so a dead broker delays it
    and never loses it. `due_at` is NULL once it has failed too often to try again."""

    task = models.CharField(max_length=100)  # a registered Celery task's name
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"], condition=models.Q(done_at__isnull=True), name="outbox_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"

"""The append-only audit log. Every claim, curation and moderator action writes one row here,
inside the same transaction as the change it records, so the log and the data never disagree.
A decision is undone only by a new action, which writes a new row: rows are never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AuditEventQuerySet(models.QuerySet):
    def about_author(self, author_id: int):
        """Rows about one public author record."""
        return self.filter(author_id=author_id)

    def visible_to(self, user):
        """Moderators see every row; anyone else sees the rows they made and the rows whose
        `subject_user` they are (services set it to the user an action affects)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_moderator:
            return self
        return self.filter(Q(actor=user) | Q(subject_user=user))

    def newest_first(self):
        return self.order_by("-created_at", "-id")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the row still says who acted after the account is deleted.
    actor_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=60, db_index=True)  # "claim.approve", "work.disown"
    target_type = models.CharField(max_length=60)  # "claims.claim"
    target_id = models.CharField(max_length=40)
    # The public record the action concerns, when there is one (records never disappear).
    author = models.ForeignKey(
        "records.Author", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The user the action affects (a claimant, a suspended account); may differ from actor.
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["author", "-created_at"], name="audit_author_idx"),
            models.Index(fields=["subject_user", "-created_at"], name="audit_subject_idx"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(action=""), name="audit_has_action")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten (the log is evidence).
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

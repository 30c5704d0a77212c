"""Writing to the audit log. Call `audit_record` inside the transaction of the change it
describes: if the change rolls back, so does its row."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def _target(target: models.Model) -> tuple[str, str]:
    return target._meta.label_lower, str(target.pk)


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    author_id: int | None = None,
    subject_user=None,
) -> AuditEvent:
    """Append one row: who (`actor`, None for the system) did `action` to `target`, why, and
    the state before and after (JSON-safe dicts of the fields that changed)."""
    target_type, target_id = _target(target)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=str(actor) if actor else "system",  # the public name, never the email
        action=action,
        target_type=target_type,
        target_id=target_id,
        author_id=author_id,
        subject_user=subject_user,
        reason=reason,
        before=before or {},
        after=after or {},
    )


def audit_forget_actor(user) -> int:
    """When an account is deleted, its rows keep what happened but no longer name the person
    (the label is the only field that would; the foreign key is set to NULL by the delete)."""
    from .models import AuditEvent

    label = f"deleted account {user.pk}"
    return AuditEvent.objects.filter(actor=user).update(actor_label=label)

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


def _readable(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_readable(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')} {_readable(v)}" for k, v in value.items())
    return str(value)


def changes_of(before: dict, after: dict) -> list[dict]:
    """Each field an audit row touched, in words: {"field", "before", "after"}, the field's
    name with spaces, values as text ("—" for nothing), only `after` for a new fact."""
    fields = list(dict.fromkeys([*before, *after]))
    return [
        {
            "field": field.replace("_", " "),
            "before": _readable(before[field]) if field in before else "",
            "after": _readable(after.get(field)),
        }
        for field in fields
    ]

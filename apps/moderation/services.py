"""Filing abuse reports. Deciding them, and the rest of the moderators' workspace, builds on
these rows (the trust and moderation issue)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from apps.audit.services import audit_record

from .models import Report

NOTE_MAX = 2000
EXCERPT_MAX = 2000


@transaction.atomic
def report_file(
    *,
    reporter,
    target: models.Model,
    reason: str,
    note: str = "",
    reported_user=None,
    excerpt: str = "",
) -> Report:
    """Report `target` to the moderators. Reporting the same thing again while the first
    report is open returns the open report instead of making a second one."""
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": "Choose one of the listed reasons."})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"At most {NOTE_MAX} characters."})
    if reported_user is not None and reported_user.pk == reporter.pk:
        raise ValidationError({"target": "You cannot report yourself."})
    label, pk = target._meta.label_lower, str(target.pk)
    existing = Report.objects.open().filter(reporter=reporter, target_type=label, target_id=pk)
    if found := existing.first():
        return found
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                reported_user=reported_user,
                target_type=label,
                target_id=pk,
                excerpt=excerpt[:EXCERPT_MAX],
                reason=reason,
                note=note,
            )
    except IntegrityError:  # the same report filed concurrently
        return existing.get()
    audit_record(
        actor=reporter,
        action="report.file",
        target=report,
        after={"target": f"{label}:{pk}", "reason": reason},
        subject_user=reported_user,
    )
    return report

"""Abuse reports (filing, deciding, reopening) and account suspensions. Every moderator
action here is atomic, writes exactly one audit row, notifies after commit, and is undone
only by another audited action (reopen, unsuspend). Refusals raise apps.core.errors, like
the other decisions the workspace makes."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from apps.accounts.moderators import moderator_decision
from apps.audit.services import audit_record
from apps.claims.models import Claim
from apps.core.errors import Conflict, Refused
from apps.notifications.services import notification_send
from apps.trust.services import trust_recompute_many

from .models import Report, Suspension

REPORT_KIND = "moderation.report"
ACCOUNT_KIND = "moderation.account"

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
        raise Refused("Choose one of the listed reasons.", field="reason")
    if len(note) > NOTE_MAX:
        raise Refused(f"Keep the note under {NOTE_MAX} characters.", field="note")
    if reported_user is not None and reported_user.pk == reporter.pk:
        raise Refused("You cannot report yourself.", field="target")
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


# --- Moderators' decisions -------------------------------------------------------------------


def _rescore_holdings(user) -> None:
    """Upheld reports lower the trust of the record their subject holds."""
    held = Claim.objects.held_by(user) if user is not None else None
    if held:
        trust_recompute_many([held.author_id], cause="report")


@transaction.atomic
def report_decide(*, report: Report, actor, uphold: bool, reason: str) -> Report:
    """Uphold (counts against the reported user's trust) or dismiss an open report."""
    if report.reason == Report.Reason.MISATTRIBUTED:
        raise Refused("Decide this report as a misattributed work (detach or dismiss).")
    involved = [report.reporter_id, report.reported_user_id]
    reason = moderator_decision(
        actor,
        reason,
        involved,
        "You cannot decide a report that involves you.",
        outcome=("report", "uphold" if uphold else "dismiss"),
    )
    status = Report.Status.UPHELD if uphold else Report.Status.DISMISSED
    if not report.move(Report.Status.OPEN, **Report.decided(status, actor, reason)):
        raise Conflict("This report was already decided.")
    audit_record(
        actor=actor, action=f"report.{status}", target=report, reason=reason,
        subject_user=report.reported_user, before={"status": "open"}, after={"status": status},
    )  # fmt: skip
    notification_send(
        recipient=report.reporter, kind=REPORT_KIND, body=reason,
        title=f"Your report was {report.get_status_display().lower()}",
    )  # fmt: skip
    if uphold and report.reported_user:
        notification_send(
            recipient=report.reported_user, kind=ACCOUNT_KIND, body=reason,
            title="A moderator upheld a report about something you posted",
        )  # fmt: skip
        _rescore_holdings(report.reported_user)
    return report


@transaction.atomic
def report_reopen(*, report: Report, actor, reason: str) -> Report:
    """Undo a decision on a report: it is open again (and no longer counts against anyone)."""
    involved = [report.reporter_id, report.reported_user_id]
    reason = moderator_decision(
        actor, reason, involved, "You cannot reopen a report that involves you."
    )
    before = report.status
    try:
        with transaction.atomic():
            moved = (
                Report.objects.filter(pk=report.pk)
                .exclude(status=Report.Status.OPEN)
                .update(
                    status=Report.Status.OPEN, decided_at=None, decided_by=None, decision_reason=""
                )
            )
    except IntegrityError:
        raise Conflict("The reporter has another open report on this; decide that.") from None
    if not moved:
        raise Conflict("This report is open already.")
    report.refresh_from_db()
    audit_record(
        actor=actor, action="report.reopen", target=report, reason=reason,
        subject_user=report.reported_user, before={"status": before}, after={"status": "open"},
    )  # fmt: skip
    if before == Report.Status.UPHELD:
        _rescore_holdings(report.reported_user)
    return report


@transaction.atomic
def user_suspend(*, user, actor, reason: str) -> Suspension:
    """Suspend an account: it can no longer sign in, and its sessions stop working."""
    reason = moderator_decision(actor, reason, [user.pk], "You cannot suspend yourself.")
    try:
        with transaction.atomic():
            suspension = Suspension.objects.create(user=user, reason=reason, created_by=actor)
    except IntegrityError:
        raise Conflict("This account is suspended already.") from None
    # Tell them first: notification_send emails active accounts only.
    notification_send(
        recipient=user, kind=ACCOUNT_KIND, title="Your account was suspended", body=reason
    )
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    audit_record(
        actor=actor, action="user.suspend", target=suspension, reason=reason, subject_user=user,
        before={"is_active": True}, after={"is_active": False},
    )  # fmt: skip
    return suspension


@transaction.atomic
def user_unsuspend(*, user, actor, reason: str) -> Suspension:
    """Lift the suspension in force: the account can sign in again."""
    reason = moderator_decision(actor, reason, [user.pk], "You cannot lift your own suspension.")
    suspension = Suspension.objects.active().filter(user=user).first()
    if suspension is None or not Suspension.objects.filter(
        pk=suspension.pk, lifted_at__isnull=True
    ).update(lifted_at=timezone.now(), lifted_by=actor, lift_reason=reason):
        raise Conflict("This account is not suspended.")
    type(user).objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    audit_record(
        actor=actor, action="user.unsuspend", target=suspension, reason=reason,
        subject_user=user, before={"is_active": False}, after={"is_active": True},
    )  # fmt: skip
    notification_send(
        recipient=user, kind=ACCOUNT_KIND, title="Your account was reinstated", body=reason
    )
    return suspension

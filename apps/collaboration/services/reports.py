"""Reporting an invitation or a message to the moderators (apps.moderation files it)."""

from __future__ import annotations

from apps.core.errors import NotAllowed, Refused
from apps.moderation.models import Report
from apps.moderation.services import report_file

from ..models import Invitation, Message


def invitation_report(*, reporter, invitation: Invitation, reason: str, note: str = "") -> Report:
    """Report an invitation (its note) to the moderators; only its recipient can."""
    if reporter.pk != invitation.recipient_id:
        raise NotAllowed("Only the person invited can report an invitation.")
    return _report(reporter, invitation, reason, note, invitation.sender, invitation.note)


def message_report(*, reporter, message: Message, reason: str, note: str = "") -> Report:
    """Report someone else's message in one of your conversations to the moderators."""
    if reporter.pk == message.sender_id:
        raise Refused("You cannot report your own message.")
    return _report(reporter, message, reason, note, message.sender, message.body)


def _report(reporter, target, reason, note, reported_user, excerpt) -> Report:
    return report_file(
        reporter=reporter,
        target=target,
        reason=reason,
        note=note,
        reported_user=reported_user,
        excerpt=excerpt,
    )

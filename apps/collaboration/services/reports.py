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
    return report_file(reporter=reporter, target=invitation, reason=reason, note=note,
                       reported_user=invitation.sender, excerpt=invitation.note)  # fmt: skip


def message_report(*, reporter, message: Message, reason: str, note: str = "") -> Report:
    """Report someone else's message in one of your conversations to the moderators."""
    if reporter.pk == message.sender_id:
        raise Refused("You cannot report your own message.")
    return report_file(reporter=reporter, target=message, reason=reason, note=note,
                       reported_user=message.sender, excerpt=message.body)  # fmt: skip

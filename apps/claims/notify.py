"""The notifications claims send: registered kinds and the message for each state change.
Every function here is called inside the service's transaction; the email goes after commit."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.moderators import moderators
from apps.notifications.kinds import register_kind
from apps.notifications.services import notification_send, notifications_send

from .models import Claim, Dispute, MergeRequest

CLAIM = "claims.claim"
DISPUTE = "claims.dispute"
MERGE = "claims.merge"
# Sent by the L3 workflow (services/verification.py); the name is older than the move and is
# kept, since people's email preferences are stored under it.
VERIFICATION = "trust.verification"


def register_kinds() -> None:
    register_kind(CLAIM, "Changes to my claims", email=True)
    register_kind(DISPUTE, "Disputes about a record I claimed or claim", email=True)
    register_kind(MERGE, "My merge requests", email=True)
    register_kind(VERIFICATION, "Identity verification (L3) requests", email=True)


# What each decided thing tells: its kind, its page, whom it concerns.
_TOLD = {
    Claim: (CLAIM, "claims:claim", lambda claim: [claim.user]),
    Dispute: (DISPUTE, "claims:dispute", lambda d: [d.claim.user, d.held_claim.user]),
    MergeRequest: (MERGE, "claims:merge", lambda merge: [merge.requested_by]),
}


def changed(obj: Claim | Dispute | MergeRequest, title: str, body: str = "") -> None:
    """Tell the people `obj` concerns (a claim's claimant, both sides of a dispute, who asked
    for a merge) that it changed, with a link to its page."""
    kind, url_name, people = _TOLD[type(obj)]
    url = reverse(url_name, args=[obj.pk])
    for user in people(obj):
        notification_send(recipient=user, kind=kind, title=title, body=body, url=url)


def moderators_told(kind: str, title: str, url: str, exclude=()) -> None:
    recipients = [m for m in moderators() if m.pk not in {u.pk for u in exclude if u}]
    notifications_send(recipients, kind=kind, title=title, url=url)


def waiting(obj: Claim | Dispute | MergeRequest, title: str, body: str, *, queue_title: str,
            exclude=()) -> None:  # fmt: skip
    """`obj` now waits for a moderator: tell the people it concerns (`title`, `body`) and the
    moderators (`queue_title`), except those it involves."""
    changed(obj, title, body)
    kind, url_name, _ = _TOLD[type(obj)]
    moderators_told(kind, queue_title, reverse(url_name, args=[obj.pk]), exclude=exclude)

"""The notifications claims send: registered kinds and the message for each state change.
Every function here is called inside the service's transaction; the email goes after commit."""

from __future__ import annotations

from django.urls import reverse

from apps.accounts.moderators import moderators
from apps.notifications.kinds import register_kind
from apps.notifications.services import notification_send, notifications_send

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


def claim_changed(claim, title: str, body: str = "") -> None:
    url = reverse("claims:claim", args=[claim.pk])
    notification_send(recipient=claim.user, kind=CLAIM, title=title, body=body, url=url)


def moderators_told(kind: str, title: str, url: str, exclude=()) -> None:
    recipients = [m for m in moderators() if m.pk not in {u.pk for u in exclude if u}]
    notifications_send(recipients, kind=kind, title=title, url=url)


def dispute_changed(dispute, title: str, body: str = "") -> None:
    url = reverse("claims:dispute", args=[dispute.pk])
    for user in (dispute.claim.user, dispute.held_claim.user):
        notification_send(recipient=user, kind=DISPUTE, title=title, body=body, url=url)


def merge_changed(merge, title: str, body: str = "") -> None:
    url = reverse("claims:merge", args=[merge.pk])
    notification_send(recipient=merge.requested_by, kind=MERGE, title=title, body=body, url=url)

"""Demo collaboration: Ada and Tomás (both hold their records) talk in an accepted
conversation, and Wei Zhang's invitation to Ada waits for her answer. Idempotent: each part
is made only when the pair has no conversation or invitation yet, through the services."""

from __future__ import annotations

from apps.claims.models import Claim
from apps.collaboration import services
from apps.collaboration.models import Conversation, Invitation

from .context import DemoContext

ADA, TOMAS, WEI = (
    "ada.lindqvist@demo.peerage.test",
    "tomas.okafor@demo.peerage.test",
    "wei.zhang@demo.peerage.test",
)
MESSAGES = [
    (ADA, "Thanks for accepting! Shall we start with the **related work** section?"),
    (TOMAS, "Yes. I drafted an outline:\n\n- baselines\n- datasets\n- open questions"),
    (ADA, "Looks good. I'll take *datasets*."),
]


def _holding(email: str):
    """(user, their claimed record) or None when the demo has no such holder."""
    claim = Claim.objects.approved().filter(user__email=email).select_related("user", "author")
    found = claim.first()
    return (found.user, found.author) if found else None


def _invite(sender, author, note: str) -> Invitation | None:
    if not services.invite_check(sender, author).allowed:
        return None
    return services.invitation_create(sender=sender, author=author, purpose="text", note=note)


def seed_collaboration(ctx: DemoContext) -> None:
    ada, tomas, wei = _holding(ADA), _holding(TOMAS), _holding(WEI)
    if ada and tomas and not Conversation.objects.filter(invitation__sender=ada[0]).exists():
        invitation = _invite(ada[0], tomas[1], "A joint survey of our two lines of work?")
        if invitation:
            conversation = services.invitation_accept(invitation=invitation, actor=tomas[0])
            users = {ADA: ada[0], TOMAS: tomas[0]}
            for email, body in MESSAGES:
                services.message_post(conversation=conversation, sender=users[email], body=body)
            ctx.created("conversations")
    if (
        ada
        and wei
        and not Invitation.objects.between(ada[0], wei[0]).exists()
        and _invite(wei[0], ada[1], "Your cs.DC results would fit our benchmark; interested?")
    ):
        ctx.created("invitations")

"""Demo collaboration: Ada and Tomás (both hold their records) talk in an accepted
conversation, and Wei Zhang's invitation to Ada waits for her answer. Idempotent: each part
is made only when the pair has no conversation or invitation yet, through the services."""

from __future__ import annotations

from apps.collaboration import services as collaboration
from apps.collaboration.models import Conversation, Invitation

from .accounts import ADA, TOMAS, WEI
from .claims import held
from .context import DemoContext

MESSAGES = [
    (ADA, "Thanks for accepting! Shall we start with the **related work** section?"),
    (TOMAS, "Yes. I drafted an outline:\n\n- baselines\n- datasets\n- open questions"),
    (ADA, "Looks good. I'll take *datasets*."),
]


def _invite(sender, author, note: str) -> Invitation | None:
    if not collaboration.invite_check(sender, author).allowed:
        return None
    return collaboration.invitation_create(sender=sender, author=author, purpose="text", note=note)


def seed_collaboration(ctx: DemoContext) -> None:
    ada, tomas, wei = held(ADA), held(TOMAS), held(WEI[0])
    if ada and tomas and not Conversation.objects.filter(invitation__sender=ada.user).exists():
        invitation = _invite(ada.user, tomas.author, "A joint survey of our two lines of work?")
        if invitation:
            conversation = collaboration.invitation_accept(invitation=invitation, actor=tomas.user)
            users = {ADA: ada.user, TOMAS: tomas.user}
            for email, body in MESSAGES:
                collaboration.message_post(
                    conversation=conversation, sender=users[email], body=body
                )
            ctx.created("conversations")
    if (
        ada
        and wei
        and not Invitation.objects.between(ada.user, wei.user).exists()
        and _invite(wei.user, ada.author, "Your cs.DC results would fit our benchmark; interested?")
    ):
        ctx.created("invitations")

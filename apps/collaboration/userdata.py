"""The collaboration app's part of a data export: invitations either way, the messages the
user wrote, their blocks and preferences."""

from __future__ import annotations

from django.db.models import Q

from apps.accounts.lifecycle import user_data

from .models import Block, Invitation, Message, Preference


@user_data("collaboration")
def collaboration_data(user) -> dict:
    mine = Q(sender=user) | Q(recipient=user)
    return {
        "invitations": list(Invitation.objects.filter(mine).values()),
        "messages_sent": list(Message.objects.filter(sender=user).values()),
        "blocks": list(Block.objects.filter(blocker=user).values()),
        "preferences": list(Preference.objects.filter(user=user).values()),
    }

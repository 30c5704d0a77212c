"""Access helpers: what a user may see here, else 404 (never 403, so ids do not leak)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Conversation, Invitation, Message


def get_invitation_for_user(user, pk: int) -> Invitation:
    """Its sender and its recipient see an invitation; anyone else gets a 404."""
    qs = Invitation.objects.visible_to(user).select_related(
        "sender", "recipient", "sender_author", "recipient_author", "topic", "work"
    )
    return get_object_or_404(qs, pk=pk)


def get_conversation_for_user(user, pk: int) -> Conversation:
    """Its two participants see a conversation; anyone else gets a 404."""
    qs = Conversation.objects.visible_to(user).select_related("user_low", "user_high")
    return get_object_or_404(qs, pk=pk)


def get_message_for_user(user, pk: int) -> Message:
    qs = Message.objects.visible_to(user).select_related("sender", "conversation")
    return get_object_or_404(qs, pk=pk)

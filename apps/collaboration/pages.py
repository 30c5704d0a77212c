"""Reads for the inbox and the conversation page: each a fixed number of queries however
many invitations, conversations or messages there are."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from apps.accounts.identity import public_identities
from apps.core.keyset import Key, paginate

from .models import Conversation, Invitation, Message, Participant

INBOX_SIZE = 50
MESSAGES_PAGE = 50
MESSAGE_KEYS = [Key("created_at"), Key("id")]
_INVITATION_RELATED = ("sender", "recipient", "sender_author", "recipient_author", "topic", "work")


def received_invitations(user):
    return (
        Invitation.objects.pending()
        .filter(recipient=user)
        .select_related(*_INVITATION_RELATED)
        .order_by("-created_at", "-id")
    )


def sent_invitations(user):
    return (
        Invitation.objects.filter(sender=user)
        .select_related(*_INVITATION_RELATED)
        .order_by("-created_at", "-id")
    )


def conversations_of(user):
    """The user's conversations, latest activity first, each with `unread` (messages from
    the other side since the user last read) and `other` (the other participant)."""
    unread = (
        Message.objects.filter(
            conversation=OuterRef("conversation"), created_at__gt=OuterRef("last_read_at")
        )
        .filter(shadowed=False)
        .exclude(sender=user)
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    seats = (
        Participant.objects.filter(user=user)
        .select_related("conversation__user_low", "conversation__user_high")
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .order_by("-conversation__last_message_at", "-conversation_id")
    )
    return seats


def inbox(user) -> dict:
    """Invitations received (open) and sent (latest), conversations and unread counts, and
    how everyone on them appears: four queries."""
    seats = list(conversations_of(user)[:INBOX_SIZE])
    for seat in seats:
        seat.other = seat.conversation.other(user)
    received = list(received_invitations(user)[:INBOX_SIZE])
    sent = list(sent_invitations(user)[:INBOX_SIZE])
    people = [seat.other for seat in seats]
    people += [person for inv in received + sent for person in (inv.sender, inv.recipient)]
    public_identities(people)
    return {
        "received": received,
        "sent": sent,
        "seats": seats,
        "unread_total": sum(seat.unread for seat in seats),
    }


def thread(conversation: Conversation, user, cursor: str | None):
    """A page of the conversation's messages the user may see, newest page first, returned
    oldest-first for reading."""
    qs = Message.objects.visible_to(user).filter(conversation=conversation).select_related("sender")
    page = paginate(qs, MESSAGE_KEYS, cursor, MESSAGES_PAGE)
    page.items = list(reversed(page.items))
    people = [conversation.user_low, conversation.user_high]
    public_identities(people + [m.sender for m in page.items])
    return page

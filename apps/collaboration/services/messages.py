"""Messages in a conversation, and its read state."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.identity import public_identity
from apps.core.errors import NotAllowed, RateLimited, Refused
from apps.notifications.services import notification_send

from ..models import MESSAGE_MAX, Conversation, Message, Participant
from ..render import markdown_to_safe_html
from .blocks import blockers_between


def _rate_limited(user) -> int:
    """0 while `user` is within the per-minute limit, else the seconds until the next
    minute starts."""
    limit, now = settings.COLLABORATION_MESSAGES_PER_MINUTE, timezone.now().timestamp()
    key = f"collaboration:messages:{user.pk}:{int(now // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        over = cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=120)
        over = False
    return 60 - int(now % 60) if over else 0


@transaction.atomic
def message_post(*, conversation: Conversation, sender, body: str) -> Message:
    """Post a message. When the other side has blocked the sender, the message is kept but
    shadowed (the sender sees it, the blocker never does), so the block is not revealed.
    The recipient gets at most one notification per conversation per hour."""
    if sender.pk not in (conversation.user_low_id, conversation.user_high_id):
        raise NotAllowed("You are not part of this conversation.")
    body = body.strip()
    if not body:
        raise Refused("Write something first.", field="body")
    if len(body) > MESSAGE_MAX:
        raise Refused(f"Keep a message under {MESSAGE_MAX} characters.", field="body")
    other = conversation.other(sender)
    blocks = blockers_between(sender, other)
    if sender.pk in blocks:
        raise Refused("You blocked this person; unblock them to write.")
    if wait := _rate_limited(sender):
        raise RateLimited(
            "You are sending messages too quickly; wait a minute.", field="body", retry_after=wait
        )
    now = timezone.now()
    shadowed = other.pk in blocks
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        body=body,
        body_html=markdown_to_safe_html(body),
        shadowed=shadowed,
        created_at=now,
    )
    Participant.objects.filter(conversation=conversation, user=sender).update(last_read_at=now)
    if not shadowed:
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        notification_send(
            recipient=other,
            kind="collaboration.message",
            title=f"New messages from {public_identity(sender)}",
            body="Open the conversation to read them.",
            url=reverse("collaboration:conversation", args=[conversation.pk]),
            dedupe_key=f"collaboration.message:{conversation.pk}:{other.pk}:{now:%Y%m%d%H}",
        )
    return message


def conversation_mark_read(*, conversation: Conversation, user) -> None:
    """Everything in the conversation so far counts as read by `user`."""
    seat = Participant.objects.filter(conversation=conversation, user=user)
    seat.update(last_read_at=timezone.now())

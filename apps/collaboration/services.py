"""Every write of the collaboration app: invite, answer, expire, message, read, block,
preferences and reports. HTML views and the API call the same functions; a refusal raises
one of apps.core.errors (a form error or a message on the page, or its status in the API)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.claims.models import Claim
from apps.core.errors import Conflict, NotAllowed, RateLimited, Refused
from apps.moderation.services import report_file
from apps.notifications.services import notification_send
from apps.records.models import Author, Authorship, Topic, VerificationLevel, Work
from apps.trust.services import trust_tier_of

from .fit import coauthor_distance, fit_between
from .models import (
    DECLINE_REASON_MAX,
    MESSAGE_MAX,
    PURPOSE_MAX,
    Block,
    Conversation,
    Invitation,
    Message,
    Participant,
    Preference,
)
from .render import markdown_to_safe_html

# Invitations a sender may send in any 24 hours, by the trust tier of their record.
DAILY_QUOTA = {"New": 3, "Emerging": 5, "Established": 10, "Trusted": 20, "Highly trusted": 30}
COOLING_DAYS = 90  # after a decline, no new invitation from the same sender to that person
EXPIRY_DAYS_DEFAULT, EXPIRY_DAYS_MAX = 14, 30
NETWORK_HOPS = 2


@dataclass(frozen=True)
class Eligibility:
    """Whether `sender` may invite the holder of a record now, and if not, why (worded for
    the sender: a block reads like the recipient accepting nobody)."""

    allowed: bool
    reason: str = ""
    recipient: User | None = None
    sender_author: Author | None = None
    conversation_id: int | None = None


def preference_of(user) -> str:
    found = Preference.objects.filter(user=user).values_list("accept_from", flat=True)
    return next(iter(found), Preference.AcceptFrom.ANYONE)


def daily_quota(author: Author) -> int:
    return DAILY_QUOTA.get(trust_tier_of(author.pk), DAILY_QUOTA["New"])


def sent_today(sender) -> int:
    since = timezone.now() - datetime.timedelta(days=1)
    return Invitation.objects.filter(sender=sender, created_at__gte=since).count()


def invite_check(sender, author: Author, holder: Claim | None = None) -> Eligibility:
    """Can `sender` invite the holder of `author`? `holder` is the record's approved claim
    when the caller already read it (the author page has). A few bounded queries."""
    if not sender.is_authenticated:
        return Eligibility(False, "Sign in to invite researchers to collaborate.")
    if holder is None:
        holder = Claim.objects.holder_of(author)
    if holder is None:
        return Eligibility(
            False, "This record is not claimed yet, so its author cannot be invited."
        )
    recipient = holder.user
    if recipient.pk == sender.pk:
        return Eligibility(False, "This is your record.", recipient)
    held = Claim.objects.held_by(sender)
    if held is None:
        return Eligibility(
            False, "Claim this author entity first to unlock direct invitations.", recipient
        )
    mine = held.author
    refusal = _refusal(sender, mine, recipient, author)
    if refusal:
        return refusal
    return Eligibility(True, "", recipient, mine)


def _refusal(sender, mine: Author, recipient, author: Author) -> Eligibility | None:
    name = recipient.display_name or "This researcher"
    no = lambda reason, **kw: Eligibility(False, reason, recipient, mine, **kw)  # noqa: E731
    if mine.verification_level < VerificationLevel.L2:
        return no("Verify your claimed record (L2 or above) to invite researchers.")
    blocks = set(
        Block.objects.filter(
            Q(blocker=sender, blocked=recipient) | Q(blocker=recipient, blocked=sender)
        ).values_list("blocker_id", flat=True)
    )
    if sender.pk in blocks:
        return no(f"You blocked {name}. Unblock them to invite.")
    accept = preference_of(recipient)
    if recipient.pk in blocks or accept == Preference.AcceptFrom.NOBODY:
        return no(f"{name} is not accepting invitations at the moment.")
    if accept == Preference.AcceptFrom.VERIFIED and mine.verification_level < VerificationLevel.L3:
        return no(f"{name} accepts invitations from verified researchers only.")
    if accept == Preference.AcceptFrom.NETWORK and (
        coauthor_distance(mine.pk, author.pk, NETWORK_HOPS) is None
    ):
        return no(f"{name} accepts invitations only from researchers within two co-author hops.")
    return _pair_refusal(sender, mine, recipient, name, no)


def _pair_refusal(sender, mine: Author, recipient, name: str, no) -> Eligibility | None:
    low, high = sorted([sender.pk, recipient.pk])
    conversation = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if conversation:
        return no(f"You already have a conversation with {name}.", conversation_id=conversation.pk)
    now = timezone.now()
    if Invitation.objects.pending().between(sender, recipient).filter(expires_at__gt=now).exists():
        return no(f"An invitation between you and {name} is already open.")
    cooling = now - datetime.timedelta(days=COOLING_DAYS)
    declined = (
        Invitation.objects.filter(
            sender=sender, recipient=recipient, status=Invitation.Status.DECLINED
        )
        .filter(decided_at__gte=cooling)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    if declined:
        again = (declined + datetime.timedelta(days=COOLING_DAYS)).date()
        return no(f"{name} declined your last invitation; you can invite again from {again}.")
    quota = daily_quota(mine)
    if sent_today(sender) >= quota:
        return no(f"You have sent your {quota} invitations for today; try again tomorrow.")
    return None


def _purpose(purpose, topic, work, note, mine: Author, author: Author) -> None:
    if purpose not in Invitation.Purpose.values:
        raise Refused("Choose a purpose.", field="purpose")
    if len(note) > PURPOSE_MAX:
        raise Refused(f"Keep the note under {PURPOSE_MAX} characters.", field="note")
    if purpose == Invitation.Purpose.TOPIC and topic is None:
        raise Refused("Choose a topic.", field="topic")
    if purpose == Invitation.Purpose.TEXT and not note.strip():
        raise Refused("Say what you would like to work on together.", field="note")
    if purpose == Invitation.Purpose.WORK:
        ours = Authorship.objects.visible().filter(work=work, author__in=[mine, author])
        if work is None or not ours.exists():
            raise Refused("Choose one of your works or theirs.", field="work")


@transaction.atomic
def invitation_create(
    *,
    sender,
    author: Author,
    purpose: str,
    topic: Topic | None = None,
    work: Work | None = None,
    note: str = "",
    expires_in_days: int = EXPIRY_DAYS_DEFAULT,
) -> Invitation:
    """Invite the holder of `author`. Checked again under a lock on the sender's row, so two
    requests cannot both take the last unit of quota; the partial unique constraint decides
    a race between the two people inviting each other."""
    User.objects.select_for_update().filter(pk=sender.pk).first()
    if not 1 <= expires_in_days <= EXPIRY_DAYS_MAX:
        raise Refused(f"Expiry is 1 to {EXPIRY_DAYS_MAX} days.", field="expires_in_days")
    holder = Claim.objects.holder_of(author)
    if holder:
        _expire(Invitation.objects.due_to_expire().between(sender, holder.user))
    check = invite_check(sender, author, holder)
    if not check.allowed:
        raise Refused(check.reason)
    note = note.strip()
    _purpose(purpose, topic, work, note, check.sender_author, author)
    now = timezone.now()
    invitation = Invitation(
        sender=sender,
        recipient=check.recipient,
        sender_author=check.sender_author,
        recipient_author=author,
        purpose=purpose,
        topic=topic if purpose == Invitation.Purpose.TOPIC else None,
        work=work if purpose == Invitation.Purpose.WORK else None,
        note=note,
        fit=fit_between(check.sender_author, author).as_dict(),
        created_at=now,
        expires_at=now + datetime.timedelta(days=expires_in_days),
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise Conflict("An invitation between you two is already open.") from None
    _audit(sender, "invitation.create", invitation, after={"to": check.recipient.pk})
    notification_send(
        recipient=check.recipient,
        kind="collaboration.invitation",
        title=f"{sender} invites you to collaborate",
        body=f"{invitation.purpose_label}\n\n{note}".strip(),
        url=reverse("collaboration:invitation", args=[invitation.pk]),
        dedupe_key=f"collaboration.invitation:{invitation.pk}",
    )
    return invitation


def _audit(actor, action: str, invitation: Invitation, **extra) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=invitation,
        author_id=invitation.recipient_author_id,
        subject_user=invitation.recipient if actor == invitation.sender else invitation.sender,
        **extra,
    )


def _move(invitation: Invitation, to: str, *, reason: str = "") -> None:
    """Compare-and-set: pending (and not past expiry) → `to`, or refuse."""
    now = timezone.now()
    moved = Invitation.objects.filter(
        pk=invitation.pk, status=Invitation.Status.PENDING, expires_at__gt=now
    ).update(status=to, decided_at=now, decline_reason=reason)
    if moved != 1:
        raise Conflict("This invitation is no longer open.")
    invitation.status, invitation.decided_at, invitation.decline_reason = to, now, reason


@transaction.atomic
def invitation_accept(*, invitation: Invitation, actor) -> Conversation:
    """The recipient accepts: a conversation opens between the two."""
    if actor.pk != invitation.recipient_id:
        raise NotAllowed("Only the person invited can accept.")
    _move(invitation, Invitation.Status.ACCEPTED)
    low, high = sorted([invitation.sender_id, invitation.recipient_id])
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                invitation=invitation, user_low_id=low, user_high_id=high
            )
    except IntegrityError:
        raise Conflict("You already have a conversation with them.") from None
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user_id=pk) for pk in (low, high)]
    )
    _audit(actor, "invitation.accept", invitation, after={"conversation": conversation.pk})
    notification_send(
        recipient=invitation.sender,
        kind="collaboration.answer",
        title=f"{actor} accepted your invitation",
        url=reverse("collaboration:conversation", args=[conversation.pk]),
        dedupe_key=f"collaboration.answer:{invitation.pk}",
    )
    return conversation


@transaction.atomic
def invitation_decline(*, invitation: Invitation, actor, reason: str = "") -> Invitation:
    """The recipient declines, optionally saying why; the sender may not invite them again
    for COOLING_DAYS."""
    if actor.pk != invitation.recipient_id:
        raise NotAllowed("Only the person invited can decline.")
    reason = reason.strip()
    if len(reason) > DECLINE_REASON_MAX:
        raise Refused(f"Keep the reason under {DECLINE_REASON_MAX} characters.", field="reason")
    _move(invitation, Invitation.Status.DECLINED, reason=reason)
    _audit(actor, "invitation.decline", invitation, reason=reason)
    notification_send(
        recipient=invitation.sender,
        kind="collaboration.answer",
        title=f"{actor} declined your invitation",
        body=reason,
        url=reverse("collaboration:invitation", args=[invitation.pk]),
        dedupe_key=f"collaboration.answer:{invitation.pk}",
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, actor) -> Invitation:
    if actor.pk != invitation.sender_id:
        raise NotAllowed("Only the sender can withdraw an invitation.")
    _move(invitation, Invitation.Status.WITHDRAWN)
    _audit(actor, "invitation.withdraw", invitation)
    return invitation


def _expire(invitations) -> int:
    """Mark each due invitation expired by compare-and-set (a concurrent answer wins)."""
    expired = 0
    for invitation in invitations.select_related("sender", "recipient")[:1000]:
        moved = Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING)
        if moved.update(status=Invitation.Status.EXPIRED, decided_at=timezone.now()):
            _audit(None, "invitation.expire", invitation)
            expired += 1
    return expired


@transaction.atomic
def invitations_expire() -> int:
    """The beat task's body: expire invitations past their date; idempotent."""
    return _expire(Invitation.objects.due_to_expire())


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
    blocks = set(
        Block.objects.filter(
            Q(blocker=sender, blocked=other) | Q(blocker=other, blocked=sender)
        ).values_list("blocker_id", flat=True)
    )
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
            title=f"New messages from {sender}",
            body="Open the conversation to read them.",
            url=reverse("collaboration:conversation", args=[conversation.pk]),
            dedupe_key=f"collaboration.message:{conversation.pk}:{other.pk}:{now:%Y%m%d%H}",
        )
    return message


def conversation_mark_read(*, conversation: Conversation, user) -> None:
    """Everything in the conversation so far counts as read by `user`."""
    seat = Participant.objects.filter(conversation=conversation, user=user)
    seat.update(last_read_at=timezone.now())


@transaction.atomic
def block_create(*, blocker, blocked) -> Block:
    """Block `blocked`: no invitations or messages from them reach `blocker` any more. Their
    open invitations to `blocker` quietly expire (what they would see if ignored)."""
    if blocker.pk == blocked.pk:
        raise Refused("You cannot block yourself.")
    block, made = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if made:
        Invitation.objects.pending().filter(sender=blocked, recipient=blocker).update(
            status=Invitation.Status.EXPIRED, decided_at=timezone.now()
        )
        audit_record(actor=blocker, action="block.create", target=block, subject_user=blocker)
    return block


@transaction.atomic
def block_delete(*, blocker, blocked) -> bool:
    block = Block.objects.filter(blocker=blocker, blocked=blocked).first()
    if block is None:
        return False
    audit_record(actor=blocker, action="block.delete", target=block, subject_user=blocker)
    block.delete()
    return True


@transaction.atomic
def preference_set(*, user, accept_from: str) -> Preference:
    if accept_from not in Preference.AcceptFrom.values:
        raise Refused("Choose one of the listed options.", field="accept_from")
    before = preference_of(user)
    pref, _ = Preference.objects.update_or_create(user=user, defaults={"accept_from": accept_from})
    audit_record(
        actor=user,
        action="collaboration.preference",
        target=pref,
        before={"accept_from": before},
        after={"accept_from": accept_from},
        subject_user=user,
    )
    return pref


def invitation_report(*, reporter, invitation: Invitation, reason: str, note: str = ""):
    """Report an invitation (its note) to the moderators; only its recipient can."""
    if reporter.pk != invitation.recipient_id:
        raise NotAllowed("Only the person invited can report an invitation.")
    return _report(reporter, invitation, reason, note, invitation.sender, invitation.note)


def message_report(*, reporter, message: Message, reason: str, note: str = ""):
    """Report someone else's message in one of your conversations to the moderators."""
    if reporter.pk == message.sender_id:
        raise Refused("You cannot report your own message.")
    return _report(reporter, message, reason, note, message.sender, message.body)


def _report(reporter, target, reason, note, reported_user, excerpt):
    return report_file(
        reporter=reporter,
        target=target,
        reason=reason,
        note=note,
        reported_user=reported_user,
        excerpt=excerpt,
    )

"""Invitations: sent (checked by eligibility.invite_check), accepted (a conversation opens),
declined, withdrawn or expired, each by compare-and-set."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.identity import public_identity
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.claims.models import Claim
from apps.core.errors import Conflict, NotAllowed, RateLimited, Refused
from apps.core.reasons import reason_clean
from apps.notifications.services import notification_send
from apps.records.models import Author, Authorship, Topic, Work

from ..fit import fit_between
from ..models import DECLINE_REASON_MAX, PURPOSE_MAX, Conversation, Invitation, Participant
from .eligibility import invite_check

EXPIRY_DAYS_DEFAULT, EXPIRY_DAYS_MAX = 14, 30


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
    a race between the two people inviting each other. The lock is NO KEY UPDATE: the
    invitation's foreign key to the recipient takes KEY SHARE on their row at commit, which
    a plain FOR UPDATE held by their own invitation would block (a deadlock)."""
    User.objects.select_for_update(no_key=True).filter(pk=sender.pk).first()
    if not 1 <= expires_in_days <= EXPIRY_DAYS_MAX:
        raise Refused(f"Expiry is 1 to {EXPIRY_DAYS_MAX} days.", field="expires_in_days")
    holder = Claim.objects.holder_of(author)
    if holder:
        _expire(Invitation.objects.due_to_expire().between(sender, holder.user))
    check = invite_check(sender, author, holder)
    if check.retry_after:
        raise RateLimited(check.reason, retry_after=check.retry_after)
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
        title=f"{public_identity(sender)} invites you to collaborate",
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
        title=f"{public_identity(actor)} accepted your invitation",
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
    reason = reason_clean(reason, required=False, limit=DECLINE_REASON_MAX)
    _move(invitation, Invitation.Status.DECLINED, reason=reason)
    _audit(actor, "invitation.decline", invitation, reason=reason)
    notification_send(
        recipient=invitation.sender,
        kind="collaboration.answer",
        title=f"{public_identity(actor)} declined your invitation",
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

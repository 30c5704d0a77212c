"""Whether a researcher may invite the holder of a record now, and if not, why: claimed
records on both sides, L2 or above, no block, the recipient's preference, no open invitation
or conversation, no decline in the last COOLING_DAYS, the daily quota by trust tier."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts.models import User
from apps.claims.models import Claim
from apps.records.graph import coauthor_distance
from apps.records.models import Author, VerificationLevel
from apps.trust.services import trust_tier_of

from ..models import Conversation, Invitation, Preference
from .blocks import blockers_between
from .preferences import preference_of

# Invitations a sender may send in any 24 hours, by the trust tier of their record.
DAILY_QUOTA = {"New": 3, "Emerging": 5, "Established": 10, "Trusted": 20, "Highly trusted": 30}
COOLING_DAYS = 90  # after a decline, no new invitation from the same sender to that person
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
    retry_after: int | None = None  # seconds, when the refusal is the daily quota


def daily_quota(author: Author) -> int:
    return DAILY_QUOTA.get(trust_tier_of(author.pk), DAILY_QUOTA["New"])


def sent_today(sender) -> int:
    since = timezone.now() - datetime.timedelta(days=1)
    return Invitation.objects.filter(sender=sender, created_at__gte=since).count()


def _quota_frees_in(sender) -> int:
    """Seconds until the oldest invitation of the last 24 hours leaves the window."""
    now = timezone.now()
    since = now - datetime.timedelta(days=1)
    recent = Invitation.objects.filter(sender=sender, created_at__gte=since)
    oldest = recent.order_by("created_at").values_list("created_at", flat=True).first() or since
    return int((oldest - since).total_seconds()) + 1


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
            False,
            "Claim your own record first: then you can invite the people who hold theirs.",
            recipient,
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
    blocks = blockers_between(sender, recipient)
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
        return no(
            f"You have sent your {quota} invitations for today; try again tomorrow.",
            retry_after=_quota_frees_in(sender),
        )
    return None

"""Whether a researcher may invite the holder of a record now, and if not, why: claimed
records on both sides, L2 or above, no block, the recipient's preference, no open invitation
or conversation, no decline in the last COOLING_DAYS, the daily quota by trust tier."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import User
from apps.claims.models import Claim
from apps.follows.models import Follow
from apps.records.graph import coauthor_distance
from apps.records.models import Author, VerificationLevel
from apps.trust.models import TrustRecord
from apps.trust.score import tier_for
from apps.trust.services import trust_tier_of

from ..models import Block, Conversation, Invitation, Preference

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


def _quota_frees_in(sender) -> int:
    """Seconds until the oldest invitation of the last 24 hours leaves the window."""
    now = timezone.now()
    since = now - datetime.timedelta(days=1)
    recent = Invitation.objects.filter(sender=sender, created_at__gte=since)
    oldest = recent.order_by("created_at").values_list("created_at", flat=True).first() or since
    return int((oldest - since).total_seconds()) + 1


_UNREAD = object()


def invite_check(
    sender, author: Author, holder: Claim | None = None, *, held=_UNREAD
) -> Eligibility:
    """Can `sender` invite the holder of `author`? `holder` is the record's approved claim and
    `held` the sender's own (None: they hold nothing) when the caller already read them (the
    author page has). A few bounded queries."""
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
    if held is _UNREAD:
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
    name = author.display_name  # how the recipient appears: the record they hold
    no = lambda reason, **kw: Eligibility(False, reason, recipient, mine, **kw)  # noqa: E731
    if mine.verification_level < VerificationLevel.L2:
        return no("Verify your claimed record (L2 or above) to invite researchers.")
    now = timezone.now()
    facts = _pair_facts(sender, recipient, mine, now)
    if facts["sender_blocked"]:
        return no(f"You blocked {name}. Unblock them to invite.")
    accept = facts["accept"]
    if facts["recipient_blocked"] or accept == Preference.AcceptFrom.NOBODY:
        return no(f"{name} is not accepting invitations at the moment.")
    if accept == Preference.AcceptFrom.VERIFIED and mine.verification_level < VerificationLevel.L3:
        return no(f"{name} accepts invitations from verified researchers only.")
    if accept == Preference.AcceptFrom.NETWORK and (
        coauthor_distance(mine.pk, author.pk, NETWORK_HOPS) is None
    ):
        return no(f"{name} accepts invitations only from researchers within two co-author hops.")
    if accept == Preference.AcceptFrom.FOLLOWED and not (
        Follow.objects.filter(follower=recipient, author=mine).exists()
    ):
        return no(f"{name} accepts invitations only from researchers they follow.")
    return _pair_refusal(sender, facts, name, no)


def _pair_refusal(sender, facts: dict, name: str, no) -> Eligibility | None:
    if facts["conversation_id"]:
        conversation_id = facts["conversation_id"]
        return no(f"You already have a conversation with {name}.", conversation_id=conversation_id)
    if facts["open_invitation"]:
        return no(f"An invitation between you and {name} is already open.")
    if facts["declined_at"]:
        again = (facts["declined_at"] + datetime.timedelta(days=COOLING_DAYS)).date()
        return no(f"{name} declined your last invitation; you can invite again from {again}.")
    quota = DAILY_QUOTA.get(tier_for(facts["score"]), DAILY_QUOTA["New"])
    if facts["sent_today"] >= quota:
        return no(
            f"You have sent your {quota} invitations for today; try again tomorrow.",
            retry_after=_quota_frees_in(sender),
        )
    return None


def _pair_facts(sender, recipient, mine: Author, now: datetime.datetime) -> dict:
    """What the refusals read about the pair, in one query: the author page asks this for
    every signed-in reader of another researcher's record."""
    low, high = sorted([sender.pk, recipient.pk])
    cooling = now - datetime.timedelta(days=COOLING_DAYS)
    declines = Invitation.objects.filter(
        sender=sender, recipient=recipient, status=Invitation.Status.DECLINED
    ).filter(decided_at__gte=cooling)
    sent = (
        Invitation.objects.filter(sender=sender, created_at__gte=now - datetime.timedelta(days=1))
        .order_by()
        .values("sender")
        .annotate(n=Count("pk"))
        .values("n")
    )
    preference = Preference.objects.filter(user=recipient).values("accept_from")[:1]
    pending = Invitation.objects.pending().between(sender, recipient).filter(expires_at__gt=now)
    conversation = Conversation.objects.filter(user_low_id=low, user_high_id=high)
    return (
        User.objects.filter(pk=recipient.pk)
        .values(
            sender_blocked=Exists(Block.objects.filter(blocker=sender, blocked=recipient)),
            recipient_blocked=Exists(Block.objects.filter(blocker=recipient, blocked=sender)),
            accept=Coalesce(Subquery(preference), Value(Preference.AcceptFrom.ANYONE)),
            conversation_id=Subquery(conversation.values("pk")[:1]),
            open_invitation=Exists(pending),
            declined_at=Subquery(declines.order_by("-decided_at").values("decided_at")[:1]),
            score=Coalesce(
                Subquery(TrustRecord.objects.filter(author_id=mine.pk).values("score")[:1]), 0
            ),
            sent_today=Coalesce(Subquery(sent, output_field=IntegerField()), 0),
        )
        .get()
    )

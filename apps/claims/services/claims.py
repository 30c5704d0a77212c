"""Claims: opening one (by ORCID iD or with evidence), the claimant's own moves (withdraw,
release) and the moderators' (decide, revoke, reinstate)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.moderators import moderator_decision
from apps.core.errors import Conflict, NotAllowed, RateLimited, Refused
from apps.ingest.models import Priority
from apps.ingest.services import refresh_priority_set
from apps.records.models import Author, VerificationLevel
from apps.trust.services import verification_level_set

from .. import notify
from ..evidence import evidence_score
from ..models import Claim, Dispute, PinnedWork
from ..orcid import orcid_work_keys, proven_orcid
from ._common import (
    MIN_NOTE_WORDS,
    _approved,
    _claim_audit,
    _lock,
    _move,
    _withdraw,
    clean_links,
    clean_note,
    is_a_sentence,
)
from .disputes import _dispute_open, _dispute_withdraw, _disputes_close_released
from .reads import evidence_inputs


@dataclass(frozen=True)
class Evidence:
    email: str = ""
    links: tuple[str, ...] = ()
    note: str = ""


def _check_daily_limit(user) -> None:
    now, limit = timezone.now(), settings.CLAIMS_PER_USER_PER_DAY
    recent = Claim.objects.filter(user=user, created_at__gte=now - timezone.timedelta(days=1))
    if recent.count() >= limit:
        # The oldest claim of the last 24 hours leaves the window first.
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        wait = int((oldest + timezone.timedelta(days=1) - now).total_seconds()) + 1
        raise RateLimited(
            f"You can make at most {limit} claims a day; try again tomorrow.", retry_after=wait
        )


NO_EVIDENCE = (
    "Give at least one piece of evidence: a link that shows this is you, your institutional "
    f"email, your ORCID iD (link ORCID under Account), or a note of a sentence or more "
    f"({MIN_NOTE_WORDS} words at least)."
)


def _check_evidence(user, evidence: Evidence, *, orcid: str = "") -> Evidence:
    """The evidence as stored, or Refused: a bad item names its field; a claim with none of
    a link, a verified email, a proven ORCID iD or a note of a sentence never reaches the
    queue."""
    links = clean_links(evidence.links)
    note = clean_note(evidence.note)
    email = evidence.email.strip().lower()
    if (
        email
        and not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    ):
        raise Refused(
            "Use one of your verified email addresses (add it under Account first).", field="email"
        )
    if not (links or email or orcid or is_a_sentence(note)):
        raise Refused(NO_EVIDENCE)
    return Evidence(email=email, links=links, note=note)


# --- Opening a claim ------------------------------------------------------------------------


def claim_orcid(*, user, author: Author) -> Claim:
    """Claim a record whose ORCID iD the user proved by OAuth: approved at once (L2), or a
    dispute when someone already holds the record."""
    orcid = proven_orcid(user)
    if not orcid:
        raise Refused("Sign in with ORCID (or link it under Account) to claim by ORCID iD.")
    if author.orcid != orcid:
        raise Refused("This record's ORCID iD is not the one you proved; submit evidence instead.")
    return _claim_open(user, author, kind=Claim.Kind.ORCID, orcid=orcid)


def claim_evidence(
    *, user, author: Author, evidence: Evidence, orcid_keys: frozenset[str] | None = None
) -> Claim:
    """Claim a record with evidence: scored, then queued for moderators (or a dispute when
    the record is held). Fetches the user's ORCID works first, outside the transaction,
    unless the caller did (`orcid_keys`, from `orcid_work_keys`)."""
    if not user.is_authenticated:
        raise NotAllowed("Sign in to claim a record.")
    orcid = proven_orcid(user) or ""
    evidence = _check_evidence(user, evidence, orcid=orcid)
    keys = orcid_work_keys(orcid) if orcid_keys is None else orcid_keys
    score = evidence_score(evidence_inputs(user, author, keys))
    return _claim_open(
        user, author, kind=Claim.Kind.EVIDENCE, orcid=orcid, evidence=evidence, score=score
    )


def _check_may_open(user, author: Author, held: Claim | None) -> None:
    if held and held.user_id == user.pk:
        raise Conflict("You already hold this record.")
    if Claim.objects.held_by(user):
        raise Refused(
            "You already hold a record. Request a merge of this one into yours, "
            "or release yours first."
        )
    if Claim.objects.pending().filter(user=user, author=author).exists():
        raise Conflict("You already have a claim waiting on this record.")
    _check_daily_limit(user)


@transaction.atomic
def _claim_open(user, author, *, kind, orcid, evidence=None, score=None) -> Claim:
    author = _lock(author)
    if author.merged_into_id:
        raise Refused("This record was merged into another; claim that one.")
    held = Claim.objects.holder_of(author)
    _check_may_open(user, author, held)
    now, approve_now = timezone.now(), kind == Claim.Kind.ORCID and held is None
    evidence = evidence or Evidence()
    claim = Claim(
        user=user, author=author, kind=kind, orcid=orcid, email=evidence.email,
        links=list(evidence.links), note=evidence.note, created_at=now,
        score=score.total if score else 0, score_components=score.as_json() if score else [],
        status=Claim.Status.APPROVED if approve_now else Claim.Status.PENDING,
        decided_at=now if approve_now else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise Conflict("This record was claimed a moment ago; reload the page.") from None
    if approve_now:
        _approved(
            claim, actor=user, action="claim.approve_orcid", reason="ORCID iD proven by OAuth"
        )
    else:
        _claim_queued(claim, held)
    return claim


def _claim_queued(claim: Claim, held: Claim | None) -> None:
    """A claim that waits: audited, then a dispute with the holder or a place in the queue."""
    user, author = claim.user, claim.author
    _claim_audit(claim, user, "claim.open", score=claim.score)
    if held:
        _dispute_open(claim, held)
        return
    notify.waiting(
        claim, f"Your claim on {author} is waiting for a moderator",
        f"Evidence score {claim.score}/100. You can withdraw it meanwhile.",
        queue_title=f"New claim on {author}", exclude=[user],
    )  # fmt: skip


# --- The claimant's own moves ---------------------------------------------------------------


@transaction.atomic
def claim_withdraw(*, claim: Claim, actor) -> Claim:
    """The claimant takes back a waiting claim (and any dispute it opened)."""
    _withdraw(
        claim, actor, owner_id=claim.user_id, refused="Only the claimant can withdraw a claim."
    )
    _claim_audit(claim, actor, "claim.withdraw", before={"status": "pending"})
    notify.changed(claim, f"You withdrew your claim on {claim.author}")
    _dispute_withdraw(claim, actor=actor)
    return claim


@transaction.atomic
def claim_release(*, claim: Claim, actor, reason: str = "") -> Claim:
    """The holder lets go of a record: it is unclaimed again, its level falls back to what
    its identifiers say (L1/L0), pins go; "not mine" decisions and splits stay."""
    if actor is not None and actor.pk != claim.user_id:
        raise NotAllowed("Only the holder can release a record.")
    author = _lock(claim.author)
    _move(
        claim, Claim.Status.APPROVED, "Only a claim you hold can be released.",
        status=Claim.Status.RELEASED, decided_at=timezone.now(),
    )  # fmt: skip
    verification_level_set(
        author, author.identifier_level, actor=actor, reason=reason, cause="claim.release"
    )
    PinnedWork.objects.filter(author=author).delete()
    transaction.on_commit(lambda: refresh_priority_set(author.pk, Priority.NORMAL))
    _claim_audit(claim, actor, "claim.release", reason, before={"status": "approved"},
                 level=author.verification_level)  # fmt: skip
    notify.changed(claim, f"You released the record {author}")
    _disputes_close_released(claim, author, actor=actor)
    return claim


# --- Moderators' decisions --------------------------------------------------------------------

# A decision that would give a record two holders, or a claimant two records.
TAKEN = "The record is held, or the claimant holds another record."


@transaction.atomic
def claim_decide(*, claim: Claim, actor, approve: bool, reason: str) -> Claim:
    """A moderator approves (L2, the record is Claimed) or rejects a waiting claim. Not one
    on a record they hold or have a claim of their own waiting on (the claimant's rivals)."""
    held = Claim.objects.holder_of(claim.author)
    waiting = Claim.objects.pending().filter(author=claim.author).values_list("user_id", flat=True)
    involved = [claim.user_id, held and held.user_id, *waiting]
    reason = moderator_decision(
        actor,
        reason,
        involved,
        "You cannot decide a claim that involves you.",
        outcome=("claim", "approve" if approve else "reject"),
    )
    if Dispute.objects.filter(claim=claim, status=Dispute.Status.OPEN).exists():
        raise Conflict("This claim is part of a dispute: decide the dispute.")
    _lock(claim.author)
    status = Claim.Status.APPROVED if approve else Claim.Status.REJECTED
    _move(
        claim, Claim.Status.PENDING, "This claim was already decided.", taken=TAKEN,
        **Claim.decided(status, actor, reason),
    )  # fmt: skip
    if approve:
        _approved(claim, actor=actor, action="claim.approve", reason=reason)
        return claim
    _claim_audit(claim, actor, "claim.reject", reason, before={"status": "pending"})
    notify.changed(claim, f"Your claim on {claim.author} was not approved", reason)
    return claim


# --- Revoking and reinstating (moderators) -------------------------------------------------


@transaction.atomic
def claim_revoke(*, claim: Claim, actor, reason: str) -> Claim:
    """A moderator takes a record away from its holder: the claim is revoked, the level falls
    back to what the identifiers say. Undone only by `claim_reinstate`."""
    reason = moderator_decision(
        actor, reason, [claim.user_id], "You cannot revoke your own claim; release it instead."
    )
    author = _lock(claim.author)
    _move(
        claim, Claim.Status.APPROVED, "Only a claim in force can be revoked.",
        **Claim.decided(Claim.Status.REVOKED, actor, reason),
    )  # fmt: skip
    PinnedWork.objects.filter(author=author).delete()
    _claim_audit(claim, actor, "claim.revoke", reason,
                 before={"status": "approved", "level": author.verification_level},
                 level=author.identifier_level)  # fmt: skip
    notify.changed(claim, f"A moderator revoked your claim on {author}", reason)
    verification_level_set(
        author, author.identifier_level, actor=actor, reason=reason, cause="claim.revoke"
    )
    return claim


@transaction.atomic
def claim_reinstate(*, claim: Claim, actor, reason: str) -> Claim:
    """Undo a revocation: the claim is in force again (L2), if nobody holds the record and
    the claimant holds no other."""
    reason = moderator_decision(
        actor, reason, [claim.user_id], "You cannot reinstate your own claim."
    )
    _lock(claim.author)
    _move(
        claim, Claim.Status.REVOKED, "Only a revoked claim can be reinstated.", taken=TAKEN,
        **Claim.decided(Claim.Status.APPROVED, actor, reason),
    )  # fmt: skip
    _claim_audit(claim, actor, "claim.reinstate", reason, before={"status": "revoked"}, level=2)
    notify.changed(claim, f"Your claim on {claim.author} was reinstated", reason)
    verification_level_set(
        claim.author, VerificationLevel.L2, actor=actor, reason=reason, cause="claim.reinstate"
    )
    transaction.on_commit(lambda: refresh_priority_set(claim.author_id, Priority.CLAIMED))
    return claim

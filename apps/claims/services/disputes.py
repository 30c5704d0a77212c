"""Disputes: a claim on a record someone holds. Opened by the claim, closed when either claim
goes away, decided by a moderator."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.moderators import moderator_decision
from apps.audit.services import audit_record
from apps.core.errors import Conflict
from apps.records.models import Author
from apps.trust.services import trust_recompute_many

from .. import notify
from ..models import Claim, Dispute
from ._common import (
    _approved,
    _lock,
    _move,
)


def _dispute_open(claim: Claim, held: Claim) -> Dispute:
    dispute = Dispute.objects.create(author=claim.author, claim=claim, held_claim=held)
    audit_record(
        actor=claim.user,
        action="dispute.open",
        target=dispute,
        author_id=claim.author_id,
        subject_user=held.user,
        after={"claim": claim.pk, "held_claim": held.pk},
    )
    notify.waiting(
        dispute, f"A dispute was opened on {claim.author}",
        "A moderator will decide; nothing changes until then.",
        queue_title=f"New dispute on {claim.author}", exclude=[claim.user, held.user],
    )  # fmt: skip
    return dispute


def _dispute_close(dispute: Dispute, *, actor, action: str, subject_user, title: str,
                   body: str = "") -> None:  # fmt: skip
    """An open dispute ends without a decision (one of its claims went away)."""
    Dispute.objects.filter(pk=dispute.pk).update(
        status=Dispute.Status.WITHDRAWN, decided_at=timezone.now()
    )
    audit_record(actor=actor, action=action, target=dispute, author_id=dispute.author_id,
                 subject_user=subject_user)  # fmt: skip
    notify.changed(dispute, title, body)


def _dispute_withdraw(claim: Claim, *, actor) -> None:
    """The challenger withdrew `claim`: the dispute it opened, if any, goes with it."""
    dispute = Dispute.objects.filter(claim=claim, status=Dispute.Status.OPEN).first()
    if dispute:
        _dispute_close(dispute, actor=actor, action="dispute.withdraw",
                       subject_user=dispute.held_claim.user,
                       title=f"The dispute on {claim.author} was withdrawn")  # fmt: skip


def _disputes_close_released(claim: Claim, author: Author, *, actor) -> None:
    """The holder released `claim`: disputes against it close. The challenger's claim stays
    in the queue as an ordinary claim."""
    for dispute in Dispute.objects.filter(held_claim=claim, status=Dispute.Status.OPEN):
        _dispute_close(
            dispute, actor=actor, action="dispute.close_released",
            subject_user=dispute.claim.user, title=f"The holder released {author}",
            body="The claim now waits for a moderator as an ordinary claim.",
        )  # fmt: skip


@transaction.atomic
def dispute_decide(*, dispute: Dispute, actor, uphold: bool, reason: str) -> Dispute:
    """Upheld: the holder's claim is revoked and the challenger takes the record. Rejected:
    the challenger's claim is rejected and the holder keeps it."""
    involved = [dispute.claim.user_id, dispute.held_claim.user_id]
    reason = moderator_decision(
        actor, reason, involved, "You cannot decide a dispute that involves you."
    )
    _lock(dispute.author)
    status = Dispute.Status.UPHELD if uphold else Dispute.Status.REJECTED
    decided = Dispute.decided(status, actor, reason)
    _move(dispute, Dispute.Status.OPEN, "This dispute was already decided.", **decided)
    if uphold:
        _dispute_uphold(dispute, actor=actor, reason=reason, decided=decided)
    else:
        Claim.objects.filter(pk=dispute.claim_id).update(
            **{**decided, "status": Claim.Status.REJECTED}
        )
    _dispute_decided_audit(dispute, actor=actor, reason=reason, status=status)
    notify.changed(
        dispute,
        f"The dispute on {dispute.author} was decided: {dispute.get_status_display()}",
        reason,
    )
    if not uphold:  # upheld, _approved already recomputed the record
        trust_recompute_many([dispute.author_id], cause=f"dispute.{status}")
    return dispute


def _dispute_uphold(dispute: Dispute, *, actor, reason: str, decided: dict) -> None:
    """The holder's claim is revoked and the challenger's approved in its place."""
    Claim.objects.filter(pk=dispute.held_claim_id, status=Claim.Status.APPROVED).update(
        **{**decided, "status": Claim.Status.REVOKED}
    )
    try:
        with transaction.atomic():
            Claim.objects.filter(pk=dispute.claim_id).update(
                **{**decided, "status": Claim.Status.APPROVED}
            )
    except IntegrityError:
        raise Conflict("The challenger holds another record; they must release it first.") from None
    claim = Claim.objects.select_related("author", "user").get(pk=dispute.claim_id)
    # One moderator action, one row: the dispute's row records both claims.
    _approved(claim, actor=actor, action="dispute.upheld", reason=reason, audit=False)


def _dispute_decided_audit(dispute: Dispute, *, actor, reason: str, status: str) -> None:
    uphold = status == Dispute.Status.UPHELD
    audit_record(
        actor=actor,
        action=f"dispute.{status}",
        target=dispute,
        author_id=dispute.author_id,
        subject_user=dispute.claim.user,
        reason=reason,
        before={"status": "open", "held_claim": "approved", "claim": "pending"},
        after={
            "status": status,
            "held_claim": "revoked" if uphold else "approved",
            "claim": "approved" if uphold else "rejected",
        },
    )

"""Disputes: a claim on a record someone holds. Opened by the claim, closed when either claim
goes away. Both parties may add statements (with links and the works they say are theirs);
a moderator decides one of four outcomes: the challenger takes the record, the holder keeps
it, the record is split between them (repair.split, the challenger's claim moving to the new
record in the same transaction), or the dispute is dismissed."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.moderators import moderator_decision
from apps.audit.services import audit_record
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.core.pagecache import record_changed
from apps.notifications.services import notification_send
from apps.records.models import Author, Work
from apps.trust.services import trust_recompute_many

from .. import notify
from ..models import Claim, Dispute, DisputeStatement
from . import repair
from ._common import (
    MAX_NOTE_LENGTH,
    _approved,
    _lock,
    _move,
    clean_links,
)

OUTCOMES = ("challenger", "holder", "split", "dismiss")
STATUS_OF = {
    "challenger": Dispute.Status.UPHELD,
    "holder": Dispute.Status.REJECTED,
    "split": Dispute.Status.SPLIT,
    "dismiss": Dispute.Status.DISMISSED,
}
MAX_STATEMENTS = 10  # per party and dispute
MAX_STATEMENT_WORKS = 500


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


# --- Statements ------------------------------------------------------------------------------


def dispute_side(dispute: Dispute, user) -> str | None:
    """ "holder" or "challenger" for the parties of `dispute`, else None."""
    if user.pk == dispute.held_claim.user_id:
        return DisputeStatement.Side.HOLDER
    if user.pk == dispute.claim.user_id:
        return DisputeStatement.Side.CHALLENGER
    return None


def _statement_works(dispute: Dispute, work_ids) -> list[int]:
    """The works named, each on the disputed record and shown there (else Refused)."""
    try:
        ids = list(dict.fromkeys(int(i) for i in work_ids))
    except (TypeError, ValueError):
        raise Refused("Works are given by their numeric ids.", field="works") from None
    if len(ids) > MAX_STATEMENT_WORKS:
        raise Refused(f"Name at most {MAX_STATEMENT_WORKS} works.", field="works")
    found = set(
        Work.objects.visible_on(dispute.author).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if missing := [i for i in ids if i not in found]:
        raise Refused(
            "Not on this record: works " + ", ".join(map(str, missing[:10])), field="works"
        )
    return ids


@transaction.atomic
def dispute_statement_add(*, dispute: Dispute, user, text: str, links=(), work_ids=()
                          ) -> DisputeStatement:  # fmt: skip
    """A party says why the record (or which of its works) is theirs. The other party and
    the moderators read it and are told; nothing on the record changes."""
    side = dispute_side(dispute, user)
    if side is None:
        raise NotAllowed("Only the two people in this dispute can add a statement.")
    text = (text or "").strip()
    if not text:
        raise Refused("Write your statement: what shows this record, or these works, are yours.",
                      field="text")  # fmt: skip
    if len(text) > MAX_NOTE_LENGTH:
        raise Refused(f"Keep the statement under {MAX_NOTE_LENGTH} characters.", field="text")
    links, works = clean_links(links), _statement_works(dispute, work_ids)
    Dispute.objects.select_for_update().filter(pk=dispute.pk).first()  # one statement at a time
    if not Dispute.objects.filter(pk=dispute.pk, status=Dispute.Status.OPEN).exists():
        raise Conflict("This dispute is closed; statements can no longer be added.")
    if DisputeStatement.objects.filter(dispute=dispute, user=user).count() >= MAX_STATEMENTS:
        raise Refused(f"You have added {MAX_STATEMENTS} statements; a moderator will decide.")
    statement = DisputeStatement.objects.create(
        dispute=dispute, user=user, side=side, text=text, links=list(links), work_ids=works
    )
    audit_record(actor=user, action="dispute.statement", target=dispute,
                 author_id=dispute.author_id, subject_user=user,
                 after={"statement": statement.pk, "side": side, "works": works})  # fmt: skip
    _statement_told(dispute, statement)
    return statement


def _statement_told(dispute: Dispute, statement: DisputeStatement) -> None:
    other = dispute.claim.user if statement.side == "holder" else dispute.held_claim.user
    title = f"The {statement.get_side_display().lower()} added a statement to the dispute on " \
            f"{dispute.author}"  # fmt: skip
    url = reverse("claims:dispute", args=[dispute.pk])
    notification_send(recipient=other, kind=notify.DISPUTE, title=title, url=url)
    parties = [dispute.claim.user, dispute.held_claim.user]
    notify.moderators_told(notify.DISPUTE, title, url, exclude=parties)


def claimed_works(dispute: Dispute, side: str) -> list[int]:
    """The works one party's statements name, in the order first named."""
    found: dict[int, None] = {}
    for ids in dispute.statements.filter(side=side).values_list("work_ids", flat=True):
        found.update(dict.fromkeys(ids))
    return list(found)


# --- The decision -----------------------------------------------------------------------------


@transaction.atomic
def dispute_decide(*, dispute: Dispute, actor, outcome: str, reason: str, work_ids=()) -> Dispute:
    """A moderator decides an open dispute (OUTCOMES):
    - "challenger": the holder's claim is revoked, the challenger's approved (L2);
    - "holder": the challenger's claim is rejected; the holder keeps the record;
    - "split": `work_ids` (else the works the challenger's statements name) are split off to
      a new record (repair.split), and the challenger's claim moves to it, approved: each
      holds their part; the holder keeps the rest;
    - "dismiss": closed without a winner (nobody counts it as lost); the challenger's claim
      is closed with it.
    Both parties are told, with the reason."""
    if outcome not in OUTCOMES:
        raise Refused(f"Choose an outcome: {', '.join(OUTCOMES)}.", field="outcome")
    involved = [dispute.claim.user_id, dispute.held_claim.user_id]
    reason = moderator_decision(
        actor, reason, involved, "You cannot decide a dispute that involves you.",
        outcome=("dispute", outcome),
    )  # fmt: skip
    _lock(dispute.author)
    status = STATUS_OF[outcome]
    decided = Dispute.decided(status, actor, reason)
    _move(dispute, Dispute.Status.OPEN, "This dispute was already decided.", **decided)
    if outcome == "challenger":
        _dispute_uphold(dispute, actor=actor, reason=reason, decided=decided)
    elif outcome == "split":
        _dispute_split(dispute, actor=actor, reason=reason, decided=decided, work_ids=work_ids)
    else:
        Claim.objects.filter(pk=dispute.claim_id).update(
            **{**decided, "status": Claim.Status.REJECTED}
        )
    _dispute_decided_audit(dispute, actor=actor, reason=reason, status=status)
    notify.changed(dispute, f"The dispute on {dispute.author} was decided: "
                            f"{_OUTCOME_WORDS[outcome]}", reason)  # fmt: skip
    if outcome in ("holder", "dismiss"):  # otherwise _approved already recomputed the record
        trust_recompute_many([dispute.author_id], cause=f"dispute.{status}")
    return dispute


_OUTCOME_WORDS = {
    "challenger": "the challenger takes the record",
    "holder": "the holder keeps the record",
    "split": "the record is split, and each of you holds your part",
    "dismiss": "dismissed, nothing changes",
}


def _dispute_uphold(dispute: Dispute, *, actor, reason: str, decided: dict) -> None:
    """The holder's claim is revoked and the challenger's approved in its place."""
    Claim.objects.filter(pk=dispute.held_claim_id, status=Claim.Status.APPROVED).update(
        **{**decided, "status": Claim.Status.REVOKED}
    )
    _challenger_approved(dispute, actor=actor, reason=reason, decided=decided)


def _challenger_approved(dispute: Dispute, *, actor, reason: str, decided: dict,
                         author: Author | None = None) -> None:  # fmt: skip
    """The challenger's claim is approved, on `author` when given (a split's new record)."""
    moved = {"author": author} if author else {}
    try:
        with transaction.atomic():
            Claim.objects.filter(pk=dispute.claim_id).update(
                **{**decided, **moved, "status": Claim.Status.APPROVED}
            )
    except IntegrityError:
        raise Conflict("The challenger holds another record; they must release it first.") from None
    claim = Claim.objects.select_related("author", "user").get(pk=dispute.claim_id)
    # One moderator action, one row: the dispute's row records both claims.
    _approved(claim, actor=actor, action=f"dispute.{dispute.status}", reason=reason, audit=False)


def _dispute_split(dispute: Dispute, *, actor, reason: str, decided: dict, work_ids) -> None:
    """The challenger's works go to a new record (repair.split, its own audit row) and
    their claim with them; the holder keeps the record and the rest of its works."""
    work_ids = list(work_ids) or claimed_works(dispute, DisputeStatement.Side.CHALLENGER)
    if not work_ids:
        raise Refused("Choose the works the challenger takes (none were named in a statement).",
                      field="works")  # fmt: skip
    new = repair.split(actor=actor, author=dispute.author, work_ids=work_ids, reason=reason)
    Dispute.objects.filter(pk=dispute.pk).update(new_author=new)
    dispute.new_author = new
    _challenger_approved(dispute, actor=actor, reason=reason, decided=decided, author=new)
    record_changed("author", dispute.author_id)


def _dispute_decided_audit(dispute: Dispute, *, actor, reason: str, status: str) -> None:
    after = {
        Dispute.Status.UPHELD: {"held_claim": "revoked", "claim": "approved"},
        Dispute.Status.REJECTED: {"held_claim": "approved", "claim": "rejected"},
        Dispute.Status.SPLIT: {"held_claim": "approved", "claim": "approved",
                               "new_author": dispute.new_author_id},
        Dispute.Status.DISMISSED: {"held_claim": "approved", "claim": "rejected"},
    }[status]  # fmt: skip
    audit_record(
        actor=actor,
        action=f"dispute.{status}",
        target=dispute,
        author_id=dispute.author_id,
        subject_user=dispute.claim.user,
        reason=reason,
        before={"status": "open", "held_claim": "approved", "claim": "pending"},
        after={"status": status, **after},
    )

"""Claim, dispute and merge workflows (STYLE.md rung 4). Each service is atomic, writes one
audit row per state change and notifies after commit; HTML views and the API call the same
functions. Refusals raise ClaimError (a form error / 400) or NotAllowed (403)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import audit_record
from apps.ingest.models import Priority
from apps.ingest.services import refresh_priority_set
from apps.records.models import Author, CoAuthorship, VerificationLevel, Work
from apps.records.services import author_merge_into

from . import hooks, notify
from .evidence import EvidenceInputs, EvidenceScore, evidence_score
from .models import Claim, Dispute, InstitutionDomain, MergeRequest, PinnedWork
from .orcid import orcid_work_keys, proven_orcid, work_key

MAX_LINKS = 5
MAX_LINK_LENGTH = 500
MAX_NOTE_LENGTH = 2000
MAX_REASON_LENGTH = 2000


class ClaimError(Exception):
    """A request the rules refuse. The message is shown to the person as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ClaimError):
    """The person may not do this at all (403, not a form error)."""


@dataclass(frozen=True)
class Evidence:
    email: str = ""
    links: tuple[str, ...] = ()
    note: str = ""


# --- Reads used by services and views --------------------------------------------------


def holder_claim(author: Author) -> Claim | None:
    """The approved claim on a record, with its user, or None."""
    return Claim.objects.approved().filter(author=author).select_related("user").first()


def held_record(user) -> Author | None:
    """The record `user` holds, or None."""
    if not user.is_authenticated:
        return None
    claim = Claim.objects.approved().filter(user=user).select_related("author").first()
    return claim.author if claim else None


def record_work_keys(author: Author) -> frozenset[str]:
    rows = Work.objects.visible_on(author).values_list("doi", "arxiv_id")
    return frozenset(k for doi, arxiv in rows for k in work_key(doi, arxiv))


def works_for_keys(keys: frozenset[str]):
    dois = [k[4:] for k in keys if k.startswith("doi:")]
    arxiv = [k[6:] for k in keys if k.startswith("arxiv:")]
    return Work.objects.filter(doi__in=dois) | Work.objects.filter(arxiv_id__in=arxiv)


def evidence_inputs(user, author: Author, orcid_keys: frozenset[str]) -> EvidenceInputs:
    """Gather what the evidence score looks at, in a fixed number of queries."""
    from apps.records.models import Authorship

    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    domains = InstitutionDomain.objects.filter(institution__authors=author)
    mine = works_for_keys(orcid_keys).values("id")
    coauthors = Authorship.objects.visible().filter(work_id__in=mine).exclude(author=author)
    record_coauthors = CoAuthorship.objects.filter(author=author).values_list(
        "coauthor_id", flat=True
    )
    return EvidenceInputs(
        claimant_names=tuple(n for n in (user.display_name,) if n),
        record_search_name=author.search_name,
        orcid_work_ids=orcid_keys,
        record_work_ids=record_work_keys(author),
        verified_emails=tuple(emails),
        institution_domains=frozenset(domains.values_list("domain", flat=True)),
        claimant_coauthor_ids=frozenset(coauthors.values_list("author_id", flat=True)),
        record_coauthor_ids=frozenset(record_coauthors),
    )


def evidence_preview(user, author: Author) -> EvidenceScore:
    """The score a claim by `user` on `author` would get now (fetches ORCID works: call it
    outside a transaction)."""
    return evidence_score(evidence_inputs(user, author, orcid_work_keys(proven_orcid(user))))


# --- Helpers ----------------------------------------------------------------------------


def _lock(author: Author) -> Author:
    """Lock the record's row: claims on one record are decided one at a time."""
    return Author.objects.select_for_update().get(pk=author.pk)


def _require_moderator(actor) -> None:
    if not (actor and actor.is_authenticated and actor.is_moderator):
        raise NotAllowed("Only moderators decide claims, disputes and merges.")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ClaimError("Give a reason: the people affected will read it.", field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ClaimError(f"Keep the reason under {MAX_REASON_LENGTH} characters.", field="reason")
    return reason


def _check_daily_limit(user) -> None:
    since = timezone.now() - timezone.timedelta(days=1)
    if Claim.objects.filter(user=user, created_at__gte=since).count() >= (
        settings.CLAIMS_PER_USER_PER_DAY
    ):
        raise ClaimError(
            f"You can make at most {settings.CLAIMS_PER_USER_PER_DAY} claims a day; "
            "try again tomorrow."
        )


def _check_evidence(user, evidence: Evidence) -> Evidence:
    links = tuple(link.strip() for link in evidence.links if link.strip())
    if len(links) > MAX_LINKS:
        raise ClaimError(f"Give at most {MAX_LINKS} links.", field="links")
    for link in links:
        if len(link) > MAX_LINK_LENGTH or not link.startswith(("https://", "http://")):
            raise ClaimError(
                f"Not a web address (http/https, under 500 characters): {link[:80]}", field="links"
            )
    if len(evidence.note) > MAX_NOTE_LENGTH:
        raise ClaimError(f"Keep the note under {MAX_NOTE_LENGTH} characters.", field="note")
    email = evidence.email.strip().lower()
    if (
        email
        and not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    ):
        raise ClaimError(
            "Use one of your verified email addresses (add it under Account first).", field="email"
        )
    return Evidence(email=email, links=links, note=evidence.note.strip())


def _claim_state(claim: Claim) -> dict:
    return {"status": claim.status, "user": claim.user_id, "author": claim.author_id}


# --- Opening a claim ------------------------------------------------------------------------


def claim_orcid(*, user, author: Author) -> Claim:
    """Claim a record whose ORCID iD the user proved by OAuth: approved at once (L2), or a
    dispute when someone already holds the record."""
    orcid = proven_orcid(user)
    if not orcid:
        raise ClaimError("Sign in with ORCID (or link it under Account) to claim by ORCID iD.")
    if author.orcid != orcid:
        raise ClaimError(
            "This record's ORCID iD is not the one you proved; submit evidence instead."
        )
    return _claim_open(user, author, kind=Claim.Kind.ORCID, orcid=orcid)


def claim_evidence(*, user, author: Author, evidence: Evidence) -> Claim:
    """Claim a record with evidence: scored, then queued for moderators (or a dispute when
    the record is held). Fetches the user's ORCID works first, outside the transaction."""
    if not user.is_authenticated:
        raise NotAllowed("Sign in to claim a record.")
    evidence = _check_evidence(user, evidence)
    orcid = proven_orcid(user) or ""
    score = evidence_score(evidence_inputs(user, author, orcid_work_keys(orcid)))
    return _claim_open(
        user, author, kind=Claim.Kind.EVIDENCE, orcid=orcid, evidence=evidence, score=score
    )


@transaction.atomic
def _claim_open(user, author, *, kind, orcid, evidence=None, score=None) -> Claim:
    author = _lock(author)
    if author.merged_into_id:
        raise ClaimError("This record was merged into another; claim that one.")
    held = holder_claim(author)
    if held and held.user_id == user.pk:
        raise ClaimError("You already hold this record.")
    if Claim.objects.approved().filter(user=user).exists():
        raise ClaimError(
            "You already hold a record. Request a merge of this one into yours, "
            "or release yours first."
        )
    if Claim.objects.pending().filter(user=user, author=author).exists():
        raise ClaimError("You already have a claim waiting on this record.")
    _check_daily_limit(user)
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
        raise ClaimError("This record was claimed a moment ago; reload the page.") from None
    if approve_now:
        _approved(
            claim, actor=user, action="claim.approve_orcid", reason="ORCID iD proven by OAuth"
        )
        return claim
    audit_record(
        actor=user,
        action="claim.open",
        target=claim,
        author_id=author.pk,
        subject_user=user,
        after={**_claim_state(claim), "score": claim.score},
    )
    if held:
        _dispute_open(claim, held)
    else:
        notify.claim_changed(
            claim,
            f"Your claim on {author} is waiting for a moderator",
            f"Evidence score {claim.score}/100. You can withdraw it meanwhile.",
        )
        notify.moderators_told(
            notify.CLAIM,
            f"New claim on {author}",
            reverse("claims:claim", args=[claim.pk]),
            exclude=[user],
        )
    return claim


def _approved(claim: Claim, *, actor, action: str, reason: str, audit: bool = True) -> None:
    """The claim is in force: audit (unless the caller's own row covers it), notify, L2."""
    transaction.on_commit(lambda: refresh_priority_set(claim.author_id, Priority.CLAIMED))
    if audit:
        _approved_audit(claim, actor=actor, action=action, reason=reason)
    notify.claim_changed(claim, f"You now hold the record {claim.author}", reason)
    # The level (L2) and the trust score follow, in this transaction (apps.trust).
    hooks.level_change(claim.author, VerificationLevel.L2, actor=actor, reason=reason, cause=action)


def _approved_audit(claim: Claim, *, actor, action: str, reason: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=claim,
        author_id=claim.author_id,
        subject_user=claim.user,
        reason=reason,
        before={"status": "pending"},
        after={**_claim_state(claim), "level": 2},
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
    notify.dispute_changed(
        dispute,
        f"A dispute was opened on {claim.author}",
        "A moderator will decide; nothing changes until then.",
    )
    notify.moderators_told(
        notify.DISPUTE,
        f"New dispute on {claim.author}",
        reverse("claims:dispute", args=[dispute.pk]),
        exclude=[claim.user, held.user],
    )
    return dispute


# --- The claimant's own moves ---------------------------------------------------------------


@transaction.atomic
def claim_withdraw(*, claim: Claim, actor) -> Claim:
    """The claimant takes back a waiting claim (and any dispute it opened)."""
    if actor.pk != claim.user_id:
        raise NotAllowed("Only the claimant can withdraw a claim.")
    now = timezone.now()
    if not Claim.objects.filter(pk=claim.pk, status=Claim.Status.PENDING).update(
        status=Claim.Status.WITHDRAWN, decided_at=now
    ):
        raise ClaimError("Only a claim that is still waiting can be withdrawn.")
    claim.refresh_from_db()
    audit_record(
        actor=actor,
        action="claim.withdraw",
        target=claim,
        author_id=claim.author_id,
        subject_user=actor,
        before={"status": "pending"},
        after=_claim_state(claim),
    )
    notify.claim_changed(claim, f"You withdrew your claim on {claim.author}")
    dispute = Dispute.objects.filter(claim=claim, status=Dispute.Status.OPEN).first()
    if dispute:
        Dispute.objects.filter(pk=dispute.pk).update(
            status=Dispute.Status.WITHDRAWN, decided_at=now
        )
        audit_record(
            actor=actor,
            action="dispute.withdraw",
            target=dispute,
            author_id=claim.author_id,
            subject_user=dispute.held_claim.user,
        )
        notify.dispute_changed(dispute, f"The dispute on {claim.author} was withdrawn")
    return claim


@transaction.atomic
def claim_release(*, claim: Claim, actor, reason: str = "") -> Claim:
    """The holder lets go of a record: it is unclaimed again, its level falls back to what
    its identifiers say (L1/L0), pins go; "not mine" decisions and splits stay."""
    if actor is not None and actor.pk != claim.user_id:
        raise NotAllowed("Only the holder can release a record.")
    author = _lock(claim.author)
    if not Claim.objects.filter(pk=claim.pk, status=Claim.Status.APPROVED).update(
        status=Claim.Status.RELEASED, decided_at=timezone.now()
    ):
        raise ClaimError("Only a claim you hold can be released.")
    claim.refresh_from_db()
    hooks.level_change(
        author, author.identifier_level, actor=actor, reason=reason, cause="claim.release"
    )
    PinnedWork.objects.filter(author=author).delete()
    transaction.on_commit(lambda: refresh_priority_set(author.pk, Priority.NORMAL))
    audit_record(
        actor=actor,
        action="claim.release",
        target=claim,
        author_id=author.pk,
        subject_user=claim.user,
        reason=reason,
        before={"status": "approved"},
        after={**_claim_state(claim), "level": author.verification_level},
    )
    notify.claim_changed(claim, f"You released the record {author}")
    for dispute in Dispute.objects.filter(held_claim=claim, status=Dispute.Status.OPEN):
        # The challenger's claim stays in the queue as an ordinary claim.
        Dispute.objects.filter(pk=dispute.pk).update(
            status=Dispute.Status.WITHDRAWN, decided_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="dispute.close_released",
            target=dispute,
            author_id=author.pk,
            subject_user=dispute.claim.user,
        )
        notify.dispute_changed(
            dispute,
            f"The holder released {author}",
            "The claim now waits for a moderator as an ordinary claim.",
        )
    return claim


# --- Moderators' decisions --------------------------------------------------------------------


def _involves(actor, *claims: Claim) -> bool:
    return any(c.user_id == actor.pk for c in claims)


@transaction.atomic
def claim_decide(*, claim: Claim, actor, approve: bool, reason: str) -> Claim:
    """A moderator approves (L2, the record is Claimed) or rejects a waiting claim."""
    _require_moderator(actor)
    held = holder_claim(claim.author)
    if _involves(actor, claim, *([held] if held else [])):
        raise NotAllowed("You cannot decide a claim that involves you.")
    reason = _require_reason(reason)
    if Dispute.objects.filter(claim=claim, status=Dispute.Status.OPEN).exists():
        raise ClaimError("This claim is part of a dispute: decide the dispute.")
    _lock(claim.author)
    status = Claim.Status.APPROVED if approve else Claim.Status.REJECTED
    fields = {
        "status": status,
        "decided_at": timezone.now(),
        "decided_by": actor,
        "decision_reason": reason,
    }
    try:
        with transaction.atomic():
            moved = Claim.objects.filter(pk=claim.pk, status=Claim.Status.PENDING).update(**fields)
    except IntegrityError:
        raise ClaimError("The record is held, or the claimant holds another record.") from None
    if not moved:
        raise ClaimError("This claim was already decided.")
    claim.refresh_from_db()
    if approve:
        _approved(claim, actor=actor, action="claim.approve", reason=reason)
        return claim
    audit_record(
        actor=actor,
        action="claim.reject",
        target=claim,
        author_id=claim.author_id,
        subject_user=claim.user,
        reason=reason,
        before={"status": "pending"},
        after=_claim_state(claim),
    )
    notify.claim_changed(claim, f"Your claim on {claim.author} was not approved", reason)
    return claim


@transaction.atomic
def dispute_decide(*, dispute: Dispute, actor, uphold: bool, reason: str) -> Dispute:
    """Upheld: the holder's claim is revoked and the challenger takes the record. Rejected:
    the challenger's claim is rejected and the holder keeps it."""
    _require_moderator(actor)
    if _involves(actor, dispute.claim, dispute.held_claim):
        raise NotAllowed("You cannot decide a dispute that involves you.")
    reason = _require_reason(reason)
    _lock(dispute.author)
    now = timezone.now()
    status = Dispute.Status.UPHELD if uphold else Dispute.Status.REJECTED
    if not Dispute.objects.filter(pk=dispute.pk, status=Dispute.Status.OPEN).update(
        status=status, decided_at=now, decided_by=actor, decision_reason=reason
    ):
        raise ClaimError("This dispute was already decided.")
    dispute.refresh_from_db()
    decided = {"decided_at": now, "decided_by": actor, "decision_reason": reason}
    if uphold:
        Claim.objects.filter(pk=dispute.held_claim_id, status=Claim.Status.APPROVED).update(
            status=Claim.Status.REVOKED, **decided
        )
        try:
            with transaction.atomic():
                Claim.objects.filter(pk=dispute.claim_id).update(
                    status=Claim.Status.APPROVED, **decided
                )
        except IntegrityError:
            raise ClaimError(
                "The challenger holds another record; they must release it first."
            ) from None
        claim = Claim.objects.select_related("author", "user").get(pk=dispute.claim_id)
        # One moderator action, one row: the dispute's row below records both claims.
        _approved(claim, actor=actor, action="dispute.upheld", reason=reason, audit=False)
    else:
        Claim.objects.filter(pk=dispute.claim_id).update(status=Claim.Status.REJECTED, **decided)
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
    notify.dispute_changed(
        dispute,
        f"The dispute on {dispute.author} was decided: {dispute.get_status_display()}",
        reason,
    )
    if not uphold:  # upheld, _approved already recomputed the record
        hooks.record_change([dispute.author_id], cause=f"dispute.{status}")
    return dispute


# --- Merge requests -----------------------------------------------------------------------------


@transaction.atomic
def merge_request_create(*, user, survivor: Author, duplicate: Author, reason: str) -> MergeRequest:
    """The holder of `survivor` asks that `duplicate` (another record of them) be merged in."""
    if not Claim.objects.approved().filter(user=user, author=survivor).exists():
        raise NotAllowed("Only the holder of a record can ask for a merge into it.")
    if survivor.pk == duplicate.pk:
        raise ClaimError("Choose another record than your own.", field="duplicate")
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ClaimError("That record was already merged.", field="duplicate")
    if Claim.objects.approved().filter(author=duplicate).exists():
        raise ClaimError(
            "Someone holds that record; it cannot be merged into yours.", field="duplicate"
        )
    reason = _require_reason(reason)
    try:
        with transaction.atomic():
            merge = MergeRequest.objects.create(
                requested_by=user, survivor=survivor, duplicate=duplicate, reason=reason
            )
    except IntegrityError:
        raise ClaimError("A merge of that record is already waiting.", field="duplicate") from None
    audit_record(
        actor=user,
        action="merge.request",
        target=merge,
        author_id=survivor.pk,
        subject_user=user,
        reason=reason,
        after={"duplicate": duplicate.pk},
    )
    notify.merge_changed(merge, f"Your request to merge {duplicate} is waiting for a moderator")
    notify.moderators_told(
        notify.MERGE,
        f"Merge requested: {duplicate} into {survivor}",
        reverse("claims:merge", args=[merge.pk]),
        exclude=[user],
    )
    return merge


@transaction.atomic
def merge_withdraw(*, merge: MergeRequest, actor) -> MergeRequest:
    if actor.pk != merge.requested_by_id:
        raise NotAllowed("Only who asked for a merge can withdraw it.")
    if not MergeRequest.objects.filter(pk=merge.pk, status=MergeRequest.Status.PENDING).update(
        status=MergeRequest.Status.WITHDRAWN, decided_at=timezone.now()
    ):
        raise ClaimError("Only a waiting merge request can be withdrawn.")
    merge.refresh_from_db()
    audit_record(
        actor=actor,
        action="merge.withdraw",
        target=merge,
        author_id=merge.survivor_id,
        subject_user=actor,
    )
    notify.merge_changed(merge, f"You withdrew the request to merge {merge.duplicate}")
    return merge


@transaction.atomic
def merge_decide(*, merge: MergeRequest, actor, approve: bool, reason: str) -> MergeRequest:
    """Approved: the duplicate is folded into the survivor (Author.merged_into), which every
    later import respects."""
    _require_moderator(actor)
    if actor.pk == merge.requested_by_id:
        raise NotAllowed("You cannot decide a merge you asked for.")
    reason = _require_reason(reason)
    status = MergeRequest.Status.APPROVED if approve else MergeRequest.Status.REJECTED
    if not MergeRequest.objects.filter(pk=merge.pk, status=MergeRequest.Status.PENDING).update(
        status=status, decided_at=timezone.now(), decided_by=actor, decision_reason=reason
    ):
        raise ClaimError("This merge request was already decided.")
    merge.refresh_from_db()
    if approve:
        if Claim.objects.approved().filter(author=merge.duplicate).exists():
            raise ClaimError("Someone holds the duplicate now; it cannot be merged.")
        author_merge_into(_lock(merge.duplicate), _lock(merge.survivor))
    audit_record(
        actor=actor,
        action=f"merge.{status}",
        target=merge,
        author_id=merge.survivor_id,
        subject_user=merge.requested_by,
        reason=reason,
        before={"status": "pending"},
        after={"status": status, "duplicate": merge.duplicate_id},
    )
    notify.merge_changed(
        merge, f"Your request to merge {merge.duplicate}: {merge.get_status_display()}", reason
    )
    if approve:
        hooks.record_change([merge.survivor_id, merge.duplicate_id], cause="merge.approve")
    return merge


# --- Revoking and reinstating (moderators) -------------------------------------------------


@transaction.atomic
def claim_revoke(*, claim: Claim, actor, reason: str) -> Claim:
    """A moderator takes a record away from its holder: the claim is revoked, the level falls
    back to what the identifiers say. Undone only by `claim_reinstate`."""
    _require_moderator(actor)
    if _involves(actor, claim):
        raise NotAllowed("You cannot revoke your own claim; release it instead.")
    reason = _require_reason(reason)
    author = _lock(claim.author)
    if not Claim.objects.filter(pk=claim.pk, status=Claim.Status.APPROVED).update(
        status=Claim.Status.REVOKED, decided_at=timezone.now(), decided_by=actor,
        decision_reason=reason,
    ):  # fmt: skip
        raise ClaimError("Only a claim in force can be revoked.")
    claim.refresh_from_db()
    before_level = author.verification_level
    PinnedWork.objects.filter(author=author).delete()
    audit_record(
        actor=actor,
        action="claim.revoke",
        target=claim,
        author_id=author.pk,
        subject_user=claim.user,
        reason=reason,
        before={"status": "approved", "level": before_level},
        after={**_claim_state(claim), "level": author.identifier_level},
    )
    notify.claim_changed(claim, f"A moderator revoked your claim on {author}", reason)
    hooks.level_change(
        author, author.identifier_level, actor=actor, reason=reason, cause="claim.revoke"
    )
    return claim


@transaction.atomic
def claim_reinstate(*, claim: Claim, actor, reason: str) -> Claim:
    """Undo a revocation: the claim is in force again (L2), if nobody holds the record and
    the claimant holds no other."""
    _require_moderator(actor)
    if _involves(actor, claim):
        raise NotAllowed("You cannot reinstate your own claim.")
    reason = _require_reason(reason)
    _lock(claim.author)
    fields = {"decided_at": timezone.now(), "decided_by": actor, "decision_reason": reason}
    try:
        with transaction.atomic():
            moved = Claim.objects.filter(pk=claim.pk, status=Claim.Status.REVOKED).update(
                status=Claim.Status.APPROVED, **fields
            )
    except IntegrityError:
        raise ClaimError("The record is held, or the claimant holds another record.") from None
    if not moved:
        raise ClaimError("Only a revoked claim can be reinstated.")
    claim.refresh_from_db()
    audit_record(
        actor=actor,
        action="claim.reinstate",
        target=claim,
        author_id=claim.author_id,
        subject_user=claim.user,
        reason=reason,
        before={"status": "revoked"},
        after={**_claim_state(claim), "level": 2},
    )
    notify.claim_changed(claim, f"Your claim on {claim.author} was reinstated", reason)
    hooks.level_change(
        claim.author, VerificationLevel.L2, actor=actor, reason=reason, cause="claim.reinstate"
    )
    transaction.on_commit(lambda: refresh_priority_set(claim.author_id, Priority.CLAIMED))
    return claim

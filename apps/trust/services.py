"""Verification levels and the stored trust score (STYLE.md rung 4).

- `verification_level_set` is the one writer of Author.verification_level above the
  identifier level (records' `author_levels_sync` keeps L0/L1): claims reach it through
  `apps.claims.hooks.on_level_change`, moderators' L3 decisions call it directly. It writes no
  audit row of its own: the decision that calls it does, with the level before and after.
- `trust_recompute` scores a record from `inputs.trust_inputs_many` with the pure
  `score.score_compute`, upserts TrustRecord and appends a TrustHistory row when the score
  (or the formula version) changed. It runs inside the caller's transaction.
- L3 requests: the holder asks with an institutional email and a note, confirms the email
  through a signed link, a moderator decides. Refusals raise apps.core.errors.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import audit_record
from apps.claims import notify as claims_notify
from apps.claims.models import Claim, InstitutionDomain
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.core.links import absolute_url
from apps.notifications.services import notification_send
from apps.records.models import Author, CoAuthorship, VerificationLevel

from .inputs import trust_inputs_many
from .models import TrustHistory, TrustRecord, VerificationRequest
from .score import score_compute, tier_for

VERIFICATION_KIND = "trust.verification"
CONFIRM_SALT = "trust.verification.email"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds a confirmation link stays valid
MAX_NOTE = 2000
RECOMPUTE_BATCH = 500


def trust_tier_of(author_id: int) -> str:
    """The tier label of a record's stored score ("New" when it has none yet). Collaboration
    uses it for invitation quotas."""
    score = TrustRecord.objects.filter(author_id=author_id).values_list("score", flat=True)
    found = list(score[:1])
    return tier_for(found[0] if found else 0)


# --- The score ----------------------------------------------------------------------------


def trust_recompute_many(author_ids: Iterable[int], *, cause: str) -> int:
    """Score these records and store what changed; returns how many scores changed (each
    with a TrustHistory row). Idempotent: a second run with unchanged inputs writes nothing.
    A fixed number of queries per batch of RECOMPUTE_BATCH records."""
    ids = sorted(set(author_ids))
    changed = 0
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        changed += _recompute_batch(ids[start : start + RECOMPUTE_BATCH], cause)
    return changed


@transaction.atomic
def _recompute_batch(ids: list[int], cause: str) -> int:
    inputs = trust_inputs_many(ids)
    current = {r.author_id: r for r in TrustRecord.objects.filter(author_id__in=ids)}
    now, rows, history = timezone.now(), [], []
    for pk, values in inputs.items():
        result = score_compute(values)
        breakdown, old = result.breakdown(), current.get(pk)
        fields = {"score": result.score, "version": result.version, "breakdown": breakdown}
        if old and (old.score, old.version, old.breakdown) == tuple(fields.values()):
            continue
        rows.append(TrustRecord(author_id=pk, computed_at=now, **fields))
        if old is None or (old.score, old.version) != (result.score, result.version):
            history.append(TrustHistory(author_id=pk, cause=cause[:100], computed_at=now, **fields))
    TrustRecord.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["author"],
        update_fields=["score", "version", "breakdown", "computed_at"],
    )
    TrustHistory.objects.bulk_create(history)
    return len(history)


def trust_recompute(author: Author, *, cause: str) -> TrustRecord:
    """Recompute one record's score now, inside the caller's transaction."""
    trust_recompute_many([author.pk], cause=cause)
    return TrustRecord.objects.get(author_id=author.pk)


def record_changed(author_ids: list[int], *, cause: str) -> None:
    """claims.hooks.on_record_change: a claim or curation decision changed these records."""
    trust_recompute_many(author_ids, cause=cause)


def _coauthors_recompute_later(author: Author) -> None:
    """A record whose level crosses L2 changes its co-authors' "verified collaborators"."""
    from .tasks import recompute_authors

    ids = list(CoAuthorship.objects.filter(author=author).values_list("coauthor_id", flat=True))
    if ids:
        transaction.on_commit(lambda: recompute_authors.delay(ids))


# --- Verification levels ------------------------------------------------------------------


@transaction.atomic
def verification_level_set(author: Author, level: int, *, actor, reason: str, cause: str) -> int:
    """Set a record's verification level (L0-L3) and recompute its score; returns the level
    before. The caller's audit row records actor, reason and the level before and after."""
    level = VerificationLevel(level)
    before = Author.objects.filter(pk=author.pk).values_list("verification_level", flat=True)
    before = before.get()
    if before != level:
        Author.objects.filter(pk=author.pk).update(verification_level=level)
        if (before >= VerificationLevel.L2) != (level >= VerificationLevel.L2):
            _coauthors_recompute_later(author)
    author.verification_level = level
    trust_recompute(author, cause=cause)
    return before


def _domain_matches(author: Author, email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    known = InstitutionDomain.objects.filter(institution__authors=author).values_list(
        "domain", flat=True
    )
    return any(domain == d or domain.endswith("." + d) for d in known)


def confirmation_token(request: VerificationRequest) -> str:
    return signing.dumps({"r": request.pk, "e": request.email}, salt=CONFIRM_SALT)


def _send_confirmation(request: VerificationRequest) -> None:
    url = absolute_url(reverse("trust:verify_confirm", args=[confirmation_token(request)]))
    body = (
        f"Someone asked Peerage to verify that {request.email} belongs to the holder of the "
        f"record {request.author}. If it was you, confirm here (valid 3 days):\n\n{url}\n\n"
        "If not, ignore this email."
    )
    send_mail("Confirm your institutional email", body, None, [request.email])


@transaction.atomic
def verification_request(*, user, author: Author, email: str, note: str) -> VerificationRequest:
    """The holder of an L2 record asks for L3. A signed link goes to `email`; the request
    reaches the moderators once it is confirmed."""
    if not Claim.objects.holds(user, author):
        raise NotAllowed("Only the holder of a record can ask for its verification.")
    if author.verification_level >= VerificationLevel.L3:
        raise Conflict("This record is already moderator-verified (L3).")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("Give your institutional email address.", field="email") from None
    if len(note) > MAX_NOTE:
        raise Refused(f"Keep the note under {MAX_NOTE} characters.", field="note")
    # Asking again replaces a request whose link was never opened (lost or expired mail).
    VerificationRequest.objects.filter(
        author=author, user=user, status=VerificationRequest.Status.UNCONFIRMED
    ).update(status=VerificationRequest.Status.WITHDRAWN)
    try:
        with transaction.atomic():
            request = VerificationRequest.objects.create(
                user=user, author=author, email=email, note=note.strip(),
                domain_matches=_domain_matches(author, email),
            )  # fmt: skip
    except IntegrityError:
        raise Conflict("A verification request for this record is already open.") from None
    audit_record(
        actor=user, action="verification.request", target=request, author_id=author.pk,
        subject_user=user, after={"status": request.status, "email": email},
    )  # fmt: skip
    transaction.on_commit(lambda: _send_confirmation(request))
    return request


@transaction.atomic
def verification_confirm(*, token: str) -> VerificationRequest:
    """The signed link was opened: the email is confirmed, the request joins the queue."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise Refused("This link is invalid or has expired; ask again.") from None
    request = VerificationRequest.objects.filter(pk=data.get("r"), email=data.get("e")).first()
    if request is None:
        raise Refused("This link is invalid or has expired; ask again.")
    now = timezone.now()
    if not VerificationRequest.objects.filter(
        pk=request.pk, status=VerificationRequest.Status.UNCONFIRMED
    ).update(status=VerificationRequest.Status.PENDING, email_confirmed_at=now):
        return request  # confirmed already: opening the link twice is harmless
    request.refresh_from_db()
    audit_record(
        actor=request.user, action="verification.confirm_email", target=request,
        author_id=request.author_id, subject_user=request.user,
        before={"status": "unconfirmed"}, after={"status": request.status},
    )  # fmt: skip
    claims_notify.moderators_told(
        VERIFICATION_KIND,
        f"Identity verification (L3) requested for {request.author}",
        reverse("moderation:verifications"),
        exclude=[request.user],
    )
    return request


def _require_moderator(actor) -> None:
    if not (actor and actor.is_authenticated and actor.is_moderator):
        raise NotAllowed("Only moderators verify identities.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Give a reason: the people affected will read it.", field="reason")
    return reason[:2000]


@transaction.atomic
def verification_decide(
    *, request: VerificationRequest, actor, approve: bool, reason: str
) -> VerificationRequest:
    """A moderator verifies the holder's identity (the record becomes L3) or declines."""
    _require_moderator(actor)
    if actor.pk == request.user_id:
        raise NotAllowed("You cannot decide your own verification request.")
    reason = _reason(reason)
    author = Author.objects.select_for_update().get(pk=request.author_id)
    if approve and not Claim.objects.holds(request.user, author):
        raise Conflict("The requester no longer holds this record.")
    status = VerificationRequest.Status.APPROVED if approve else VerificationRequest.Status.REJECTED
    if not VerificationRequest.objects.filter(
        pk=request.pk, status=VerificationRequest.Status.PENDING
    ).update(status=status, decided_at=timezone.now(), decided_by=actor, decision_reason=reason):
        raise Conflict("This request was already decided (or its email is unconfirmed).")
    request.refresh_from_db()
    before = author.verification_level
    after = VerificationLevel.L3 if approve else before
    audit_record(
        actor=actor, action=f"verification.{status}", target=request, author_id=author.pk,
        subject_user=request.user, reason=reason,
        before={"status": "pending", "level": before}, after={"status": status, "level": after},
    )  # fmt: skip
    verdict = "You are moderator-verified (L3)" if approve else "Your verification was declined"
    notification_send(
        recipient=request.user, kind=VERIFICATION_KIND, title=f"{verdict}: {author}",
        body=reason, url=reverse("records:author", args=[author.pk]),
    )  # fmt: skip
    if approve:
        verification_level_set(author, after, actor=actor, reason=reason, cause="verification")
    return request


@transaction.atomic
def verification_revoke(*, author: Author, actor, reason: str) -> Author:
    """Undo an L3 verification: the record goes back to L2 (its claim stays in force)."""
    _require_moderator(actor)
    reason = _reason(reason)
    author = Author.objects.select_for_update().get(pk=author.pk)
    holder = Claim.objects.holder_of(author)
    if holder and holder.user_id == actor.pk:
        raise NotAllowed("You cannot revoke your own verification.")
    if author.verification_level != VerificationLevel.L3:
        raise Conflict("This record is not moderator-verified.")
    level = VerificationLevel.L2 if holder else author.identifier_level
    audit_record(
        actor=actor, action="verification.revoke", target=author, author_id=author.pk,
        subject_user=holder.user if holder else None, reason=reason,
        before={"level": 3}, after={"level": int(level)},
    )  # fmt: skip
    if holder:
        notification_send(
            recipient=holder.user, kind=VERIFICATION_KIND,
            title=f"Your L3 verification of {author} was revoked", body=reason,
        )  # fmt: skip
    verification_level_set(author, level, actor=actor, reason=reason, cause="verification.revoke")
    return author

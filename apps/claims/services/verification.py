"""Identity verification (L3): the holder of an L2 record asks with an institutional email
and a note, confirms the email through a signed link, a moderator decides. The request is a
trust.VerificationRequest (trust owns the levels); the workflow lives here because it asks
what claims know (who holds the record, the institutions' email domains), and it sets the
level through trust's one writer, `verification_level_set`."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.moderators import moderator_decision, require_moderator
from apps.audit.services import audit_record
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.core.links import absolute_url
from apps.core.pagecache import record_changed
from apps.core.reasons import reason_clean
from apps.notifications.services import notification_send
from apps.records.models import Author, VerificationLevel
from apps.trust.models import VerificationRequest
from apps.trust.services import verification_level_set

from .. import notify
from ..evidence import email_on_domain
from ..models import Claim, InstitutionDomain
from ._common import MAX_NOTE_LENGTH, _move

CONFIRM_SALT = "trust.verification.email"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds a confirmation link stays valid
MAX_NOTE = MAX_NOTE_LENGTH


def _domain_matches(author: Author, email: str) -> bool:
    known = InstitutionDomain.objects.filter(institution__authors=author)
    return email_on_domain(email, frozenset(known.values_list("domain", flat=True))) is not None


def confirmation_token(request: VerificationRequest) -> str:
    return signing.dumps({"r": request.pk, "e": request.email}, salt=CONFIRM_SALT)


def _send_confirmation(request: VerificationRequest) -> None:
    url = absolute_url(reverse("claims:verify_confirm", args=[confirmation_token(request)]))
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
    confirmed = {"status": VerificationRequest.Status.PENDING, "email_confirmed_at": timezone.now()}
    if not request.move(VerificationRequest.Status.UNCONFIRMED, **confirmed):
        return request  # confirmed already: opening the link twice is harmless
    audit_record(
        actor=request.user, action="verification.confirm_email", target=request,
        author_id=request.author_id, subject_user=request.user,
        before={"status": "unconfirmed"}, after={"status": request.status},
    )  # fmt: skip
    record_changed("author", request.author_id)  # its page may now show the email badge
    notify.moderators_told(
        notify.VERIFICATION,
        f"Identity verification (L3) requested for {request.author}",
        reverse("moderation:verifications"),
        exclude=[request.user],
    )
    return request


@transaction.atomic
def verification_decide(
    *, request: VerificationRequest, actor, approve: bool, reason: str
) -> VerificationRequest:
    """A moderator verifies the holder's identity (the record becomes L3) or declines."""
    reason = moderator_decision(
        actor,
        reason,
        [request.user_id],
        "You cannot decide your own verification request.",
        outcome=("verification", "approve" if approve else "reject"),
    )
    author = Author.objects.select_for_update().get(pk=request.author_id)
    if approve and not Claim.objects.holds(request.user, author):
        raise Conflict("The requester no longer holds this record.")
    status = VerificationRequest.Status.APPROVED if approve else VerificationRequest.Status.REJECTED
    _move(
        request, VerificationRequest.Status.PENDING,
        "This request was already decided (or its email is unconfirmed).",
        **VerificationRequest.decided(status, actor, reason),
    )  # fmt: skip
    before = author.verification_level
    after = VerificationLevel.L3 if approve else before
    audit_record(
        actor=actor, action=f"verification.{status}", target=request, author_id=author.pk,
        subject_user=request.user, reason=reason,
        before={"status": "pending", "level": before}, after={"status": status, "level": after},
    )  # fmt: skip
    verdict = "You are moderator-verified (L3)" if approve else "Your verification was declined"
    notification_send(
        recipient=request.user, kind=notify.VERIFICATION, title=f"{verdict}: {author}",
        body=reason, url=reverse("records:author", args=[author.pk]),
    )  # fmt: skip
    if approve:
        verification_level_set(author, after, actor=actor, reason=reason, cause="verification")
    return request


@transaction.atomic
def verification_revoke(*, author: Author, actor, reason: str) -> Author:
    """Undo an L3 verification: the record goes back to L2 (its claim stays in force)."""
    require_moderator(actor)
    reason = reason_clean(reason)
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
            recipient=holder.user, kind=notify.VERIFICATION,
            title=f"Your L3 verification of {author} was revoked", body=reason,
        )  # fmt: skip
    verification_level_set(author, level, actor=actor, reason=reason, cause="verification.revoke")
    return author

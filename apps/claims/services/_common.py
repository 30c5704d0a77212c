"""What the claim, dispute and merge services share: the limits, the record lock, the
reason check and the compare-and-set step every decision starts with."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.core.models import Decision
from apps.core.pagecache import record_changed
from apps.ingest.models import Priority
from apps.ingest.services import refresh_priority_set
from apps.records.models import Author, VerificationLevel
from apps.trust.services import verification_level_set

from .. import notify
from ..models import Claim, MergeRequest

MAX_LINKS = 5
MAX_LINK_LENGTH = 500
MAX_NOTE_LENGTH = 2000
MIN_NOTE_WORDS = 4  # a note counts as evidence from a sentence on ("These are my papers.")


def clean_links(links) -> tuple[str, ...]:
    """Links as stored (trimmed, blanks dropped), or Refused on the field "links"."""
    links = tuple(link.strip() for link in links if link.strip())
    if len(links) > MAX_LINKS:
        raise Refused(f"Give at most {MAX_LINKS} links.", field="links")
    for link in links:
        if len(link) > MAX_LINK_LENGTH or not link.startswith(("https://", "http://")):
            raise Refused(
                f"Not a web address (http/https, under 500 characters): {link[:80]}", field="links"
            )
    return links


def clean_note(note: str) -> str:
    """A note as stored (trimmed), or Refused on the field "note" when too long."""
    if len(note) > MAX_NOTE_LENGTH:
        raise Refused(f"Keep the note under {MAX_NOTE_LENGTH} characters.", field="note")
    return note.strip()


def is_a_sentence(note: str) -> bool:
    """Whether a note says something: MIN_NOTE_WORDS words or more, some of them letters."""
    words = [w for w in note.split() if any(ch.isalpha() for ch in w)]
    return len(words) >= MIN_NOTE_WORDS


def _lock(author: Author) -> Author:
    """Lock the record's row: claims on one record are decided one at a time."""
    return Author.objects.select_for_update().get(pk=author.pk)


def _move(obj: Decision, status_from: str, refused: str, *, taken: str = "", **fields) -> None:
    """Compare-and-set (Decision.move): update `obj` only while it is still in `status_from`;
    when someone moved it first, refuse with `refused`. With `taken`, the move may break a
    one-holder constraint: refuse with `taken` then (both are conflicts)."""
    if taken:
        try:
            with transaction.atomic():
                moved = obj.move(status_from, **fields)
        except IntegrityError:
            raise Conflict(taken) from None
    else:
        moved = obj.move(status_from, **fields)
    if not moved:
        raise Conflict(refused)


def _withdraw(obj: Claim | MergeRequest, actor, *, owner_id: int, refused: str) -> None:
    """Who asked takes a waiting claim or merge request back (compare-and-set)."""
    if actor.pk != owner_id:
        raise NotAllowed(refused)
    _move(obj, obj.Status.PENDING, "Only what is still waiting can be withdrawn.",
          status=obj.Status.WITHDRAWN, decided_at=timezone.now())  # fmt: skip


def _claim_state(claim: Claim) -> dict:
    return {"status": claim.status, "user": claim.user_id, "author": claim.author_id}


def _approved(claim: Claim, *, actor, action: str, reason: str, audit: bool = True) -> None:
    """The claim is in force: audit (unless the caller's own row covers it), notify, L2."""
    transaction.on_commit(lambda: refresh_priority_set(claim.author_id, Priority.CLAIMED))
    if audit:
        _approved_audit(claim, actor=actor, action=action, reason=reason)
    notify.changed(claim, f"You now hold the record {claim.author}", reason)
    # The level (L2) and the trust score follow, in this transaction (apps.trust).
    verification_level_set(
        claim.author, VerificationLevel.L2, actor=actor, reason=reason, cause=action
    )


def _approved_audit(claim: Claim, *, actor, action: str, reason: str) -> None:
    _claim_audit(claim, actor, action, reason, before={"status": "pending"}, level=2)


def _claim_audit(claim: Claim, actor, action: str, reason: str = "", *, before=None, **after):
    """The audit row of a move of `claim`: its state after, plus `after` (the record's level
    when the move changed it, the evidence score of a new claim)."""
    record_changed("author", claim.author_id)  # its page shows who holds it, and the level
    audit_record(
        actor=actor, action=action, target=claim, author_id=claim.author_id,
        subject_user=claim.user, reason=reason, before=before,
        after={**_claim_state(claim), **after},
    )  # fmt: skip

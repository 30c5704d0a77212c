"""Merge requests: the holder of a record asks that another record of them be folded into it;
a moderator decides."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from apps.accounts.moderators import moderator_decision
from apps.audit.services import audit_record
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.core.reasons import reason_clean
from apps.records.models import Author
from apps.records.services import author_merge_into
from apps.trust.services import trust_recompute_many

from .. import notify
from ..models import Claim, MergeRequest
from ._common import _lock, _move, _withdraw


@transaction.atomic
def merge_request_create(*, user, survivor: Author, duplicate: Author, reason: str) -> MergeRequest:
    """The holder of `survivor` asks that `duplicate` (another record of them) be merged in."""
    if not Claim.objects.holds(user, survivor):
        raise NotAllowed("Only the holder of a record can ask for a merge into it.")
    if survivor.pk == duplicate.pk:
        raise Refused("Choose another record than your own.", field="duplicate")
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise Refused("That record was already merged.", field="duplicate")
    if Claim.objects.holder_of(duplicate):
        raise Refused(
            "Someone holds that record; it cannot be merged into yours.", field="duplicate"
        )
    reason = reason_clean(reason)
    try:
        with transaction.atomic():
            merge = MergeRequest.objects.create(
                requested_by=user, survivor=survivor, duplicate=duplicate, reason=reason
            )
    except IntegrityError:
        raise Conflict("A merge of that record is already waiting.", field="duplicate") from None
    _merge_requested(merge, user=user, reason=reason)
    return merge


def _merge_requested(merge: MergeRequest, *, user, reason: str) -> None:
    _merge_audit(merge, user, "merge.request", reason, after={"duplicate": merge.duplicate_id})
    notify.waiting(
        merge, f"Your request to merge {merge.duplicate} is waiting for a moderator", "",
        queue_title=f"Merge requested: {merge.duplicate} into {merge.survivor}", exclude=[user],
    )  # fmt: skip


@transaction.atomic
def merge_withdraw(*, merge: MergeRequest, actor) -> MergeRequest:
    """Who asked for a merge takes the waiting request back."""
    _withdraw(merge, actor, owner_id=merge.requested_by_id,
              refused="Only who asked for a merge can withdraw it.")  # fmt: skip
    _merge_audit(merge, actor, "merge.withdraw")
    notify.changed(merge, f"You withdrew the request to merge {merge.duplicate}")
    return merge


@transaction.atomic
def merge_decide(*, merge: MergeRequest, actor, approve: bool, reason: str) -> MergeRequest:
    """Approved: the duplicate is folded into the survivor (Author.merged_into), which every
    later import respects."""
    reason = moderator_decision(
        actor,
        reason,
        [merge.requested_by_id],
        "You cannot decide a merge you asked for.",
        outcome=("merge", "approve" if approve else "reject"),
    )
    status = MergeRequest.Status.APPROVED if approve else MergeRequest.Status.REJECTED
    _move(
        merge, MergeRequest.Status.PENDING, "This merge request was already decided.",
        **MergeRequest.decided(status, actor, reason),
    )  # fmt: skip
    if approve:
        if Claim.objects.holder_of(merge.duplicate_id):
            raise Conflict("Someone holds the duplicate now; it cannot be merged.")
        author_merge_into(_lock(merge.duplicate), _lock(merge.survivor))
    _merge_audit(merge, actor, f"merge.{status}", reason, before={"status": "pending"},
                 after={"status": status, "duplicate": merge.duplicate_id})  # fmt: skip
    notify.changed(
        merge, f"Your request to merge {merge.duplicate}: {merge.get_status_display()}", reason
    )
    if approve:
        trust_recompute_many([merge.survivor_id, merge.duplicate_id], cause="merge.approve")
    return merge


def _merge_audit(merge: MergeRequest, actor, action: str, reason: str = "", **states) -> None:
    """The audit row of a merge request's move (`states`: its before/after dicts)."""
    audit_record(actor=actor, action=action, target=merge, author_id=merge.survivor_id,
                 subject_user=merge.requested_by, reason=reason, **states)  # fmt: skip

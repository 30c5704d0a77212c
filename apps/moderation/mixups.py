"""Likely mix-ups: records whose works fall cleanly into two groups (apps.records.clusters)
wait in the moderators' queue, with the way to the record's repair page. Imports and repairs
rescan the records they touch; a moderator can say a flagged record is one person."""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from apps.accounts.moderators import moderator_decision
from apps.audit.services import audit_record
from apps.claims.models import Claim
from apps.core.errors import Conflict
from apps.records.clusters import MIN_GROUP, clusters_for
from apps.records.models import Author, Authorship

from .models import MixupFlag

SCAN_LIMIT = 200  # records rescanned per call


def mixups_scan(author_ids) -> int:
    """Rescan these records: flag those that now split cleanly, resolve open flags of those
    that no longer do. Returns how many flags were raised."""
    ids = sorted(set(author_ids))[:SCAN_LIMIT]
    flags = {f.author_id: f for f in MixupFlag.objects.filter(author_id__in=ids)}
    raised = 0
    for author in Author.objects.filter(pk__in=ids):
        big = author.works_count >= 2 * MIN_GROUP and not author.merged_into_id
        found = clusters_for(author) if big else None
        flag = flags.get(author.pk)
        if found and found.likely_mixup and flag is None:
            sizes = [g.size for g in found.groups]
            MixupFlag.objects.get_or_create(author=author, defaults={"groups": sizes})
            raised += 1
        elif not (found and found.likely_mixup) and flag and flag.status == MixupFlag.Status.OPEN:
            MixupFlag.objects.filter(pk=flag.pk, status=MixupFlag.Status.OPEN).update(
                status=MixupFlag.Status.RESOLVED, decided_at=timezone.now()
            )
    return raised


def works_created(work_ids: list[int]) -> None:
    """ingest.hooks.on_works_created: rescan the records of the new works after commit."""
    from .tasks import mixups_scan_task

    ids = list(
        Authorship.objects.filter(work_id__in=work_ids)
        .values_list("author_id", flat=True)
        .distinct()[:SCAN_LIMIT]
    )
    if ids:
        transaction.on_commit(lambda: mixups_scan_task.delay(ids))


def open_mixups():
    """Flags waiting for a moderator, oldest first (the queue order), each with `holder_id`,
    the user who holds the flagged record (None when nobody does), read in the same query."""
    holder = Claim.objects.approved().filter(author=OuterRef("author_id")).values("user_id")[:1]
    return (
        MixupFlag.objects.filter(status=MixupFlag.Status.OPEN)
        .annotate(holder_id=Subquery(holder))
        .order_by("created_at", "id")
        .select_related("author")
    )


@transaction.atomic
def mixup_dismiss(*, flag: MixupFlag, actor, reason: str) -> MixupFlag:
    """The flagged record is one person after all: the flag closes and is not raised again."""
    reason = moderator_decision(actor, reason, [], "")
    moved = MixupFlag.objects.filter(pk=flag.pk, status=MixupFlag.Status.OPEN).update(
        status=MixupFlag.Status.DISMISSED, decided_at=timezone.now()
    )
    if not moved:
        raise Conflict("This flag was already closed.")
    flag.refresh_from_db()
    audit_record(
        actor=actor, action="mixup.dismiss", target=flag, author_id=flag.author_id,
        reason=reason, before={"status": "open"}, after={"status": flag.status},
    )  # fmt: skip
    return flag

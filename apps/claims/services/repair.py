"""A moderator's repair of any record, held or not: detach works (the printed name stays on
the paper, unlinked), move works to another record, split works off to a new record. Merge is
merges.py's `author_merge_into`, through a merge request.

Each action is one audit row ("repair.detach", "repair.move", "repair.split") and is undone
by `repair_reverse`, a new action with its own row ("repair.reverse"). Repairs use the marks
the holder's curation uses (curation.py), which the importer never changes: a detached
authorship is disowned, a moved one points at its new record and remembers the one it left
(`Authorship.split_from`), so every later import of the same records keeps the repair. The
per-work CurationDecision rows say a moderator did it, which the trust score reads (a repair
is not the holder's "mass disowning")."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.moderators import moderator_decision
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.core.errors import Conflict, NotFound, Refused
from apps.core.pagecache import record_changed
from apps.notifications.services import notification_send
from apps.records.models import Author, Authorship
from apps.records.services import author_merge_into, author_metrics_refresh
from apps.trust.services import trust_recompute_many

from .. import notify
from ..models import Claim, CurationDecision, PinnedWork
from ._common import _lock
from .curation import _work_ids

DETACH, MOVE, SPLIT, REVERSE = "repair.detach", "repair.move", "repair.split", "repair.reverse"
REVERSIBLE = (DETACH, MOVE, SPLIT)
SELF_REPAIR = "You cannot repair a record you hold; another moderator will."


def _allowed(actor, reason: str, *authors: Author) -> str:
    """A moderator, not holding any of the records involved, with a reason."""
    holders = [c.user_id for c in Claim.objects.holders_of([a.pk for a in authors])]
    return moderator_decision(actor, reason, holders, SELF_REPAIR)


def _live(author: Author) -> Author:
    author = _lock(author)
    if author.merged_into_id:
        raise Refused(f"The record #{author.pk} was merged into #{author.merged_into_id}.")
    return author


def _rows(author: Author, work_ids, *, status: str | None = None) -> list[Authorship]:
    ids = _work_ids(work_ids)
    rows = Authorship.objects.select_for_update().filter(author=author, work_id__in=ids)
    rows = list(rows.filter(status=status) if status else rows)
    if len(rows) != len(ids):
        missing = sorted(set(ids) - {a.work_id for a in rows})
        raise Refused(
            f"Not on this record{' and shown' if status else ''}: works "
            + ", ".join(map(str, missing[:10])),
            field="works",
        )
    return rows


def _after(actor, action: str, author: Author, rows, *, new_author=None) -> None:
    """Per-work decision rows, pins of works gone, metrics, scores and cached pages."""
    CurationDecision.objects.bulk_create(
        CurationDecision(author=author, work_id=a.work_id, action=action, actor=actor,
                         new_author=new_author)
        for a in rows
    )  # fmt: skip
    PinnedWork.objects.filter(author=author, work_id__in=[a.work_id for a in rows]).delete()
    ids = [author.pk] + ([new_author.pk] if new_author else [])
    for pk in ids:
        record_changed("author", pk)
    record_changed("works", 0)  # bylines in listings link to these records
    author_metrics_refresh(ids)
    trust_recompute_many(ids, cause=f"repair.{action}")


TOLD = {DETACH: "took works off", MOVE: "moved works off", SPLIT: "split works off",
        REVERSE: "reversed a repair of"}  # fmt: skip


def _audit(actor, action: str, author: Author, reason: str, *, before=None, after=None):
    """The action's one audit row; the record's holder, if any, is told why."""
    holder = Claim.objects.holder_of(author)
    if holder:
        notification_send(
            recipient=holder.user, kind=notify.CLAIM, body=reason,
            title=f"A moderator {TOLD[action]} your record {author}",
            url=reverse("claims:curate", args=[author.pk]),
        )  # fmt: skip
    return audit_record(
        actor=actor, action=action, target=author, author_id=author.pk, reason=reason,
        subject_user=holder.user if holder else None, before=before, after=after,
    )  # fmt: skip


@transaction.atomic
def detach(*, actor, author: Author, work_ids, reason: str) -> AuditEvent:
    """Take works off a record: the authorship stays on each work with its printed name,
    no longer linked to the record (hidden from it and its metrics)."""
    reason = _allowed(actor, reason, author)
    author = _live(author)
    rows = _rows(author, work_ids, status=Authorship.Status.ACTIVE)
    Authorship.objects.filter(pk__in=[a.pk for a in rows]).update(
        status=Authorship.Status.DISOWNED, status_changed_at=timezone.now()
    )
    _after(actor, CurationDecision.Action.DETACH, author, rows)
    works = sorted(a.work_id for a in rows)
    return _audit(actor, DETACH, author, reason, after={"works": works})


def _move_rows(author: Author, target: Author, rows: list[Authorship]) -> dict:
    """Point `rows` at `target`, remembering `author` as the record they left; returns the
    state before, which a reverse puts back."""
    clash = set(
        Authorship.objects.filter(author=target, work_id__in=[a.work_id for a in rows])
        .values_list("work_id", flat=True)
    )  # fmt: skip
    if clash:
        raise Refused(
            f"{target} (#{target.pk}) is already on works " + ", ".join(map(str, sorted(clash))),
            field="works",
        )
    Authorship.objects.filter(pk__in=[a.pk for a in rows]).update(
        author=target, split_from=author, status=Authorship.Status.ACTIVE,
        status_changed_at=timezone.now(),
    )  # fmt: skip
    return {"authorships": [[a.pk, a.work_id, a.status, a.split_from_id] for a in rows]}


@transaction.atomic
def move(*, actor, author: Author, target: Author, work_ids, reason: str) -> AuditEvent:
    """Move works from `author` to `target`; no later import puts them back."""
    if target.pk == author.pk:
        raise Refused("Choose another record to move the works to.", field="target")
    reason = _allowed(actor, reason, author, target)
    author, target = _live(author), _live(target)
    rows = _rows(author, work_ids)
    before = _move_rows(author, target, rows)
    _after(actor, CurationDecision.Action.MOVE, author, rows, new_author=target)
    works = sorted(a.work_id for a in rows)
    after = {"works": works, "target": target.pk}
    return _audit(actor, MOVE, author, reason, before=before, after=after)


def split(*, actor, author: Author, work_ids, reason: str) -> Author:
    """Split works off `author` to a new, unclaimed record of the same name (returned)."""
    return split_audited(actor=actor, author=author, work_ids=work_ids, reason=reason)[0]


@transaction.atomic
def split_audited(*, actor, author: Author, work_ids, reason: str) -> tuple[Author, AuditEvent]:
    """`split`, also returning its audit row."""
    reason = _allowed(actor, reason, author)
    author = _live(author)
    rows = _rows(author, work_ids)
    if len(rows) == author.authorships.count():
        raise Refused("Leave at least one work on the record.", field="works")
    other = Author()
    other.set_names(author.display_name, [])
    other.save()
    before = _move_rows(author, other, rows)
    _after(actor, CurationDecision.Action.SPLIT, author, rows, new_author=other)
    works = sorted(a.work_id for a in rows)
    after = {"works": works, "new_author": other.pk}
    return other, _audit(actor, SPLIT, author, reason, before=before, after=after)


# --- Undo ------------------------------------------------------------------------------


def repair_entry(pk: int) -> AuditEvent:
    """The audit row of a repair that can be reversed (404 for anything else)."""
    entry = AuditEvent.objects.filter(pk=pk, action__in=REVERSIBLE).first()
    if entry is None:
        raise NotFound("No repair with that number.")
    return entry


def _reversed(entry: AuditEvent) -> bool:
    return AuditEvent.objects.filter(
        action=REVERSE, author_id=entry.author_id, after__reverses=entry.pk
    ).exists()


@transaction.atomic
def repair_reverse(*, actor, audit_entry: AuditEvent, reason: str) -> AuditEvent:
    """Undo one repair (its audit row): detached works are linked again, moved or split
    works go back with the state they had. A new action with its own audit row."""
    if audit_entry.action not in REVERSIBLE:
        raise Refused("Only a detach, a move or a split can be reversed.")
    author = Author.objects.get(pk=audit_entry.author_id)
    other_id = audit_entry.after.get("target") or audit_entry.after.get("new_author")
    other = Author.objects.get(pk=other_id) if other_id else None
    reason = _allowed(actor, reason, *filter(None, [author, other]))
    author = _lock(author)
    if _reversed(audit_entry):
        raise Conflict("That repair was already reversed.")
    if audit_entry.action == DETACH:
        works = _undo_detach(actor, author, audit_entry.after["works"])
    else:
        works = _undo_move(actor, author, _lock(other), audit_entry)
    after = {"reverses": audit_entry.pk, "action": audit_entry.action, "works": works}
    return _audit(actor, REVERSE, author, reason, after=after)


def _undo_detach(actor, author: Author, work_ids: list[int]) -> list[int]:
    rows = list(
        Authorship.objects.select_for_update().filter(
            author=author, work_id__in=work_ids, status=Authorship.Status.DISOWNED
        )
    )
    if not rows:
        raise Conflict("None of those works is detached from the record any more.")
    Authorship.objects.filter(pk__in=[a.pk for a in rows]).update(
        status=Authorship.Status.ACTIVE, status_changed_at=timezone.now()
    )
    _after(actor, CurationDecision.Action.RESTORE, author, rows)
    return sorted(a.work_id for a in rows)


def _undo_move(actor, author: Author, other: Author, entry: AuditEvent) -> list[int]:
    if entry.action == SPLIT and Claim.objects.holder_of(other):
        raise Conflict(f"Someone holds the record split off (#{other.pk}) now.")
    before = {pk: (status, split_from) for pk, _, status, split_from in
              entry.before["authorships"]}  # fmt: skip
    rows = list(
        Authorship.objects.select_for_update().filter(
            pk__in=before, author=other, split_from=author
        )
    )
    if not rows:
        raise Conflict(f"None of those works is on {other} (#{other.pk}) any more.")
    now = timezone.now()
    for a in rows:
        a.author_id, (a.status, a.split_from_id) = author.pk, before[a.pk]
        a.status_changed_at = now
    Authorship.objects.bulk_update(rows, ["author", "status", "split_from", "status_changed_at"])
    _after(actor, CurationDecision.Action.MOVE, other, rows, new_author=author)
    if entry.action == SPLIT and not other.authorships.exists():
        author_merge_into(other, author)  # the emptied record's page leads back
    return sorted(a.work_id for a in rows)

"""What the moderators' workspace reads: each queue oldest first (a fixed number of queries
however long it is), the queue figures, and the trust input this app owns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.claims.models import Claim, Dispute, MergeRequest
from apps.records.pages import record_outlines
from apps.trust.models import VerificationRequest

from .mixups import open_mixups
from .models import Report

QUEUE_LIMIT = 50  # items shown per queue; the count says how many more wait
STATS_DAYS = 7
DECISIONS = (
    "claim.approve", "claim.reject", "dispute.upheld", "dispute.rejected", "merge.approved",
    "merge.rejected", "verification.approved", "verification.rejected", "report.upheld",
    "report.dismissed", "claim.revoke", "claim.reinstate", "user.suspend", "user.unsuspend",
    "report.reopen", "verification.revoke",
)  # fmt: skip


def pending_claims():
    """Evidence claims waiting, outside disputes (those are decided as disputes)."""
    return (
        Claim.objects.pending()
        .exclude(dispute__status=Dispute.Status.OPEN)
        .select_related("author", "user")
    )


def open_disputes():
    return (
        Dispute.objects.filter(status=Dispute.Status.OPEN)
        .order_by("created_at", "id")
        .select_related("author", "claim__user", "held_claim__user")
    )


def pending_merges():
    return (
        MergeRequest.objects.filter(status=MergeRequest.Status.PENDING)
        .order_by("created_at", "id")
        .select_related("survivor", "duplicate", "requested_by")
    )


def pending_verifications():
    return VerificationRequest.objects.pending().select_related("author", "user")


def open_reports():
    return Report.objects.open().abuse().select_related("reporter", "reported_user")


def open_misattributions():
    return (
        Report.objects.open()
        .misattributions()
        .select_related("reporter", "authorship__work", "authorship__author")
    )


QUEUES = {
    "claims": ("Claims", pending_claims),
    "disputes": ("Disputes", open_disputes),
    "merges": ("Merge requests", pending_merges),
    "verifications": ("Identity verification (L3)", pending_verifications),
    "reports": ("Abuse reports", open_reports),
    "attributions": ("Misattributed works", open_misattributions),
    "mixups": ("Likely mix-ups", open_mixups),
}


@dataclass(frozen=True)
class QueueFigure:
    key: str
    label: str
    pending: int
    median_age: datetime.timedelta | None
    oldest_age: datetime.timedelta | None


def _figure(key: str, label: str, qs, now) -> QueueFigure:
    dates = qs.order_by("created_at").values_list("created_at", flat=True)
    n = dates.count()
    if not n:
        return QueueFigure(key, label, 0, None, None)
    # The middle row by the (status, created_at) index: one probe, not the whole queue.
    median, oldest = dates[n // 2], dates[0]
    return QueueFigure(key, label, n, now - median, now - oldest)


def queue_figures() -> list[QueueFigure]:
    """Pending by type with the median and oldest age (three queries a queue)."""
    now = timezone.now()
    return [_figure(key, label, func(), now) for key, (label, func) in QUEUES.items()]


def decisions_per_day(days: int = STATS_DAYS) -> list[tuple[datetime.date, int]]:
    """Moderator decisions each day of the last `days` days, oldest first (one query)."""
    today = timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    rows = (
        AuditEvent.objects.filter(action__in=DECISIONS, created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
    )
    found = {r["day"]: r["n"] for r in rows}
    return [(since + datetime.timedelta(d), found.get(since + datetime.timedelta(d), 0))
            for d in range(days)]  # fmt: skip


def upheld_reports(author_ids: list[int]) -> dict[int, dict[str, int]]:
    """trust.inputs provider: upheld reports against each held record's holder (two
    queries for the batch)."""
    holders = dict(Claim.objects.holders_of(author_ids).values_list("author_id", "user_id"))
    if not holders:
        return {}
    rows = (
        Report.objects.filter(status=Report.Status.UPHELD, reported_user_id__in=holders.values())
        .values("reported_user_id")
        .annotate(n=Count("id"))
    )
    by_user = {r["reported_user_id"]: r["n"] for r in rows}
    return {a: {"upheld_reports": by_user.get(u, 0)} for a, u in holders.items()}


# Who each queue item involves: a moderator never decides an item that involves them.
INVOLVED = {
    "claims": lambda o: {o.user_id},
    "disputes": lambda o: {o.claim.user_id, o.held_claim.user_id},
    "merges": lambda o: {o.requested_by_id},
    "verifications": lambda o: {o.user_id},
    "reports": lambda o: {o.reporter_id, o.reported_user_id},
    "mixups": lambda o: {o.holder_id} - {None},
    "attributions": lambda o: {o.reporter_id},
}


# The records each queue item is about, shown side by side: (title, record).
COMPARED = {
    "claims": lambda o: [("Claimed record", o.author)],
    "disputes": lambda o: [("Disputed record", o.author)],
    "merges": lambda o: [("Keeps", o.survivor), ("Folded in", o.duplicate)],
}


def queue_compared(key: str, items: list) -> None:
    """For the queue's page: give each item `compared`, [(title, record, outline)], the
    records it is about side by side (three queries in all)."""
    if key not in COMPARED:
        return
    pairs = {item.pk: COMPARED[key](item) for item in items}
    outlines = record_outlines(r.pk for ps in pairs.values() for _, r in ps)
    for item in items:
        item.compared = [(title, r, outlines[r.pk]) for title, r in pairs[item.pk]]


def queue_page(key: str, user) -> dict:
    """One queue's page: its oldest QUEUE_LIMIT items (each marked when it involves `user`)
    and how many wait in all. Two queries however long the queue."""
    label, func = QUEUES[key]
    qs = func()
    items = list(qs[:QUEUE_LIMIT])
    for item in items:
        item.involves_me = user.pk in INVOLVED[key](item)
    return {"key": key, "label": label, "items": items, "total": qs.count(), "now": timezone.now()}

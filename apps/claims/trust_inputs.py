"""What claims tell the trust score (apps.trust.inputs providers, registered in ready()): for
each held record, how long its holder has had an account and how many disputes they lost
(a record nobody holds gets nothing: the score reads "no tenure"); for any record, how many
of its disowned works a moderator detached in a repair (not the holder's disowning)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from apps.records.models import Authorship

from .models import Claim, CurationDecision, Dispute


def disputes_lost(user_ids: Iterable[int]) -> dict[int, int]:
    """Per user: disputes in which they lost the record they held, or lost their challenge."""
    user_ids = list(user_ids)
    if not user_ids:
        return {}
    lost = Dispute.objects.filter(
        Q(held_claim__user_id__in=user_ids, status=Dispute.Status.UPHELD)
        | Q(claim__user_id__in=user_ids, status=Dispute.Status.REJECTED)
    ).values_list("status", "held_claim__user_id", "claim__user_id")
    counts: dict[int, int] = {}
    for status, holder, challenger in lost:
        loser = holder if status == Dispute.Status.UPHELD else challenger
        counts[loser] = counts.get(loser, 0) + 1
    return counts


def holder_inputs(author_ids: list[int]) -> dict[int, dict[str, int]]:
    """{author id: {"account_age_days", "disputes_lost"}} for the held records among these:
    two queries for the batch."""
    rows = Claim.objects.holders_of(author_ids).values_list(
        "author_id", "user_id", "user__date_joined"
    )
    rows = list(rows)
    lost, now = disputes_lost(user_id for _, user_id, _ in rows), timezone.now()
    return {
        author_id: {
            "account_age_days": max(0, (now - joined).days),
            "disputes_lost": lost.get(user_id, 0),
        }
        for author_id, user_id, joined in rows
    }


def repaired_works(author_ids: list[int]) -> dict[int, dict[str, int]]:
    """{author id: {"repaired_works"}}: disowned works whose latest decision on the record is
    a moderator's detach (one query for the batch)."""
    latest = CurationDecision.objects.filter(
        author_id=OuterRef("author_id"), work_id=OuterRef("work_id")
    ).order_by("-created_at", "-id")
    rows = (
        Authorship.objects.filter(author_id__in=author_ids, status=Authorship.Status.DISOWNED)
        .annotate(last=Subquery(latest.values("action")[:1]))
        .filter(last=CurationDecision.Action.DETACH)
        .values("author_id")
        .annotate(n=Count("id"))
    )
    return {r["author_id"]: {"repaired_works": r["n"]} for r in rows}

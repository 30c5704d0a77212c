"""Gathering a record's TrustInputs from the database, for one record or a batch at once.

Each input is one grouped query over the whole batch, so scoring 500 records costs the same
handful of queries as scoring one. Apps above trust add inputs they own through a provider
(moderation counts upheld abuse reports) registered in their AppConfig.ready():

    from apps.trust.inputs import trust_input

    @trust_input
    def upheld_reports(holders: dict[int, int]) -> dict[int, dict[str, int]]:
        ...  # {author id: {"upheld_reports": n}} for holders {author id: user id}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from apps.claims.models import Claim, Dispute
from apps.records.models import Author, Authorship, CoAuthorship, VerificationLevel

from .score import TrustInputs

_providers: list[Callable[[dict[int, int]], dict[int, dict[str, int]]]] = []
INPUT_FIELDS = {f.name for f in dataclasses.fields(TrustInputs)}


def trust_input(func: Callable) -> Callable:
    """Register a provider of extra inputs (see the module docstring)."""
    if func not in _providers:
        _providers.append(func)
    return func


def _years(ids: list[int]) -> dict[int, tuple[int | None, int | None]]:
    rows = (
        Authorship.objects.visible()
        .filter(author_id__in=ids, work__publication_year__isnull=False)
        .values("author_id")
        .annotate(first=Min("work__publication_year"), latest=Max("work__publication_year"))
    )
    return {r["author_id"]: (r["first"], r["latest"]) for r in rows}


def _authorships(ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        Authorship.objects.filter(author_id__in=ids)
        .values("author_id")
        .annotate(total=Count("id"), disowned=Count("id", filter=Q(status="disowned")))
    )
    return {r["author_id"]: (r["disowned"], r["total"]) for r in rows}


def _verified_collaborators(ids: list[int]) -> dict[int, int]:
    rows = (
        CoAuthorship.objects.filter(
            author_id__in=ids, coauthor__verification_level__gte=VerificationLevel.L2
        )
        .values("author_id")
        .annotate(n=Count("id"))
    )
    return {r["author_id"]: r["n"] for r in rows}


def _holders(ids: list[int]) -> dict[int, tuple[int, object]]:
    rows = Claim.objects.holders_of(ids).values_list("author_id", "user_id", "user__date_joined")
    return {author_id: (user_id, joined) for author_id, user_id, joined in rows}


def _disputes_lost(user_ids: Iterable[int]) -> dict[int, int]:
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


def trust_inputs_many(author_ids: Iterable[int]) -> dict[int, TrustInputs]:
    """The inputs of each of these records, in a fixed number of queries for the batch."""
    ids = sorted(set(author_ids))
    authors = Author.objects.filter(id__in=ids).values(
        "id", "verification_level", "works_count", "citation_count", "h_index"
    )
    years, ships = _years(ids), _authorships(ids)
    network, holders = _verified_collaborators(ids), _holders(ids)
    lost = _disputes_lost(user_id for user_id, _ in holders.values())
    extra: dict[int, dict[str, int]] = {}
    holder_users = {a: user_id for a, (user_id, _) in holders.items()}
    for provider in _providers:
        for author_id, values in provider(holder_users).items():
            extra.setdefault(author_id, {}).update(values)
    now = timezone.now()
    result = {}
    for a in authors:
        pk = a["id"]
        first, latest = years.get(pk, (None, None))
        disowned, total = ships.get(pk, (0, 0))
        user_id, joined = holders.get(pk, (None, None))
        more = {k: v for k, v in extra.get(pk, {}).items() if k in INPUT_FIELDS}
        result[pk] = TrustInputs(
            verification_level=a["verification_level"],
            works_count=a["works_count"],
            citation_count=a["citation_count"],
            h_index=a["h_index"],
            first_year=first,
            latest_year=latest,
            current_year=now.year,
            account_age_days=None if joined is None else max(0, (now - joined).days),
            verified_collaborators=network.get(pk, 0),
            disputes_lost=lost.get(user_id, 0) if user_id else 0,
            disowned_works=disowned,
            authorships_total=total,
            **more,
        )
    return result


def trust_inputs_for(author: Author) -> TrustInputs:
    """The inputs of one record's trust score (see trust_inputs_many)."""
    return trust_inputs_many([author.pk])[author.pk]

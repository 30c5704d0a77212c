"""Gathering records' TrustInputs from the database, a batch at once.

Each input is one grouped query over the whole batch, so scoring 500 records costs the same
handful of queries as scoring one. Trust reads only records; the apps above it own the other
facts and hand them in through a provider registered in their AppConfig.ready() (claims: the
holder's account age and disputes lost; moderation: upheld abuse reports):

    from apps.trust.inputs import trust_input

    trust_input(upheld_reports)  # (author_ids) -> {author id: {"upheld_reports": n}}

A provider answers for the records it knows something about, in a fixed number of queries
for the batch; names that are not TrustInputs fields are ignored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from apps.records.models import Author, Authorship, CoAuthorship, VerificationLevel

from .score import TrustInputs

Provider = Callable[[list[int]], dict[int, dict[str, int]]]
_providers: list[Provider] = []
INPUT_FIELDS = {f.name for f in dataclasses.fields(TrustInputs)}


def trust_input(func: Provider) -> Provider:
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


def trust_inputs_many(author_ids: Iterable[int]) -> dict[int, TrustInputs]:
    """The inputs of each of these records, in a fixed number of queries for the batch."""
    ids = sorted(set(author_ids))
    authors = Author.objects.filter(id__in=ids).values(
        "id", "verification_level", "works_count", "citation_count", "h_index"
    )
    years, ships, network = _years(ids), _authorships(ids), _verified_collaborators(ids)
    extra: dict[int, dict[str, int]] = {}
    for provider in _providers:
        for author_id, values in provider(ids).items():
            extra.setdefault(author_id, {}).update(values)
    now = timezone.now()
    result = {}
    for a in authors:
        pk = a["id"]
        first, latest = years.get(pk, (None, None))
        disowned, total = ships.get(pk, (0, 0))
        more = {k: v for k, v in extra.get(pk, {}).items() if k in INPUT_FIELDS}
        result[pk] = TrustInputs(
            verification_level=a["verification_level"],
            works_count=a["works_count"],
            citation_count=a["citation_count"],
            h_index=a["h_index"],
            first_year=first,
            latest_year=latest,
            current_year=now.year,
            verified_collaborators=network.get(pk, 0),
            disowned_works=disowned,
            authorships_total=total,
            **more,
        )
    return result

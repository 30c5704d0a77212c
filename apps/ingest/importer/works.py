"""Upserting one work from one source."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.ingest.normalized import WorkRecord
from apps.records.links import link_kind
from apps.records.models import Provenance, Work, WorkLink, WorkType

from .authors import survivor_openalex_id
from .byline import reconcile_byline
from .lookups import Lookups
from .precedence import (
    asserted_fields,
    effective_date,
    merge_assertion,
    merged_other_ids,
    winner,
)

SCALAR_FIELDS = (
    "title",
    "abstract",
    "type",
    "landing_url",
    "pdf_url",
    "code_url",
    "citation_count",
)
IDENTIFIERS = ("doi", "arxiv_id", "openalex_id")


def find_work(record: WorkRecord) -> Work | None:
    """The row this record describes: by OpenAlex id (after merges), DOI or arXiv id, else by
    the source's own key for records that carry no identifier."""
    ids = _identifiers(record)
    match = Q()
    for field, value in ids.items():
        match |= Q(**{field: value})
    if ids:
        rows = list(Work.objects.filter(match))
        for field in ("openalex_id", "doi", "arxiv_id"):  # strongest identifier first
            for row in rows:
                if ids.get(field) and getattr(row, field) == ids[field]:
                    return row
    known = Provenance.objects.filter(source=record.source, source_key=record.source_key)
    return Work.objects.filter(provenance__in=known.filter(work__isnull=False)).first()


def _identifiers(record: WorkRecord) -> dict[str, str]:
    ids = {
        "doi": record.doi,
        "arxiv_id": record.arxiv_id,
        "openalex_id": survivor_openalex_id(record.openalex_id),
    }
    return {k: v for k, v in ids.items() if v}


def _create(record: WorkRecord) -> Work | None:
    try:
        with transaction.atomic():
            return Work.objects.create(title=record.title or "", **_identifiers(record))
    except IntegrityError:  # created concurrently by another worker: use theirs
        return None


def work_upsert(record: WorkRecord, lookups: Lookups, now: datetime.datetime) -> str:
    """Create or update one work from `record`; returns created/updated/unchanged/skipped."""
    work = find_work(record)
    created = work is None
    if created:
        work = _create(record) or find_work(record)
    incoming = asserted_fields(record)
    provenance, made = Provenance.objects.get_or_create(
        work=work,
        source=record.source,
        source_key=record.source_key,
        defaults={"fields": incoming, "fetched_at": now},
    )
    fields = merge_assertion(None if made else provenance.fields, incoming)
    if not made and provenance.fields == fields:
        Provenance.objects.filter(pk=provenance.pk).update(fetched_at=now)
        return "unchanged"
    if not made:
        Provenance.objects.filter(pk=provenance.pk).update(fields=fields, fetched_at=now)
    by_source = _assertions(work)
    changed = _apply_fields(work, by_source, lookups)
    changed |= _adopt_identifiers(work, record)
    changed |= _add_topics(work, record, lookups)
    changed |= _add_links(work, record)
    changed |= reconcile_byline(work, record, by_source, lookups)
    if created:
        lookups.created_works.add(work.pk)
    if changed or created:
        lookups.touched_authors.update(work.authorships.values_list("author_id", flat=True))
    return "created" if created else ("updated" if changed else "unchanged")


def _assertions(work: Work) -> dict[str, list[dict]]:
    by_source: dict[str, list[dict]] = {}
    for provenance in work.provenance.order_by("source_key"):
        by_source.setdefault(provenance.source, []).append(provenance.fields)
    return by_source


def _apply_fields(work: Work, by_source: dict, lookups: Lookups) -> bool:
    values = {field: winner(field, by_source)[1] for field in SCALAR_FIELDS}
    titled, _ = winner("title", by_source)
    # The markup of the same assertion the title came from, so the two always agree.
    values["title_html"] = (titled or {}).get("title_markup") or ""
    values["title"] = values["title"] or work.title or ""
    values["other_ids"] = dict(sorted({**work.other_ids, **merged_other_ids(by_source)}.items()))
    values["abstract"] = values["abstract"] or ""
    values["type"] = values["type"] if values["type"] in WorkType.values else WorkType.OTHER
    for url in ("landing_url", "pdf_url", "code_url"):
        values[url] = (values[url] or "")[:1000]
    values["citation_count"] = (
        values["citation_count"] if values["citation_count"] is not None else work.citation_count
    )
    date, precision = effective_date(by_source)
    values.update(
        publication_date=date,
        date_precision=precision or "day",
        publication_year=date.year if date else None,
    )
    venue = lookups.venue(winner("venue", by_source)[1])
    values["venue_id"] = venue.pk if venue else work.venue_id
    changed = [field for field, value in values.items() if getattr(work, field) != value]
    for field in changed:
        setattr(work, field, values[field])
    if changed:
        work.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def _adopt_identifiers(work: Work, record: WorkRecord) -> bool:
    """Fill identifiers the row lacks, when no other row holds them (never steal one)."""
    adopted = []
    for field, value in _identifiers(record).items():
        current = getattr(work, field)
        if current == value or (current and field != "openalex_id"):
            continue
        if Work.objects.filter(**{field: value}).exclude(pk=work.pk).exists():
            continue
        if current and survivor_openalex_id(current) != value:
            continue  # a different OpenAlex work, not a merge: keep ours
        setattr(work, field, value)
        adopted.append(field)
    if adopted:
        work.save(update_fields=[*adopted, "updated_at"])
    return bool(adopted)


URL_LIMIT = WorkLink._meta.get_field("url").max_length


def _add_links(work: Work, record: WorkRecord) -> bool:
    """Links only accumulate, and one the holder removed stays removed: an existing row (by
    address) is never touched."""
    if not record.links:
        return False
    have = set(work.links.values_list("url", flat=True))
    new = [
        WorkLink(work=work, url=url, kind=link_kind(url), origin=record.source)
        for url in dict.fromkeys(record.links)
        if url not in have and len(url) <= URL_LIMIT  # half an address is a wrong one
    ]
    WorkLink.objects.bulk_create(new, ignore_conflicts=True)
    return bool(new)


def _add_topics(work: Work, record: WorkRecord, lookups: Lookups) -> bool:
    """Topics only accumulate: a source that stops listing one does not remove it."""
    wanted = {lookups.topic(t).pk for t in record.topics if t.name or t.code}
    have = set(work.topics.values_list("pk", flat=True))
    if wanted - have:
        work.topics.add(*(wanted - have))
        return True
    return False

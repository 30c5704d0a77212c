"""Writing a planned community: topics, institutions and venues by natural key (an import may
have made them already), then authors, works, authorships and provenance in bulk."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model
from django.db.models.fields.related_descriptors import ManyToManyDescriptor

from apps.records.models import (
    Author,
    Authorship,
    Institution,
    Provenance,
    Source,
    Topic,
    Venue,
    Work,
)
from apps.records.services import author_metrics_refresh

from ..context import DemoContext
from .data import FETCHED_AT, INSTITUTIONS, TOPICS, VENUES
from .plan import Plan


def community_write(plan: Plan, ctx: DemoContext) -> None:
    topics = _save_topics(ctx)
    institutions = _save_institutions(plan, ctx)
    venues = _save_venues(ctx)
    authors = _save_authors(plan, institutions, ctx)
    works = _save_works(plan, topics, venues, ctx)
    _save_authorships(plan, authors, works, institutions, ctx)
    _save_provenance(authors, works)
    author_metrics_refresh(author.id for author in authors)


def _insert(
    ctx: DemoContext,
    label: str,
    rows: list[Model],
    linked: Iterable[Iterable[int]],
    relation: ManyToManyDescriptor,
) -> None:
    """Bulk-insert rows, then their many-to-many `relation`: `linked` gives, row by row, the
    ids each row is linked to."""
    type(rows[0]).objects.bulk_create(rows)
    through, field = relation.through, relation.field
    own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    through.objects.bulk_create(
        through(**{own: row.id, other: related})
        for row, ids in zip(rows, linked, strict=True)
        for related in ids
    )
    ctx.created(label, len(rows))


def _save_topics(ctx: DemoContext) -> dict[str, Topic]:
    """By arXiv code, reusing a topic an import already made."""
    return {
        code: ctx.got(
            "topics",
            Topic.objects.get_or_create(
                code=code, defaults={"name": name, "slug": code.lower().replace(".", "-")}
            ),
        )
        for code, name, *_ in TOPICS
    }


def _save_institutions(plan: Plan, ctx: DemoContext) -> list[Institution]:
    return [
        ctx.got(
            "institutions",
            Institution.objects.get_or_create(
                ror_id=ror, defaults={"name": name, "country_code": country}
            ),
        )
        for (name, country), ror in zip(INSTITUTIONS, plan.rors, strict=True)
    ]


def _save_venues(ctx: DemoContext) -> dict[str, Venue]:
    return {
        name: ctx.got("venues", Venue.objects.get_or_create(name=name, kind=kind))
        for name, kind, _ in VENUES
    }


def _save_authors(plan: Plan, institutions: list[Institution], ctx: DemoContext) -> list[Author]:
    authors = []
    for record in plan.records:
        author = Author(
            orcid=record.orcid, openalex_id=record.openalex_id, other_ids=record.other_ids
        )
        author.set_names(record.name, record.variants)
        authors.append(author)
    places = ([institutions[i].id for i in record.institutions] for record in plan.records)
    _insert(ctx, "authors", authors, places, Author.institutions)
    return authors


def _save_works(plan: Plan, topics: dict, venues: dict, ctx: DemoContext) -> list[Work]:
    works = [
        Work(
            title=w.title,
            abstract=w.abstract,
            type=w.type,
            publication_date=w.date,
            date_precision=w.precision,
            publication_year=w.date.year,
            venue=venues[w.venue] if w.venue else None,
            doi=w.doi,
            arxiv_id=w.arxiv_id,
            openalex_id=w.openalex_id,
            other_ids=w.other_ids,
            code_url=w.code_url,
            citation_count=w.citations,
            authors_count=len(w.authorships),
        )
        for w in plan.works
    ]
    tags = ([topics[code].id for code in planned.topics] for planned in plan.works)
    _insert(ctx, "works", works, tags, Work.topics)
    return works


def _save_authorships(plan: Plan, authors, works, institutions, ctx: DemoContext) -> None:
    rows, affiliations = [], []
    for work, planned in zip(works, plan.works, strict=True):
        for position, (record, printed, places) in enumerate(planned.authorships):
            rows.append(
                Authorship(
                    work_id=work.id,
                    author_id=authors[record].id,
                    position=position,
                    raw_name=printed,
                )
            )
            affiliations.append([institutions[i].id for i in places])
    _insert(ctx, "authorships", rows, affiliations, Authorship.institutions)


def _save_provenance(authors: list[Author], works: list[Work]) -> None:
    """Every demo row says where it came from: the demo source, as of ANCHOR's morning."""
    Provenance.objects.bulk_create(
        [
            Provenance(
                author_id=author.id,
                source=Source.DEMO,
                source_key=author.openalex_id or "",
                fields={"display_name": author.display_name},
                fetched_at=FETCHED_AT,
            )
            for author in authors
        ]
        + [
            Provenance(
                work_id=work.id,
                source=Source.DEMO,
                source_key=work.doi,
                fields={"title": work.title, "doi": work.doi},
                fetched_at=FETCHED_AT,
            )
            for work in works
        ]
    )

"""The demo research community: 22 arXiv categories, 30 synthetic institutions, 20 venues,
about 480 author records in 51 labs, and about 3,600 works with 17,000 authorships. Names and
texts are synthetic and every choice comes from `ctx.random`, so the community is identical on
every machine.

- Dates count back from ANCHOR, the fixed day 2026-11-20 (not today: the data must not change
  between runs). Each of the 30 days up to ANCHOR has several works dated to the day, so the
  daily recent-works listing looks alive.
- Identifiers are well formed and, where we can manage it, name nothing real: DOIs under 10.5555
  (reserved for examples), arXiv numbers from 90000 (above any month's submissions), ORCID iDs
  in 0000-0000-… (a block ORCID does not issue), OpenAlex ids A99…/W99…, PubMed ids from
  90,000,000, dblp keys 9xx/…. ROR ids are random with valid check digits.
- MIXED_RECORDS lists the records that wrongly hold two people's works (for claims, "not mine"
  and splits); DEMO_ACCOUNT_AUTHORS the unclaimed records of the demo accounts.

data.py holds the fixed facts and word lists, text.py composes names, titles and abstracts,
plan.py builds the community in memory, and this module writes it.
"""

from __future__ import annotations

from django.db import transaction

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
from .data import (
    ANCHOR,
    DEMO_ACCOUNT_AUTHORS,
    DOI_PREFIX,
    FETCHED_AT,
    INSTITUTIONS,
    MIXED_RECORDS,
    TOPICS,
    VENUES,
    MixedRecord,
)
from .plan import Plan, plan_community

__all__ = [
    "ANCHOR",
    "DEMO_ACCOUNT_AUTHORS",
    "DOI_PREFIX",
    "MIXED_RECORDS",
    "MixedRecord",
    "seed_records",
]


@transaction.atomic
def seed_records(ctx: DemoContext) -> None:
    """Write the community once. seed_demo runs every step in one transaction (and this one
    is atomic on its own too), so an interrupted run leaves nothing behind: if any demo work
    exists, the whole community does."""
    if Work.objects.filter(doi__startswith=DOI_PREFIX).exists():
        return
    plan = plan_community(ctx.random)
    topics = _save_topics(ctx)
    institutions = _save_institutions(plan, ctx)
    venues = _save_venues(ctx)
    authors = _save_authors(plan, institutions, ctx)
    works = _save_works(plan, topics, venues, ctx)
    _save_authorships(plan, authors, works, institutions, ctx)
    _save_provenance(authors, works)
    author_metrics_refresh(author.id for author in authors)


def _save_topics(ctx: DemoContext) -> dict[str, Topic]:
    """By arXiv code, reusing a topic an import already made."""
    topics = {}
    for code, name, *_ in TOPICS:
        slug = code.lower().replace(".", "-")
        topics[code], created = Topic.objects.get_or_create(
            code=code, defaults={"name": name, "slug": slug}
        )
        if created:
            ctx.created("topics")
    return topics


def _save_institutions(plan: Plan, ctx: DemoContext) -> list[Institution]:
    institutions = []
    for (name, country), ror in zip(INSTITUTIONS, plan.rors, strict=True):
        institution, created = Institution.objects.get_or_create(
            ror_id=ror, defaults={"name": name, "country_code": country}
        )
        institutions.append(institution)
        if created:
            ctx.created("institutions")
    return institutions


def _save_venues(ctx: DemoContext) -> dict[str, Venue]:
    venues = {}
    for name, kind, _ in VENUES:
        venues[name], created = Venue.objects.get_or_create(name=name, kind=kind)
        if created:
            ctx.created("venues")
    return venues


def _save_authors(plan: Plan, institutions: list[Institution], ctx: DemoContext) -> list[Author]:
    authors = []
    for record in plan.records:
        author = Author(
            orcid=record.orcid, openalex_id=record.openalex_id, other_ids=record.other_ids
        )
        author.set_names(record.name, record.variants)
        authors.append(author)
    Author.objects.bulk_create(authors)
    through = Author.institutions.through
    through.objects.bulk_create(
        through(author_id=author.id, institution_id=institutions[i].id)
        for author, record in zip(authors, plan.records, strict=True)
        for i in record.institutions
    )
    ctx.created("authors", len(authors))
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
    Work.objects.bulk_create(works)
    through = Work.topics.through
    through.objects.bulk_create(
        through(work_id=work.id, topic_id=topics[code].id)
        for work, planned in zip(works, plan.works, strict=True)
        for code in planned.topics
    )
    ctx.created("works", len(works))
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
            affiliations.append(places)
    Authorship.objects.bulk_create(rows)
    through = Authorship.institutions.through
    through.objects.bulk_create(
        through(authorship_id=row.id, institution_id=institutions[i].id)
        for row, places in zip(rows, affiliations, strict=True)
        for i in places
    )
    ctx.created("authorships", len(rows))


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

"""Get-or-create for the small shared rows (venues, topics, institutions), cached per import.

Two imports may want the same new row at once (co-authors refreshed together share their
works' topics and venues), so each create runs in a savepoint and, when a unique constraint
says another transaction made the row first, the row is looked up again and theirs is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from apps.ingest.normalized import InstitutionRecord, TopicRecord, VenueRecord
from apps.records.models import Author, Institution, Topic, Venue


def venue_key(record: VenueRecord) -> str:
    """What makes two venue records the same venue within one import."""
    return record.openalex_id or record.name.casefold()


def topic_key(record: TopicRecord) -> str:
    return record.openalex_id or record.code or record.name.casefold()


def institution_key(record: InstitutionRecord) -> str:
    return record.ror_id or record.openalex_id or record.name.casefold()


def topic_slug(name: str) -> str:
    """The slug a topic without an OpenAlex id or a code is found by."""
    return slugify(name)[:120]


def topic_slug_base(record: TopicRecord) -> str:
    """A new topic's slug, before a number is added to make it unique."""
    return slugify(record.code.replace(".", "-") if record.code else record.name)[:110] or "topic"


CREATE_ATTEMPTS = 5


def get_or_create(
    find: Callable[[], models.Model | None], create: Callable[[], models.Model]
) -> models.Model:
    """`find()`, else `create()`; when the create loses a race (IntegrityError on a unique
    constraint), the winner's row. A unique value that stays taken after every attempt (a
    slug held by a different topic) raises the last IntegrityError."""
    for attempt in range(CREATE_ATTEMPTS):
        found = find()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            if attempt == CREATE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@dataclass
class Lookups:
    venues: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)
    institutions: dict = field(default_factory=dict)
    created_authors: set[int] = field(default_factory=set)
    touched_authors: set[int] = field(default_factory=set)  # metrics to refresh afterwards
    created_works: set[int] = field(default_factory=set)  # announced after commit (hooks.py)

    def venue(self, record: VenueRecord | dict | None) -> Venue | None:
        if not record:
            return None
        record = VenueRecord(**record) if isinstance(record, dict) else record
        key = venue_key(record)
        if key not in self.venues:
            self.venues[key] = get_or_create(
                lambda: self._find_venue(record),
                # The record's fields are the venue's columns.
                lambda: Venue.objects.create(**{**vars(record), "name": record.name[:300]}),
            )
        return self.venues[key]

    def _find_venue(self, record: VenueRecord) -> Venue | None:
        if record.openalex_id:
            return Venue.objects.filter(openalex_id=record.openalex_id).first()
        return Venue.objects.filter(name__iexact=record.name).order_by("id").first()

    def topic(self, record: TopicRecord) -> Topic:
        key = topic_key(record)
        if key not in self.topics:
            self.topics[key] = get_or_create(
                lambda: self._find_topic(record), lambda: self._create_topic(record)
            )
        return self.topics[key]

    def _find_topic(self, record: TopicRecord) -> Topic | None:
        if record.openalex_id:
            return Topic.objects.filter(openalex_id=record.openalex_id).first()
        if record.code:
            return Topic.objects.filter(code=record.code).first()
        return Topic.objects.filter(slug=topic_slug(record.name)).first()

    def _create_topic(self, record: TopicRecord) -> Topic:
        base = topic_slug_base(record)
        slug, n = base, 1
        while Topic.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return Topic.objects.create(
            name=record.name[:200], slug=slug, code=record.code, openalex_id=record.openalex_id
        )

    def institution(self, record: InstitutionRecord) -> Institution:
        key = institution_key(record)
        if key not in self.institutions:
            self.institutions[key] = get_or_create(
                lambda: self._find_institution(record),
                lambda: Institution.objects.create(
                    **{
                        **vars(record),
                        "name": record.name[:300],
                        "country_code": (record.country_code or "")[:2].upper(),
                    }
                ),
            )
        return self.institutions[key]

    def _find_institution(self, record: InstitutionRecord) -> Institution | None:
        found = None
        if record.ror_id:
            found = Institution.objects.filter(ror_id=record.ror_id).first()
        if found is None and record.openalex_id:
            found = Institution.objects.filter(openalex_id=record.openalex_id).first()
        if found is None and not (record.ror_id or record.openalex_id):
            found = Institution.objects.filter(name__iexact=record.name).order_by("id").first()
        return found

    def add_institutions(self, author: Author, records: list[InstitutionRecord]) -> bool:
        """Add (never remove) institutions to an author; True if any was new."""
        wanted = {self.institution(r).pk for r in records if r.name}
        have = set(author.institutions.values_list("pk", flat=True))
        if wanted - have:
            author.institutions.add(*(wanted - have))
            return True
        return False

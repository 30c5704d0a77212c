"""The demo research community (apps/demo/records): big enough, well formed, deterministic,
and seeded once however often seed_demo runs.

Seeding takes several seconds, so the module seeds once inside a transaction that is rolled
back at the end; each test runs in a savepoint within it, as usual for django_db tests."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from io import StringIO
from random import Random

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q

from apps.demo.accounts import DEMO_USERS
from apps.demo.records import (
    ANCHOR,
    DEMO_ACCOUNT_AUTHORS,
    DOI_PREFIX,
    MIXED_RECORDS,
    plan_community,
)
from apps.records.identifiers import (
    normalize_arxiv_id,
    normalize_doi,
    normalize_openalex_id,
    normalize_orcid,
    normalize_ror,
)
from apps.records.models import (
    Author,
    Authorship,
    AuthorTopic,
    CoAuthorship,
    Institution,
    Provenance,
    Topic,
    Venue,
    VerificationLevel,
    Work,
)
from apps.records.search import author_search

pytestmark = pytest.mark.django_db

MODELS = (Author, Work, Authorship, Topic, Institution, Venue, AuthorTopic, CoAuthorship)


@pytest.fixture(scope="module", autouse=True)
def demo_community(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        # Fire PostgreSQL's deferred foreign-key checks now, once: left pending, they would be
        # re-run by every test's teardown (Django checks constraints before each rollback).
        connection.check_constraints()
        yield
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*MODELS, Provenance)}


def _coauthors(author: Author, works: set[int]) -> set[int]:
    return set(
        Authorship.objects.filter(work_id__in=works)
        .exclude(author=author)
        .values_list("author_id", flat=True)
    )


def test_the_community_is_big_enough_to_explore():
    assert Author.objects.count() >= 300
    assert Work.objects.count() >= 3000
    assert 15 <= Topic.objects.count() <= 25
    assert 20 <= Institution.objects.count() <= 40
    assert 15 <= Venue.objects.count() <= 30
    assert Venue.objects.filter(name="arXiv", kind="repository").exists()
    assert Topic.objects.get(code="cs.DC").name == "Distributed, Parallel, and Cluster Computing"
    assert set(Work.objects.values_list("type", flat=True)) == {
        "preprint",
        "article",
        "proceedings",
        "book-chapter",
        "dataset",
        "other",
    }


def test_every_identifier_is_stored_normalised():
    for orcid in Author.objects.exclude(orcid=None).values_list("orcid", flat=True):
        assert normalize_orcid(orcid) == orcid
    for key in Author.objects.exclude(openalex_id=None).values_list("openalex_id", flat=True):
        assert normalize_openalex_id(key, "author") == key
    for ror in Institution.objects.values_list("ror_id", flat=True):
        assert normalize_ror(ror) == ror
    for doi, arxiv_id, key in Work.objects.values_list("doi", "arxiv_id", "openalex_id"):
        assert doi.startswith(DOI_PREFIX)
        assert normalize_doi(doi) == doi
        assert arxiv_id is None or normalize_arxiv_id(arxiv_id) == arxiv_id
        assert key is None or normalize_openalex_id(key, "work") == key


def test_identifiers_are_spread_as_in_real_sources():
    authors, works = Author.objects.count(), Work.objects.count()
    assert 0.3 < Author.objects.exclude(orcid=None).count() / authors < 0.5
    assert 0.35 < Work.objects.exclude(arxiv_id=None).count() / works < 0.65
    assert Work.objects.exclude(code_url="").exists()
    assert Author.objects.exclude(other_ids={}).exists()
    assert Author.objects.exclude(name_variants=[]).count() > authors / 4


def test_bylines_are_ordered_from_zero_and_counted():
    positions = defaultdict(list)
    for work_id, position in Authorship.objects.values_list("work_id", "position"):
        positions[work_id].append(position)
    sizes = Counter()
    for work in Work.objects.only("id", "authors_count", "publication_date", "publication_year"):
        assert sorted(positions[work.id]) == list(range(work.authors_count))
        assert work.publication_year == work.publication_date.year
        sizes[work.authors_count] += 1
    assert set(range(1, 13)) <= set(sizes)
    assert max(sizes) >= 50  # the consortium paper
    assert Authorship.objects.filter(institutions__isnull=False).exists()
    assert Authorship.objects.filter(raw_name__regex=r"^[A-Z]\. ").exists()  # "A. Lindqvist"


def test_citations_are_skewed():
    citations = sorted(Work.objects.values_list("citation_count", flat=True))
    assert citations[len(citations) // 2] <= 10
    assert citations[-1] >= 500


@pytest.mark.parametrize("mixed", MIXED_RECORDS, ids=lambda m: m.display_name)
def test_mixed_record_holds_two_people_with_disjoint_coauthors(mixed):
    record = Author.objects.get(openalex_id=mixed.openalex_id)
    assert record.display_name == mixed.display_name
    works = Work.objects.visible_on(record)
    first, second = (
        set(works.filter(topics__code=code).values_list("id", flat=True)) for code in mixed.topics
    )
    assert len(first) >= 3 and len(second) >= 3
    assert not first & second
    assert not _coauthors(record, first) & _coauthors(record, second)
    if mixed.second_openalex_id:
        own = Author.objects.get(openalex_id=mixed.second_openalex_id)
        assert own.display_name == mixed.display_name
        assert not Work.objects.visible_on(own).filter(topics__code=mixed.topics[0]).exists()
        assert Work.objects.visible_on(own).filter(topics__code=mixed.topics[1]).exists()


def test_metrics_are_computed_from_visible_authorships():
    visible = Count("authorships", filter=Q(authorships__status="active"))
    # Records the demo accounts claimed are L2 (apps/demo/claims.py); the rest follow their ids.
    unclaimed = Author.objects.exclude(claims__status="approved")
    rows = unclaimed.annotate(visible=visible).values_list(
        "works_count", "visible", "orcid", "verification_level"
    )
    for works_count, visible_count, orcid, level in rows:
        assert works_count == visible_count
        assert level == (VerificationLevel.L1 if orcid else VerificationLevel.L0)
    assert Author.objects.filter(h_index__gt=0, collaborators_count__gt=0).exists()
    assert CoAuthorship.objects.filter(shared_works__gte=2).exists()
    assert not Author.objects.filter(works_count=0).exists()


def test_demo_accounts_have_unclaimed_records_of_the_same_name():
    researchers = {name for role, _, name in DEMO_USERS if role == "researcher"}
    assert researchers == set(DEMO_ACCOUNT_AUTHORS)
    for name in researchers:
        assert Author.objects.get(display_name=name).works_count > 0


@pytest.mark.parametrize("query", ["Yongji Wu", "Y. Wu", "Wu, Yongji", "yongji wuu"])
def test_the_spec_search_example_finds_yongji_wu(query):
    assert "Yongji Wu" in [author.display_name for author in author_search(query)[:3]]


def test_each_of_the_last_days_has_works_dated_to_the_day():
    days = [ANCHOR - datetime.timedelta(days=n) for n in range(1, 11)]
    dated = set(
        Work.objects.filter(publication_date__in=days, date_precision="day")
        .values_list("publication_date", flat=True)
        .distinct()
    )
    assert len(dated) >= 5
    assert not Work.objects.filter(publication_date__gt=ANCHOR).exists()
    assert Work.objects.filter(publication_date__lt=ANCHOR - datetime.timedelta(days=3000)).exists()
    assert {"month", "year"} <= set(Work.objects.values_list("date_precision", flat=True))


def test_seeding_twice_duplicates_nothing():
    before = _counts()
    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert _counts() == before
    assert "created: nothing new" in output.getvalue()


def test_the_community_is_the_same_on_every_run():
    first, second = plan_community(Random(7)), plan_community(Random(7))
    assert [(w.title, w.doi, w.authorships) for w in first.works] == [
        (w.title, w.doi, w.authorships) for w in second.works
    ]
    assert [r.orcid for r in first.records] == [r.orcid for r in second.records]


def test_the_scheduler_never_queues_a_demo_record(django_capture_on_commit_callbacks):
    from apps.ingest.services import refresh_schedule, refreshable_authors

    assert Author.objects.exclude(openalex_id=None, orcid=None).count() >= 300  # ids, made up
    assert not refreshable_authors().exists()
    with django_capture_on_commit_callbacks() as callbacks:
        assert refresh_schedule(limit=500) == []
    assert callbacks == []

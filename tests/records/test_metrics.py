import datetime

import pytest

from apps.records.metrics import h_index, newest_work_ids, years_active
from apps.records.models import Author, Authorship, CoAuthorship, VerificationLevel
from apps.records.services import author_metrics_refresh


@pytest.mark.parametrize(
    ("citations", "expected"),
    [([], 0), ([0, 0], 0), ([1], 1), ([10, 8, 5, 4, 3], 4), ([25, 8, 5, 3, 3], 3), ([3, 3, 3], 3)],
)
def test_h_index(citations, expected):
    assert h_index(citations) == expected


def test_years_active_leave_undated_works_out():
    assert years_active([2019, None, 2012, 2015]) == (2012, 2019)
    assert years_active([None]) == (None, None)
    assert years_active([]) == (None, None)


def test_newest_works_by_date_then_the_higher_id_undated_last():
    day = datetime.date(2020, 5, 1)
    works = [(1, day), (2, None), (3, datetime.date(2021, 1, 1)), (4, day), (5, None)]
    assert newest_work_ids(works) == [3, 4, 1]
    assert newest_work_ids([(7, None), (6, None)]) == [7, 6]


@pytest.fixture
def lab(records):
    ada, tomas, mei = (records.author(n) for n in ("Ada Lindqvist", "Tomas Okafor", "Mei Tanaka"))
    cs_dc, cs_lg = records.topic("cs.DC"), records.topic("cs.LG")
    works = [
        records.work(ada, tomas, citation_count=10, topics=[cs_dc]),
        records.work(ada, tomas, citation_count=4, topics=[cs_dc, cs_lg]),
        records.work(ada, mei, citation_count=1, topics=[cs_lg]),
    ]
    author_metrics_refresh([ada.id, tomas.id, mei.id])
    return ada, tomas, mei, works


@pytest.mark.django_db
def test_metrics_come_from_the_visible_works(lab):
    ada, tomas, mei, _ = lab
    ada.refresh_from_db()
    assert (ada.works_count, ada.citation_count, ada.h_index) == (3, 15, 2)
    assert ada.topics_count == 2
    assert ada.collaborators_count == 1  # Tomás (2 shared); Mei shares only 1
    assert CoAuthorship.objects.get(author=tomas, coauthor=ada).shared_works == 2
    assert CoAuthorship.objects.get(author=ada, coauthor=mei).shared_works == 1


@pytest.mark.django_db
def test_a_disowned_work_stops_counting_for_everyone(lab):
    ada, tomas, _, works = lab
    Authorship.objects.filter(author=ada, work=works[0]).update(status="disowned")
    author_metrics_refresh([ada.id])

    ada.refresh_from_db()
    tomas.refresh_from_db()
    assert (ada.works_count, ada.citation_count) == (2, 5)
    assert ada.collaborators_count == 0
    assert tomas.collaborators_count == 0
    assert CoAuthorship.objects.get(author=tomas, coauthor=ada).shared_works == 1


@pytest.mark.django_db
def test_a_changed_citation_count_reaches_every_author(lab):
    ada, tomas, _, works = lab
    works[0].citation_count = 100
    works[0].save(update_fields=["citation_count"])
    author_metrics_refresh([ada.id, tomas.id])  # everyone on the changed work's byline
    assert Author.objects.get(pk=tomas.pk).citation_count == 104
    assert Author.objects.get(pk=ada.pk).citation_count == 105


@pytest.mark.django_db
def test_levels_follow_identifiers_but_never_lower_a_verified_record(records):
    anchored = records.author("Ada Lindqvist", orcid="0000-0003-1415-9269")
    named = records.author("Tomas Okafor")
    verified = records.author("Mei Tanaka", verification_level=VerificationLevel.L3)
    author_metrics_refresh([anchored.id, named.id, verified.id])
    levels = dict(Author.objects.values_list("display_name", "verification_level"))
    assert levels == {"Ada Lindqvist": 1, "Tomas Okafor": 0, "Mei Tanaka": 3}


@pytest.mark.django_db
def test_refreshing_twice_changes_nothing(lab):
    ada = lab[0]
    before = list(CoAuthorship.objects.order_by("author", "coauthor").values_list())
    author_metrics_refresh([ada.id])
    after = list(CoAuthorship.objects.order_by("author", "coauthor").values_list())
    assert [row[1:] for row in before] == [row[1:] for row in after]

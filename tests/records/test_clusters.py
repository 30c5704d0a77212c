"""Looks like two people: a record's works grouped by co-authors, institutions, venues,
topics and years; a clean split into two groups is a likely mix-up."""

import datetime

import pytest

from apps.records.clusters import clusters_for
from apps.records.models import Authorship, Institution

pytestmark = pytest.mark.django_db


def _works(records, person, coauthors, topic, year, n, *, place=None):
    made = []
    for i in range(n):
        work = records.work(person, *coauthors, topics=[topic],
                            date=datetime.date(year + i % 3, 3, 1))  # fmt: skip
        if place:
            Authorship.objects.get(work=work, author=person).institutions.add(place)
        made.append(work.pk)
    return made


@pytest.fixture
def two_people(records):
    """One "Wei Zhang" record holding a linguist's papers and a chemist's."""
    wei = records.author("Wei Zhang")
    nlp, chem = records.topic("cs.CL", "Computation and language"), records.topic("chem", "Chem")
    mit = Institution.objects.create(name="Lakeside University")
    linguist = _works(records, wei, [records.author("Ada Lindqvist")], nlp, 2010, 5, place=mit)
    chemist = _works(records, wei, [records.author("Piotr Nowak"), records.author("Li Na")],
                     chem, 2019, 4)  # fmt: skip
    return wei, linguist, chemist


def test_a_record_of_two_people_falls_into_two_groups_and_is_a_likely_mixup(two_people):
    wei, linguist, chemist = two_people
    found = clusters_for(wei)
    assert [sorted(g.work_ids) for g in found.groups] == [sorted(linguist), sorted(chemist)]
    assert found.likely_mixup and found.several
    first, second = found.groups
    assert first.coauthors == ["ada lindqvist"]
    assert (first.institutions, first.topics) == (
        ["Lakeside University"],
        ["Computation and language"],
    )
    assert (first.year_span, second.year_span) == ("2010\N{EN DASH}2012", "2019\N{EN DASH}2021")


def test_one_persons_record_is_one_group_and_no_mixup(records):
    rosa = records.author("Rosa Researcher")
    topic = records.topic("cs.DC")
    ids = _works(records, rosa, [records.author("Ada Lindqvist")], topic, 2015, 6)
    found = clusters_for(rosa)
    assert [sorted(g.work_ids) for g in found.groups] == [sorted(ids)]
    assert not found.likely_mixup and not found.several


def test_groups_sharing_much_are_not_flagged(two_people, records):
    wei, linguist, chemist = two_people
    bridge = records.author("Bridge Person")
    for pk in linguist[:2] + chemist[:2]:  # one co-author on both sides joins them
        Authorship.objects.create(work_id=pk, author=bridge, position=9, raw_name="Bridge Person")
    found = clusters_for(wei)
    assert len(found.groups) == 1 and not found.likely_mixup


def test_grouping_costs_four_queries_however_many_works(two_people, records,
                                                        django_assert_max_num_queries):  # fmt: skip
    wei, _, _ = two_people
    _works(records, wei, [records.author("Third Person")], records.topic("q-bio"), 2000, 20)
    with django_assert_max_num_queries(4):
        clusters_for(wei)


def test_the_holder_sees_the_groups_on_the_curation_page(records, researcher_client,
                                                          researcher_record):  # fmt: skip
    nlp, chem = records.topic("cs.CL"), records.topic("chem")
    for year, coauthor, topic in ((2010, "Ada Lindqvist", nlp), (2020, "Piotr Nowak", chem)):
        other = records.author(coauthor)
        _works(records, researcher_record, [other], topic, year, 3)
    page = researcher_client.get(f"/authors/{researcher_record.pk}/curate/").content.decode()
    assert 'data-testid="holder-clusters"' in page
    assert page.count('data-testid="cluster"') == 2

"""Nearby papers on the work page and in the API: found by shared authors, shared topics and
title words (PostgreSQL full text), closest first, each saying why."""

import pytest

from apps.records.nearby import nearby_works, title_words
from tests.samples import postgres_only

TEXT_SIMILARITY = postgres_only("the title-word closeness is PostgreSQL full-text search")


def test_title_words_are_the_longest_distinct_words():
    assert title_words("Elastic sharding of elastic graphs in 2024: a study") == [
        "sharding", "elastic", "graphs", "study",
    ]  # fmt: skip


@pytest.fixture
def shelf(records):
    ada, bo, cy = records.author("Ada"), records.author("Bo"), records.author("Cy")
    dc = records.topic("cs.DC", "Distributed computing")
    work = records.work(ada, bo, title="Elastic sharding for streaming joins", topics=[dc])
    both = records.work(ada, bo, title="A survey of caches")
    one = records.work(bo, cy, title="Tables and chairs", topics=[dc])
    words = records.work(cy, title="Sharding revisited: streaming without joins")
    records.work(cy, title="Unrelated botany notes")
    return work, both, one, words


@TEXT_SIMILARITY
def test_nearby_works_explain_why_closest_first(shelf):
    work, both, one, words = shelf
    found = nearby_works(work)
    assert [(n.work, n.because) for n in found] == [
        (both, "2 shared authors"),
        (one, "1 shared author · same topic"),
        (words, "title words: streaming, sharding, joins"),
    ]


@TEXT_SIMILARITY
def test_work_page_and_api_show_nearby_papers_with_reasons(client, shelf):
    work, both = shelf[0], shelf[1]
    html = client.get(f"/works/{work.pk}/").content.decode()
    section = html[html.index('data-testid="nearby"') :]
    assert f'href="/works/{both.pk}/"' in section and "2 shared authors" in section
    assert "title words: streaming, sharding, joins" in section
    assert "Unrelated botany" not in section
    related = client.get(f"/api/v1/works/{work.pk}/").json()["related"]
    assert related[0] == {
        "id": both.pk, "title": "A survey of caches", "year": both.publication_year,
        "because": "2 shared authors",
    }  # fmt: skip

"""Name search tolerant of case, accents, order, initials and typos; work search by words.
Runs on PostgreSQL (trigram + full text) in CI and on SQLite (the fallback) locally."""

import pytest
from django.db import connection

from apps.records.search import author_search, work_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(records):
    yongji = records.author("Yongji Wu", variants=["Wu Yongji"], works_count=12)
    others = [
        records.author(name)
        for name in ("Xiaoming Wu", "Yongjie Hu", "Ada Lindqvist", "Wu Tang", "Tomás Okafor")
    ]
    return yongji, others


@pytest.mark.parametrize(
    "typed", ["Yongji Wu", "yongji wu", "Wu, Yongji", "Y. Wu", "Yongjí Wu", "Yongji Wuu"]
)
def test_every_spelling_finds_the_author_first(people, typed):
    yongji, _ = people
    found = author_search(typed)
    assert found, typed
    assert found[0] == yongji


def test_an_accented_record_is_found_without_the_accent(people):
    assert [a.display_name for a in author_search("tomas okafor")][:1] == ["Tomás Okafor"]


def test_a_name_that_matches_nobody_finds_nothing(people):
    assert author_search("Zbigniew Quarrington") == []
    assert author_search("   ") == []


def test_merged_records_are_not_found(records, people):
    yongji, _ = people
    duplicate = records.author("Yongji Wu")
    duplicate.merged_into = yongji
    duplicate.save(update_fields=["merged_into"])
    assert duplicate not in author_search("Yongji Wu")


@pytest.fixture
def library(records):
    a = records.author("Ada Lindqvist")
    return {
        "sharding": records.work(a, title="Adaptive sharding for low-latency stream processing"),
        "vision": records.work(
            a, title="Contrastive pretraining", abstract="We study image segmentation at scale."
        ),
        "other": records.work(a, title="A survey of graph databases", type="article"),
    }


def test_a_title_word_finds_its_work(library):
    assert list(work_search("sharding")) == [library["sharding"]]


def test_an_abstract_word_finds_its_work(library):
    assert list(work_search("segmentation")) == [library["vision"]]


def test_all_words_must_match(library):
    assert list(work_search("sharding segmentation")) == []


def test_search_applies_the_listing_filters(library):
    from apps.records.models import Work

    assert list(work_search("survey", Work.objects.filtered(type="article"))) == [library["other"]]
    assert list(work_search("survey", Work.objects.filtered(type="dataset"))) == []


def test_a_bare_short_family_name_finds_the_most_prolific_first(records):
    few = records.author("Li", works_count=3)
    many = records.author("Li", variants=["L. Li"], works_count=90)
    records.author("Lina Ostrova", works_count=500)  # "li" inside a word is not the word "li"
    assert author_search("Li")[:2] == [many, few]


@pytest.fixture
def small_windows(monkeypatch):
    """Rank 3 candidates, probing the newest 3 works, then 6 (1,000 and 5,000 then 20,000 in
    production)."""
    from apps.records import search

    monkeypatch.setattr(search, "WORK_CANDIDATES", 3)
    monkeypatch.setattr(search, "PROBE_ROWS", (3, 6))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="candidate windows: PostgreSQL's")
def test_common_words_rank_the_newest_matches(records, small_windows):
    author = records.author("Ada Lindqvist")
    older = [records.work(author, title=f"Graph study {i}", citation_count=100) for i in range(3)]
    newer = [records.work(author, title=f"Graph paper {i}") for i in range(4)]
    found = list(work_search("graph"))
    # the newest 3 matches are ranked, however cited the older ones are
    assert sorted(found, key=lambda w: w.id) == newer[1:]
    assert not set(found) & set(older)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="candidate windows: PostgreSQL's")
def test_rarer_words_are_found_beyond_the_newest_works(records, small_windows):
    author = records.author("Ada Lindqvist")
    old = records.work(author, title="Quasicrystal growth")
    also = records.work(author, title="Quasicrystal melting")
    for i in range(8):
        records.work(author, title=f"Something else {i}")
    assert set(work_search("quasicrystal")) == {old, also}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="candidate windows: PostgreSQL's")
def test_a_probe_that_finds_matches_fast_enough_reads_on(records, small_windows):
    """Two matches among the newest three works: at that rate six would fill the three
    candidates, so the probe reads on rather than asking the index (which would hand back the
    oldest matches)."""
    author = records.author("Ada Lindqvist")
    titles = ["Graph e", "Graph d", "Graph c", "Other", "Graph b", "Other", "Graph a"]
    for title in titles:
        records.work(author, title=title)
    assert {w.title for w in work_search("graph")} == {"Graph a", "Graph b", "Graph c"}


@pytest.fixture
def fresh_word_shares():
    from apps.records import search

    search._word_shares.cache_clear()
    yield
    search._word_shares.cache_clear()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics: PostgreSQL's")
def test_only_a_word_most_records_carry_walks_the_works_count_index(records, fresh_word_shares):
    """The order the words query asks for decides whether the planner may walk the
    works-count index; it is chosen from the word's share of records, which ANALYZE keeps."""
    from django.test.utils import CaptureQueriesContext

    from apps.records.models import Author
    from apps.records.names import author_search_key

    names = [f"Name{i} Li" for i in range(300)] + [f"Other{i} Okafor" for i in range(100)]
    Author.objects.bulk_create(
        Author(display_name=n, search_name=author_search_key(n), works_count=i)
        for i, n in enumerate(names)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_author")

    def order_of(query: str) -> str:
        with CaptureQueriesContext(connection) as queries:
            found = author_search(query)
        assert found
        sql = next(q["sql"] for q in queries if "string_to_array" in q["sql"])
        return sql.split("ORDER BY")[1]

    assert "+ 0" not in order_of("Li")  # 3 records in 4: the walk reads fewer rows
    assert "+ 0" in order_of("Okafor")  # 1 in 4: the words index
    assert "+ 0" in order_of("Name1 Li")

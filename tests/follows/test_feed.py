"""The feed: the right works in the right order, nothing from unfollowed sources or disowned
authorships, merged records followed through, and a fixed query count at 1 and 1,000 follows."""

import datetime

import pytest

from apps.follows.feed import feed_works
from apps.follows.models import Follow
from apps.follows.services import follow_create, follow_delete
from apps.records.models import Author, Authorship
from apps.records.services import author_merge_into
from tests.factories import count_queries

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


def day(n):
    return DAY + datetime.timedelta(days=n)


def titles(user):
    return list(feed_works(user).newest_first().values_list("title", flat=True))


def test_feed_has_followed_authors_and_topics_newest_first(researcher, records):
    ada, bo, cy = records.author("Ada"), records.author("Bo"), records.author("Cy")
    dc, lg = records.topic("cs.DC"), records.topic("cs.LG")
    records.work(ada, title="ada old", date=day(1))
    records.work(ada, bo, title="ada and bo", date=day(5))
    records.work(cy, title="cy in dc", topics=[dc], date=day(3))
    records.work(cy, title="cy in lg", topics=[lg], date=day(4))
    records.work(bo, title="bo alone", date=day(6))
    records.work(ada, title="ada undated", date=None)
    follow_create(follower=researcher, author=ada)
    follow_create(follower=researcher, topic=dc)
    assert titles(researcher) == ["ada and bo", "cy in dc", "ada old", "ada undated"]


def test_feed_drops_unfollowed_sources(researcher, records):
    ada, dc = records.author("Ada"), records.topic("cs.DC")
    records.work(ada, title="by ada")
    records.work(records.author(), title="in dc", topics=[dc])
    follow_create(follower=researcher, author=ada)
    follow_create(follower=researcher, topic=dc)
    follow_delete(follower=researcher, author=ada)
    assert titles(researcher) == ["in dc"]
    follow_delete(follower=researcher, topic=dc)
    assert titles(researcher) == []


def test_feed_excludes_disowned_authorships(researcher, records):
    ada = records.author("Ada")
    records.work(ada, title="kept")
    gone = records.work(ada, title="not mine")
    Authorship.objects.filter(work=gone, author=ada).update(status="disowned")
    follow_create(follower=researcher, author=ada)
    assert titles(researcher) == ["kept"]


def test_feed_follows_a_merged_record_to_its_survivor(researcher, records):
    survivor, duplicate = records.author("Ada Lindqvist"), records.author("A. Lindqvist")
    follow_create(follower=researcher, author=duplicate)
    author_merge_into(duplicate, survivor)
    records.work(survivor, title="after the merge")
    assert titles(researcher) == ["after the merge"]


def test_feed_is_each_users_own(researcher, peer, records):
    ada = records.author("Ada")
    records.work(ada, title="by ada")
    follow_create(follower=peer, author=ada)
    assert titles(researcher) == [] and titles(peer) == ["by ada"]


def test_feed_pages_follow_the_cursor(researcher_client, researcher, records):
    ada = records.author("Ada")
    for i in range(30):
        records.work(ada, title=f"work {i:02d}", date=day(i))
    follow_create(follower=researcher, author=ada)
    first = researcher_client.get("/api/v1/feed/").json()
    assert [w["title"] for w in first["results"]][:2] == ["work 29", "work 28"]
    second = researcher_client.get(first["next"]).json()
    assert [w["title"] for w in second["results"]] == [f"work {i:02d}" for i in range(4, -1, -1)]


def _follow_many(user, n, records):
    """`n` followed authors, each with two works, plus one followed topic."""
    authors = Author.objects.bulk_create(
        Author(display_name=f"Followed {i}", search_name=f"followed {i}") for i in range(n)
    )
    for i, author in enumerate(authors[:60]):  # works enough to fill several pages
        records.work(author, records.author(), topics=[records.topic("cs.DC")], date=day(i))
    Follow.objects.bulk_create(Follow(follower=user, author=a) for a in authors)
    Follow.objects.create(follower=user, topic=records.topic("cs.DC"))


# The feed page: session, user, the page of works, its bylines, its topics, the upvote
# counts (one grouped query), "follows anything?", the header's unread count.
FEED_PAGE_BUDGET = 8
# The API: token/session user, the page, bylines, topics, upvote counts.
FEED_API_BUDGET = 6


@pytest.mark.parametrize(
    ("url", "budget"), [("/feed/", FEED_PAGE_BUDGET), ("/api/v1/feed/", FEED_API_BUDGET)]
)
def test_feed_query_count_is_the_same_at_1_and_1000_follows(
    url, budget, researcher, peer, researcher_client, peer_client, records
):
    _follow_many(researcher, 1, records)
    _follow_many(peer, 1000, records)
    one, _ = count_queries(researcher_client, url, with_response=True)
    many, response = count_queries(peer_client, url, with_response=True)
    assert one == many <= budget, (one, many)
    # the second page costs the same
    cursor = response.context["page"].next_cursor if url == "/feed/" else None
    if cursor:
        again, _ = count_queries(peer_client, f"{url}?cursor={cursor}", with_response=True)
        assert again == many

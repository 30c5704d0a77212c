"""Atom feeds of recent works, a topic and an author record: parsed as XML, they are Atom
with the fields Atom requires, entries link to work pages and say how many authors."""

import datetime
import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response) -> ET.Element:
    """The feed element of a valid-looking Atom response (required elements present)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None  # entries inherit the author
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    return feed


def entries(feed: ET.Element) -> list[dict]:
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "summary": e.findtext(f"{ATOM}summary"),
        }
        for e in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def shelf(records):
    zoe = records.author("Zoë Müller")
    others = [records.author(f"Co Author{i}") for i in range(5)]
    dc = records.topic("cs.DC")
    big = records.work(zoe, *others, title="Growth of <i>E. coli</i> &amp; more", topics=[dc])
    solo = records.work(zoe, title="Alone at last", date=datetime.date(2023, 5, 1))
    hidden = records.work(zoe, others[0], title="Not hers")
    hidden.authorships.filter(author=zoe).update(status="disowned")
    return zoe, big, solo, dc


def test_author_feed_lists_visible_works_with_author_counts_and_links(client, shelf):
    zoe, big = shelf[0], shelf[1]
    feed = parse_atom(client.get(f"/authors/{zoe.pk}/feed/"))
    assert feed.findtext(f"{ATOM}title").startswith("Zoë Müller")
    alternate = [link.get("href") for link in feed.findall(f"{ATOM}link")]
    assert any(href.endswith(f"/authors/{zoe.pk}/") for href in alternate)
    found = entries(feed)
    assert [e["title"] for e in found] == ["Growth of E. coli & more", "Alone at last"]
    assert found[0]["link"].endswith(f"/works/{big.pk}/")
    assert "6 authors" in found[0]["summary"]
    assert "Zoë Müller, Co Author0, Co Author1, Co Author2 and 2 more" in found[0]["summary"]
    assert found[1]["summary"] == "Zoë Müller · 1 author"


def test_topic_feed_has_the_topic_works(client, shelf):
    _, big, _, dc = shelf
    found = entries(parse_atom(client.get(f"/topics/{dc.slug}/feed/")))
    assert [e["link"].rsplit("/works/", 1)[1] for e in found] == [f"{big.pk}/"]
    assert client.get("/topics/no-such-topic/feed/").status_code == 404


@pytest.mark.usefixtures("shelf")
def test_recent_feed_is_newest_first_and_not_swallowed_by_the_day_pages(client):
    found = entries(parse_atom(client.get("/recent/feed/")))
    titles = [e["title"] for e in found]
    assert titles.index("Growth of E. coli & more") < titles.index("Alone at last")


def test_feed_links_on_the_pages(client, shelf):
    zoe, _, _, dc = shelf
    assert f'href="/authors/{zoe.pk}/feed/"' in client.get(f"/authors/{zoe.pk}/").content.decode()
    assert f'href="/topics/{dc.slug}/feed/"' in client.get(f"/topics/{dc.slug}/").content.decode()


def test_author_feed_query_count_is_fixed(client, records, django_assert_max_num_queries):
    zoe = records.author("Zoë Müller")
    for _ in range(30):
        records.work(zoe, records.author())
    # author; works with venue; bylines; topics
    with django_assert_max_num_queries(4):
        parse_atom(client.get(f"/authors/{zoe.pk}/feed/"))

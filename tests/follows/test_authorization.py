"""Every follows endpoint, HTML and API, for each persona: a visitor is sent to sign in (or
refused by the API) and changes nothing; a signed-in user acts only as themselves; nobody
sees or removes another user's private follows, moderators included."""

import pytest

from apps.follows.digest import unsubscribe_token
from apps.follows.models import Follow, FollowSettings, Upvote
from apps.follows.services import follow_create

pytestmark = pytest.mark.django_db
SIGNED_IN = ["researcher", "peer", "moderator", "outsider"]
PERSONAS = ["visitor", *SIGNED_IN]


@pytest.fixture
def world(researcher, records):
    """Rosa (the researcher) privately follows an author; there is a topic and a work."""
    author, topic = records.author("Ada Lindqvist"), records.topic("cs.DC")
    work = records.work(author, title="Elastic sharding")
    follow = follow_create(follower=researcher, author=author)
    return {"author": author, "topic": topic, "work": work, "follow": follow}


@pytest.fixture
def as_persona(request):
    def get(name):
        if name == "visitor":
            return request.getfixturevalue("visitor"), None
        return request.getfixturevalue(f"{name}_client"), request.getfixturevalue(name)

    return get


@pytest.mark.parametrize("persona", PERSONAS)
def test_html_follow_endpoints(persona, as_persona, world):
    client, user = as_persona(persona)
    a, t = world["author"], world["topic"]
    r1 = client.post(f"/follow/authors/{a.pk}/", {"action": "follow"})
    r2 = client.post(f"/follow/topics/{t.slug}/", {"action": "follow"})
    r3 = client.post(f"/upvote/{world['work'].pk}/")
    if user is None:
        assert all(r.status_code == 302 and "/accounts/login/" in r.url for r in (r1, r2, r3))
        assert Follow.objects.count() == 1 and not Upvote.objects.exists()
        return
    assert [r.status_code for r in (r1, r2, r3)] == [302, 302, 302]
    assert Follow.objects.filter(follower=user).count() == 2
    assert Upvote.objects.filter(user=user).count() == 1
    assert client.get(f"/follow/authors/{a.pk}/").status_code == 405  # POST only


@pytest.mark.parametrize("persona", PERSONAS)
def test_html_pages(persona, as_persona, world):
    client, user = as_persona(persona)
    assert client.get("/trending/").status_code == 200
    feed, settings = client.get("/feed/"), client.get("/follows/settings/")
    if user is None:
        assert feed.status_code == settings.status_code == 302
        assert client.post("/follows/settings/", {"digest": "daily"}).status_code == 302
        assert not FollowSettings.objects.exists()
        return
    assert feed.status_code == settings.status_code == 200
    shown = "Elastic sharding" in feed.content.decode()
    assert shown == (persona == "researcher")  # only Rosa follows Ada
    client.post("/follows/settings/", {"digest": "daily"})
    assert list(FollowSettings.objects.values_list("user", flat=True)) == [user.pk]


@pytest.mark.parametrize("persona", PERSONAS)
def test_unsubscribe_needs_only_the_token(persona, as_persona, world, researcher):
    client, _ = as_persona(persona)
    FollowSettings.objects.create(user=researcher, digest="weekly")
    url = f"/digest/unsubscribe/{unsubscribe_token(researcher)}/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert FollowSettings.objects.get(user=researcher).digest == "off"


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_follows(persona, as_persona, world, researcher):
    client, user = as_persona(persona)
    listing = client.get("/api/v1/follows/")
    created = client.post("/api/v1/follows/", {"topic": world["topic"].slug})
    others = client.get(f"/api/v1/follows/?user={researcher.pk}")
    removed = client.delete(f"/api/v1/follows/{world['follow'].pk}/")
    if user is None:
        assert listing.status_code in (401, 403) and created.status_code in (401, 403)
        assert removed.status_code in (401, 403)
        assert others.status_code == 200 and others.json()["results"] == []  # private
        assert Follow.objects.count() == 1
        return
    assert listing.status_code == 200 and created.status_code == 201
    if persona == "researcher":
        assert len(listing.json()["results"]) == 1 and len(others.json()["results"]) == 2
        assert removed.status_code == 204
        assert not Follow.objects.filter(pk=world["follow"].pk).exists()
    else:
        assert listing.json()["results"] == [] and others.json()["results"] == []
        assert removed.status_code == 404  # someone else's follow: not even acknowledged
        assert Follow.objects.filter(pk=world["follow"].pk).exists()
    assert Follow.objects.filter(follower=user, topic=world["topic"]).count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_feed_upvotes_trending(persona, as_persona, world):
    client, user = as_persona(persona)
    feed = client.get("/api/v1/feed/")
    upvote = client.post("/api/v1/upvotes/", {"work": world["work"].pk})
    trending = client.get("/api/v1/trending/?period=week")
    assert trending.status_code == 200
    if user is None:
        assert feed.status_code in (401, 403) and upvote.status_code in (401, 403)
        assert not Upvote.objects.exists()
        return
    assert feed.status_code == 200 and upvote.status_code == 200
    assert upvote.json() == {"work": world["work"].pk, "upvoted": True, "upvotes": 1}
    titles = [w["title"] for w in feed.json()["results"]]
    assert titles == (["Elastic sharding"] if persona == "researcher" else [])


def test_api_validation(researcher_client, world):
    both = {"author": world["author"].pk, "topic": world["topic"].slug}
    assert researcher_client.post("/api/v1/follows/", both).status_code == 400
    assert researcher_client.post("/api/v1/follows/", {}).status_code == 400
    assert researcher_client.post("/api/v1/upvotes/", {"work": 999999}).status_code == 400
    assert researcher_client.get("/api/v1/follows/?user=abc").status_code == 400
    assert researcher_client.get("/api/v1/trending/?period=year").status_code == 400


def test_following_twice_through_the_api_is_one_follow(researcher_client, world):
    for _ in range(2):
        response = researcher_client.post("/api/v1/follows/", {"author": world["author"].pk})
        assert response.status_code == 201
    assert Follow.objects.filter(author=world["author"]).count() == 1


def test_the_schema_documents_the_follows_api(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/follows/",
        "/api/v1/follows/{id}/",
        "/api/v1/feed/",
        "/api/v1/upvotes/",
        "/api/v1/trending/",
    ):
        assert path in schema["paths"], path

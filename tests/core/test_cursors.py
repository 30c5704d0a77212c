"""Every cursor-paginated API list refuses a forged cursor with a 400 naming `cursor`
(cursors are signed: apps.core.keyset)."""

import base64
import json

import pytest

pytestmark = pytest.mark.django_db

FORGED = base64.urlsafe_b64encode(json.dumps({"v": ["x", "y"], "b": True}).encode()).decode()
LISTS = [
    "/api/v1/works/",
    "/api/v1/authors/",
    "/api/v1/authors/{author}/works/",
    "/api/v1/institutions/",
    "/api/v1/notifications/",
    "/api/v1/claims/",
    "/api/v1/invitations/",
    "/api/v1/conversations/",
    "/api/v1/blocks/",
    "/api/v1/follows/",
    "/api/v1/feed/",
]


@pytest.fixture
def author(records):
    author = records.author("Ada Lindqvist")
    for i in range(3):
        records.work(author, title=f"Work {i}")
    return author


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("cursor", [FORGED, FORGED.rstrip("="), "bm90IGpzb24", "a:b", "%00"])
def test_a_forged_cursor_is_a_json_400(researcher_client, author, url, cursor):
    response = researcher_client.get(url.format(author=author.pk) + f"?cursor={cursor}")
    assert response.status_code == 400, response.content
    assert "cursor" in response.json() or response.json()["code"] == "refused"


def test_the_next_link_still_walks_the_list(client, author):
    body = client.get("/api/v1/works/?page_size=2").json()
    second = client.get(body["next"]).json()
    assert [w["title"] for w in body["results"] + second["results"]] == [
        "Work 2",
        "Work 1",
        "Work 0",
    ]


def test_a_works_cursor_is_refused_by_the_authors_list(client, author, records):
    records.author("Second author")
    records.author("Third author")
    works_next = client.get("/api/v1/works/?page_size=1").json()["next"]
    cursor = works_next.split("cursor=")[1].split("&")[0]
    response = client.get(f"/api/v1/authors/?page_size=1&cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize("url", ["/authors/{author}/", "/notifications/"])
def test_a_forged_cursor_on_a_page_is_a_400(researcher_client, author, url):
    researcher_client.raise_request_exception = False
    response = researcher_client.get(url.format(author=author.pk) + f"?cursor={FORGED}")
    assert response.status_code == 400

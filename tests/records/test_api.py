"""The read API: shapes, filters, cursor pagination, search, errors as JSON, the schema."""

import pytest

from apps.records.services import author_metrics_refresh
from tests.factories import api_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(records):
    yongji = records.author("Yongji Wu", orcid="0000-0003-1415-9269")
    ada = records.author("Ada Lindqvist")
    dc = records.topic("cs.DC", "Distributed Computing")
    works = [
        records.work(yongji, ada, title=f"Sharded training {i}", topics=[dc], type="preprint")
        for i in range(5)
    ]
    records.work(ada, title="Solo survey", type="article")
    author_metrics_refresh([yongji.id, ada.id])
    return yongji, ada, dc, works


def _walk(client, url):
    results = []
    while url:
        body = client.get(url).json()
        results += body["results"]
        url = body["next"]
    return results


def test_author_detail_has_metrics_graph_and_identifiers(client, data):
    yongji, ada, _, _ = data
    body = client.get(f"/api/v1/authors/{yongji.pk}/").json()
    assert body["orcid"] == "0000-0003-1415-9269"
    assert body["verification_level"] == 1
    assert (body["works_count"], body["collaborators_count"], body["topics_count"]) == (5, 1, 1)
    assert body["close_collaborators"] == [
        {"author": {**body["close_collaborators"][0]["author"], "id": ada.pk}, "shared_works": 5}
    ]
    assert body["top_topics"][0]["topic"]["code"] == "cs.DC"


def test_an_authors_works_walk_in_pages_newest_first(client, data):
    yongji, *_ = data
    results = _walk(client, f"/api/v1/authors/{yongji.pk}/works/?page_size=2")
    titles = [w["title"] for w in results]
    assert titles == [f"Sharded training {i}" for i in reversed(range(5))]
    assert results[0]["byline"][0] == {
        "author_id": yongji.pk,
        "raw_name": "Yongji Wu",
        "position": 0,
    }


def test_works_list_filters(client, data):
    titles = {w["title"] for w in _walk(client, "/api/v1/works/?type=article")}
    assert titles == {"Solo survey"}
    assert len(_walk(client, "/api/v1/works/?topic=cs-dc")) == 5


def test_searches(client, data):
    authors = client.get("/api/v1/authors/?q=Wu,+Yongji").json()["results"]
    assert authors[0]["display_name"] == "Yongji Wu"
    works = client.get("/api/v1/works/?q=survey").json()["results"]
    assert [w["title"] for w in works] == ["Solo survey"]


def test_work_detail_lists_every_author_and_related_works(client, data):
    _, _, _, works = data
    body = client.get(f"/api/v1/works/{works[0].pk}/").json()
    assert [a["raw_name"] for a in body["authors"]] == ["Yongji Wu", "Ada Lindqvist"]
    # The four sharing both authors come before "Solo survey", which shares one.
    assert {r["id"] for r in body["related"][:4]} == {w.pk for w in works[1:]}
    assert [r["title"] for r in body["related"][4:]] == ["Solo survey"]


def test_authors_list_is_most_works_first(client, data):
    names = [a["display_name"] for a in _walk(client, "/api/v1/authors/?page_size=1")]
    assert names == ["Ada Lindqvist", "Yongji Wu"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/works/?year=soon", "year"),
        ("/api/v1/works/?type=novel", "type"),
        ("/api/v1/works/?topic=nope", "topic"),
        ("/api/v1/works/?cursor=garbage", "cursor"),
        ("/api/v1/works/?page_size=1000", "page_size"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, data, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert field in response.json()


def test_topics_and_institutions(client, data):
    assert client.get("/api/v1/topics/").json()[0]["slug"] == "cs-dc"
    assert client.get("/api/v1/topics/cs-dc/").json()["name"] == "Distributed Computing"
    assert client.get("/api/v1/institutions/").json() == {
        "next": None,
        "previous": None,
        "results": [],
    }


@pytest.mark.parametrize("persona", ["visitor", "researcher_client", "moderator_client"])
def test_reads_are_public_and_writes_are_refused(request, data, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/api/v1/works/").status_code == 200
    assert client.post("/api/v1/works/", {"title": "x"}).status_code in (401, 405)


def test_the_schema_documents_the_work_filters(client):
    params = {p["name"] for p in api_schema(client)["paths"]["/api/v1/works/"]["get"]["parameters"]}
    assert {"q", "year", "type", "topic", "cursor", "page_size"} <= params


@pytest.mark.parametrize("typed", ["Yongji Wu", "Wu"])
def test_author_search_with_many_results_runs_a_fixed_number_of_queries(
    client, records, django_assert_max_num_queries, typed
):
    for i in range(60):
        records.author("Yongji Wu", openalex_id=f"A{1000 + i}", works_count=i)
    # 1: the candidates; 2: for a bare short name found fewer than 200 times, the trigram
    # top-up. Nothing per result (openalex_id used to cost one query per author).
    with django_assert_max_num_queries(2):
        results = client.get("/api/v1/authors/", {"q": typed}).json()["results"]
    assert len(results) == 50
    assert results[0]["openalex_id"] == "A1059"

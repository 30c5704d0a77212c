"""The explorer: the graph API's nodes and edges (weights, two hops, filters, claimed marks),
the page's lists and server-drawn SVG within the author page's query budget, and the
shortest co-author path on the explorer and the invite page."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from apps.records.graph import HOP1_CAP, author_network, coauthor_path
from apps.records.services import author_metrics_refresh
from tests.factories import make_work


@pytest.fixture
def web(records):
    """Ada wrote 2 works with Bo (2021, 2023: cs.DC) and 1 with Cy (2019: cs.LG); Bo also
    wrote 2 with Di, whom Ada never wrote with. Bo's record is claimed (L2)."""
    ada, bo, cy, di = (
        records.author(n) for n in ("Ada Lindqvist", "Bo Byron", "Cy Chen", "Di Dumas")
    )
    bo.verification_level = 2
    bo.save(update_fields=["verification_level"])
    dc, lg = records.topic("cs.DC", "Distributed computing"), records.topic("cs.LG", "Learning")
    records.work(ada, bo, topics=[dc], date=datetime.date(2021, 5, 1))
    records.work(ada, bo, topics=[dc], date=datetime.date(2023, 5, 1))
    records.work(ada, cy, topics=[lg], date=datetime.date(2019, 5, 1))
    records.work(bo, di, date=datetime.date(2022, 5, 1))
    records.work(bo, di, date=datetime.date(2024, 5, 1))
    author_metrics_refresh([a.pk for a in (ada, bo, cy, di)])
    return ada, bo, cy, di


def by_id(data):
    return {node["id"]: node for node in data["nodes"]}


def test_graph_api_has_coauthors_weighted_by_shared_works_and_a_second_hop(client, web):
    ada, bo, cy, di = web
    data = client.get(f"/api/v1/authors/{ada.pk}/graph/").json()
    nodes = by_id(data)
    assert data["center"] == f"a{ada.pk}"
    assert nodes[f"a{bo.pk}"] | {"url": None} == {
        "id": f"a{bo.pk}",
        "kind": "author",
        "label": "Bo Byron",
        "weight": 2,
        "url": None,
        "hop": 1,
        "status": "claimed",
    }
    assert nodes[f"a{cy.pk}"]["weight"] == 1 and nodes[f"a{cy.pk}"]["status"] is None
    assert nodes[f"a{di.pk}"]["hop"] == 2  # through Bo, with whom Di shares 2 works
    assert nodes[f"a{bo.pk}"]["url"] == f"/authors/{bo.pk}/"
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert edges[(f"a{ada.pk}", f"a{bo.pk}")] == {
        "source": f"a{ada.pk}",
        "target": f"a{bo.pk}",
        "kind": "coauthor",
        "weight": 2,
    }
    assert edges[(f"a{bo.pk}", f"a{di.pk}")]["weight"] == 2
    topics = [n for n in data["nodes"] if n["kind"] == "topic"]
    assert [(t["label"], t["weight"]) for t in topics] == [
        ("Distributed computing", 2),
        ("Learning", 1),
    ]


def test_graph_filters_by_years_and_topic(client, web):
    ada, bo, cy, _ = web
    recent = by_id(client.get(f"/api/v1/authors/{ada.pk}/graph/?year_from=2022").json())
    assert recent[f"a{bo.pk}"]["weight"] == 1 and f"a{cy.pk}" not in recent
    learning = by_id(client.get(f"/api/v1/authors/{ada.pk}/graph/?topic=cs-lg").json())
    assert f"a{cy.pk}" in learning and f"a{bo.pk}" not in learning


@pytest.mark.parametrize(
    "query", ["?year_from=2024&year_to=2020", "?year_from=abc", "?topic=no-such-topic"]
)
def test_graph_bad_filters_are_400(client, web, query):
    ada = web[0]
    assert client.get(f"/api/v1/authors/{ada.pk}/graph/{query}").status_code == 400
    assert client.get(f"/authors/{ada.pk}/graph/{query}").status_code == 400


def test_graph_of_an_unknown_record_is_404(client, db):
    assert client.get("/api/v1/authors/999999/graph/").status_code == 404
    assert client.get("/authors/999999/graph/").status_code == 404


def test_first_hop_is_capped(records, django_assert_max_num_queries):
    ada = records.author("Ada Lindqvist")
    others = [records.author() for _ in range(HOP1_CAP + 5)]
    records.work(ada, *others)
    author_metrics_refresh([ada.pk])
    # co-authors, second hop, their records, topics, institutions
    with django_assert_max_num_queries(5):
        graph = author_network(ada)
    assert len(graph.of_kind("author", hop=1)) == HOP1_CAP


def test_explorer_page_lists_and_draws_the_graph_within_budget(
    client, web, django_assert_max_num_queries
):
    ada, bo, _, di = web
    with django_assert_max_num_queries(10):  # the author page's budget for a visitor
        response = client.get(f"/authors/{ada.pk}/graph/")
    html = response.content.decode()
    assert response.status_code == 200
    svg = html[html.index('<svg class="graph-svg"') : html.index("</svg>") + 6]
    ET.fromstring(svg)  # noqa: S314 (our own markup): well-formed
    assert f'<a href="/authors/{bo.pk}/">' in svg and "graph-node-claimed" in svg
    assert f"/authors/{di.pk}/" in svg
    assert 'Bo Byron</a> <span class="muted">2 shared works</span>' in html
    assert 'id="graph-data" type="application/json"' in html
    assert "cytoscape.min.js" in html and "style=" not in svg


def test_author_page_links_to_the_explorer(client, web):
    ada = web[0]
    assert f'href="/authors/{ada.pk}/graph/"' in client.get(f"/authors/{ada.pk}/").content.decode()


def test_coauthor_path_is_the_shortest_chain(web):
    ada, bo, cy, di = web
    assert coauthor_path(cy.pk, di.pk) == [cy.pk, ada.pk, bo.pk, di.pk]
    assert coauthor_path(ada.pk, bo.pk) == [ada.pk, bo.pk]
    assert coauthor_path(cy.pk, di.pk, max_hops=2) is None


def test_explorer_shows_how_the_holder_is_connected(researcher_client, researcher_record, web):
    bo, cy = web[1], web[2]
    mine = researcher_record
    make_work(mine, cy)
    author_metrics_refresh([mine.pk, cy.pk])
    html = researcher_client.get(f"/authors/{bo.pk}/graph/").content.decode()
    panel = html[html.index('data-testid="connection-path"') :]
    assert "3 co-author hops" in panel
    panel = panel[panel.index("<ol>") :]
    names = ["Rosa Researcher", "Cy Chen", "Ada Lindqvist", "Bo Byron"]
    positions = [panel.index(name) for name in names]
    assert positions == sorted(positions)


def test_visitors_see_no_connection_panel(client, web):
    assert (
        'data-testid="connection-path"'
        not in client.get(f"/authors/{web[0].pk}/graph/").content.decode()
    )

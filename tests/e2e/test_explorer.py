"""The explorer in a real browser, on the demo community: with scripts on, Cytoscape.js draws
the nodes and selecting one opens its page; with scripts off, the server's SVG and the lists
stand in, and their links open pages too."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.claims.models import Claim

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_author():
    call_command("seed_demo", stdout=StringIO())
    return Claim.objects.approved().get(user__email="ada.lindqvist@demo.peerage.test").author


def test_explorer_draws_nodes_and_a_click_opens_the_node_page(page, demo_author):
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"/authors/{demo_author.pk}/graph/")
    page.wait_for_function("window.peerageGraph && window.peerageGraph.nodes().length > 1")
    expected = page.evaluate("JSON.parse(document.getElementById('graph-data').textContent)")
    assert page.evaluate("window.peerageGraph.nodes().length") == len(expected["nodes"])
    assert page.evaluate("window.peerageGraph.edges().length") == len(expected["edges"])
    assert page.locator("#graph-canvas canvas").first.is_visible()
    assert not page.locator("[data-testid=graph-svg]").is_visible()
    target = page.evaluate(
        """() => { const n = window.peerageGraph.nodes("[hop = 1][kind = 'author']")[0];
                   const p = n.renderedPosition(); return {x: p.x, y: p.y, url: n.data('url')}; }"""
    )
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_url(f"**{target['url']}")
    assert page.locator("h1").first.is_visible()
    assert problems == []


def test_without_javascript_the_svg_and_lists_stand_in(browser, live_server, demo_author):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/authors/{demo_author.pk}/graph/")
        assert page.locator("[data-testid=graph-svg] svg").is_visible()
        assert not page.locator("#graph-canvas").is_visible()
        coauthors = page.locator("[data-testid=graph-list-coauthors] li a")
        assert coauthors.count() >= 1
        node = page.locator("[data-testid=graph-svg] svg a").nth(1)
        href = node.get_attribute("href")
        node.click()
        page.wait_for_url(f"**{href}")
    finally:
        context.close()

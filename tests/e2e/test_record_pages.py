"""Author page, search and work page render in a real browser without script errors or
failed requests, and the API docs load their assets from this site."""

import pytest

from apps.records.services import author_metrics_refresh
from tests.factories import make_author, make_topic, make_work


@pytest.fixture
def watched(page):
    """The page, plus every console error, page error and failed request it produces."""
    problems = []
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
    )
    return page, problems


@pytest.fixture
def author():
    yongji = make_author("Yongji Wu", orcid="0000-0003-1415-9269")
    ada = make_author("Ada Lindqvist")
    dc = make_topic("cs.DC", "Distributed, Parallel, and Cluster Computing")
    for i in range(3):
        make_work(yongji, ada, title=f"Elastic sharding {i}", topics=[dc], abstract="Shards.")
    author_metrics_refresh([yongji.id, ada.id])
    return yongji


@pytest.mark.django_db(transaction=True)
def test_author_page_then_work_page(watched, author):
    page, problems = watched
    page.goto(f"/authors/{author.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Yongji Wu"
    assert page.get_by_text("Verification L1").is_visible()
    page.get_by_text("Abstract").first.click()  # abstract on demand, no script needed
    assert page.get_by_text("Shards.").first.is_visible()
    page.get_by_role("link", name="Elastic sharding 2").click()
    page.wait_for_url("**/works/*/")
    assert page.get_by_role("link", name="Ada Lindqvist").is_visible()
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_search_from_the_header(watched, author):
    page, problems = watched
    page.goto("/")
    page.get_by_label("Search authors and works").fill("Wu, Yongji")
    page.get_by_role("button", name="Search").first.click()
    page.get_by_role("link", name="Yongji Wu").click()
    page.wait_for_url(f"**/authors/{author.pk}/")
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_api_docs_load_from_this_site(watched, live_server):
    page, problems = watched
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("/api/docs/")
    page.get_by_text("/api/v1/authors/").first.wait_for()
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert problems == []

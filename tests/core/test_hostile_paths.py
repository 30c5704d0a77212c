"""Malformed ids and slugs in a path, and NUL bytes in a query, end in 404/400, never a 500:
ids are whole numbers a bigint holds, slugs have no control characters (apps.core.converters)."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "1e5", "-1", "99999999999999999999", "%00", "a%00b"]
_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _templates(resolver=None, prefix: str = ""):
    """Every URL pattern as a template with {name} where a path argument goes."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if "format" in route or route.startswith("admin/"):
            continue
        route = _CONVERTER.sub(r"{\1}", _GROUP.sub(r"{\1}", route)).lstrip("^").rstrip("$")
        route = route.replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from _templates(entry, prefix + route)
        elif isinstance(entry, URLPattern) and "{" in route:
            yield "/" + prefix + route


def hostile_urls() -> list[str]:
    urls = []
    for template in sorted(set(_templates())):
        names = re.findall(r"\{(\w+)\}", template)
        for value in HOSTILE:
            urls.append(template.format(**dict.fromkeys(names, value)))
    return urls


def test_the_sweep_covers_api_and_pages():
    urls = hostile_urls()
    assert "/api/v1/works/abc/" in urls
    assert "/api/v1/authors/1e5/works/" in urls
    assert "/api/v1/conversations/abc/messages/" in urls
    assert "/api/v1/topics/%00/" in urls
    assert "/works/abc/" in urls


@pytest.mark.parametrize("persona", [None, "researcher", "moderator"])
def test_no_malformed_path_is_a_server_error(client, request, persona):
    client.raise_request_exception = False
    if persona:
        client.force_login(request.getfixturevalue(persona))
    failures = []
    for url in hostile_urls():
        for method in (client.get, client.post):
            status = method(url).status_code
            if status >= 500:
                failures.append((method.__name__, url, status))
    assert failures == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/works/abc/",
        "/api/v1/works/99999999999999999999/",
        "/api/v1/authors/1e5/works/",
        "/api/v1/conversations/x/messages/",
        "/api/v1/topics/%00/",
    ],
)
def test_a_malformed_api_path_is_a_json_404(researcher_client, url):
    response = researcher_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("url", ["/works/abc/", "/authors/99999999999999999999/"])
def test_a_malformed_page_path_is_the_sites_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Not found" in response.content
    assert b'href="/"' in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/works/?topic=%00",
        "/api/v1/works/?q=a%00b",
        "/api/v1/authors/?q=%00",
        "/api/v1/works/?type=%00",
        "/search/?q=a%00b",
        "/works/?topic=%00",
    ],
)
def test_a_nul_in_a_query_filter_is_refused_not_a_server_error(client, url):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code in (200, 400), url

"""The site shell every page shares: header, sign-in state, footer, local static assets."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
EXTERNAL_ASSET = re.compile(rb'(?:src|href)="(?:https?:)?//', re.IGNORECASE)


def test_home_page_for_a_visitor(visitor):
    response = visitor.get(reverse("home"))

    assert response.status_code == 200
    assert b'<html lang="en">' in response.content
    assert b'class="brand"' in response.content
    assert b"Sign in" in response.content
    assert b"Sign up" in response.content
    assert b"Signed in as" not in response.content
    assert b'<a class="skip-link" href="#main">' in response.content


def test_home_page_for_a_signed_in_researcher(researcher_client, researcher):
    response = researcher_client.get(reverse("home"))

    assert b"Signed in as <strong>Rosa Researcher</strong>" in response.content
    assert reverse("account_logout").encode() in response.content
    assert b"Create an account" not in response.content


def test_pages_load_no_asset_from_another_host(visitor):
    for name in ["home", "account_login", "account_signup", "api-docs"]:
        response = visitor.get(reverse(name))
        assert response.status_code == 200, name
        assert not EXTERNAL_ASSET.search(response.content), name


def test_the_stylesheet_is_served_by_the_project(visitor):
    response = visitor.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)


def test_the_openapi_schema_is_served(visitor):
    response = visitor.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Peerage API"

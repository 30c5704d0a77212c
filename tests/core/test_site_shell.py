"""The site shell every page shares: header, sign-in state, footer, local static assets."""

import re

import pytest
from django.urls import reverse

from tests.factories import count_queries

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


@pytest.mark.parametrize("name", ["records:search", "records:topics", "account_email"])
def test_the_moderation_link_costs_no_query(
    name, researcher_client, moderator_client, django_assert_num_queries
):
    url = reverse(name)
    researcher_client.get(url)  # the first request warms per-process caches
    researcher_cost, response = count_queries(researcher_client, url, with_response=True)
    assert b'data-testid="moderation-link"' not in response.content
    assert researcher_cost >= 3  # session, user, unread count, the page's own

    moderator_client.get(url)
    # The moderator's page asks exactly what the researcher's does: the role comes in the
    # user's own query (apps.accounts.backends).
    with django_assert_num_queries(researcher_cost) as moderator_queries:
        page = moderator_client.get(url).content.decode()
    assert f'href="{reverse("moderation:dashboard")}"' in page
    # ...and neither asks about groups apart from the user's own query.
    role_queries = [q["sql"] for q in moderator_queries if "groups" in q["sql"]]
    assert len(role_queries) == 1 and role_queries[0].startswith('SELECT "accounts_user"."id"')


def test_the_moderation_link_follows_the_role_on_the_next_request(researcher, researcher_client):
    from django.contrib.auth.models import Group

    from apps.accounts.models import MODERATORS_GROUP

    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    researcher.groups.add(group)
    assert b'data-testid="moderation-link"' in researcher_client.get(reverse("home")).content
    researcher.groups.remove(group)
    assert b'data-testid="moderation-link"' not in researcher_client.get(reverse("home")).content

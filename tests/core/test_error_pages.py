"""Django's own error statuses (400, 403, 404, 500) as pages in the site's layout with a way
on, and as JSON under /api/; a bad query parameter gets the 400 page even with DEBUG on."""

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import urlpatterns as site_urls


def forbidden(request):
    raise PermissionDenied


def crashes(request):
    raise RuntimeError("a bug")


@api_view(["GET"])
@permission_classes([AllowAny])
def api_crashes(request):
    raise RuntimeError("a bug")


@api_view(["GET"])
@permission_classes([AllowAny])
def api_bad_request(request):
    raise BadRequest("The page position in this link (cursor) cannot be read.")


urlpatterns = [
    path("_test/forbidden/", forbidden),
    path("_test/crash/", crashes),
    path("api/_test/crash/", api_crashes),
    path("api/_test/bad/", api_bad_request),
    *site_urls,
]
handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
BAD_CURSOR = "/recent/2024-05-01/?cursor=not-a-cursor"


def assert_site_page(response, status: int, words: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'class="brand"' in page and 'class="site-nav"' in page  # the layout and navigation
    assert 'data-testid="way-on"' in page and 'href="/"' in page  # a way on
    assert 'action="/search/"' in page
    assert words in page
    assert "Traceback" not in page
    return page


@pytest.mark.parametrize("debug", [False, True])
def test_a_bad_cursor_gets_the_400_page(client, settings, debug):
    settings.DEBUG = debug
    response = client.get(BAD_CURSOR, HTTP_REFERER="http://testserver/recent/")
    page = assert_site_page(response, 400, "The page position in this link (cursor)")
    assert 'href="http://testserver/recent/"' in page  # back where they came from


@pytest.mark.parametrize("debug", [False, True])
def test_a_bad_filter_on_an_author_page_gets_the_400_page(client, settings, debug, records):
    settings.DEBUG = debug
    author = records.author("Ada Lovelace")
    response = client.get(f"/authors/{author.pk}/?year=soon")
    assert_site_page(response, 400, "These filters could not be used")


@pytest.mark.parametrize("debug", [False, True])
def test_a_record_that_does_not_exist_gets_the_404_page(client, settings, debug):
    settings.DEBUG = debug
    assert_site_page(client.get("/authors/999999/"), 404, "There is no page at this address")


def test_an_unknown_address_gets_the_404_page(client):
    assert_site_page(client.get("/no/such/page/"), 404, "There is no page at this address")


@pytest.mark.parametrize("debug", [False, True])
def test_permission_denied_gets_the_403_page_with_a_way_to_sign_in(client, settings, debug):
    settings.DEBUG = debug
    page = assert_site_page(client.get("/_test/forbidden/"), 403, "You may not see this page")
    assert "/accounts/login/" in page


def test_a_crash_gets_the_500_page_in_the_layout(client):
    client.raise_request_exception = False
    assert_site_page(client.get("/_test/crash/"), 500, "We could not show this page")


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/no-such-thing/", 404, "not_found"),
        ("/api/_test/bad/", 400, "invalid"),
        ("/api/_test/crash/", 500, "server_error"),
    ],
)
def test_the_api_answers_the_same_statuses_in_json(client, url, status, code):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["detail"] and body["field"] is None


def test_the_api_answers_a_bad_cursor_in_json_even_with_debug(researcher_client, settings):
    settings.DEBUG = True
    response = researcher_client.get("/api/v1/notifications/?cursor=not-a-cursor")
    assert response.status_code == 400
    assert "cursor" in response.json()

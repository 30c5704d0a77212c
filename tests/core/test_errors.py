"""The one error model: every domain error maps to its status in the API (one DRF exception
handler) and in pages (one middleware; forms show a refusal on the field)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from apps.core import errors
from apps.core.forms import form_submit
from apps.core.middleware import returns_to
from config.urls import urlpatterns as site_urls

ERRORS = {
    "refused": (errors.Refused, 400),
    "not_allowed": (errors.NotAllowed, 403),
    "not_found": (errors.NotFound, 404),
    "conflict": (errors.Conflict, 409),
    "rate_limited": (errors.RateLimited, 429),
    "upstream_unavailable": (errors.UpstreamUnavailable, 503),
}


def _raise(code: str):
    cls, _ = ERRORS[code]
    retry = 30 if cls in (errors.RateLimited, errors.UpstreamUnavailable) else None
    raise cls(f"Refused as {code}.", field="thing", retry_after=retry)


@api_view(["GET", "POST"])
@permission_classes([AllowAny])
def api_raises(request, code):
    _raise(code)


def page_raises(request, code):
    _raise(code)


@returns_to("home")
def page_raises_with_a_way_back(request, code):
    _raise(code)


urlpatterns = [
    path("_test/api/<str:code>/", api_raises),
    path("_test/page/<str:code>/", page_raises),
    path("_test/back/<str:code>/", page_raises_with_a_way_back),
    *site_urls,
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.mark.parametrize("code", ERRORS)
def test_the_api_handler_maps_each_error_to_its_status_and_body(client, code):
    response = client.post(f"/_test/api/{code}/")
    assert response.status_code == ERRORS[code][1]
    assert response.json() == {"detail": f"Refused as {code}.", "code": code, "field": "thing"}
    waits = code in ("rate_limited", "upstream_unavailable")
    assert response.get("Retry-After") == ("30" if waits else None)


@pytest.mark.parametrize("code", ERRORS)
def test_a_page_without_a_way_back_shows_an_error_page_with_the_status(client, code):
    response = client.post(f"/_test/page/{code}/")
    assert response.status_code == ERRORS[code][1]
    page = response.content.decode()
    assert f"Refused as {code}." in page and 'href="/"' in page  # a way on
    assert response.get("Retry-After") == ("30" if ERRORS[code][1] in (429, 503) else None)


@pytest.mark.parametrize("code", ["refused", "conflict", "upstream_unavailable"])
def test_a_refused_post_goes_back_with_a_message(client, code):
    response = client.post(f"/_test/back/{code}/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"Refused as {code}."]
    # The form's own `next` wins when it is on this site, never when it is elsewhere.
    assert client.post(f"/_test/back/{code}/", {"next": "/search/"})["Location"] == "/search/"
    away = client.post(f"/_test/back/{code}/", {"next": "https://evil.example/"})
    assert away["Location"] == "/"


@pytest.mark.parametrize("code", ["not_allowed", "not_found", "rate_limited"])
def test_not_allowed_not_found_and_too_many_are_pages_even_with_a_way_back(client, code):
    response = client.post(f"/_test/back/{code}/", {"next": "/search/"})
    assert response.status_code == ERRORS[code][1]
    assert f"Refused as {code}." in response.content.decode()


def test_a_refusal_with_nowhere_declared_goes_back_to_the_referring_page(client):
    response = client.post("/_test/page/refused/", HTTP_REFERER="http://testserver/search/")
    assert response.status_code == 302 and response["Location"] == "http://testserver/search/"
    elsewhere = client.post("/_test/page/refused/", HTTP_REFERER="https://evil.example/")
    assert elsewhere.status_code == 400


def test_a_get_is_never_redirected(client):
    assert client.get("/_test/back/refused/").status_code == 400


class _NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def test_form_submit_puts_a_refusal_on_its_field_and_keeps_the_input():
    def refuse(data):
        raise errors.Refused("That name is taken.", field="name")

    form = _NameForm({"name": "Ada"})
    assert form_submit(form, refuse) is False
    assert form.errors == {"name": ["That name is taken."]}
    assert form["name"].value() == "Ada"


def test_form_submit_keeps_the_result_and_lets_not_allowed_through():
    form = _NameForm({"name": "Ada"})
    assert form_submit(form, lambda data: data["name"].upper()) is True
    assert form.result == "ADA"
    with pytest.raises(errors.NotAllowed):
        form_submit(_NameForm({"name": "Ada"}), lambda data: _raise("not_allowed"))
    invalid = _NameForm({"name": "x" * 11})
    assert form_submit(invalid, lambda data: pytest.fail("not called")) is False


def test_no_view_or_api_module_catches_a_domain_error():
    """The two handlers above are the only translators: views and API modules let domain
    errors through (forms go through apps.core.forms.form_submit)."""
    import ast
    from pathlib import Path

    import apps

    domain = {"DomainError", *(cls.__name__ for cls, _ in ERRORS.values())}
    caught = []
    root = Path(apps.__file__).parent
    for module in [*root.glob("*/views.py"), *root.glob("*/api.py")]:
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)}
                caught += [f"{module.parent.name}/{module.name}: {n}" for n in names & domain]
    assert caught == []


def test_an_oversized_api_body_is_a_json_413(researcher_client, settings):
    body = '{"purpose": "text", "note": "' + "x" * (5 * 1024 * 1024) + '"}'
    response = researcher_client.post("/api/v1/invitations/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"

"""HTML search is held to the API's throttles: past the rate, a 429 page with Retry-After."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": [
            "apps.core.throttles.AnonThrottle",
            "apps.core.throttles.UserThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }


@pytest.mark.parametrize("persona, allowed", [("visitor", 2), ("researcher_client", 3)])
def test_search_pages_past_the_rate_are_a_429_page(request, two_a_minute, persona, allowed):
    client = request.getfixturevalue(persona)
    for _ in range(allowed):
        assert client.get("/search/?q=ada").status_code == 200
    refused = client.get("/search/?q=ada")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.content.decode()


def test_the_api_and_search_use_the_same_throttles():
    from django.conf import settings

    from config.settings import base

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == []  # tests run unthrottled
    assert base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "apps.core.throttles.AnonThrottle",
        "apps.core.throttles.UserThrottle",
    ]

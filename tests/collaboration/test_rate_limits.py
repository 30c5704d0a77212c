"""A rate limit is a 429 with Retry-After: in the API as JSON, in pages as a page that says
what to wait for (not a 400, not the form shown again as if the input were wrong)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.trust.models import TrustRecord

from .conftest import claim_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def over_quota(researcher, researcher_record, make_user, records, invite):
    """The researcher (tier New, 3 a day) has sent today's invitations; one more target."""
    TrustRecord.objects.update_or_create(author=researcher_record, defaults={
        "score": 0, "version": 1, "computed_at": timezone.now()})  # fmt: skip
    targets = [
        claim_record(records, make_user(), f"0000-0003-0000-{i:04d}", f"Target Person{i}")
        for i in range(4)
    ]
    for target in targets[:3]:
        invite(researcher, target)
    return targets[3]


def _signed_in(cls, user):
    client = cls()
    client.force_login(user)
    return client


def test_the_api_answers_a_spent_invitation_quota_with_429(researcher, over_quota):
    response = _signed_in(APIClient, researcher).post(
        "/api/v1/invitations/",
        {"author": over_quota.pk, "purpose": "text", "note": "Survey?"},
        format="json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 86_400


def test_the_invite_page_answers_a_spent_quota_with_a_429_page(researcher, over_quota):
    response = _signed_in(Client, researcher).get(f"/authors/{over_quota.pk}/invite/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 86_400
    page = response.content.decode()
    assert "Too many requests" in page and "invitations for today" in page


def test_messages_too_quickly_are_429_in_the_api_and_a_page(settings, researcher, conversation):
    settings.COLLABORATION_MESSAGES_PER_MINUTE = 1
    api = _signed_in(APIClient, researcher)
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    assert api.post(url, {"body": "one"}, format="json").status_code == 201
    refused = api.post(url, {"body": "two"}, format="json")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60

    page = _signed_in(Client, researcher).post(
        f"/conversations/{conversation.pk}/", {"body": "three"}
    )
    assert page.status_code == 429 and 0 < int(page["Retry-After"]) <= 60
    assert "too quickly" in page.content.decode()

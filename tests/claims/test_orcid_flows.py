"""ORCID sign-in and linking lead to "Is this you?"; only the OAuth-proven iD counts."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from apps.claims.orcid import proven_orcid
from tests.accounts.test_orcid_login import _load
from tests.conftest import ORCID_ID

pytestmark = pytest.mark.django_db


def _exchange(client, fake_orcid, process=None):
    fake_orcid.add("POST", "/oauth/token", json=_load(f"token-authenticate-{ORCID_ID}.json"))
    fake_orcid.add("GET", f"/v3.0/{ORCID_ID}/record", json=_load(f"record-{ORCID_ID}.json"))
    data = {"process": process} if process else {}
    state = parse_qs(urlsplit(client.post(reverse("orcid_login"), data)["Location"]).query)
    return client.get(reverse("orcid_callback"), {"code": "Qx7T2b", "state": state["state"][0]})


def _lands(client, response) -> str:
    """Where a sign-in's redirect ends: LOGIN_REDIRECT_URL is claims' `signed_in`, which
    decides and redirects once more."""
    assert response.status_code == 302 and response["Location"] == reverse("claims:signed_in")
    return client.get(response["Location"])["Location"]


def test_a_signed_in_user_links_orcid_and_lands_on_find_my_record(
    researcher_client, researcher, fake_orcid
):
    response = _exchange(researcher_client, fake_orcid, process="connect")
    assert _lands(researcher_client, response) == "/claims/find/?q=Rosa+Researcher"
    assert SocialAccount.objects.get(provider="orcid").user == researcher
    assert proven_orcid(researcher) == ORCID_ID


def test_returning_orcid_user_without_a_record_lands_on_find_my_record(
    client, make_user, fake_orcid
):
    user = make_user(email="ilse.marrowgate@univ-synthetic.example")
    SocialAccount.objects.create(user=user, provider="orcid", uid=ORCID_ID)
    response = _exchange(client, fake_orcid)
    assert _lands(client, response).startswith("/claims/find/?q=")


def test_a_holder_signing_in_goes_where_they_always_did(client, claimed_researcher, researcher):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("account_login"), {"login": researcher.email, "password": TEST_PASSWORD}
    )
    assert _lands(client, response) == "/"


def test_an_email_user_without_orcid_has_no_proven_id(researcher):
    assert proven_orcid(researcher) is None

"""ORCID sign-in through allauth, against a fake ORCID on 127.0.0.1.

The flow: our login view redirects to ORCID's authorize URL with a state; ORCID calls back with
a code; allauth POSTs the code to /oauth/token and GETs /v3.0/<iD>/record; a user is created
and linked to that iD.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from tests import samples
from tests.conftest import ORCID_ID

FIXTURES = samples.fixture_path("orcid")
SHARED_SAMPLES = samples.SAMPLES / "orcid"


def _load(name):
    return json.loads((FIXTURES / name).read_text())


def _templates(response):
    return [t.name for t in response.templates]


def _assert_sign_in_fails(client):
    """The callback after ORCID answered: a failed sign-in page, and no account linked."""
    _, query = _start_login(client)
    response = client.get(reverse("orcid_callback"), {"code": "Qx7T2b", "state": query["state"][0]})
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in _templates(response)
    assert not SocialAccount.objects.exists()


def _start_login(client):
    """POST to the login view (allauth requires POST) and return the state it issued."""
    response = client.post(reverse("orcid_login"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    return location, parse_qs(location.query)


def test_login_url_resolves():
    assert reverse("orcid_login") == "/accounts/orcid/login/"
    assert reverse("orcid_callback") == "/accounts/orcid/login/callback/"


@pytest.mark.django_db
def test_login_redirects_to_the_configured_orcid_with_the_authenticate_scope(client, fake_orcid):
    location, query = _start_login(client)

    assert f"{location.scheme}://{location.netloc}" == fake_orcid.url
    assert location.path == "/oauth/authorize"
    assert query["scope"] == ["/authenticate"]
    assert query["client_id"] == ["APP-TESTCLIENT0001"]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"][0].endswith("/accounts/orcid/login/callback/")


@pytest.mark.django_db
def test_token_and_record_exchange_creates_a_user_linked_to_the_orcid_id(client, fake_orcid):
    fake_orcid.add("POST", "/oauth/token", json=_load(f"token-authenticate-{ORCID_ID}.json"))
    fake_orcid.add("GET", f"/v3.0/{ORCID_ID}/record", json=_load(f"record-{ORCID_ID}.json"))
    _, query = _start_login(client)

    response = client.get(reverse("orcid_callback"), {"code": "Qx7T2b", "state": query["state"][0]})

    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="orcid")
    assert account.uid == ORCID_ID
    assert account.user.email == "ilse.marrowgate@univ-synthetic.example"
    assert account.user.display_name == "Ilse Marrowgate"
    token_request = fake_orcid.requests_to("POST", "/oauth/token")[0]
    assert token_request.form["grant_type"] == ["authorization_code"]
    assert token_request.form["code"] == ["Qx7T2b"]
    record_request = fake_orcid.requests_to("GET", f"/v3.0/{ORCID_ID}/record")[0]
    assert record_request.headers["accept"] == "application/orcid+json"
    assert account.socialtoken_set.get().token == "3f1c2b9e-5d7a-4e61-9a0b-7c2d4e8f1a35"


@pytest.mark.django_db
def test_a_record_for_another_id_than_the_token_proved_is_refused(client, fake_orcid):
    token = _load(f"token-authenticate-{ORCID_ID}.json")
    other = "0000-0002-7182-8185"
    record = _load(f"record-{ORCID_ID}.json")
    record["orcid-identifier"]["path"] = other
    fake_orcid.add("POST", "/oauth/token", json=token)
    fake_orcid.add("GET", f"/v3.0/{ORCID_ID}/record", json=record)
    _assert_sign_in_fails(client)


@pytest.mark.django_db
def test_orcid_down_is_a_failed_login_not_a_crash(client, fake_orcid):
    fake_orcid.add("POST", "/oauth/token", status=503, body="maintenance")
    _assert_sign_in_fails(client)


@pytest.mark.django_db
@samples.needs_samples
def test_a_genuine_sandbox_record_links_by_its_orcid_identifier_path(client, fake_orcid):
    record = json.loads(
        (SHARED_SAMPLES / "record-v3.0-json-sandbox-0000-0003-4997-3076.json").read_text()
    )
    orcid_id = record["orcid-identifier"]["path"]
    token = {**_load(f"token-authenticate-{ORCID_ID}.json"), "orcid": orcid_id}
    fake_orcid.add("POST", "/oauth/token", json=token)
    fake_orcid.add("GET", f"/v3.0/{orcid_id}/record", json=record)
    _, query = _start_login(client)

    client.get(reverse("orcid_callback"), {"code": "Qx7T2b", "state": query["state"][0]})

    assert SocialAccount.objects.get(provider="orcid").uid == orcid_id

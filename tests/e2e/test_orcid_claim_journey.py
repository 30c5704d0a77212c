"""The ORCID journey in a browser, against a fake ORCID on 127.0.0.1: our sign-in page →
ORCID's authorize page → callback → token and record exchange (server to server) → email
confirmation → "Is this you?" → claim by ORCID match → the record shows Claimed."""

import json
import re

import pytest
from django.core import mail

from apps.claims.models import Claim
from tests import samples
from tests.conftest import ORCID_ID
from tests.factories import make_author

FIXTURES = samples.fixture_path("orcid")

# ORCID's authorize page, reduced to what matters: it shows who asks for what, and sends the
# browser back to redirect_uri with a code and the state it was given.
AUTHORIZE_PAGE = """<!doctype html><html lang="en"><head><title>ORCID</title></head><body>
<h1>Authorize access</h1><p id="ask"></p><a id="authorize" href="#">Authorize access</a>
<script>
const q = new URLSearchParams(location.search);
document.getElementById("ask").textContent = q.get("client_id") + " asks for " + q.get("scope");
const back = new URL(q.get("redirect_uri"));
back.searchParams.set("code", "Qx7T2b");
back.searchParams.set("state", q.get("state"));
document.getElementById("authorize").href = back.toString();
</script></body></html>"""


@pytest.fixture
def orcid_site(fake_orcid):
    fake_upstream = fake_orcid
    fake_upstream.add("GET", "/oauth/authorize", body=AUTHORIZE_PAGE, content_type="text/html")
    token = json.loads((FIXTURES / f"token-authenticate-{ORCID_ID}.json").read_text())
    fake_upstream.add("POST", "/oauth/token", json=token)
    fake_upstream.add_file("GET", f"/v3.0/{ORCID_ID}/record", FIXTURES / f"record-{ORCID_ID}.json")
    fake_upstream.add_file("GET", f"/v3.0/{ORCID_ID}/works", FIXTURES / f"works-{ORCID_ID}.json")
    return fake_upstream


@pytest.mark.django_db(transaction=True)
def test_sign_in_with_orcid_find_my_record_and_claim_it(page, orcid_site):
    record = make_author("Ilse Marrowgate", orcid=ORCID_ID)
    make_author("Ilse Marrowgate")  # a namesake without the iD ranks below

    page.goto("/accounts/orcid/login/")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{orcid_site.url}/oauth/authorize?*")
    assert "/authenticate" in page.locator("#ask").inner_text()
    page.get_by_role("link", name="Authorize access").click()

    # Back on Peerage: allauth exchanged the code for the token and fetched the record.
    page.wait_for_url("**/accounts/confirm-email/")
    token_call = orcid_site.requests_to("POST", "/oauth/token")[0]
    assert token_call.form["code"] == ["Qx7T2b"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/claims/find/?q=*")  # "Is this you?", searched for their name
    first = page.get_by_test_id("candidate").first
    assert first.get_attribute("data-author") == str(record.pk)
    assert "matches the one you signed in with" in first.inner_text()
    first.get_by_role("link", name="This is me: claim").click()
    page.get_by_role("button", name="Claim with ORCID").click()

    assert page.get_by_test_id("claim-status").inner_text() == "Approved"
    page.goto(f"/authors/{record.pk}/")
    assert page.get_by_test_id("claim-status").inner_text() == "Claimed"
    assert "Verification L2" in page.locator(".snapshot").inner_text()
    claim = Claim.objects.get()
    assert claim.status == "approved" and claim.orcid == ORCID_ID

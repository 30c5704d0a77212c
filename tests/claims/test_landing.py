"""After confirming their email, or signing in with ORCID for the first time, a new person
lands on "Is this you?" with candidates already searched for their name."""

import re

from django.core import mail
from django.urls import reverse

from tests.claims.test_orcid_flows import _exchange

PASSWORD = "Violet-Harbour-3051"


def _follow(client, response, hops: int = 4) -> str:
    while response.status_code == 302 and hops:
        location = response["Location"]
        response, hops = client.get(location), hops - 1
    return location


def test_a_confirmed_email_lands_on_is_this_you_searched_for_the_name(client, records):
    records.author("Tariq Yilmaz")
    signup = {"email": "new.phd@example.org", "display_name": "Tariq Yilmaz",
              "password1": PASSWORD, "password2": PASSWORD}  # fmt: skip
    client.post(reverse("account_signup"), signup)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)

    response = client.post(link)

    assert response["Location"] == reverse("claims:signed_in") + "?first=1"
    landing = _follow(client, response)
    assert landing == reverse("claims:find") + "?q=Tariq+Yilmaz"
    page = client.get(landing).content.decode()
    assert "Is this you?" in page and 'data-testid="candidate"' in page


def test_a_first_orcid_sign_in_lands_on_candidates_for_the_name(client, fake_orcid, records):
    records.author("Ilse Marrowgate")
    assert _follow(client, _exchange(client, fake_orcid)) == reverse(
        "account_email_verification_sent"
    )
    # ORCID does not vouch for the email address: it is confirmed first, as for everyone.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    landing = _follow(client, client.post(link))
    assert landing == reverse("claims:find") + "?q=Ilse+Marrowgate"
    page = client.get(landing).content.decode()
    assert 'data-testid="candidate"' in page and "Ilse Marrowgate" in page


def test_signing_in_again_without_orcid_goes_home(client, researcher):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("account_login"), {"login": researcher.email, "password": TEST_PASSWORD}
    )
    assert _follow(client, response) == "/"

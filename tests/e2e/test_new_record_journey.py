""" "No record yet?" in the browser, at desktop and phone widths: a new researcher whom no
source lists goes from their home page to the new-record page, names a paper by DOI, watches
the progress panel (htmx polls it, no page load) until their record is made, and opens it;
one with a proven ORCID iD makes theirs from ORCID and holds it at once. Every page on the
way fits the window and has no serious or critical axe-core finding; screenshots go to
var/screenshots/ (not committed)."""

import json

import pytest
from allauth.socialaccount.models import SocialAccount

from apps.claims.models import Claim, RecordRequest
from apps.claims.services import newrecord
from tests import samples
from tests.conftest import ORCID_ID
from tests.e2e.conftest import sign_in
from tests.e2e.test_first_hour import WIDTHS, accessible, fits
from tests.factories import UserFactory

FIXTURES = samples.FIXTURES
DOI = "10.5555/peerage.2024.0101"
KOFI = "Kofi Delacroix-Amponsah"  # printed on the Crossref fixture's byline


@pytest.fixture
def upstream(fake_upstream, settings):
    url = fake_upstream.url
    settings.CROSSREF_API_URL = f"{url}/crossref"
    settings.ORCID_API_BASE_URL = f"{url}/orcid"
    fake_upstream.add_file(
        "GET",
        f"/crossref/works/{DOI}",
        FIXTURES / "crossref" / "work-10.5555-peerage.2024.0101.json",
    )
    record = json.loads((FIXTURES / "orcid" / f"record-{ORCID_ID}.json").read_text())
    fake_upstream.add("GET", f"/orcid/v3.0/{ORCID_ID}/record", json=record)
    fake_upstream.add_file(
        "GET", f"/orcid/v3.0/{ORCID_ID}/works", FIXTURES / "orcid" / f"works-{ORCID_ID}.json"
    )
    return fake_upstream


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_new_researcher_makes_their_record_from_a_doi(page, width, upstream, monkeypatch):
    page.set_viewport_size({"width": width, "height": 900})
    UserFactory(email="kofi@example.org", display_name=KOFI)
    # The worker is this test: the request waits queued until the test runs it below.
    monkeypatch.setattr(newrecord, "_start", lambda request_id: None)

    sign_in(page, "kofi@example.org")
    page.get_by_test_id("make-your-record").click()
    page.wait_for_url("**/claims/new/")
    fits(page, "new-record", width)
    accessible(page, "new record")
    page.get_by_role("textbox", name="Your works").fill(f"https://doi.org/{DOI}")
    page.get_by_test_id("new-from-works").click()
    page.wait_for_url("**/claims/new/*/")
    progress = page.get_by_test_id("new-record-progress")
    assert progress.get_attribute("data-status") == "queued"
    fits(page, "new-record-progress", width)
    accessible(page, "new record progress")

    navigations = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else None)
    newrecord.record_request_run(RecordRequest.objects.get().pk)
    page.get_by_test_id("new-record-link").wait_for()  # htmx swapped the panel in
    assert navigations == []
    fits(page, "new-record-done", width)
    accessible(page, "new record done")
    page.get_by_role("link", name="Go to your record").click()
    page.wait_for_url("**/authors/*/")
    fits(page, "new-record-author", width)
    claim = Claim.objects.get()
    assert claim.status == "pending" and claim.author.verification_level == 1


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_researcher_with_a_proven_orcid_makes_and_holds_their_record(page, width, upstream):
    page.set_viewport_size({"width": width, "height": 900})
    ilse = UserFactory(email="ilse@example.org", display_name="Ilse Marrowgate")
    SocialAccount.objects.create(user=ilse, provider="orcid", uid=ORCID_ID)

    sign_in(page, "ilse@example.org")
    page.goto("/claims/find/?q=Ilse+Marrowgate")
    page.get_by_test_id("no-record-yet").get_by_role("link", name="Make my record").click()
    page.wait_for_url("**/claims/new/")
    fits(page, "new-record-orcid", width)
    accessible(page, "new record with ORCID")
    page.get_by_test_id("new-from-orcid").click()
    page.wait_for_url("**/claims/new/*/")
    page.get_by_test_id("new-record-link").wait_for()
    assert "is yours" in page.get_by_test_id("new-record-progress").inner_text()
    fits(page, "new-record-orcid-done", width)
    accessible(page, "new record from ORCID done")
    assert Claim.objects.holder_of(Claim.objects.get().author).user == ilse

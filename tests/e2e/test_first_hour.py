"""The first hour, at desktop and phone widths: a visitor goes from the home page to a work
by its DOI and on to its author; a new researcher signs up, confirms, meets "Is this you?"
and claims; a moderator reaches the workspace from the header and decides. Every page on
the way is no wider than the window and has no serious or critical axe-core finding
(static/vendor/axe-core, MPL-2.0). Screenshots go to var/screenshots/ (not committed)."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from apps.accounts.models import MODERATORS_GROUP
from apps.claims.models import Claim
from apps.collaboration import services as collaboration
from apps.records.services import author_metrics_refresh
from tests.e2e.conftest import sign_in, sign_up
from tests.factories import UserFactory, claimed_record, make_author, make_work

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
AXE = (ROOT / "static" / "vendor" / "axe-core" / "axe.min.js").read_text()
WIDTHS = [1280, 390]
PASSWORD = "Violet-Harbour-3051"
FINDINGS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)"""


def fits(page, name: str, width: int) -> None:
    """No sideways scroll at this width; a screenshot for people to look at."""
    page.wait_for_load_state()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (name, wide)


def accessible(page, name: str) -> None:
    page.evaluate(AXE)
    assert page.evaluate(FINDINGS) == [], name


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_visitor_goes_from_home_to_a_work_by_doi_and_on_to_its_author(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    grace = make_author("Grace Brewster Murray Hopper", orcid="0000-0002-1825-0097")
    work = make_work(
        grace,
        make_author("Howard Aiken"),
        title="The education of a computer: notes towards a compiler of routines",
        doi="10.1145/609784.609818",
        date=datetime.date.today(),
    )

    page.goto("/")
    fits(page, "home", width)
    accessible(page, "visitor home")
    page.locator("#home-search").fill("https://doi.org/10.1145/609784.609818")
    page.locator(".hero-search button").click()
    page.wait_for_url(f"**/works/{work.pk}/")
    fits(page, "work", width)
    page.get_by_role("link", name="Grace Brewster Murray Hopper").first.click()
    page.wait_for_url(f"**/authors/{grace.pk}/")
    fits(page, "author", width)
    accessible(page, "author page")

    page.goto("/search/?q=Grace+Hopper")
    assert page.get_by_test_id("author-card").count() == 1
    fits(page, "search", width)
    accessible(page, "search")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_new_researcher_signs_up_confirms_finds_their_record_and_claims_it(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    record = make_author("Tariq Yilmaz")
    make_work(record, title="Neutrino masses from lattice data", date=datetime.date(2024, 5, 1))
    author_metrics_refresh([record.pk])  # what an import does: the card reads its newest works

    page.goto("/")
    page.get_by_test_id("find-and-claim").click()
    sign_up(page, "tariq@example.org", "Tariq Yilmaz", PASSWORD)
    page.wait_for_url("**/accounts/confirm-email/")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/claims/find/?q=Tariq+Yilmaz")
    candidate = page.get_by_test_id("candidate").first
    assert "Neutrino masses" in candidate.inner_text()
    fits(page, "is-this-you", width)
    accessible(page, "is this you")
    candidate.get_by_role("link", name="This is me: claim").click()
    page.wait_for_url(f"**/authors/{record.pk}/claim/")
    fits(page, "claim-start", width)
    accessible(page, "claim start")
    page.get_by_label("A note for the moderators").fill("The lattice paper is my thesis work.")
    page.get_by_role("button", name="Submit claim").click()
    page.wait_for_url("**/claims/*/")
    fits(page, "claim", width)
    assert Claim.objects.get(author=record).status == "pending"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_moderator_reaches_the_workspace_from_the_header_and_decides(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    from apps.claims.services import Evidence, claim_evidence

    moderator = UserFactory(email="mona@example.org", display_name="Mona Moderator")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    rosa = UserFactory(email="rosa@example.org", display_name="Rosa Researcher")
    claim = claim_evidence(
        user=rosa,
        author=make_author("Rosa Researcher"),
        evidence=Evidence(note="My lab page: these are my papers."),
    )

    sign_in(page, "mona@example.org")
    fits(page, "moderator-home", width)
    page.get_by_test_id("moderation-link").click()
    page.wait_for_url("**/moderation/")
    fits(page, "moderation-dashboard", width)
    accessible(page, "moderation dashboard")
    page.get_by_role("link", name="Claims", exact=True).first.click()
    item = page.locator(f"[data-claim='{claim.pk}']")
    fits(page, "claims-queue", width)
    approve = item.locator("form:has(input[name=outcome][value=approve])")
    approve.get_by_label("Or your own words").fill("The lab page lists these works.")
    approve.get_by_role("button", name="Approve").click()
    page.get_by_text("No claims are waiting.").wait_for()
    claim.refresh_from_db()
    assert claim.status == "approved"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_conversation_fits_and_reads_well(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    ana = UserFactory(email="ana@example.org", display_name="Ana Alvarez")
    claimed_record(ana, "Ana Alvarez", "0000-0002-1825-0097")
    bea = UserFactory(email="bea@example.org", display_name="Bea Berger")
    bea_record = claimed_record(bea, "Bea Berger", "0000-0001-5109-3700")
    invitation = collaboration.invitation_create(
        sender=ana, author=bea_record, purpose="text", note="Shall we write the survey?"
    )
    conversation = collaboration.invitation_accept(invitation=invitation, actor=bea)

    sign_in(page, "bea@example.org")
    page.goto(f"/conversations/{conversation.pk}/")
    page.get_by_label("Message").fill("Yes, with https://example.org/a/very/long/link/" + "x" * 80)
    page.get_by_role("button", name="Send").click()
    page.get_by_test_id("message").first.wait_for()
    fits(page, "conversation", width)
    accessible(page, "conversation")

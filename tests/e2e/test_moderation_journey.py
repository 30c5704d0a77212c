"""A moderator approves an evidence claim in the workspace; the claimant then sees the record
Claimed at L2, with its new trust score first in the snapshot and the breakdown under
"Why this score"."""

import datetime

import pytest
from django.contrib.auth.models import Group

from apps.accounts.models import MODERATORS_GROUP
from apps.claims.services import Evidence, claim_evidence
from apps.records.services import author_metrics_refresh
from apps.trust.models import TrustRecord
from apps.trust.services import trust_recompute
from tests.factories import TEST_PASSWORD, UserFactory, make_author, make_work


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_test_id("signed-in-as").wait_for()


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in", exact=True).wait_for()


@pytest.mark.django_db(transaction=True)
def test_moderator_approves_a_claim_and_the_claimant_sees_l2_and_the_score(page):
    moderator = UserFactory(email="mona@example.org", display_name="Mona Moderator")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    rosa = UserFactory(email="rosa@example.org", display_name="Rosa Researcher")
    record = make_author("Rosa Researcher", orcid="0000-0002-1825-0097")
    for year in (2016, 2021, 2025):
        make_work(record, make_author(), date=datetime.date(year, 3, 1))
    author_metrics_refresh([record.pk])
    trust_recompute(record, cause="test")
    before = TrustRecord.objects.get(author=record).score
    claim = claim_evidence(
        user=rosa, author=record, evidence=Evidence(note="My lab page: these are my papers.")
    )
    failures = []
    page.on("pageerror", lambda e: failures.append(str(e)))

    _sign_in(page, "mona@example.org")
    page.goto("/moderation/")
    assert page.get_by_test_id("figure-claims").locator("td").first.inner_text() == "1"
    page.get_by_role("link", name="Claims", exact=True).first.click()
    item = page.locator(f"[data-claim='{claim.pk}']")
    assert "My lab page" in item.inner_text()
    approve = item.locator("form:has(input[name=outcome][value=approve])")
    approve.get_by_label("Or your own words").fill("Your lab page lists these works.")
    approve.get_by_role("button", name="Approve").click()
    page.get_by_text("No claims are waiting.").wait_for()
    _sign_out(page)

    _sign_in(page, "rosa@example.org")
    page.goto(f"/authors/{record.pk}/")
    after = TrustRecord.objects.get(author=record)
    assert after.score > before
    lines = page.locator(".snapshot-list > li").all_inner_texts()
    assert lines[:3] == [f"Trust {after.score} · {after.tier}", "Verification L2", "Claimed"]
    page.get_by_text("Why this score").click()
    assert "L2" in page.get_by_test_id("trust-why").inner_text()
    page.get_by_role("link", name="Notifications").click()
    assert "Your lab page lists these works." in page.locator("main").inner_text()
    assert failures == []

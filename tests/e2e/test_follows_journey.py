"""Follow an author in the browser (the button swaps in place with htmx), import their new
work through the real importer, find it in the feed, upvote it and watch the count change."""

import datetime

import pytest

from apps.ingest.importer import import_batch
from apps.ingest.normalized import AuthorRef, Batch, WorkRecord
from apps.notifications.models import Notification
from tests.factories import TEST_PASSWORD, UserFactory, make_author


@pytest.mark.django_db(transaction=True)
def test_follow_import_feed_upvote(page):
    UserFactory(email="rosa@example.org", display_name="Rosa Researcher")
    ada = make_author("Ada Lindqvist", openalex_id="A4242")
    failures = []
    page.on("pageerror", lambda e: failures.append(str(e)))
    page.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_test_id("signed-in-as").wait_for()

    page.goto(f"/authors/{ada.pk}/")
    navigations = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else None)
    page.get_by_test_id("follow-button").click()
    page.get_by_role("button", name="Following · Unfollow").wait_for()
    assert navigations == []  # htmx swapped the button in place; no page load
    assert page.get_by_test_id("snapshot-followers").inner_text() == "1 follower"

    import_batch(
        Batch(
            works=[
                WorkRecord(
                    source="openalex",
                    source_key="W4242",
                    openalex_id="W4242",
                    title="Elastic sharding for streams",
                    type="preprint",
                    publication_date=datetime.date(2026, 11, 30),
                    date_precision="day",
                    authors=[AuthorRef("Ada Lindqvist", 0, openalex_id="A4242")],
                )
            ]
        )
    )
    assert Notification.objects.filter(kind="follows.new_work").count() == 1

    page.get_by_role("link", name="Feed").click()
    page.wait_for_url("**/feed/")
    item = page.locator(".work-item", has_text="Elastic sharding for streams")
    assert item.get_by_test_id("upvote-count").inner_text() == "0"
    item.get_by_test_id("upvote-button").click()
    page.locator(".work-item [aria-pressed=true]").wait_for()
    assert item.get_by_test_id("upvote-count").inner_text() == "1"
    assert [url for url in navigations if "/feed/" in url] == [navigations[-1]]  # no reload
    page.reload()
    assert page.locator(".work-item").get_by_test_id("upvote-count").inner_text() == "1"
    assert failures == []

"""Two journeys at desktop and phone widths that no other browser test walks:
- a visitor without an account goes from the trending page to the digest form, confirms the
  address from the mailed link (a button first, so mail scanners change nothing) and later
  stops the digest from its one-click link, which deletes the address;
- a researcher who holds a record opens their follow settings and chooses who sees their
  institutional email badge.
No page on the way is wider than the window or has a serious or critical axe-core finding."""

import re

import pytest
from django.core import mail

from apps.follows.models import Audience, DigestSubscriber
from apps.follows.subscribers import unsubscribe_token
from apps.follows.visibility import follow_settings_for
from tests.e2e.conftest import sign_in
from tests.e2e.test_first_hour import WIDTHS, accessible, fits
from tests.factories import UserFactory, claimed_record


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_visitor_subscribes_to_trending_confirms_and_stops(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures = []
    page.on("pageerror", lambda e: failures.append(str(e)))

    page.goto("/trending/")
    page.get_by_test_id("subscribe-link").click()
    page.wait_for_url("**/digest/subscribe/**")
    fits(page, "digest-subscribe", width)
    accessible(page, "digest subscribe")
    page.get_by_label("Email").fill("reader@example.org")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**sent=1")
    fits(page, "digest-sent", width)

    link = re.search(r"https?://[^/\s]+(/digest/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)  # the mailed link's path, on the test server
    fits(page, "digest-confirm", width)
    assert not DigestSubscriber.objects.get(email="reader@example.org").confirmed_at
    page.get_by_role("button", name="Confirm").click()
    page.get_by_test_id("subscribe-confirmed").wait_for()
    fits(page, "digest-confirmed", width)
    accessible(page, "digest confirmed")
    subscriber = DigestSubscriber.objects.get(email="reader@example.org")
    assert subscriber.confirmed_at

    page.goto(f"/digest/stop/{unsubscribe_token(subscriber)}/")
    fits(page, "digest-stop", width)
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_test_id("unsubscribed").wait_for()
    fits(page, "digest-stopped", width)
    assert not DigestSubscriber.objects.filter(email="reader@example.org").exists()
    assert failures == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_holder_chooses_who_sees_their_institutional_badge(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    rosa = UserFactory(email="rosa@example.org", display_name="Rosa Researcher")
    claimed_record(rosa, "Rosa Researcher", "0000-0002-1825-0097")
    failures = []
    page.on("pageerror", lambda e: failures.append(str(e)))

    sign_in(page, "rosa@example.org")
    page.goto("/follows/settings/")
    fits(page, "follow-settings", width)
    accessible(page, "follow settings")
    badge = page.get_by_label("Who sees that my institutional email is verified")
    badge.select_option(Audience.FOLLOWERS.value)
    page.get_by_role("button", name=re.compile("Save")).click()
    page.get_by_text("Settings saved.").wait_for()
    fits(page, "follow-settings-saved", width)
    assert follow_settings_for(rosa).badge_audience == Audience.FOLLOWERS
    assert failures == []

"""A newcomer's first visit: home page, sign up, verify the email from the captured message
(landing on "Is this you?"), sign in, and see the signed-in header."""

import re

import pytest
from django.core import mail

from apps.accounts.models import User
from tests.e2e.conftest import sign_up

PASSWORD = "Violet-Harbour-3051"


@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_and_sign_in(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).is_visible()

    page.get_by_role("link", name="Sign up").first.click()
    sign_up(page, "first.visitor@example.org", "First Visitor", PASSWORD)

    page.wait_for_url("**/accounts/confirm-email/")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    # A new account lands on "Is this you?", searched for its public name.
    page.wait_for_url("**/claims/find/?q=First+Visitor")
    assert User.objects.get(email="first.visitor@example.org").emailaddress_set.get().verified

    # Sign out, then sign in with the new credentials through the form.
    page.get_by_role("button", name="Sign out").click()
    if page.get_by_role("button", name="Sign Out").count():  # allauth's confirmation page
        page.get_by_role("button", name="Sign Out").click()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill("first.visitor@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    header = page.get_by_test_id("signed-in-as")
    header.wait_for()
    assert "First Visitor" in header.inner_text()  # the public name, never the email

"""Researcher A invites researcher B from B's author page, B accepts from the inbox, they
exchange messages (Markdown rendered, script never run), and C cannot open the conversation."""

import pytest

from apps.collaboration.models import Conversation
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory, claimed_record


def _claimed(email: str, name: str, orcid: str):
    user = UserFactory(email=email, display_name=name)
    return user, claimed_record(user, name, orcid)


def _say(page, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_invite_accept_exchange_messages_and_third_party_is_kept_out(page):
    _claimed("ana@example.org", "Ana Alvarez", "0000-0002-1825-0097")
    _, bea_record = _claimed("bea@example.org", "Bea Berger", "0000-0001-5109-3700")
    _claimed("cai@example.org", "Cai Chen", "0000-0002-9079-593X")
    failures = []
    page.on("pageerror", lambda e: failures.append(str(e)))
    page.on("dialog", lambda d: failures.append(f"dialog {d.message}"))

    sign_in(page, "ana@example.org")
    page.goto(f"/authors/{bea_record.pk}/")
    page.get_by_test_id("invite-link").click()
    page.get_by_test_id("fit").wait_for()
    page.get_by_label("Something else").check()
    page.get_by_label("Message").fill("Shall we write the survey together?")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_test_id("invitation-status").inner_text() == "Waiting for an answer"

    sign_in(page, "bea@example.org")
    page.get_by_test_id("collaboration-link").click()
    page.get_by_test_id("received").get_by_role("link", name="From Ana Alvarez").click()
    assert "Shall we write the survey" in page.get_by_test_id("invitation-note").inner_text()
    page.get_by_test_id("accept").click()
    page.wait_for_url("**/conversations/*/")
    conversation_url = page.url
    _say(page, "Yes! I can take **datasets**. <script>alert('x')</script>")
    assert page.locator("[data-testid=message] strong", has_text="datasets").count() == 1

    sign_in(page, "ana@example.org")
    page.get_by_test_id("collaboration-link").click()
    assert page.get_by_test_id("unread").inner_text() == "1 new"
    page.get_by_role("link", name="With Bea Berger").click()
    _say(page, "Great, I'll draft the outline.")
    texts = page.get_by_test_id("message").all_inner_texts()
    assert "datasets" in texts[0] and "draft the outline" in texts[1]

    sign_in(page, "cai@example.org")
    response = page.goto(conversation_url)
    assert response.status == 404
    assert "draft the outline" not in page.content()
    assert Conversation.objects.count() == 1
    assert failures == []

"""The HTML pages: every endpoint for every persona, a third party always gets a 404 (ids do
not leak), block takes effect on the next request, and the author page panel says why."""

from __future__ import annotations

import pytest

from apps.collaboration import services
from apps.collaboration.models import Block, Invitation, Message, Preference
from apps.moderation.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(researcher, researcher_record, peer, peer_record, invite):
    return invite(researcher, peer_record)


@pytest.fixture
def other_pending(make_user, records, peer_record, invite):
    """An open invitation from a fourth claimed researcher (D) to the peer."""
    from tests.factories import claimed_record

    dora = make_user(email="dora@example.org", display_name="Dora Fourth")
    claimed_record(dora, "Dora Fourth", "0000-0003-0000-9999")
    return invite(dora, peer_record)


@pytest.fixture
def message(researcher, conversation):
    return services.message_post(conversation=conversation, sender=researcher, body="Hello *B*")


# --- Signed-out visitors are sent to sign in on every page ------------------------------


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/collaboration/"),
        ("get", "/collaboration/preferences/"),
        ("post", "/collaboration/block/"),
        ("get", "/authors/{author}/invite/"),
        ("get", "/invitations/{invitation}/"),
        ("post", "/invitations/{invitation}/accept/"),
        ("post", "/invitations/{invitation}/report/"),
        ("get", "/conversations/{conversation}/"),
        ("post", "/conversations/{conversation}/"),
        ("post", "/messages/{message}/report/"),
    ],
)
def test_visitor_is_asked_to_sign_in(visitor, conversation, message, peer_record, method, url):
    url = url.format(author=peer_record.pk, invitation=conversation.invitation_id,
                     conversation=conversation.pk, message=message.pk)  # fmt: skip
    response = getattr(visitor, method)(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- A third party gets 404, for real ids and guessed ones alike ------------------------


@pytest.mark.parametrize("persona", ["outsider_client", "moderator_client"])
def test_third_party_gets_404_everywhere(request, persona, conversation, message, other_pending):
    pending = other_pending
    client = request.getfixturevalue(persona)
    accepted = conversation.invitation_id
    for method, url in [
        ("get", f"/invitations/{pending.pk}/"),
        ("get", f"/invitations/{accepted}/"),
        ("post", f"/invitations/{pending.pk}/accept/"),
        ("post", f"/invitations/{pending.pk}/decline/"),
        ("post", f"/invitations/{pending.pk}/withdraw/"),
        ("post", f"/invitations/{pending.pk}/report/"),
        ("get", f"/conversations/{conversation.pk}/"),
        ("post", f"/conversations/{conversation.pk}/"),
        ("post", f"/messages/{message.pk}/report/"),
        ("get", "/invitations/999999/"),
        ("get", "/conversations/999999/"),
        ("post", "/messages/999999/report/"),
    ]:
        response = getattr(client, method)(url, {"body": "let me in", "reason": "spam"})
        assert response.status_code == 404, (method, url)
    assert Message.objects.count() == 1
    assert not Report.objects.exists()
    assert Invitation.objects.get(pk=pending.pk).status == "pending"


def test_participants_read_and_post(researcher_client, peer_client, conversation, message):
    for client in (researcher_client, peer_client):
        page = client.get(f"/conversations/{conversation.pk}/")
        assert page.status_code == 200
        assert "Hello <em>B</em>" in page.content.decode()
    response = peer_client.post(f"/conversations/{conversation.pk}/", {"body": "Hi A"})
    assert response.status_code == 302
    assert Message.objects.filter(sender__email="peer@example.org").count() == 1


def test_script_in_a_message_never_reaches_the_page(researcher_client, peer_client,
                                                    conversation):  # fmt: skip
    body = "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"
    researcher_client.post(f"/conversations/{conversation.pk}/", {"body": body})
    html = peer_client.get(f"/conversations/{conversation.pk}/").content.decode()
    thread = html.split('data-testid="thread"')[1].split("</ol>")[0]
    assert "<script" not in thread
    assert "<img" not in thread
    assert 'href="javascript:' not in thread


def test_recipient_accepts_and_lands_in_the_conversation(peer_client, pending):
    response = peer_client.post(f"/invitations/{pending.pk}/accept/")
    pending.refresh_from_db()
    assert pending.status == "accepted"
    assert response["Location"] == f"/conversations/{pending.conversation.pk}/"


def test_sender_cannot_accept_own_invitation(researcher_client, pending):
    response = researcher_client.post(f"/invitations/{pending.pk}/accept/", follow=True)
    assert "Only the person invited can accept." in response.content.decode()
    assert Invitation.objects.get().status == "pending"


def test_recipient_declines_with_reason(peer_client, researcher_client, pending):
    peer_client.post(f"/invitations/{pending.pk}/decline/", {"reason": "On leave"})
    assert Invitation.objects.get().decline_reason == "On leave"
    page = researcher_client.get(f"/invitations/{pending.pk}/").content.decode()
    assert "On leave" in page


def test_sender_withdraws(researcher_client, pending):
    researcher_client.post(f"/invitations/{pending.pk}/withdraw/")
    assert Invitation.objects.get().status == "withdrawn"


def test_recipient_reports_invitation(peer_client, pending):
    peer_client.post(f"/invitations/{pending.pk}/report/", {"reason": "spam", "note": "bulk"})
    report = Report.objects.get()
    assert (report.target_type, report.target_id) == ("collaboration.invitation", str(pending.pk))


def test_participant_reports_message(peer_client, message):
    peer_client.post(f"/messages/{message.pk}/report/", {"reason": "harassment"})
    assert Report.objects.get().target_type == "collaboration.message"


def test_invite_page_and_form(researcher_client, researcher_record, peer, peer_record):
    page = researcher_client.get(f"/authors/{peer_record.pk}/invite/")
    assert page.status_code == 200
    assert 'data-testid="fit"' in page.content.decode()
    response = researcher_client.post(
        f"/authors/{peer_record.pk}/invite/",
        {"purpose": "text", "note": "Survey?", "expires_in_days": 14},
    )
    invitation = Invitation.objects.get()
    assert response["Location"] == f"/invitations/{invitation.pk}/"
    assert invitation.recipient == peer


def test_invite_page_says_why_not(peer_client, researcher_record, outsider_client):
    # The peer holds no record here: told to claim first; the form is not shown.
    page = peer_client.get(f"/authors/{researcher_record.pk}/invite/").content.decode()
    assert "Claim your own record first: then you can invite the people who hold theirs." in page
    assert "Send invitation" not in page


def test_block_takes_effect_on_the_next_request(peer_client, researcher_client, conversation,
                                                researcher_record, peer):  # fmt: skip
    researcher_client.post(f"/conversations/{conversation.pk}/", {"body": "before"})
    response = peer_client.post(
        "/collaboration/block/", {"person": conversation.other(peer).handle, "action": "block"}
    )
    assert response.status_code == 302
    assert Block.objects.filter(blocker=peer).exists()
    # The blocked researcher posts as usual and is told nothing...
    response = researcher_client.post(f"/conversations/{conversation.pk}/", {"body": "after"})
    assert response.status_code == 302
    mine = researcher_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "after" in mine
    assert "block" not in mine.split('data-testid="thread"')[1].split("</ol>")[0].lower()
    # ...but the peer never sees it.
    theirs = peer_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "before" in theirs
    assert "after" not in theirs


def test_preferences_page(peer_client, peer):
    assert peer_client.get("/collaboration/preferences/").status_code == 200
    peer_client.post("/collaboration/preferences/", {"accept_from": "verified"})
    assert Preference.objects.get(user=peer).accept_from == "verified"


def test_inbox_shows_invitations_and_unread(peer_client, researcher_client, conversation,
                                            message, outsider, outsider_record):  # fmt: skip
    services.invitation_create(sender=outsider, author=conversation.invitation.recipient_author,
                               purpose="text", note="Hi from C")  # fmt: skip
    page = peer_client.get("/collaboration/").content.decode()
    assert "From Otto Outsider" in page
    assert "1 new" in page
    peer_client.get(f"/conversations/{conversation.pk}/")
    assert "1 new" not in peer_client.get("/collaboration/").content.decode()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("visitor", "Sign in to invite this researcher."),
        (
            "peer_client",
            "Claim your own record first: then you can invite the people who hold theirs.",
        ),
        ("outsider_claimed", "Invite to collaborate"),
    ],
)
def test_author_page_panel_says_whether_one_can_invite(request, who, expected,
                                                       researcher_record):  # fmt: skip
    if who == "outsider_claimed":
        request.getfixturevalue("outsider_record")
        client = request.getfixturevalue("outsider_client")
    else:
        client = request.getfixturevalue(who)
    page = client.get(f"/authors/{researcher_record.pk}/").content.decode()
    panel = page.split('data-testid="collaboration-panel"')[1].split("</div>")[0]
    assert expected in panel


def test_author_page_panel_for_unclaimed_record(visitor, records):
    page = visitor.get(f"/authors/{records.author('Un Claimed').pk}/").content.decode()
    assert "This record is not claimed yet." in page


def test_author_page_panel_respects_preferences(outsider_client, outsider_record, peer,
                                                peer_record):  # fmt: skip
    services.preference_set(user=peer, accept_from="verified")
    page = outsider_client.get(f"/authors/{peer_record.pk}/").content.decode()
    assert "Pablo Peer accepts invitations from verified researchers only." in page

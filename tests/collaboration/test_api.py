"""/api/v1/ for collaboration: every endpoint for every persona; another person's
invitation, conversation or message is a 404 whether its id is real or guessed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.collaboration import services
from apps.collaboration.models import Block, Message, Preference
from apps.moderation.models import Report

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def message(researcher, conversation):
    return services.message_post(conversation=conversation, sender=researcher, body="<b>x</b> *y*")


def test_visitor_gets_401_or_403_everywhere(conversation, message):
    client = api()
    for method, url in [
        ("get", "/api/v1/invitations/"),
        ("post", "/api/v1/invitations/"),
        ("get", f"/api/v1/invitations/{conversation.invitation_id}/"),
        ("get", "/api/v1/invitations/eligibility/?author=1"),
        ("get", "/api/v1/conversations/"),
        ("get", f"/api/v1/conversations/{conversation.pk}/messages/"),
        ("post", f"/api/v1/conversations/{conversation.pk}/messages/"),
        ("post", f"/api/v1/messages/{message.pk}/report/"),
        ("get", "/api/v1/blocks/"),
        ("get", "/api/v1/collaboration-preferences/"),
    ]:
        assert getattr(client, method)(url).status_code in (401, 403), url


@pytest.mark.parametrize("persona", ["outsider", "moderator"])
def test_third_party_gets_404(request, persona, conversation, message):
    client = api(request.getfixturevalue(persona))
    inv = conversation.invitation_id
    for method, url in [
        ("get", f"/api/v1/invitations/{inv}/"),
        ("post", f"/api/v1/invitations/{inv}/accept/"),
        ("post", f"/api/v1/invitations/{inv}/decline/"),
        ("post", f"/api/v1/invitations/{inv}/withdraw/"),
        ("post", f"/api/v1/invitations/{inv}/report/"),
        ("get", f"/api/v1/conversations/{conversation.pk}/"),
        ("get", f"/api/v1/conversations/{conversation.pk}/messages/"),
        ("post", f"/api/v1/conversations/{conversation.pk}/messages/"),
        ("post", f"/api/v1/conversations/{conversation.pk}/read/"),
        ("get", f"/api/v1/messages/{message.pk}/"),
        ("post", f"/api/v1/messages/{message.pk}/report/"),
        ("get", "/api/v1/conversations/999999/messages/"),
        ("get", "/api/v1/invitations/999999/"),
    ]:
        response = getattr(client, method)(url, {"body": "hi", "reason": "spam"}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    assert client.get("/api/v1/invitations/").json()["results"] == []
    assert client.get("/api/v1/conversations/").json()["results"] == []
    assert Message.objects.count() == 1
    assert not Report.objects.exists()


def test_invite_accept_and_message_through_the_api(researcher, researcher_record, peer,
                                                   peer_record):  # fmt: skip
    a, b = api(researcher), api(peer)
    check = a.get(f"/api/v1/invitations/eligibility/?author={peer_record.pk}").json()
    assert check == {"allowed": True, "reason": "", "conversation": None}
    created = a.post("/api/v1/invitations/", {"author": peer_record.pk, "purpose": "text",
                                              "note": "Survey?"}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    again = a.post("/api/v1/invitations/", {"author": peer_record.pk, "purpose": "text",
                                            "note": "Again?"}, format="json")  # fmt: skip
    assert again.status_code == 400
    assert "already open" in again.json()["detail"]
    refused = a.post(f"/api/v1/invitations/{pk}/accept/")  # the sender may not accept
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    received = b.get("/api/v1/invitations/?box=received").json()["results"]
    assert [i["id"] for i in received] == [pk]
    accepted = b.post(f"/api/v1/invitations/{pk}/accept/").json()
    conv = accepted["conversation"]
    assert accepted["status"] == "accepted"
    posted = a.post(f"/api/v1/conversations/{conv}/messages/", {"body": "<script>x</script>**hi**"},
                    format="json")  # fmt: skip
    assert posted.status_code == 201
    assert "<script" not in posted.json()["body_html"]
    assert b.get("/api/v1/conversations/").json()["results"][0]["unread"] == 1
    messages = b.get(f"/api/v1/conversations/{conv}/messages/").json()["results"]
    assert [m["body"] for m in messages] == ["<script>x</script>**hi**"]
    assert b.post(f"/api/v1/conversations/{conv}/read/").status_code == 204
    assert b.get(f"/api/v1/conversations/{conv}/").json()["unread"] == 0


def test_decline_withdraw_report(researcher, researcher_record, peer, peer_record, invite,
                                 outsider, outsider_record):  # fmt: skip
    first = invite(researcher, peer_record)
    response = api(peer).post(f"/api/v1/invitations/{first.pk}/decline/", {"reason": "No"},
                              format="json")  # fmt: skip
    assert response.json()["status"] == "declined"
    assert api(peer).post(f"/api/v1/invitations/{first.pk}/report/", {"reason": "spam"},
                          format="json").status_code == 201  # fmt: skip
    second = invite(outsider, peer_record)
    assert api(outsider).post(f"/api/v1/invitations/{second.pk}/withdraw/").json()["status"] == (
        "withdrawn"
    )


def test_message_report(peer, message):
    response = api(peer).post(f"/api/v1/messages/{message.pk}/report/", {"reason": "spam"},
                              format="json")  # fmt: skip
    assert response.status_code == 201
    assert Report.objects.get().reported_user == message.sender


@pytest.mark.parametrize("person", ["ab\x00cd", "x" * 300, "é\u0016", 7])
def test_a_block_of_text_that_cannot_be_a_handle_is_a_400(peer, person):
    response = api(peer).post("/api/v1/blocks/", {"person": person}, format="json")
    assert response.status_code == 400 and "person" in response.json()  # names the field
    assert not Block.objects.exists()


def test_blocks_and_preferences(researcher, peer, conversation):
    client = api(peer)
    response = client.post("/api/v1/blocks/", {"person": researcher.handle}, format="json")
    assert response.status_code == 201
    blocks = client.get("/api/v1/blocks/").json()["results"]
    assert [b["blocked"]["handle"] for b in blocks] == [researcher.handle]
    # The block takes effect on the very next request: the researcher's message is shadowed.
    api(researcher).post(f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "hey"},
                         format="json")  # fmt: skip
    assert client.get(f"/api/v1/conversations/{conversation.pk}/messages/").json()["results"] == []
    assert api(researcher).get("/api/v1/blocks/").json()["results"] == []  # never told
    assert client.delete(f"/api/v1/blocks/{blocks[0]['id']}/").status_code == 204
    assert not Block.objects.exists()
    assert client.get("/api/v1/collaboration-preferences/").json() == {"accept_from": "anyone"}
    client.post("/api/v1/collaboration-preferences/", {"accept_from": "nobody"}, format="json")
    assert Preference.objects.get(user=peer).accept_from == "nobody"
    bad = client.post("/api/v1/collaboration-preferences/", {"accept_from": "x"}, format="json")
    assert bad.status_code == 400


def test_blocks_name_people_by_handle_so_account_ids_cannot_be_walked(researcher, peer):
    client = api(peer)

    by_id = client.post("/api/v1/blocks/", {"person": researcher.pk}, format="json")
    unknown = client.post("/api/v1/blocks/", {"person": "nobody1234"}, format="json")

    assert by_id.status_code == unknown.status_code == 400
    assert researcher.display_name not in by_id.content.decode() + unknown.content.decode()
    assert not Block.objects.exists()


def test_someone_elses_block_is_a_404(researcher, peer, outsider):
    block = services.block_create(blocker=peer, blocked=researcher)
    assert api(outsider).delete(f"/api/v1/blocks/{block.pk}/").status_code == 404
    assert api(researcher).delete(f"/api/v1/blocks/{block.pk}/").status_code == 404

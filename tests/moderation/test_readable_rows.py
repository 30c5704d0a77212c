"""Copy fixes found in testing: reports name what they are about (with a link), audit rows
say what changed in words, the moderator's evidence table speaks of the account's name, a
holder gets no Follow button on their own record, the follower count shows once, and an
invitation's note renders Markdown exactly as a message does."""

import pytest
from django.urls import reverse

from apps.audit.services import audit_record
from apps.claims.services import Evidence, claim_evidence
from apps.collaboration.render import markdown_to_safe_html
from apps.moderation.services import report_file

pytestmark = pytest.mark.django_db


def test_a_report_names_the_record_with_a_link(moderator_client, researcher, records):
    record = records.author("Tariq Yilmaz")
    report_file(reporter=researcher, target=record, reason="impersonation")
    page = moderator_client.get(reverse("moderation:reports")).content.decode()
    assert "records.author" not in page
    assert f'<a href="{reverse("records:author", args=[record.pk])}">Tariq Yilmaz</a>' in page


def test_the_audit_log_shows_changes_in_words(moderator_client, moderator, records):
    record = records.author("Reza Tahmasebi")
    audit_record(actor=moderator, action="claim.revoke", target=record, author_id=record.pk,
                 before={"status": "approved", "level": 2},
                 after={"status": "revoked", "works": [3, 4]})  # fmt: skip
    page = moderator_client.get(reverse("moderation:audit")).content.decode()
    assert "{&#x27;" not in page and "{'" not in page  # no Python dicts
    assert "status: approved → revoked" in page
    assert "works: 3, 4" in page and "level: 2 → —" in page
    assert f'<a href="{reverse("records:author", args=[record.pk])}">Reza Tahmasebi</a>' in page


def test_the_evidence_table_speaks_of_the_accounts_name(moderator_client, researcher, records):
    record = records.author("Rosa Researcher")
    claim_evidence(
        user=researcher,
        author=record,
        evidence=Evidence(note="These are the papers of my doctorate."),
    )
    page = moderator_client.get(reverse("moderation:claims")).content.decode()
    assert "The name on the account matches the record" in page
    assert "Your name matches" not in page


def test_a_holder_has_no_follow_button_on_their_own_record(
    researcher_client, researcher_record, peer_client
):
    url = reverse("records:author", args=[researcher_record.pk])
    assert 'data-testid="follow-button"' not in researcher_client.get(url).content.decode()
    assert 'data-testid="follow-button"' in peer_client.get(url).content.decode()


def test_the_follower_count_shows_once(peer_client, records):
    record = records.author("Ada Lindqvist")
    page = peer_client.get(reverse("records:author", args=[record.pk])).content.decode()
    assert page.count("0</strong> followers") == 1
    assert 'data-testid="followers-count"' not in page


def test_an_invitation_note_renders_markdown_like_a_message(peer_client, invitation_note):
    invitation, note = invitation_note
    page = peer_client.get(reverse("collaboration:invitation", args=[invitation.pk]))
    html = page.content.decode()
    assert markdown_to_safe_html(note) in html
    assert "<strong>survey</strong>" in html and "<script" not in html.split("<main")[1]


@pytest.fixture
def invitation_note(researcher, researcher_record, peer, peer_record):
    from apps.collaboration import services
    from tests.collaboration.conftest import coauthors

    coauthors(researcher_record, peer_record)
    note = "Shall we write the **survey**? <script>alert(1)</script> [notes](https://example.org)"
    invitation = services.invitation_create(
        sender=researcher, author=peer_record, purpose="text", note=note
    )
    return invitation, note


@pytest.fixture
def peer_record(records, peer):
    from tests.collaboration.conftest import PEER_ORCID
    from tests.factories import claimed_record

    return claimed_record(peer, "Pablo Peer", PEER_ORCID)


def test_the_api_gives_an_invitation_note_rendered_like_a_message(peer_client, invitation_note):
    invitation, note = invitation_note
    body = peer_client.get(f"/api/v1/invitations/{invitation.pk}/").json()
    assert body["note"] == note
    assert body["note_html"] == markdown_to_safe_html(note)
    assert "<script" not in body["note_html"]

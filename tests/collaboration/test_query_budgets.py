"""The inbox and the conversation page run a fixed number of queries however many
invitations, conversations or messages there are. Each budget names its queries."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from apps.collaboration import services
from apps.collaboration.models import Conversation, Invitation, Message, Participant
from tests.factories import author_page_budget, claimed_record, count_queries

pytestmark = pytest.mark.django_db

SIGNED_IN = 3  # session, user, unread notifications count (the header)
_orcids = (f"0000-0004-0000-{i:04d}" for i in itertools.count())


@pytest.fixture
def grow(make_user, records, peer, peer_record):
    """Give the peer `n` more received and sent invitations and conversations (each with
    two messages), written directly: the quotas are not what is measured here."""

    def add(n):
        for _ in range(n):
            other = make_user()
            record = claimed_record(other, other.display_name, next(_orcids))
            expires = timezone.now() + datetime.timedelta(days=14)
            common = {"purpose": "text", "note": "hello", "expires_at": expires}
            Invitation.objects.create(sender=other, recipient=peer, sender_author=record,
                                      recipient_author=peer_record, **common)  # fmt: skip
            third = make_user()
            third_record = claimed_record(third, third.display_name, next(_orcids))
            accepted = Invitation.objects.create(
                sender=third, recipient=peer, sender_author=third_record,
                recipient_author=peer_record, status="accepted", **common,
            )  # fmt: skip
            low, high = sorted([third.pk, peer.pk])
            conv = Conversation.objects.create(invitation=accepted, user_low_id=low,
                                               user_high_id=high)  # fmt: skip
            Participant.objects.bulk_create(
                Participant(conversation=conv, user_id=pk) for pk in (low, high)
            )
            for sender in (third, peer):
                Message.objects.create(conversation=conv, sender=sender, body="hi",
                                       body_html="<p>hi</p>")  # fmt: skip

    return add


def test_inbox_is_fixed(peer_client, grow, django_assert_max_num_queries):
    grow(1)
    # + conversations with unread counts and both users, received, sent, the records everyone
    # on them holds (how they appear) = 4
    with django_assert_max_num_queries(SIGNED_IN + 4) as one:
        assert peer_client.get("/collaboration/").status_code == 200
    grow(20)
    with django_assert_max_num_queries(SIGNED_IN + 4) as many:
        assert peer_client.get("/collaboration/").status_code == 200
    assert len(one.captured_queries) == len(many.captured_queries)


def test_conversation_page_is_fixed(researcher, peer, peer_client, conversation,
                                    django_assert_max_num_queries, settings):  # fmt: skip
    settings.COLLABORATION_MESSAGES_PER_MINUTE = 1000
    url = f"/conversations/{conversation.pk}/"
    services.message_post(conversation=conversation, sender=researcher, body="one")
    # + conversation with both users (access helper), messages page with senders, the records
    # the two hold (how they appear), mark read = 4
    with django_assert_max_num_queries(SIGNED_IN + 4) as one:
        assert peer_client.get(url).status_code == 200
    for i in range(60):
        services.message_post(conversation=conversation, sender=researcher, body=f"*m{i}*")
    with django_assert_max_num_queries(SIGNED_IN + 4) as many:
        response = peer_client.get(url)
    assert len(one.captured_queries) == len(many.captured_queries)
    assert response.content.decode().count('data-testid="message"') == 50
    assert "Older messages" in response.content.decode()


def test_author_page_for_a_researcher_who_could_invite(
    researcher_client, researcher_record, peer_record, records, django_assert_max_num_queries
):
    """Another claimed researcher viewing a claimed record: the invite check runs. Its cost
    does not grow with the record's works."""
    url = f"/authors/{peer_record.pk}/"

    def count() -> int:
        return count_queries(researcher_client, url)

    records.work(peer_record, records.author())
    count()  # the first reader since the record changed fills the shared public parts
    one = count()
    for _ in range(20):
        records.work(peer_record, records.author())
    assert count() == one
    # The research graph, years and refresh log come from the cache (shared with every
    # reader until the record changes), so: session, user, the author, the works page (works,
    # bylines, topics) 3, following? 1, the page's claims 1 (the holder, the viewer's held
    # record for the invite check and their open claim here, which points a challenger at
    # their dispute: Claim.objects.on_page), pins 1, the invite check 1 (block, preference,
    # conversation, open invitation, last decline, sender's score and today's count in one
    # query), unread notifications 1, the holder's proven institutional email domain for the
    # badge 1 (claims.badges) = 12.
    with django_assert_max_num_queries(author_page_budget(12)):
        researcher_client.get(url)

"""Invitations and their limits: who may invite whom, recipient preferences, quotas by
trust tier, one open invitation per pair, the cooling period, expiry, blocks; messages."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.collaboration import services
from apps.collaboration.models import Conversation, Invitation, Message, Participant
from apps.collaboration.services import invite_check
from apps.core.errors import Conflict, NotAllowed, RateLimited, Refused
from apps.moderation.models import Report
from apps.notifications.models import Notification
from apps.records.models import Author, VerificationLevel
from apps.trust.models import TrustRecord

from .conftest import coauthors

pytestmark = pytest.mark.django_db


def test_claimed_l2_researcher_invites_claimed_peer(researcher, researcher_record, peer,
                                                    peer_record, invite):  # fmt: skip
    invitation = invite(researcher, peer_record)
    assert invitation.status == "pending"
    assert invitation.recipient == peer
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    assert AuditEvent.objects.filter(action="invitation.create").count() == 1
    assert Notification.objects.get(recipient=peer, kind="collaboration.invitation")


def test_unclaimed_sender_is_told_to_claim_first(researcher, peer_record):
    check = invite_check(researcher, peer_record)
    assert not check.allowed
    assert (
        check.reason
        == "Claim your own record first: then you can invite the people who hold theirs."
    )


def test_unclaimed_record_cannot_be_invited(claimed_researcher, records):
    check = invite_check(claimed_researcher, records.author("Nobody Claimed"))
    assert (check.allowed, check.reason) == (False, "This record is not claimed yet, so its "
                                             "author cannot be invited.")  # fmt: skip


def test_sender_below_l2_cannot_invite(researcher, researcher_record, peer_record, invite):
    Author.objects.filter(pk=researcher_record.pk).update(verification_level=VerificationLevel.L1)
    with pytest.raises(Refused, match="L2"):
        invite(researcher, peer_record)


@pytest.mark.parametrize(
    "accept_from, level, allowed, reason",
    [
        ("anyone", 2, True, ""),
        ("verified", 2, False, "Pablo Peer accepts invitations from verified researchers only."),
        ("verified", 3, True, ""),
        ("nobody", 3, False, "Pablo Peer is not accepting invitations at the moment."),
    ],
)
def test_recipient_preferences(researcher, researcher_record, peer, peer_record,
                               accept_from, level, allowed, reason):  # fmt: skip
    services.preference_set(user=peer, accept_from=accept_from)
    Author.objects.filter(pk=researcher_record.pk).update(verification_level=level)
    check = invite_check(researcher, peer_record)
    assert (check.allowed, check.reason) == (allowed, reason)


def test_network_preference_allows_two_hops_only(researcher, researcher_record, peer,
                                                 peer_record, records):  # fmt: skip
    services.preference_set(user=peer, accept_from="network")
    middle, far = records.author("Middle Person"), records.author("Far Person")
    assert not invite_check(researcher, peer_record).allowed
    coauthors(researcher_record, far)
    coauthors(far, middle)
    coauthors(middle, peer_record)  # three hops
    assert not invite_check(researcher, peer_record).allowed
    coauthors(researcher_record, middle)  # now two
    assert invite_check(researcher, peer_record).allowed


def test_followed_preference_admits_only_records_the_recipient_follows(
    researcher, researcher_record, peer, peer_record
):
    from apps.follows.services import follow_create

    services.preference_set(user=peer, accept_from="followed")
    refused = invite_check(researcher, peer_record)
    assert (refused.allowed, refused.reason) == (
        False, "Pablo Peer accepts invitations only from researchers they follow.")  # fmt: skip

    follow_create(follower=peer, author=researcher_record)

    assert invite_check(researcher, peer_record).allowed


@pytest.mark.parametrize(
    "score, tier, quota",
    [
        (0, "New", 3),
        (25, "Emerging", 5),
        (45, "Established", 10),
        (65, "Trusted", 20),
        (85, "Highly trusted", 30),
    ],
)
def test_daily_quota_grows_with_trust_tier(researcher, researcher_record, make_user, records,
                                           invite, score, tier, quota):  # fmt: skip
    # The claim already scored the record; pin the score the tier under test needs.
    TrustRecord.objects.update_or_create(author=researcher_record, defaults={
        "score": score, "version": 1, "computed_at": timezone.now()})  # fmt: skip
    from tests.factories import claimed_record

    targets = [
        claimed_record(make_user(), f"Target Person{i}", f"0000-0003-0000-{i:04d}")
        for i in range(quota + 1)
    ]
    for target in targets[:quota]:
        invite(researcher, target)
    check = invite_check(researcher, targets[quota])
    assert not check.allowed
    assert f"your {quota} invitations for today" in check.reason
    # A day later the quota is free again.
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    assert invite_check(researcher, targets[quota]).allowed


def test_one_open_invitation_per_pair_either_direction(researcher, researcher_record, peer,
                                                       peer_record, invite):  # fmt: skip
    invite(researcher, peer_record)
    with pytest.raises(Refused, match="already open"):
        invite(peer, researcher_record)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        first = Invitation.objects.get()
        Invitation.objects.create(
            sender=peer, recipient=researcher, sender_author=peer_record,
            recipient_author=researcher_record, purpose="text", note="again",
            expires_at=first.expires_at,
        )  # fmt: skip


def test_no_new_invitation_for_90_days_after_a_decline(researcher, researcher_record, peer,
                                                       peer_record, invite):  # fmt: skip
    invitation = invite(researcher, peer_record)
    services.invitation_decline(invitation=invitation, actor=peer, reason="Too busy")
    assert Notification.objects.get(recipient=researcher, kind="collaboration.answer").body == (
        "Too busy"
    )
    with pytest.raises(Refused, match="declined your last invitation"):
        invite(researcher, peer_record)
    Invitation.objects.update(decided_at=timezone.now() - datetime.timedelta(days=89))
    assert not invite_check(researcher, peer_record).allowed
    Invitation.objects.update(decided_at=timezone.now() - datetime.timedelta(days=91))
    assert invite(researcher, peer_record).status == "pending"


def test_the_decliner_may_still_invite_the_sender(researcher, researcher_record, peer,
                                                  peer_record, invite):  # fmt: skip
    services.invitation_decline(invitation=invite(researcher, peer_record), actor=peer)
    assert invite_check(peer, researcher_record).allowed


def test_expiry_marks_due_invitations_by_compare_and_set(researcher, researcher_record, peer,
                                                         peer_record, invite):  # fmt: skip
    invitation = invite(researcher, peer_record, expires_in_days=1)
    assert services.invitations_expire() == 0
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(Conflict, match="no longer open"):
        services.invitation_accept(invitation=invitation, actor=peer)
    from apps.collaboration.tasks import expire_invitations

    assert expire_invitations.delay().get() == 1
    assert services.invitations_expire() == 0  # idempotent
    invitation.refresh_from_db()
    assert invitation.status == "expired"
    assert AuditEvent.objects.filter(action="invitation.expire").count() == 1
    # An expired invitation no longer blocks the pair.
    assert invite(researcher, peer_record).status == "pending"


def test_an_expired_but_unmarked_invitation_does_not_block_a_new_one(
    researcher, researcher_record, peer, peer_record, invite
):
    invite(researcher, peer_record)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert invite(peer, researcher_record).status == "pending"
    assert Invitation.objects.filter(status="expired").count() == 1


def test_accept_opens_a_conversation(researcher, peer, conversation):
    assert {p.user for p in Participant.objects.filter(conversation=conversation)} == {
        researcher,
        peer,
    }
    assert conversation.invitation.status == "accepted"
    assert Notification.objects.filter(recipient=researcher, kind="collaboration.answer").exists()
    with pytest.raises(Conflict, match="no longer open"):
        services.invitation_accept(invitation=conversation.invitation, actor=peer)


def test_only_the_recipient_answers_and_only_the_sender_withdraws(
    researcher, researcher_record, peer, peer_record, outsider, invite
):
    invitation = invite(researcher, peer_record)
    for actor in (researcher, outsider):
        with pytest.raises(NotAllowed):
            services.invitation_accept(invitation=invitation, actor=actor)
        with pytest.raises(NotAllowed):
            services.invitation_decline(invitation=invitation, actor=actor)
    with pytest.raises(NotAllowed):
        services.invitation_withdraw(invitation=invitation, actor=peer)
    services.invitation_withdraw(invitation=invitation, actor=researcher)
    assert Invitation.objects.get().status == "withdrawn"


def test_a_conversation_blocks_a_second_invitation(researcher, peer_record, conversation):
    check = invite_check(researcher, peer_record)
    assert not check.allowed
    assert check.conversation_id == conversation.pk


def test_messages_render_sanitised_markdown_and_notify_once_an_hour(researcher, peer,
                                                                    conversation):  # fmt: skip
    first = services.message_post(conversation=conversation, sender=researcher, body="**Hi**")
    services.message_post(conversation=conversation, sender=researcher, body="again")
    assert first.body == "**Hi**"
    assert first.body_html == "<p><strong>Hi</strong></p>\n"
    assert Notification.objects.filter(recipient=peer, kind="collaboration.message").count() == 1
    conversation.refresh_from_db()
    assert conversation.last_message_at is not None


def test_message_rate_limit(researcher, conversation, settings):
    settings.COLLABORATION_MESSAGES_PER_MINUTE = 3
    for i in range(3):
        services.message_post(conversation=conversation, sender=researcher, body=f"m{i}")
    with pytest.raises(RateLimited, match="too quickly"):
        services.message_post(conversation=conversation, sender=researcher, body="m4")
    cache.clear()  # the next minute
    services.message_post(conversation=conversation, sender=researcher, body="m5")
    assert Message.objects.count() == 4


def test_outsider_cannot_post(outsider, conversation):
    with pytest.raises(NotAllowed):
        services.message_post(conversation=conversation, sender=outsider, body="hi")


def test_block_stops_invitations_without_telling(researcher, researcher_record, peer,
                                                 peer_record, invite):  # fmt: skip
    pending = invite(researcher, peer_record)
    services.block_create(blocker=peer, blocked=researcher)
    pending.refresh_from_db()
    assert pending.status == "expired"  # what the sender sees of an ignored invitation
    check = invite_check(researcher, peer_record)
    assert check.reason == "Pablo Peer is not accepting invitations at the moment."
    assert not Notification.objects.filter(recipient=researcher, title__icontains="block")
    assert invite_check(peer, researcher_record).reason.startswith("You blocked")
    services.block_delete(blocker=peer, blocked=researcher)
    assert invite_check(researcher, peer_record).allowed


def test_blocked_sender_messages_are_shadowed(researcher, peer, conversation):
    services.block_create(blocker=peer, blocked=researcher)
    message = services.message_post(conversation=conversation, sender=researcher, body="hello?")
    assert message.shadowed
    assert list(Message.objects.visible_to(researcher)) == [message]
    assert list(Message.objects.visible_to(peer)) == []
    assert not Notification.objects.filter(recipient=peer, kind="collaboration.message")
    with pytest.raises(Refused, match="You blocked"):
        services.message_post(conversation=conversation, sender=peer, body="hi")


def test_report_invitation_and_message(researcher, researcher_record, peer, peer_record,
                                       invite, conversation):  # fmt: skip
    message = services.message_post(conversation=conversation, sender=researcher, body="buy")
    report = services.message_report(reporter=peer, message=message, reason="spam")
    assert (report.target_type, report.reported_user, report.excerpt) == (
        "collaboration.message",
        researcher,
        "buy",
    )
    with pytest.raises(Refused):
        services.message_report(reporter=researcher, message=message, reason="spam")
    with pytest.raises(Refused, match="reason"):
        services.invitation_report(reporter=peer, invitation=conversation.invitation, reason="x")
    services.invitation_report(reporter=peer, invitation=conversation.invitation, reason="spam")
    assert Report.objects.count() == 2


def test_work_purpose_must_be_one_of_either_partys_works(researcher, researcher_record,
                                                         peer_record, records, invite):  # fmt: skip
    stranger_work = records.work(records.author("Some One"))
    with pytest.raises(Refused, match="works"):
        invite(researcher, peer_record, purpose="work", work=stranger_work, note="")
    theirs = records.work(peer_record)
    assert invite(researcher, peer_record, purpose="work", work=theirs, note="").work == theirs


def test_free_text_purpose_is_required_and_bounded(researcher, researcher_record, peer_record,
                                                   invite):  # fmt: skip
    with pytest.raises(Refused, match="work on together"):
        invite(researcher, peer_record, note="  ")
    with pytest.raises(Refused, match="1000"):
        invite(researcher, peer_record, note="x" * 1001)
    assert not Conversation.objects.exists()


def test_invite_check_refuses_while_an_invitation_between_the_pair_is_open(
    researcher, researcher_record, peer, peer_record, invite
):
    """invite_check itself says no (not the database constraint's fallback when the invitation
    is saved), in both directions, and says yes again once the invitation is declined."""
    invitation = invite(researcher, peer_record)
    for sender, author, other in ((researcher, peer_record, peer),
                                  (peer, researcher_record, researcher)):  # fmt: skip
        check = invite_check(sender, author)
        assert (check.allowed, check.recipient, check.conversation_id) == (False, other, None)
        assert other.display_name in check.reason  # the pair check, not the constraint's words
    services.invitation_withdraw(invitation=invitation, actor=researcher)
    assert invite_check(peer, researcher_record).allowed is True

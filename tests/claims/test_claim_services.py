"""The claim, dispute and merge services: outcomes, audit rows, notifications, refusals."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from apps.audit.models import AuditEvent
from apps.claims.models import Claim, Dispute, MergeRequest
from apps.claims.services import (
    Evidence,
    claim_decide,
    claim_evidence,
    claim_orcid,
    claim_release,
    claim_withdraw,
    dispute_decide,
    merge_decide,
    merge_request_create,
)
from apps.core.errors import Conflict, NotAllowed, RateLimited, Refused
from apps.notifications.models import Notification
from apps.records.models import Author
from tests.conftest import ORCID_ID, RESEARCHER_ORCID
from tests.factories import link_orcid

pytestmark = pytest.mark.django_db


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_orcid_match_is_approved_at_once_and_sets_l2(
    peer, record, django_capture_on_commit_callbacks
):
    link_orcid(peer, ORCID_ID)
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_orcid(user=peer, author=record)
    record.refresh_from_db()
    assert claim.status == "approved" and claim.orcid == ORCID_ID
    assert record.verification_level == 2
    assert _actions() == ["claim.approve_orcid"]
    assert Notification.objects.get(recipient=peer).kind == "claims.claim"
    assert "You now hold the record" in mail.outbox[0].subject


def test_without_a_proven_orcid_id_there_is_no_orcid_claim(peer, record):
    with pytest.raises(Refused, match="Sign in with ORCID"):
        claim_orcid(user=peer, author=record)
    link_orcid(peer, "0000-0002-1825-0097")  # proven, but another iD
    with pytest.raises(Refused, match="not the one you proved"):
        claim_orcid(user=peer, author=record)
    assert not Claim.objects.exists()


def test_evidence_claim_waits_with_its_score_and_tells_the_moderators(peer, moderator, record):
    claim = claim_evidence(
        user=peer,
        author=record,
        evidence=Evidence(
            email=peer.email,
            links=("https://lab.example/pablo",),
            note="My lab page lists these papers.",
        ),
    )
    assert claim.status == "pending" and claim.kind == "evidence"
    assert claim.score == sum(c["points"] for c in claim.score_components)
    assert {c["code"] for c in claim.score_components} >= {"orcid_works", "name"}
    assert Notification.objects.filter(recipient=moderator, kind="claims.claim").exists()
    assert Notification.objects.filter(recipient=peer, title__contains="waiting").exists()
    assert _actions() == ["claim.open"]


@pytest.mark.parametrize(
    "evidence, field",
    [
        (Evidence(email="not-mine@elsewhere.example"), "email"),
        (Evidence(links=tuple(f"https://x.example/{i}" for i in range(6))), "links"),
        (Evidence(links=("javascript:alert(1)",)), "links"),
        (Evidence(note="x" * 2001), "note"),
    ],
)
def test_evidence_is_validated(peer, record, evidence, field):
    with pytest.raises(Refused) as exc:
        claim_evidence(user=peer, author=record, evidence=evidence)
    assert exc.value.field == field
    assert not Claim.objects.exists()


def test_claims_per_day_are_limited(peer, records, settings):
    settings.CLAIMS_PER_USER_PER_DAY = 2
    for i in range(2):
        claim_evidence(
            user=peer,
            author=records.author(f"Pablo Peer{i}"),
            evidence=Evidence(note="These are my papers, as my lab page shows."),
        )
    with pytest.raises(RateLimited, match="at most 2 claims a day"):
        claim_evidence(
            user=peer,
            author=records.author("Pablo Peer9"),
            evidence=Evidence(note="These are my papers, as my lab page shows."),
        )


def test_one_open_claim_per_record_and_one_record_per_user(
    claimed_researcher, researcher_record, records
):
    with pytest.raises(Conflict, match="already hold this record"):
        claim_evidence(
            user=claimed_researcher,
            author=researcher_record,
            evidence=Evidence(note="These are my papers, as my lab page shows."),
        )
    with pytest.raises(Refused, match="already hold a record"):
        claim_evidence(
            user=claimed_researcher,
            author=records.author("Rosa R."),
            evidence=Evidence(note="These are my papers, as my lab page shows."),
        )


def test_a_claim_on_a_held_record_opens_a_dispute_and_changes_nothing(
    claimed_researcher, researcher_record, outsider, moderator
):
    claim = claim_evidence(
        user=outsider,
        author=researcher_record,
        evidence=Evidence(note="Mine!: these are my papers."),
    )
    dispute = Dispute.objects.get(claim=claim)
    assert dispute.held_claim.user == claimed_researcher and dispute.status == "open"
    assert Claim.objects.approved().get(author=researcher_record).user == claimed_researcher
    assert Notification.objects.filter(recipient=claimed_researcher, kind="claims.dispute").exists()
    assert Notification.objects.filter(recipient=moderator, kind="claims.dispute").exists()
    with pytest.raises(Conflict, match="part of a dispute"):
        claim_decide(claim=claim, actor=moderator, approve=True, reason="looks fine")


def test_upheld_dispute_moves_the_record_to_the_challenger(
    claimed_researcher, researcher_record, outsider, moderator
):
    claim = claim_evidence(
        user=outsider,
        author=researcher_record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    dispute_decide(
        dispute=claim.dispute, actor=moderator, outcome="challenger", reason="ID checked"
    )
    assert Claim.objects.approved().get(author=researcher_record).user == outsider
    assert Claim.objects.filter(user=claimed_researcher, status="revoked").exists()
    assert "dispute.upheld" in _actions()
    assert Notification.objects.filter(
        recipient=claimed_researcher, title__contains="decided"
    ).exists()


def test_rejected_dispute_leaves_the_holder(
    claimed_researcher, researcher_record, outsider, moderator
):
    claim = claim_evidence(
        user=outsider,
        author=researcher_record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    dispute_decide(dispute=claim.dispute, actor=moderator, outcome="holder", reason="no evidence")
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert Claim.objects.approved().get(author=researcher_record).user == claimed_researcher


def test_nobody_decides_a_dispute_involving_themselves(
    claimed_researcher, researcher_record, outsider, moderator
):
    claim = claim_evidence(
        user=moderator,
        author=researcher_record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    with pytest.raises(NotAllowed):
        dispute_decide(dispute=claim.dispute, actor=moderator, outcome="challenger", reason="mine")


def test_moderator_approves_an_evidence_claim(peer, moderator, record):
    claim = claim_evidence(
        user=peer,
        author=record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    claim_decide(claim=claim, actor=moderator, approve=True, reason="Lab page matches")
    record.refresh_from_db()
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.decided_by == moderator
    assert record.verification_level == 2
    assert _actions()[-1] == "claim.approve"
    with pytest.raises(Conflict, match="already decided"):
        claim_decide(claim=claim, actor=moderator, approve=False, reason="changed my mind")


def test_moderator_rejects_with_a_reason_only(peer, moderator, record):
    claim = claim_evidence(
        user=peer,
        author=record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    with pytest.raises(Refused, match="reason"):
        claim_decide(claim=claim, actor=moderator, approve=False, reason="  ")
    claim_decide(claim=claim, actor=moderator, approve=False, reason="Different person")
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert Notification.objects.filter(recipient=peer, body="Different person").exists()


def test_only_moderators_decide_and_never_their_own_claim(peer, outsider, moderator, record):
    claim = claim_evidence(
        user=peer,
        author=record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    with pytest.raises(NotAllowed):
        claim_decide(claim=claim, actor=outsider, approve=True, reason="sure")
    own = claim_evidence(
        user=moderator,
        author=record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    with pytest.raises(NotAllowed, match="involves you"):
        claim_decide(claim=own, actor=moderator, approve=True, reason="it is me")


def test_withdraw_a_pending_claim(peer, outsider, record):
    claim = claim_evidence(
        user=peer,
        author=record,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    with pytest.raises(NotAllowed):
        claim_withdraw(claim=claim, actor=outsider)
    claim_withdraw(claim=claim, actor=peer)
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    with pytest.raises(Conflict):
        claim_withdraw(claim=claim, actor=peer)


def test_release_returns_the_record_to_unclaimed_and_its_identifier_level(
    claimed_researcher, researcher_record
):
    claim = Claim.objects.approved().get(user=claimed_researcher)
    claim_release(claim=claim, actor=claimed_researcher)
    researcher_record.refresh_from_db()
    assert researcher_record.verification_level == 1  # it has an ORCID_ID iD
    assert not Claim.objects.approved().exists()
    assert _actions()[-1] == "claim.release"


def test_release_without_identifier_falls_to_l0(peer, moderator, records):
    author = records.author("Pablo Peer")
    claim = claim_evidence(
        user=peer,
        author=author,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    claim_decide(claim=claim, actor=moderator, approve=True, reason="ok")
    claim_release(claim=claim, actor=peer)
    author.refresh_from_db()
    assert author.verification_level == 0


def test_the_database_allows_one_holder_per_record_and_one_record_per_user(
    researcher, peer, records
):
    a, b = records.author(), records.author()
    Claim.objects.create(user=researcher, author=a, kind="evidence", status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(user=peer, author=a, kind="evidence", status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(user=researcher, author=b, kind="evidence", status="approved")
    Claim.objects.create(user=peer, author=a, kind="evidence", status="rejected")  # history is fine


def test_merge_request_and_approval_fold_the_duplicate(
    claimed_researcher, researcher_record, records, moderator
):
    duplicate = records.author("R. Researcher")
    merge = merge_request_create(
        user=claimed_researcher,
        survivor=researcher_record,
        duplicate=duplicate,
        reason="Same person, old affiliation",
    )
    assert Notification.objects.filter(recipient=moderator, kind="claims.merge").exists()
    with pytest.raises(NotAllowed):
        merge_decide(merge=merge, actor=claimed_researcher, approve=True, reason="mine")
    merge_decide(merge=merge, actor=moderator, approve=True, reason="ok")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == researcher_record
    assert MergeRequest.objects.get().status == "approved"
    assert _actions()[-2:] == ["merge.request", "merge.approved"]


def test_only_the_holder_asks_for_a_merge_and_not_of_a_held_record(
    claimed_researcher, researcher_record, peer, records, moderator
):
    other = records.author("Pablo Peer", orcid=ORCID_ID)
    with pytest.raises(NotAllowed):
        merge_request_create(user=peer, survivor=researcher_record, duplicate=other, reason="x")
    link_orcid(peer, ORCID_ID)
    claim_orcid(user=peer, author=other)
    with pytest.raises(Refused, match="holds that record"):
        merge_request_create(
            user=claimed_researcher, survivor=researcher_record, duplicate=other, reason="x"
        )


def test_a_merged_record_cannot_be_claimed(peer, records):
    survivor = records.author("Pablo Peer")
    merged = records.author("P. Peer", merged_into=survivor)
    with pytest.raises(Refused, match="merged"):
        claim_evidence(
            user=peer,
            author=merged,
            evidence=Evidence(note="These are my papers, as my lab page shows."),
        )


def test_researcher_record_fixture_is_claimed_by_orcid(claimed_researcher, researcher_record):
    assert researcher_record.orcid == RESEARCHER_ORCID
    assert researcher_record.verification_level == 2
    assert Author.objects.get(claims__user=claimed_researcher) == researcher_record

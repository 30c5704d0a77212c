"""The shared shape of a decided request (apps.core.models.Decision): the fields five models
share, and the compare-and-set every decision starts with."""

import pytest

from apps.claims.models import Claim, Dispute, MergeRequest
from apps.claims.services import Evidence, claim_evidence
from apps.core.models import Decision
from apps.moderation.models import Report
from apps.trust.models import VerificationRequest

pytestmark = pytest.mark.django_db


def test_five_models_share_the_decision_fields():
    for model in (Claim, Dispute, MergeRequest, VerificationRequest, Report):
        assert issubclass(model, Decision)
        names = {f.name for f in model._meta.get_fields()}
        assert {"status", "created_at", "decided_at", "decided_by", "decision_reason"} <= names


def test_move_sets_only_while_the_status_still_holds(peer, moderator, records):
    claim = claim_evidence(
        user=peer,
        author=records.author("Pablo Peer"),
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    rejected = Claim.decided(Claim.Status.REJECTED, moderator, "Not shown")
    assert claim.move(Claim.Status.PENDING, **rejected) is True
    assert (claim.status, claim.decided_by, claim.decision_reason) == ("rejected", moderator,
                                                                       "Not shown")  # fmt: skip
    # A second decision finds the row moved already: nothing is written.
    approved = Claim.decided(Claim.Status.APPROVED, moderator, "Late")
    assert claim.move(Claim.Status.PENDING, **approved) is False
    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason) == ("rejected", "Not shown")

"""A moderator never decides a claim on a record they have a stake in: one they hold, or one
they have their own claim waiting on (a rival's claim is theirs to lose)."""

import pytest

from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_decide, claim_evidence, claim_orcid
from apps.core.errors import NotAllowed
from tests.conftest import link_orcid

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1694-233X"


def test_a_moderator_who_holds_the_record_cannot_reject_a_rivals_claim(records, moderator, peer):
    author = records.author("Mona Moderator", orcid=ORCID)
    link_orcid(moderator, ORCID)
    claim_orcid(user=moderator, author=author)
    rival = claim_evidence(
        user=peer, author=author, evidence=Evidence(note="it is me: these are my papers.")
    )

    with pytest.raises(NotAllowed):
        claim_decide(claim=rival, actor=moderator, approve=False, reason="not yours")
    rival.refresh_from_db()
    assert rival.status == Claim.Status.PENDING


@pytest.mark.parametrize("approve", [True, False])
def test_a_moderator_with_their_own_claim_waiting_cannot_decide_a_rivals(
    records, moderator, peer, approve
):
    author = records.author("Pat Shared-Name")
    claim_evidence(
        user=moderator, author=author, evidence=Evidence(note="mine: these are my papers.")
    )
    rival = claim_evidence(
        user=peer, author=author, evidence=Evidence(note="no, mine: these are my papers.")
    )

    with pytest.raises(NotAllowed):
        claim_decide(claim=rival, actor=moderator, approve=approve, reason="decided")
    rival.refresh_from_db()
    assert rival.status == Claim.Status.PENDING


def test_an_uninvolved_moderator_still_decides(records, moderator, peer, outsider):
    author = records.author("Pat Shared-Name")
    claim_evidence(
        user=outsider, author=author, evidence=Evidence(note="mine: these are my papers.")
    )
    rival = claim_evidence(
        user=peer, author=author, evidence=Evidence(note="no, mine: these are my papers.")
    )
    claim_decide(claim=rival, actor=moderator, approve=False, reason="no evidence")
    rival.refresh_from_db()
    assert rival.status == Claim.Status.REJECTED

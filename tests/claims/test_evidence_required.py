"""Claims need evidence: an evidence claim with none of a link, a verified email, a proven
ORCID iD or a note of a sentence is refused with a clear error and never reaches the queue;
the name match reads the account's public name against the record's name and variants."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_evidence, evidence_preview
from apps.core.errors import Refused
from apps.notifications.models import Notification
from tests.factories import link_orcid

pytestmark = pytest.mark.django_db


@pytest.fixture
def unclaimed(records):
    return records.author("Wei Zhang", variants=["W. Zhang", "Zhang Wei"])


@pytest.mark.parametrize("note", ["", "mine", "it is me", "   ", "1 2 3 4 5"])
def test_a_claim_with_no_evidence_never_reaches_the_queue(peer, moderator, unclaimed, note):
    with pytest.raises(Refused, match="at least one piece of evidence"):
        claim_evidence(user=peer, author=unclaimed, evidence=Evidence(note=note))
    assert not Claim.objects.exists()
    assert not Notification.objects.filter(recipient=moderator).exists()


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence(note="These are my papers from my doctoral work."),
        Evidence(links=("https://orcid.org/0000-0002-1825-0097",)),
        Evidence(email="peer@example.org"),
    ],
    ids=["sentence", "link", "verified-email"],
)
def test_one_piece_of_evidence_is_enough(peer, unclaimed, evidence):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=peer, email="peer@example.org", defaults={"verified": True}
    )
    assert claim_evidence(user=peer, author=unclaimed, evidence=evidence).status == "pending"


def test_a_proven_orcid_id_is_evidence(peer, unclaimed):
    link_orcid(peer, "0000-0002-1825-0097")
    claim = claim_evidence(user=peer, author=unclaimed, evidence=Evidence())
    assert claim.status == "pending" and claim.orcid == "0000-0002-1825-0097"


def test_the_form_and_the_api_refuse_an_empty_claim_clearly(peer, peer_client, unclaimed):
    response = peer_client.post(reverse("claims:start", args=[unclaimed.pk]), {"note": "me"})
    assert response.status_code == 400
    assert "at least one piece of evidence" in response.content.decode()
    api = APIClient()
    api.force_authenticate(peer)
    answer = api.post("/api/v1/claims/", {"author": unclaimed.pk, "kind": "evidence"},
                      format="json")  # fmt: skip
    assert answer.status_code == 400 and "at least one piece of evidence" in answer.json()["detail"]
    assert not Claim.objects.exists()


def _name_points(user, author) -> int:
    found = {c.code: c.points for c in evidence_preview(user, author).components}
    return found["name"]


def test_the_name_match_reads_the_public_name_and_the_records_variants(make_user, records):
    # She published first as Ada Lindqvist, later as Ada Berg: the record has both.
    record = records.author("Ada Lindqvist", variants=["Ada Berg"])
    by_variant = make_user(display_name="Ada Berg")
    other = make_user(display_name="Maria Liakata")
    unnamed = make_user(display_name="")  # shown as a stand-in, which is no name to match
    assert _name_points(by_variant, record) == 20
    assert _name_points(other, record) == 0
    assert _name_points(unnamed, record) == 0

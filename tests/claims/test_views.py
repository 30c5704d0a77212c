"""The claim pages, for each persona: visitor, researcher (with and without a record), peer,
outsider, moderator."""

import pytest
from django.urls import reverse

from apps.claims.models import Claim, Dispute, MergeRequest
from apps.claims.services import Evidence, claim_evidence
from apps.records.models import Authorship
from tests.conftest import RESEARCHER_ORCID
from tests.factories import link_orcid

pytestmark = pytest.mark.django_db


@pytest.fixture
def unclaimed(records):
    return records.author("Pablo Peer", orcid="0000-0003-1415-9269")


def test_visitor_cannot_claim_and_is_sent_to_log_in(visitor, unclaimed):
    page = visitor.get(f"/authors/{unclaimed.pk}/").content.decode()
    assert "Unclaimed author" in page and "Log in to claim" in page
    for url in (reverse("claims:start", args=[unclaimed.pk]),
                reverse("claims:claim_orcid", args=[unclaimed.pk])):  # fmt: skip
        response = visitor.post(url, {"note": "me"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert (
        visitor.post("/api/v1/claims/", {"author": unclaimed.pk, "kind": "evidence"}).status_code
        == 401  # not signed in: the API names the scheme to use (WWW-Authenticate: Token)
    )
    assert not Claim.objects.exists()


def test_researcher_claims_by_orcid_from_the_page(researcher_client, researcher, records):
    author = records.author("Rosa Researcher", orcid=RESEARCHER_ORCID)
    link_orcid(researcher, RESEARCHER_ORCID)
    page = researcher_client.get(reverse("claims:start", args=[author.pk])).content.decode()
    assert "Claim with ORCID" in page
    response = researcher_client.post(reverse("claims:claim_orcid", args=[author.pk]))
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    assert claim.status == "approved"
    author_page = researcher_client.get(f"/authors/{author.pk}/").content.decode()
    assert "<strong>Claimed</strong>" in author_page and "Curate your record" in author_page


def test_a_mismatched_orcid_claim_is_a_message_not_a_claim(peer_client, unclaimed):
    response = peer_client.post(reverse("claims:claim_orcid", args=[unclaimed.pk]), follow=True)
    assert "Sign in with ORCID" in response.content.decode()
    assert not Claim.objects.exists()


def test_evidence_claim_through_the_form_shows_score_status_and_age(peer_client, peer, unclaimed):
    url = reverse("claims:start", args=[unclaimed.pk])
    assert "Evidence score" in peer_client.get(url).content.decode()
    response = peer_client.post(url, {"email": peer.email, "links": "https://lab.example/p",
                                      "note": "My page"})  # fmt: skip
    claim = Claim.objects.get()
    assert response.status_code == 302
    page = peer_client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Waiting for a moderator" in page and "Evidence score" in page and "ago" in page
    assert "https://lab.example/p" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"links": "ftp://x"}, "Enter a valid URL"),
        ({"note": "x" * 2001}, "at most 2000"),
        ({"email": "someone@else.example"}, "verified email"),
        ({"links": "\n".join(f"https://x.example/{i}" for i in range(6))}, "at most 5 links"),
    ],
)
def test_bad_evidence_is_a_form_error(peer_client, unclaimed, data, message):
    response = peer_client.post(reverse("claims:start", args=[unclaimed.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_outsider_cannot_see_another_users_claim_or_evidence(peer, outsider_client, unclaimed):
    claim = claim_evidence(
        user=peer, author=unclaimed, evidence=Evidence(note="secret note: these are my papers.")
    )
    assert outsider_client.get(f"/claims/{claim.pk}/").status_code == 404
    assert outsider_client.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert outsider_client.get("/api/v1/claims/").json()["results"] == []


def test_moderator_sees_the_evidence(peer, moderator_client, unclaimed):
    claim = claim_evidence(
        user=peer, author=unclaimed, evidence=Evidence(note="secret note: these are my papers.")
    )
    assert "secret note" in moderator_client.get(f"/claims/{claim.pk}/").content.decode()


def test_withdraw_and_release_through_the_pages(
    peer_client, peer, unclaimed, claimed_researcher, researcher_record, researcher_client
):
    claim = claim_evidence(
        user=peer,
        author=unclaimed,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    assert researcher_client.post(f"/claims/{claim.pk}/withdraw/").status_code == 404
    peer_client.post(f"/claims/{claim.pk}/withdraw/")
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    held = Claim.objects.approved().get(user=claimed_researcher)
    response = researcher_client.post(f"/claims/{held.pk}/release/")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == "released"
    assert (
        "Unclaimed author"
        in researcher_client.get(f"/authors/{researcher_record.pk}/").content.decode()
    )


def test_holder_of_a_disputed_record_sees_the_dispute_but_not_the_challengers_evidence(
    claimed_researcher, researcher_record, researcher_client, outsider, outsider_client, peer_client
):
    challenger_page = outsider_client.get(reverse("claims:start", args=[researcher_record.pk]))
    assert "opens a" in challenger_page.content.decode()
    outsider_client.post(reverse("claims:start", args=[researcher_record.pk]),
                         {"note": "challenger private note, with my lab page"})  # fmt: skip
    dispute = Dispute.objects.get()
    page = researcher_client.get(f"/disputes/{dispute.pk}/").content.decode()
    assert "Open" in page and "challenger private note" not in page
    assert researcher_client.get(f"/claims/{dispute.claim_id}/").status_code == 404
    api = researcher_client.get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert "note" not in api["claim"] and api["held_claim"]["status"] == "approved"
    assert peer_client.get(f"/disputes/{dispute.pk}/").status_code == 404
    assert "Claimed" in researcher_client.get(f"/authors/{researcher_record.pk}/").content.decode()


def test_my_claims_lists_them(peer_client, peer, unclaimed):
    claim_evidence(
        user=peer,
        author=unclaimed,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    page = peer_client.get("/claims/").content.decode()
    assert "Pablo Peer" in page and "Waiting for a moderator" in page


# --- Curation page ------------------------------------------------------------------------


@pytest.fixture
def curated(records, researcher_record):
    return [records.work(researcher_record, title=f"Paper {i}") for i in range(3)]


def test_only_the_holder_sees_curation(
    researcher_record, curated, peer_client, visitor, moderator_client
):
    url = f"/authors/{researcher_record.pk}/curate/"
    assert visitor.get(url).status_code == 302
    assert peer_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 403
    assert peer_client.post(url, {"action": "disown", "works": [curated[0].pk]}).status_code == 403


def test_holder_disowns_restores_and_splits_through_the_page(
    researcher_client, researcher_record, curated
):
    url = f"/authors/{researcher_record.pk}/curate/"
    assert "Paper 0" in researcher_client.get(url).content.decode()
    researcher_client.post(url, {"action": "disown", "works": [curated[0].pk, curated[1].pk]})
    assert Authorship.objects.filter(author=researcher_record, status="disowned").count() == 2
    assert (
        "Paper 0" not in researcher_client.get(f"/authors/{researcher_record.pk}/").content.decode()
    )
    researcher_client.post(url, {"action": "restore", "works": [curated[1].pk]})
    response = researcher_client.post(url, {"action": "split", "works": [curated[0].pk]})
    assert response.status_code == 302
    assert Authorship.objects.get(work=curated[0]).author != researcher_record


def test_curation_errors_are_shown(researcher_client, researcher_record, curated, records):
    url = f"/authors/{researcher_record.pk}/curate/"
    elsewhere = records.work(records.author(), title="Not on this record")
    response = researcher_client.post(url, {"action": "split", "works": [elsewhere.pk]})
    assert response.status_code == 400 and "Only works on your record" in response.content.decode()
    response = researcher_client.post(url, {"action": "add", "identifier": "nonsense"})
    assert response.status_code == 400 and "Give a DOI" in response.content.decode()
    assert researcher_client.post(url, {"action": "explode"}).status_code == 400


def test_holder_sets_names_pins_and_asks_for_a_merge(
    researcher_client, researcher_record, curated, records
):
    url = f"/authors/{researcher_record.pk}/curate/"
    researcher_client.post(url, {"action": "names", "display_name": "Rosa Researcher",
                                 "variants": "R. Researcher\nRosa R."})  # fmt: skip
    researcher_record.refresh_from_db()
    assert researcher_record.name_variants == ["R. Researcher", "Rosa R."]
    researcher_client.post(url, {"action": "pins", "works": [curated[2].pk]})
    assert researcher_record.pins.get().work == curated[2]
    page = researcher_client.get(f"/authors/{researcher_record.pk}/").content.decode()
    assert 'data-testid="pinned-works"' in page and "Paper 2" in page
    duplicate = records.author("R. Researcher")
    researcher_client.post(url, {"action": "merge", "duplicate": duplicate.pk, "reason": "Old me"})
    merge = MergeRequest.objects.get()
    assert merge.duplicate == duplicate and merge.status == "pending"
    assert (
        "Waiting for a moderator" in researcher_client.get(f"/merges/{merge.pk}/").content.decode()
    )

"""/api/v1/claims, disputes, merges and curation: the same services as the pages, with
400 JSON for refusals and an authorisation check per persona."""

import pytest

from apps.claims.models import Claim, Dispute, MergeRequest
from apps.records.models import Authorship
from tests.factories import link_orcid

pytestmark = pytest.mark.django_db
ORCID = "0000-0003-1415-9269"


@pytest.fixture
def unclaimed(records):
    return records.author("Pablo Peer", orcid=ORCID)


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_orcid_claim_over_the_api(peer_client, peer, unclaimed):
    link_orcid(peer, ORCID)
    response = _post(peer_client, "/api/v1/claims/", {"author": unclaimed.pk, "kind": "orcid"})
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "approved"


def test_evidence_claim_over_the_api_then_withdraw(peer_client, unclaimed):
    body = {"author": unclaimed.pk, "kind": "evidence", "links": ["https://lab.example/p"],
            "note": "mine"}  # fmt: skip
    created = _post(peer_client, "/api/v1/claims/", body).json()
    assert created["status"] == "pending" and created["score_components"]
    assert created["age_seconds"] >= 0
    withdrawn = _post(peer_client, f"/api/v1/claims/{created['id']}/withdraw/").json()
    assert withdrawn["status"] == "withdrawn"
    again = _post(peer_client, f"/api/v1/claims/{created['id']}/withdraw/")
    # The claim is no longer waiting: a conflict with its state (apps.core.errors).
    assert again.status_code == 409 and "still waiting" in again.json()["detail"]
    assert again.json()["code"] == "conflict"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "evidence"}, "author"),
        ({"kind": "sideways"}, "kind"),
        ({"kind": "evidence", "links": ["not a url"]}, "links"),
        ({"kind": "evidence", "links": [f"https://x.example/{i}" for i in range(6)]}, "links"),
        ({"kind": "evidence", "note": "x" * 2001}, "note"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(peer_client, unclaimed, body, field):
    body = {"author": unclaimed.pk, **body} if field != "author" else body
    response = _post(peer_client, "/api/v1/claims/", body)
    assert response.status_code == 400 and field in response.json()
    assert not Claim.objects.exists()


def test_service_refusals_are_400_json(peer_client, unclaimed):
    response = _post(peer_client, "/api/v1/claims/", {"author": unclaimed.pk, "kind": "orcid"})
    assert response.status_code == 400
    assert "Sign in with ORCID" in response.json()["detail"]


def test_visitor_gets_401_everywhere(visitor, unclaimed):
    assert visitor.get("/api/v1/claims/").status_code == 401
    assert (
        _post(visitor, "/api/v1/claims/", {"author": unclaimed.pk, "kind": "evidence"}).status_code
        == 401
    )
    assert (
        _post(visitor, f"/api/v1/curation/{unclaimed.pk}/disown/", {"works": [1]}).status_code
        == 401
    )


def test_moderator_decides_over_the_api_but_others_cannot(
    peer_client, outsider_client, moderator_client, unclaimed
):
    claim = _post(
        peer_client, "/api/v1/claims/",
        {"author": unclaimed.pk, "kind": "evidence", "links": ["https://lab.example/p"]},
    ).json()  # fmt: skip
    decide = f"/api/v1/claims/{claim['id']}/decide/"
    assert _post(outsider_client, decide, {"approve": True, "reason": "x"}).status_code == 404
    assert _post(peer_client, decide, {"approve": True, "reason": "x"}).status_code == 403
    assert _post(moderator_client, decide, {"approve": True}).status_code == 400
    response = _post(moderator_client, decide, {"approve": True, "reason": "Lab page matches"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert moderator_client.get("/api/v1/claims/").json()["results"][0]["id"] == claim["id"]


def test_dispute_over_the_api(
    claimed_researcher, researcher_record, researcher_client, outsider_client, moderator_client,
    peer_client,
):  # fmt: skip
    body = {
        "author": researcher_record.pk,
        "kind": "evidence",
        "note": "private challenger note, my lab page",
    }
    _post(outsider_client, "/api/v1/claims/", body)
    dispute = Dispute.objects.get()
    seen_by_holder = researcher_client.get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert "private challenger note" not in str(seen_by_holder)
    seen_by_challenger = outsider_client.get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert seen_by_challenger["claim"]["note"] == "private challenger note, my lab page"
    assert "note" not in seen_by_challenger["held_claim"]
    assert peer_client.get(f"/api/v1/disputes/{dispute.pk}/").status_code == 404
    decide = f"/api/v1/disputes/{dispute.pk}/decide/"
    assert _post(researcher_client, decide, {"approve": False, "reason": "x"}).status_code == 403
    decided = _post(moderator_client, decide, {"approve": False, "reason": "No evidence"}).json()
    assert decided["status"] == "rejected"


def test_release_over_the_api(claimed_researcher, researcher_client, outsider_client):
    held = Claim.objects.approved().get(user=claimed_researcher)
    assert _post(outsider_client, f"/api/v1/claims/{held.pk}/release/").status_code == 404
    assert (
        _post(researcher_client, f"/api/v1/claims/{held.pk}/release/").json()["status"]
        == "released"
    )


def test_curation_over_the_api(
    researcher_client, researcher_record, records, peer_client, fake_upstream, settings
):
    work = records.work(researcher_record)
    url = f"/api/v1/curation/{researcher_record.pk}"
    assert _post(peer_client, f"{url}/disown/", {"works": [work.pk]}).status_code == 403
    assert _post(researcher_client, f"{url}/disown/", {"works": [work.pk]}).json() == {"changed": 1}
    assert Authorship.objects.get(work=work).status == "disowned"
    assert _post(researcher_client, f"{url}/restore/", {"works": [work.pk]}).json() == {
        "changed": 1
    }
    assert _post(researcher_client, f"{url}/pins/", {"works": [work.pk]}).json() == {
        "pins": [work.pk]
    }
    assert _post(researcher_client, f"{url}/disown/", {"works": ["x"]}).status_code == 400
    names = _post(
        researcher_client, f"{url}/names/", {"display_name": "Rosa R.", "variants": ["R. R."]}
    )
    assert names.json() == {"display_name": "Rosa R.", "variants": ["R. R."]}
    settings.CROSSREF_API_URL = fake_upstream.url
    fake_upstream.add("GET", "/works/10.5555/missing", status=404, body="Resource not found.")
    missing = _post(researcher_client, f"{url}/add-work/", {"identifier": "10.5555/missing"})
    assert missing.status_code == 400 and missing.json()["field"] == "identifier"


def test_merge_requests_over_the_api(
    claimed_researcher, researcher_client, records, peer_client, moderator_client
):
    duplicate = records.author("R. Researcher")
    assert (
        _post(
            peer_client, "/api/v1/merges/", {"duplicate": duplicate.pk, "reason": "x"}
        ).status_code
        == 403
    )
    created = _post(
        researcher_client, "/api/v1/merges/", {"duplicate": duplicate.pk, "reason": "old me"}
    )
    assert created.status_code == 201, created.json()
    merge_id = created.json()["id"]
    assert peer_client.get(f"/api/v1/merges/{merge_id}/").status_code == 404
    decided = _post(
        moderator_client, f"/api/v1/merges/{merge_id}/decide/", {"approve": True, "reason": "ok"}
    )
    assert decided.json()["status"] == "approved"
    assert (
        MergeRequest.objects.get().duplicate.merged_into_id
        == MergeRequest.objects.get().survivor_id
    )

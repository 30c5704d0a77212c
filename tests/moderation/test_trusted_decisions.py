"""Decisions a moderator can trust: no reason is chosen for them, each outcome offers only
its own templates, a reason written for another outcome is refused, reject looks different
and asks to confirm, and the merge and claim views show the records side by side."""

import pytest
from rest_framework.test import APIClient

from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_evidence, merge_request_create
from apps.core.reasons import reason_templates
from tests.factories import make_author, make_topic, make_work

pytestmark = pytest.mark.django_db
APPROVAL = reason_templates("claim", "approve")[0]


@pytest.fixture
def claim(records, peer):
    record = records.author("Pablo Peer")
    note = Evidence(note="These are my papers, my lab page lists them.")
    return claim_evidence(user=peer, author=record, evidence=note)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_reject_without_a_reason_is_a_400_naming_the_field(claim, moderator):
    url = f"/api/v1/moderation/decide/claim/{claim.pk}/"
    response = _api(moderator).post(url, {"outcome": "reject"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "reason" and "Give a reason" in response.json()["detail"]
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_reject_without_a_reason_from_the_queue_is_refused_on_the_page(claim, moderator_client):
    response = moderator_client.post(
        f"/moderation/decide/claim/{claim.pk}/",
        {"outcome": "reject", "template": "", "reason": "", "next": "/moderation/claims/"},
        follow=True,
    )
    assert "Give a reason" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_an_approval_text_cannot_reject(claim, moderator, moderator_client):
    url = f"/api/v1/moderation/decide/claim/{claim.pk}/"
    response = _api(moderator).post(url, {"outcome": "reject", "reason": APPROVAL}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "reason"
    # A template index is read within the outcome's own list: "0" with reject is a reject text.
    moderator_client.post(f"/moderation/decide/claim/{claim.pk}/",
                          {"outcome": "reject", "template": "0"})  # fmt: skip
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert claim.decision_reason == reason_templates("claim", "reject")[0] != APPROVAL


def test_the_queue_offers_each_outcome_its_own_reasons_and_reject_confirms(claim, moderator_client):
    page = moderator_client.get("/moderation/claims/").content.decode()
    approve = page[
        page.index('name="outcome" value="approve"') : page.index('data-testid="outcome-reject"')
    ]
    reject = page[page.index('data-testid="outcome-reject"') :]
    assert APPROVAL in approve and APPROVAL not in reject
    assert reason_templates("claim", "reject")[0] in reject
    assert reason_templates("claim", "reject")[0] not in approve
    # Nothing chosen; reject sits behind a confirmation, in red.
    assert approve.count('<option value="" selected>') == 1
    assert '<details class="confirm"' in page and 'class="danger">Yes: reject' in reject
    assert 'class="danger"' not in approve


def test_merge_and_claim_views_show_both_records_side_by_side(
    claimed_researcher, researcher_record, claim, moderator_client, researcher_client
):
    topic = make_topic("q-bio.NC", "Neurons and Cognition")
    coauthor = make_author("Carla Coauthor")
    duplicate = make_author("R. Researcher")
    make_work(duplicate, coauthor, title="Spiking networks in the cortex", topics=[topic])
    make_work(researcher_record, title="Adaptive sharding at scale")
    from apps.records.services import author_metrics_refresh

    author_metrics_refresh([duplicate.pk, researcher_record.pk])
    merge = merge_request_create(user=claimed_researcher, survivor=researcher_record,
                                 duplicate=duplicate, reason="Both are me")  # fmt: skip
    for page in (moderator_client.get("/moderation/merges/"),
                 researcher_client.get(f"/merges/{merge.pk}/")):  # fmt: skip
        html = page.content.decode()
        assert f'data-testid="outline-{researcher_record.pk}"' in html
        assert f'data-testid="outline-{duplicate.pk}"' in html
        assert "Spiking networks in the cortex" in html and "Adaptive sharding at scale" in html
        assert "Carla Coauthor" in html and "Neurons and Cognition" in html
    claims = moderator_client.get("/moderation/claims/").content.decode()
    assert f'data-testid="outline-{claim.author_id}"' in claims
    assert Claim.objects.filter(pk=claim.pk, status="pending").exists()

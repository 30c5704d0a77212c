"""Pages that explain themselves: a challenger is pointed at their open dispute instead of
being offered another, and ORCID is offered only where this site can sign in with it."""

import pytest
from django.urls import reverse

from apps.claims.services import Evidence, claim_evidence
from tests.collaboration.conftest import PEER_ORCID
from tests.factories import claimed_record

pytestmark = pytest.mark.django_db


def test_a_challenger_with_an_open_dispute_is_not_offered_another(
    researcher, researcher_client, peer
):
    record = claimed_record(peer, "Pablo Peer", PEER_ORCID)
    url = reverse("records:author", args=[record.pk])
    assert "Dispute the claim" in researcher_client.get(url).content.decode()

    claim = claim_evidence(
        user=researcher, author=record, evidence=Evidence(note="Me: these are my papers.")
    )
    page = researcher_client.get(url).content.decode()
    assert "Dispute the claim" not in page
    assert 'data-testid="open-dispute"' in page
    assert reverse("claims:claim", args=[claim.pk]) in page


def test_orcid_is_offered_only_when_it_is_configured(researcher_client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "orcid": {**settings.SOCIALACCOUNT_PROVIDERS["orcid"], "APPS": []}
    }
    assert (
        "Link your ORCID iD" not in researcher_client.get(reverse("claims:find")).content.decode()
    )
    app = {"client_id": "APP-TESTCLIENT0001", "secret": "s3cret", "key": ""}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "orcid": {**settings.SOCIALACCOUNT_PROVIDERS["orcid"], "APPS": [app]}
    }
    assert "Link your ORCID iD" in researcher_client.get(reverse("claims:find")).content.decode()

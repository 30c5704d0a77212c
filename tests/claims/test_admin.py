"""The operators' admin actions call the same decision services as the workspace."""

import pytest
from django.contrib.messages import get_messages

from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_evidence

pytestmark = pytest.mark.django_db


def _act(client, action, *claims):
    data = {"action": action, "_selected_action": [c.pk for c in claims]}
    return client.post("/admin/claims/claim/", data, follow=True)


def test_admin_actions_decide_through_the_service_and_report_refusals(
    moderator, moderator_client, peer, outsider, records
):
    moderator.is_staff = moderator.is_superuser = True
    moderator.save(update_fields=["is_staff", "is_superuser"])
    first = claim_evidence(
        user=peer,
        author=records.author("Pablo Peer"),
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    other = claim_evidence(
        user=outsider,
        author=records.author("Otto"),
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    response = _act(moderator_client, "approve", first)
    assert Claim.objects.get(pk=first.pk).status == "approved"
    assert "1 decided." in [str(m) for m in get_messages(response.wsgi_request)]
    # Deciding the approved claim again is refused and said; the other one is rejected.
    response = _act(moderator_client, "reject", first, other)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("already decided" in m for m in said) and "1 decided." in said
    assert Claim.objects.get(pk=other.pk).status == "rejected"
    assert Claim.objects.get(pk=first.pk).decision_reason == "Decided in the admin"

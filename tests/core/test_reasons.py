"""One reason rule (apps.core.reasons): a reason too long for its limit is refused with one
clear message, by the service, so the form, the page and the API all say the same; it is
never cut."""

import pytest
from rest_framework.test import APIClient

from apps.claims.models import Claim, MergeRequest
from apps.claims.services import Evidence, claim_decide, claim_evidence
from apps.collaboration import services as collaboration
from apps.collaboration.models import DECLINE_REASON_MAX, Invitation
from apps.core.errors import Refused
from apps.core.reasons import REASON_MAX, reason_clean
from apps.moderation.models import Suspension
from apps.moderation.services import user_suspend
from tests.collaboration.conftest import invite, peer_record  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
TOO_LONG = "x" * (REASON_MAX + 1)
SAYS = f"Keep the reason to {REASON_MAX} characters or fewer (it has {REASON_MAX + 1})."


def test_reason_clean_trims_requires_and_refuses_what_is_too_long():
    assert reason_clean("  fine  ") == "fine"
    assert reason_clean("x" * REASON_MAX) == "x" * REASON_MAX
    assert reason_clean("", required=False) == ""
    with pytest.raises(Refused, match="Give a reason") as missing:
        reason_clean("   ")
    assert missing.value.field == "reason"
    with pytest.raises(Refused) as long:
        reason_clean(TOO_LONG)
    assert (long.value.message, long.value.field) == (SAYS, "reason")
    with pytest.raises(Refused, match="to 5 characters or fewer"):
        reason_clean("abcdef", required=False, limit=5)


@pytest.fixture
def pending(peer, records):
    return claim_evidence(
        user=peer,
        author=records.author("Pablo Peer"),
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )


def test_services_refuse_a_long_reason_and_change_nothing(pending, moderator, outsider):
    with pytest.raises(Refused, match="or fewer"):
        claim_decide(claim=pending, actor=moderator, approve=True, reason=TOO_LONG)
    assert Claim.objects.get(pk=pending.pk).status == "pending"
    # A suspension's reason used to be cut at 2,000 characters; now it is refused.
    with pytest.raises(Refused, match="or fewer"):
        user_suspend(user=outsider, actor=moderator, reason=TOO_LONG)
    assert not Suspension.objects.exists()


def test_the_api_refuses_a_long_reason_with_the_same_message(pending, moderator, outsider):
    client = APIClient()
    client.force_authenticate(moderator)
    for url in (f"/api/v1/claims/{pending.pk}/decide/",
                f"/api/v1/moderation/decide/claim/{pending.pk}/"):  # fmt: skip
        response = client.post(url, {"approve": True, "reason": TOO_LONG}, format="json")
        assert response.status_code == 400, url
        assert response.json() == {"detail": SAYS, "code": "refused", "field": "reason"}
    suspend = client.post(f"/api/v1/moderation/act/suspend/{outsider.pk}/",
                          {"reason": TOO_LONG}, format="json")  # fmt: skip
    assert suspend.status_code == 400 and suspend.json()["detail"] == SAYS
    assert Claim.objects.get(pk=pending.pk).status == "pending"
    assert not Suspension.objects.exists()


def test_the_workspace_page_says_so_and_decides_nothing(pending, moderator_client):
    data = {"decision": "yes", "reason": TOO_LONG}
    response = moderator_client.post(f"/moderation/decide/claim/{pending.pk}/", data, follow=True)
    assert SAYS in response.content.decode()
    assert Claim.objects.get(pk=pending.pk).status == "pending"


def test_the_merge_form_shows_the_message_on_the_page(
    researcher_client, researcher_record, records
):
    duplicate = records.author("R. Researcher")
    response = researcher_client.post(f"/authors/{researcher_record.pk}/curate/",
                                      {"action": "merge", "duplicate": duplicate.pk,
                                       "reason": TOO_LONG})  # fmt: skip
    assert response.status_code == 400 and SAYS in response.content.decode()
    assert not MergeRequest.objects.exists()


def test_a_long_decline_reason_is_refused_in_page_and_api(
    researcher,
    researcher_record,
    peer,
    peer_client,
    peer_record,  # noqa: F811  (the imported fixture)
    invite,  # noqa: F811
):
    invitation = invite(researcher, peer_record)
    long = "y" * (DECLINE_REASON_MAX + 1)
    says = f"Keep the reason to {DECLINE_REASON_MAX} characters or fewer"
    with pytest.raises(Refused, match=says):
        collaboration.invitation_decline(invitation=invitation, actor=peer, reason=long)
    page = peer_client.post(f"/invitations/{invitation.pk}/decline/", {"reason": long},
                            follow=True)  # fmt: skip
    assert says in page.content.decode()
    api = APIClient()
    api.force_authenticate(peer)
    answer = api.post(f"/api/v1/invitations/{invitation.pk}/decline/", {"reason": long},
                      format="json")  # fmt: skip
    assert answer.status_code == 400 and answer.json()["field"] == "reason"
    assert says in answer.json()["detail"]
    assert Invitation.objects.get().status == "pending"

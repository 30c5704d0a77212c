"""The moderators' workspace (HTML and API): who reaches it, what each decision changes, one
audit row per action, no deciding what involves you, suspensions, and the audit pages."""

import pytest
from django.test import Client

from apps.audit.models import AuditEvent
from apps.claims.models import Claim, Dispute, MergeRequest
from apps.claims.services import (
    Evidence,
    claim_evidence,
    confirmation_token,
    merge_request_create,
    verification_confirm,
    verification_request,
)
from apps.core.reasons import reason_templates
from apps.moderation.decisions import DECISIONS as DECISION_TABLE
from apps.moderation.models import Report, Suspension
from apps.moderation.services import report_file
from apps.notifications.models import Notification
from apps.trust import services as trust
from apps.trust.models import TrustRecord, VerificationRequest
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["/moderation/", "/moderation/claims/", "/moderation/disputes/", "/moderation/merges/",
         "/moderation/verifications/", "/moderation/reports/", "/moderation/audit/"]  # fmt: skip
API_GET = ["/api/v1/moderation/stats/", "/api/v1/moderation/audit/"] + [
    f"/api/v1/moderation/queues/{q}/"
    for q in ("claims", "disputes", "merges", "verifications", "reports")
]


@pytest.fixture
def world(records, claimed_researcher, researcher_record, peer, outsider):
    """One item in every queue: outsider's evidence claim, peer's dispute on the researcher's
    record, the researcher's merge request, their L3 request, and a report by peer."""
    waiting = records.author("Otto Outsider")
    claim = claim_evidence(
        user=outsider, author=waiting, evidence=Evidence(note="mine: these are my papers.")
    )
    claim_evidence(
        user=peer,
        author=researcher_record,
        evidence=Evidence(note="no, mine: these are my papers."),
    )
    duplicate = records.author("R. Researcher")
    merge = merge_request_create(user=claimed_researcher, survivor=researcher_record,
                                 duplicate=duplicate, reason="Both me")  # fmt: skip
    l3 = verification_request(user=claimed_researcher, author=researcher_record,
                                    email="rosa@uni.example.edu", note="Staff page")  # fmt: skip
    verification_confirm(token=confirmation_token(l3))
    report = report_file(reporter=peer, target=researcher_record, reason="spam",
                         reported_user=claimed_researcher)  # fmt: skip
    return {"claim": claim, "dispute": Dispute.objects.get(), "merge": merge,
            "verification": l3, "report": report}  # fmt: skip


def _clients(visitor, researcher_client, outsider_client, moderator_client):
    return {"visitor": visitor, "researcher": researcher_client, "outsider": outsider_client,
            "moderator": moderator_client}  # fmt: skip


@pytest.mark.parametrize("url", PAGES + API_GET)
def test_only_moderators_reach_the_workspace_and_its_api(
    url, world, visitor, researcher_client, outsider_client, moderator_client
):
    clients = _clients(visitor, researcher_client, outsider_client, moderator_client)
    got = {name: c.get(url).status_code for name, c in clients.items()}
    api = url.startswith("/api/")
    assert got == {"visitor": 401 if api else 302, "researcher": 403, "outsider": 403,
                   "moderator": 200}, got  # fmt: skip


DECIDE = ["claim", "dispute", "merge", "verification", "report"]
ACT = ["suspend", "unsuspend", "revoke", "reinstate", "reopen", "unverify"]


@pytest.mark.parametrize("kind", DECIDE)
@pytest.mark.parametrize("api", [False, True])
def test_non_moderators_cannot_decide(
    kind, api, world, visitor, researcher_client, outsider_client, peer_client
):
    pk = world[kind].pk
    url = f"/api/v1/moderation/decide/{kind}/{pk}/" if api else f"/moderation/decide/{kind}/{pk}/"
    rows = AuditEvent.objects.count()
    for name, c in {"visitor": visitor, "researcher": researcher_client,
                    "outsider": outsider_client, "peer": peer_client}.items():  # fmt: skip
        response = c.post(url, {"approve": True, "decision": "yes", "reason": "x"})
        assert response.status_code == {("visitor", False): 302, ("visitor", True): 401}.get(
            (name, api), 403
        ), name
    assert AuditEvent.objects.count() == rows


@pytest.mark.parametrize("name", ACT)
@pytest.mark.parametrize("api", [False, True])
def test_non_moderators_cannot_act(
    name, api, world, researcher, visitor, researcher_client, outsider_client
):
    pk = researcher.pk
    url = f"/api/v1/moderation/act/{name}/{pk}/" if api else f"/moderation/act/{name}/{pk}/"
    for who, c in {"visitor": visitor, "researcher": researcher_client,
                   "outsider": outsider_client}.items():  # fmt: skip
        response = c.post(url, {"reason": "x"})
        assert response.status_code == {("visitor", False): 302, ("visitor", True): 401}.get(
            (who, api), 403
        ), who
    assert not Suspension.objects.exists()


def test_user_page_is_for_moderators_only(
    world, researcher, visitor, researcher_client, outsider_client, moderator_client
):
    url = f"/moderation/users/{researcher.pk}/"
    assert visitor.get(url).status_code == 302
    assert researcher_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 200


def _decide(client, kind, obj, yes=True, **data):
    return client.post(f"/moderation/decide/{kind}/{obj.pk}/",
                       {"decision": "yes" if yes else "no", **data})  # fmt: skip


@pytest.mark.parametrize("kind", DECIDE)
@pytest.mark.parametrize("yes", [True, False])
def test_each_decision_writes_exactly_one_audit_row_and_notifies(
    kind, yes, world, moderator_client
):
    obj = world[kind]
    outcome = DECISION_TABLE[kind].outcomes[0 if yes else 1].name
    text = reason_templates(kind, outcome)[0]  # the first template of that outcome
    rows, notes = AuditEvent.objects.count(), Notification.objects.count()
    response = moderator_client.post(
        f"/moderation/decide/{kind}/{obj.pk}/", {"outcome": outcome, "template": "0"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == rows + 1
    event = AuditEvent.objects.latest("id")
    assert event.reason == text and event.actor.email == "moderator@example.org"
    assert event.before and event.after
    assert Notification.objects.filter(body=text).count() >= 1
    assert Notification.objects.count() > notes
    obj.refresh_from_db()
    assert obj.status not in ("pending", "open")


def test_approving_a_claim_in_the_workspace_sets_l2_and_scores(world, moderator_client):
    claim = world["claim"]
    _decide(moderator_client, "claim", claim, reason="Evidence checks out")
    claim.refresh_from_db()
    claim.author.refresh_from_db()
    assert claim.status == "approved" and claim.author.verification_level == 2
    assert TrustRecord.objects.filter(author=claim.author).exists()
    note = Notification.objects.filter(recipient=claim.user).latest("id")
    assert note.body == "Evidence checks out"


def test_a_decision_without_any_reason_is_refused(world, moderator_client):
    response = _decide(moderator_client, "claim", world["claim"], template="99")
    assert response.status_code == 302
    world["claim"].refresh_from_db()
    assert world["claim"].status == "pending"


def test_a_moderator_cannot_decide_what_involves_them(records, moderator, peer, moderator_client):
    own = claim_evidence(
        user=moderator, author=records.author(), evidence=Evidence(note="me: these are my papers.")
    )
    assert _decide(moderator_client, "claim", own, reason="mine").status_code == 403
    reported = report_file(reporter=peer, target=own.author, reason="spam", reported_user=moderator)
    assert _decide(moderator_client, "report", reported, reason="no").status_code == 403
    page = moderator_client.get("/moderation/claims/").content.decode()
    assert "This involves you" in page
    assert not AuditEvent.objects.filter(actor=moderator).exclude(action="claim.open").exists()


def test_a_moderator_cannot_decide_a_dispute_or_merge_involving_them(
    records, moderator, peer, moderator_client
):
    from apps.claims.services import claim_decide

    other = Client()
    mod2 = type(moderator).objects.create_user(email="mod2@example.org", password="x")
    mod2.groups.add(*moderator.groups.all())
    other.force_login(mod2)
    mine = records.author("Mona Moderator")
    claim = claim_evidence(
        user=moderator, author=mine, evidence=Evidence(note="me: these are my papers.")
    )
    claim_decide(claim=claim, actor=mod2, approve=True, reason="ok")
    claim_evidence(user=peer, author=mine, evidence=Evidence(note="mine: these are my papers."))
    assert (
        _decide(moderator_client, "dispute", Dispute.objects.get(), reason="x").status_code == 403
    )
    merge = merge_request_create(user=moderator, survivor=mine, duplicate=records.author(),
                                 reason="dup")  # fmt: skip
    assert _decide(moderator_client, "merge", merge, reason="x").status_code == 403
    assert MergeRequest.objects.get().status == "pending"


def test_suspend_blocks_sign_in_and_sessions_unsuspend_restores(
    world, researcher, researcher_client, moderator_client
):
    url = f"/moderation/act/suspend/{researcher.pk}/"
    rows = AuditEvent.objects.count()
    assert moderator_client.post(url, {"reason": "Spam after warnings"}).status_code == 302
    assert AuditEvent.objects.count() == rows + 1
    researcher.refresh_from_db()
    assert not researcher.is_active and Suspension.objects.active().get().reason
    assert researcher_client.get("/claims/").status_code == 302  # the session no longer works
    assert not Client().login(email=researcher.email, password=TEST_PASSWORD)
    # suspending twice is refused, lifting is a new audited action
    moderator_client.post(url, {"reason": "again"})
    assert AuditEvent.objects.count() == rows + 1
    moderator_client.post(f"/moderation/act/unsuspend/{researcher.pk}/", {"template": "1"})
    assert AuditEvent.objects.count() == rows + 2
    researcher.refresh_from_db()
    assert researcher.is_active and Suspension.objects.get().lifted_at
    assert Client().login(email=researcher.email, password=TEST_PASSWORD)


def test_a_moderator_cannot_suspend_themselves(moderator, moderator_client):
    response = moderator_client.post(f"/moderation/act/suspend/{moderator.pk}/", {"reason": "x"})
    assert response.status_code == 403
    assert not Suspension.objects.exists()


def test_revoke_and_reinstate_a_claim(world, researcher_record, moderator_client):
    # the dispute would otherwise follow the held claim; decide it first
    _decide(moderator_client, "dispute", world["dispute"], yes=False, reason="holder keeps")
    held = Claim.objects.approved().get(author=researcher_record)
    rows = AuditEvent.objects.count()
    moderator_client.post(f"/moderation/act/revoke/{held.pk}/", {"reason": "False evidence"})
    held.refresh_from_db()
    researcher_record.refresh_from_db()
    assert held.status == "revoked" and researcher_record.verification_level == 1
    moderator_client.post(f"/moderation/act/reinstate/{held.pk}/", {"reason": "Mistake"})
    held.refresh_from_db()
    researcher_record.refresh_from_db()
    assert held.status == "approved" and researcher_record.verification_level == 2
    assert AuditEvent.objects.count() == rows + 2
    assert list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2]) == [
        "claim.reinstate", "claim.revoke"]  # fmt: skip


def test_upheld_report_lowers_the_holders_trust_and_reopen_restores(
    world, researcher_record, moderator_client
):
    trust.trust_recompute(researcher_record, cause="test")
    before = TrustRecord.objects.get(author=researcher_record).score
    _decide(moderator_client, "report", world["report"], reason="Spam")
    assert TrustRecord.objects.get(author=researcher_record).score < before
    rows = AuditEvent.objects.count()
    moderator_client.post(f"/moderation/act/reopen/{world['report'].pk}/", {"reason": "Appeal"})
    assert AuditEvent.objects.count() == rows + 1
    assert Report.objects.get().status == "open"
    assert TrustRecord.objects.get(author=researcher_record).score == before


def test_l3_approval_and_revocation_in_the_workspace(world, researcher_record, moderator_client):
    _decide(moderator_client, "verification", world["verification"], reason="Checked")
    researcher_record.refresh_from_db()
    assert researcher_record.verification_level == 3
    assert VerificationRequest.objects.get().decided_by.email == "moderator@example.org"
    moderator_client.post(f"/moderation/act/unverify/{researcher_record.pk}/", {"reason": "x"})
    researcher_record.refresh_from_db()
    assert researcher_record.verification_level == 2


def test_the_api_decides_with_the_same_services(world, moderator_client):
    url = f"/api/v1/moderation/decide/claim/{world['claim'].pk}/"
    rows = AuditEvent.objects.count()
    response = moderator_client.post(url, {"approve": True, "reason": "ok"},
                                     content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and AuditEvent.objects.count() == rows + 1
    again = moderator_client.post(url, {"approve": True, "reason": "ok"},
                                  content_type="application/json")  # fmt: skip
    assert again.status_code == 409 and "already decided" in again.json()["detail"]
    queue = moderator_client.get("/api/v1/moderation/queues/claims/").json()
    assert queue["total"] == 0
    stats = moderator_client.get("/api/v1/moderation/stats/").json()
    assert {q["queue"]: q["pending"] for q in stats["queues"]} == {
        "claims": 0, "disputes": 1, "merges": 1, "verifications": 1, "reports": 1,
        "attributions": 0, "mixups": 0}  # fmt: skip
    assert sum(d["decisions"] for d in stats["decisions_per_day"]) == 1


def test_dashboard_shows_figures_and_queues_show_ages_oldest_first(
    world, records, peer, moderator_client
):
    later = claim_evidence(
        user=peer, author=records.author(), evidence=Evidence(note="n: these are my papers.")
    )
    Claim.objects.filter(pk=world["claim"].pk).update(created_at="2020-01-01T00:00:00Z")
    page = moderator_client.get("/moderation/claims/").content.decode()
    assert page.index(f'data-claim="{world["claim"].pk}"') < page.index(f'data-claim="{later.pk}"')
    assert "evidence score" in page and " d " in page
    dash = moderator_client.get("/moderation/").content.decode()
    assert "Median age" in dash and "Decisions per day" in dash


def test_audit_log_filters(world, moderator_client):
    page = moderator_client.get("/moderation/audit/?action=report.").content.decode()
    assert "report.file" in page and "claim.open" not in page
    api = moderator_client.get("/api/v1/moderation/audit/?action=claim.").json()
    assert api["results"] and all(r["action"].startswith("claim.") for r in api["results"])


def test_the_holder_sees_their_records_history_others_do_not(
    world, researcher_record, researcher_client, outsider_client, moderator_client, visitor
):
    url = f"/authors/{researcher_record.pk}/history/"
    page = researcher_client.get(url)
    assert page.status_code == 200 and "claim.approve_orcid" in page.content.decode()
    assert moderator_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404
    assert visitor.get(url).status_code == 302

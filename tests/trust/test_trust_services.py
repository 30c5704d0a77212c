"""Verification levels and the stored trust score: inputs from the database, recompute on
claim decisions and curation, history only on change, the nightly task, and all-or-nothing
decisions."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.claims.models import Claim, Dispute
from apps.claims.services import (
    Evidence,
    claim_decide,
    claim_evidence,
    claim_release,
    confirmation_token,
    dispute_decide,
    verification_confirm,
    verification_decide,
    verification_request,
)
from apps.core.errors import NotAllowed, Refused
from apps.moderation.services import report_decide, report_file
from apps.notifications.models import Notification
from apps.records.models import Authorship, CoAuthorship
from apps.records.services import author_metrics_refresh
from apps.trust import services as trust
from apps.trust.inputs import trust_inputs_many
from apps.trust.models import TrustHistory, TrustRecord, VerificationRequest
from apps.trust.tasks import recompute_all

pytestmark = pytest.mark.django_db


def _pending(peer, record):
    return claim_evidence(
        user=peer, author=record, evidence=Evidence(note="mine: these are my papers.")
    )


def test_inputs_come_from_the_record_its_holder_and_its_network(
    records, researcher_record, researcher, peer, moderator
):
    verified = records.author("Vera Verified", verification_level=2)
    plain = records.author("Una Unverified")
    works = [records.work(researcher_record, verified, plain, date=datetime.date(y, 5, 1))
             for y in (2015, 2019, 2024)]  # fmt: skip
    author_metrics_refresh([researcher_record.pk, verified.pk, plain.pk])
    Authorship.objects.filter(author=researcher_record, work=works[0]).update(status="disowned")
    researcher_record.refresh_from_db()
    report = report_file(reporter=peer, target=researcher_record, reason="spam",
                         reported_user=researcher)  # fmt: skip
    report_decide(report=report, actor=moderator, uphold=True, reason="Spam")

    i = trust_inputs_many([researcher_record.pk])[researcher_record.pk]
    assert (i.verification_level, i.first_year, i.latest_year) == (2, 2019, 2024)
    assert i.verified_collaborators == CoAuthorship.objects.filter(
        author=researcher_record, coauthor=verified).count() == 1  # fmt: skip
    assert (i.disowned_works, i.authorships_total) == (1, 3)
    assert i.upheld_reports == 1 and i.disputes_lost == 0
    assert i.account_age_days == 0


def test_an_unclaimed_record_has_no_tenure(record):
    assert trust_inputs_many([record.pk])[record.pk].account_age_days is None


def test_recompute_stores_the_score_and_history_only_when_it_changes(record):
    first = trust.trust_recompute(record, cause="test")
    assert first.score == sum(c["points"] for c in first.breakdown)
    assert TrustHistory.objects.filter(author=record).count() == 1
    trust.trust_recompute(record, cause="again")  # nothing changed
    assert TrustHistory.objects.filter(author=record).count() == 1
    trust.verification_level_set(record, 0, actor=None, reason="", cause="test")
    assert TrustRecord.objects.get(author=record).score < first.score
    assert list(TrustHistory.objects.filter(author=record).values_list("cause", flat=True)) == [
        "test", "test"]  # fmt: skip


def test_approving_a_claim_sets_l2_and_rescores_releasing_falls_back(peer, moderator, record):
    claim = _pending(peer, record)
    trust.trust_recompute(record, cause="before")
    before = TrustRecord.objects.get(author=record).score
    claim_decide(claim=claim, actor=moderator, approve=True, reason="Evidence is good")
    record.refresh_from_db()
    after = TrustRecord.objects.get(author=record)
    assert record.verification_level == 2 and after.score > before
    assert TrustHistory.objects.filter(author=record, cause="claim.approve").exists()
    claim_release(claim=claim, actor=peer)
    record.refresh_from_db()
    assert record.verification_level == 1
    assert TrustRecord.objects.get(author=record).score < after.score


def test_a_failure_midway_leaves_the_decision_undone(peer, moderator, record, monkeypatch):
    claim = _pending(peer, record)
    audit, notes = AuditEvent.objects.count(), Notification.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("trust store down")

    monkeypatch.setattr(trust, "trust_recompute", boom)
    with pytest.raises(RuntimeError):
        claim_decide(claim=claim, actor=moderator, approve=True, reason="Evidence is good")
    claim.refresh_from_db()
    record.refresh_from_db()
    assert claim.status == "pending" and claim.decided_by is None
    assert record.verification_level == 1
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (audit, notes)
    assert not TrustRecord.objects.filter(author=record).exists()


def test_an_upheld_dispute_is_one_audit_row_and_counts_as_lost(
    claimed_researcher, researcher_record, peer, moderator
):
    claim_evidence(
        user=peer, author=researcher_record, evidence=Evidence(note="mine: these are my papers.")
    )
    dispute = Dispute.objects.get()
    rows = AuditEvent.objects.count()
    dispute_decide(dispute=dispute, actor=moderator, outcome="challenger", reason="Peer's evidence")
    assert AuditEvent.objects.count() == rows + 1
    assert Claim.objects.approved().get().user == peer
    # The old holder lost a dispute (should they claim again, it counts).
    from apps.claims.trust_inputs import disputes_lost

    assert disputes_lost([claimed_researcher.pk]) == {claimed_researcher.pk: 1}


def test_curation_rescores_the_record(claimed_researcher, researcher_record, records):
    from apps.claims.services import works_disown

    works = [records.work(researcher_record) for _ in range(3)]
    author_metrics_refresh([researcher_record.pk])
    works_disown(user=claimed_researcher, author=researcher_record, work_ids=[works[0].pk])
    assert TrustHistory.objects.filter(author=researcher_record, cause="work.disown").exists()


def test_nightly_recompute_is_idempotent(records):
    made = [records.author(orcid=f"0000-0002-0000-000{i}") for i in range(3)]
    assert recompute_all() == 3
    assert recompute_all() == 0
    assert TrustRecord.objects.filter(author__in=made).count() == 3


def test_trust_tier_of_reads_the_stored_score(record):
    assert trust.trust_tier_of(record.pk) == "New"
    TrustRecord.objects.create(author=record, score=45, version=1, computed_at=timezone.now())
    assert trust.trust_tier_of(record.pk) == "Established"


# --- L3: the holder asks, confirms the email, a moderator decides ------------------------


def _confirm_link():
    return re.search(r"https?://\S+/verify/confirm/\S+/", mail.outbox[-1].body).group(0)


def test_l3_request_confirm_and_approve(
    claimed_researcher, researcher_record, moderator, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = verification_request(
            user=claimed_researcher,
            author=researcher_record,
            email="rosa@uni.example.edu",
            note="Staff page",
        )
    assert request.status == "unconfirmed" and mail.outbox[-1].to == ["rosa@uni.example.edu"]
    path = _confirm_link().split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # GET only shows the button
    assert VerificationRequest.objects.get().status == "unconfirmed"
    assert client.post("/" + path).status_code == 200
    request.refresh_from_db()
    assert request.status == "pending"
    assert Notification.objects.filter(recipient=moderator, kind="trust.verification").exists()

    rows = AuditEvent.objects.count()
    verification_decide(request=request, actor=moderator, approve=True, reason="Checked")
    researcher_record.refresh_from_db()
    request.refresh_from_db()
    assert researcher_record.verification_level == 3
    assert (request.decided_by, request.decision_reason) == (moderator, "Checked")
    assert AuditEvent.objects.count() == rows + 1
    assert AuditEvent.objects.latest("id").after == {"status": "approved", "level": 3}
    assert TrustRecord.objects.get(author=researcher_record).breakdown[0]["detail"] == "L3"


def test_l3_refusals(claimed_researcher, researcher_record, peer, records, client):
    with pytest.raises(NotAllowed):
        verification_request(user=peer, author=researcher_record, email="p@x.org", note="")
    with pytest.raises(Refused, match="institutional email"):
        verification_request(user=claimed_researcher, author=researcher_record,
                                   email="nope", note="")  # fmt: skip
    assert client.post("/verify/confirm/forged-token/").status_code == 400
    request = verification_request(user=claimed_researcher, author=researcher_record,
                                         email="r@uni.example.edu", note="")  # fmt: skip
    with pytest.raises(NotAllowed):
        verification_decide(request=request, actor=peer, approve=True, reason="x")


def test_a_moderator_cannot_verify_themselves(researcher_record, researcher, moderator):
    researcher.groups.add(*moderator.groups.all())
    request = verification_request(user=researcher, author=researcher_record,
                                         email="r@uni.example.edu", note="")  # fmt: skip
    verification_confirm(token=confirmation_token(request))
    with pytest.raises(NotAllowed):
        verification_decide(request=request, actor=researcher, approve=True, reason="me")


def test_the_api_returns_the_breakdown(client, record):
    trust.trust_recompute(record, cause="test")
    data = client.get(f"/api/v1/authors/{record.pk}/trust/").json()
    assert data["score"] == TrustRecord.objects.get(author=record).score
    assert {c["key"] for c in data["breakdown"]} >= {"verification", "network"}
    assert data["verification_level"] == 1 and data["history"][0]["cause"] == "test"
    assert client.get("/api/v1/authors/999999/trust/").status_code == 404


def test_the_author_page_shows_trust_first_then_the_level_and_why(client, record):
    trust.trust_recompute(record, cause="test")
    score = TrustRecord.objects.get(author=record)
    html = client.get(f"/authors/{record.pk}/").content.decode()
    trust_at, level_at = (
        html.index(f"Trust {score.score} · {score.tier}"),
        html.index("Verification L1"),
    )
    assert trust_at < level_at
    assert "<details" in html and "Why this score" in html

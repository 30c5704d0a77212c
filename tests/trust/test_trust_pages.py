"""The L3 request page per persona, the beat entry and the refresh hook."""

import pytest
from django.conf import settings

from apps.trust.models import TrustHistory, VerificationRequest

pytestmark = pytest.mark.django_db


def test_the_l3_page_is_for_the_holder(
    researcher_record, claimed_researcher, researcher_client, outsider_client, visitor,
    moderator_client,
):  # fmt: skip
    url = f"/authors/{researcher_record.pk}/verify/"
    assert visitor.get(url).status_code == 302
    assert researcher_client.get(url).status_code == 200
    data = {"email": "rosa@uni.example.edu", "note": "Staff page"}
    for other in (outsider_client, moderator_client):
        assert other.post(url, data).status_code == 403
    assert not VerificationRequest.objects.exists()
    assert researcher_client.post(url, data).status_code == 302
    assert VerificationRequest.objects.get().status == "unconfirmed"
    # asking again replaces the unconfirmed request (its mail may be lost)
    assert researcher_client.post(url, data).status_code == 302
    assert sorted(VerificationRequest.objects.values_list("status", flat=True)) == [
        "unconfirmed", "withdrawn"]  # fmt: skip
    # once confirmed, it waits for a moderator and cannot be asked for twice
    from apps.claims.services import confirmation_token, verification_confirm

    verification_confirm(
        token=confirmation_token(VerificationRequest.objects.get(status="unconfirmed"))
    )
    again = researcher_client.post(url, data)
    assert again.status_code == 400 and "already open" in again.content.decode()


def test_the_holder_sees_the_l3_link_on_their_page_others_do_not(
    researcher_record, claimed_researcher, researcher_client, outsider_client
):
    url, link = f"/authors/{researcher_record.pk}/", "verify your identity (L3)"
    assert link in researcher_client.get(url).content.decode()
    assert link not in outsider_client.get(url).content.decode()


def test_the_nightly_recompute_is_scheduled():
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "trust.recompute_all" in entries


def test_imported_works_rescore_their_authors(records, django_capture_on_commit_callbacks):
    from apps.ingest.hooks import works_created

    author = records.author("Ada Lindqvist", orcid="0000-0002-0000-0001")
    work = records.work(author)
    with django_capture_on_commit_callbacks(execute=True):
        works_created([work.pk])
    assert TrustHistory.objects.get(author=author).cause == "refresh"


def test_the_l3_api_for_the_holder(
    researcher_record, claimed_researcher, researcher_client, peer_client, visitor
):
    data = {"author": researcher_record.pk, "email": "rosa@uni.example.edu", "note": "n"}
    assert visitor.post("/api/v1/verification-requests/", data).status_code == 401
    assert peer_client.post("/api/v1/verification-requests/", data).status_code == 403
    made = researcher_client.post("/api/v1/verification-requests/", data)
    assert made.status_code == 201 and made.json()["status"] == "unconfirmed"
    assert [r["id"] for r in researcher_client.get("/api/v1/verification-requests/").json()] == [
        made.json()["id"]]  # fmt: skip
    assert peer_client.get("/api/v1/verification-requests/").json() == []


def test_the_history_api_for_the_holder_and_moderators(
    researcher_record,
    claimed_researcher,
    researcher_client,
    outsider_client,
    moderator_client,
    visitor,
):
    url = f"/api/v1/curation/{researcher_record.pk}/history/"
    assert researcher_client.get(url).json()[0]["action"] == "claim.approve_orcid"
    assert moderator_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404
    assert visitor.get(url).status_code == 401

"""Exporting all of one's data and deleting one's account (SPEC §2)."""

import json

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.services import account_delete, account_export
from apps.audit.models import AuditEvent
from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_evidence
from apps.follows.models import Follow
from apps.follows.services import follow_create
from apps.notifications.models import Notification
from apps.records.models import Author
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_export_holds_every_section_and_is_json(claimed_researcher, researcher_record, records):
    other = records.author("Somebody Else")
    follow_create(follower=claimed_researcher, author=other)
    data = account_export(claimed_researcher)
    assert data["account"]["email"] == "researcher@example.org"
    assert {"claims", "follows", "notifications", "collaboration", "reports_filed",
            "verification_requests"} <= set(data)  # fmt: skip
    assert [c["author_id"] for c in data["claims"]["claims"]] == [researcher_record.pk]
    assert [f["author_id"] for f in data["follows"]["follows"]] == [other.pk]
    assert data["account"]["linked_accounts"][0]["provider"] == "orcid"
    assert "token" not in json.dumps(data["account"])


def test_export_download_is_signed_in_only_and_own(visitor, researcher_client, peer):
    assert visitor.get(reverse("accounts:export")).status_code == 302
    response = researcher_client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = json.loads(response.content)
    assert body["account"]["email"] == "researcher@example.org"
    assert "peer@example.org" not in response.content.decode()


def test_deleting_releases_the_record_but_keeps_it_public(
    claimed_researcher, researcher_record, records
):
    pending_on = records.author("A Second Record")
    account_delete(user=claimed_researcher)
    assert not User.objects.filter(email="researcher@example.org").exists()
    record = Author.objects.get(pk=researcher_record.pk)
    assert record.verification_level == record.identifier_level  # back to L1
    assert not Claim.objects.approved().filter(author=record).exists()
    assert Author.objects.filter(pk=pending_on.pk).exists()
    deleted = AuditEvent.objects.get(action="account.delete")
    assert deleted.actor is None and "researcher@example.org" not in json.dumps(deleted.after)
    # earlier rows keep what happened but no longer name the person
    assert not AuditEvent.objects.filter(actor_label="researcher@example.org").exists()
    assert AuditEvent.objects.filter(action="claim.release").exists()


def test_deleting_withdraws_waiting_claims(researcher, records):
    record = records.author("Waiting Record")
    claim = claim_evidence(
        user=researcher, author=record, evidence=Evidence(note="mine: these are my papers.")
    )
    account_delete(user=researcher)
    assert not Claim.objects.filter(pk=claim.pk).exists()  # cascaded with the account
    assert AuditEvent.objects.filter(action="claim.withdraw").exists()
    assert Author.objects.filter(pk=record.pk).exists()


def test_delete_page_needs_password_and_confirmation(researcher, researcher_client):
    url = reverse("accounts:data")
    assert researcher_client.get(url).status_code == 200
    response = researcher_client.post(url, {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200 and "not your password" in response.content.decode()
    response = researcher_client.post(url, {"password": TEST_PASSWORD})
    assert response.status_code == 200
    assert User.objects.filter(pk=researcher.pk).exists()
    response = researcher_client.post(url, {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=researcher.pk).exists()
    assert researcher_client.get(reverse("accounts:data")).status_code == 302  # signed out


def test_deleting_removes_own_rows_only(researcher, peer, records):
    author = records.author()
    follow_create(follower=researcher, author=author)
    follow_create(follower=peer, author=author)
    Notification.objects.create(recipient=peer, kind="system", title="hi")
    account_delete(user=researcher)
    assert list(Follow.objects.values_list("follower__email", flat=True)) == ["peer@example.org"]
    assert Notification.objects.filter(recipient=peer).count() == 1

"""Personal API tokens: made on the settings page and shown once, stored hashed, scoped (read,
read and write, moderation), throttled per token, revoked and expired."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_create
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _make(client, **data) -> str:
    response = client.post("/settings/tokens/", {"name": "script", "scope": "read", **data})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.context["made"][1]


def _api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _refused_as_invalid(response) -> bool:
    # 401 with the scheme to use: token authentication comes first (apps.accounts.tokens).
    return (
        response.status_code == 401
        and response.json()["detail"] == "Invalid token."
        and response.headers["WWW-Authenticate"].startswith("Token")
    )


def _database_holds(text: str) -> bool:
    """Whether `text` appears in any column of any row of any table (read in Python, so the
    same scan runs on PostgreSQL and on SQLite)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            if any(text in str(value) for row in cursor.fetchall() for value in row):
                return True
    return False


def test_a_token_is_shown_once_and_works(researcher_client, researcher):
    token = _make(researcher_client)

    assert token.startswith("pgr_")
    listing = researcher_client.get("/settings/tokens/").content.decode()
    assert token not in listing
    assert ApiToken.objects.get().token_key in listing
    response = _api(token).get("/api/v1/notifications/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="api_token.create", subject_user=researcher).exists()


def test_the_token_is_hashed_at_rest(researcher_client):
    token = _make(researcher_client)

    assert not _database_holds(token)
    assert _database_holds(ApiToken.objects.get().token_key)  # the check can find things


def test_a_read_token_cannot_write_and_a_write_token_can(researcher_client, researcher_record):
    read, write = _make(researcher_client), _make(researcher_client, scope="write")
    follow = {"author": researcher_record.pk}

    refused = _api(read).post("/api/v1/follows/", follow, content_type="application/json")
    made = _api(write).post("/api/v1/follows/", follow, content_type="application/json")

    assert refused.status_code == 403
    assert "only read" in refused.json()["detail"]
    assert made.status_code == 201


def test_moderation_needs_the_moderation_scope(moderator_client, moderator):
    plain = _make(moderator_client, scope="write")
    scoped = _make(moderator_client, scope="write", moderation="on")

    refused = _api(plain).get("/api/v1/moderation/queues/claims/")
    allowed = _api(scoped).get("/api/v1/moderation/queues/claims/")

    assert refused.status_code == 403
    assert "moderation" in refused.json()["detail"]
    assert allowed.status_code == 200


def test_only_moderators_may_make_moderation_tokens(researcher):
    from apps.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        api_token_create(user=researcher, name="x", scope="read", moderation=True)
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(researcher_client):
    token = _make(researcher_client)
    key = ApiToken.objects.get().token_key

    response = researcher_client.post(f"/settings/tokens/{key}/revoke/")

    assert response.status_code == 302
    assert _refused_as_invalid(_api(token).get("/api/v1/notifications/"))
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(researcher_client, peer_client):
    _make(researcher_client)
    key = ApiToken.objects.get().token_key

    peer_client.post(f"/settings/tokens/{key}/revoke/")

    assert ApiToken.objects.filter(token_key=key).exists()


def test_an_expired_token_stops_working(researcher_client):
    token = _make(researcher_client, expires_in_days="7")
    row = ApiToken.objects.get()
    assert row.expiry.date() == (timezone.now() + datetime.timedelta(days=7)).date()

    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))

    assert _refused_as_invalid(_api(token).get("/api/v1/notifications/"))
    assert row.token_key not in researcher_client.get("/settings/tokens/").content.decode()


def test_each_token_has_its_own_rate(researcher_client, settings):
    settings.API_TOKEN_RATE = "3/minute"
    first, second = _make(researcher_client), _make(researcher_client)

    answers = [_api(first).get("/api/v1/notifications/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert _api(second).get("/api/v1/notifications/").status_code == 200


def test_the_page_needs_sign_in_and_refuses_a_nameless_token(visitor, researcher_client):
    assert visitor.get("/settings/tokens/").status_code == 302
    response = researcher_client.post("/settings/tokens/", {"name": " ", "scope": "read"})
    assert response.status_code == 200
    assert response.context["made"] is None
    assert not ApiToken.objects.exists()

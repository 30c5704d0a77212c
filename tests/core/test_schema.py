"""The OpenAPI schema documents every app's endpoints (one list, grouped by the app that owns
them)."""

import pytest

from tests.factories import api_schema

DOCUMENTED = {
    "records": [
        "/api/v1/authors/",
        "/api/v1/authors/{id}/",
        "/api/v1/authors/{id}/works/",
        "/api/v1/works/",
        "/api/v1/works/{id}/",
        "/api/v1/topics/",
        "/api/v1/topics/{slug}/",
        "/api/v1/institutions/",
        "/api/v1/institutions/{id}/",
    ],
    "trust": ["/api/v1/authors/{id}/trust/", "/api/v1/verification-requests/"],
    "claims": ["/api/v1/curation/{id}/history/"],
    "moderation": [
        "/api/v1/moderation/stats/",
        "/api/v1/moderation/queues/{key}/",
        "/api/v1/moderation/decide/{kind}/{item}/",
        "/api/v1/moderation/act/{name}/{item}/",
        "/api/v1/moderation/audit/",
    ],
    "notifications": [
        "/api/v1/notifications/",
        "/api/v1/notifications/read/",
        "/api/v1/notifications/unread-count/",
    ],
    "collaboration": [
        "/api/v1/invitations/",
        "/api/v1/conversations/{id}/messages/",
        "/api/v1/blocks/",
        "/api/v1/collaboration-preferences/",
        "/api/v1/messages/{id}/report/",
        "/api/v1/invitations/eligibility/",
    ],
}


@pytest.mark.parametrize("app", sorted(DOCUMENTED))
def test_the_schema_documents_the_endpoints_of(client, app):
    missing = set(DOCUMENTED[app]) - set(api_schema(client)["paths"])
    assert not missing, missing

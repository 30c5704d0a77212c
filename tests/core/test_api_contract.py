"""The OpenAPI schema says what the API answers: the shapes fuzzing found wrong, every
refusal status on every operation, and 401 (not 403) for a caller who is not signed in."""

import pytest

pytestmark = pytest.mark.django_db

REFUSALS = {"400", "401", "403", "404", "409", "429"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def _ok(schema, path, method="get"):
    responses = schema["paths"][path][method]["responses"]
    body = responses.get("200") or responses["201"]
    return body["content"]["application/json"]["schema"]


def _resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref", "")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else ref_or_schema


def test_every_operation_documents_its_refusals(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            missing = REFUSALS - set(operation["responses"])
            assert not missing, (method, path, missing)


def test_one_object_answers_are_not_documented_as_lists(schema):
    trending = _resolve(schema, _ok(schema, "/api/v1/trending/"))
    assert set(trending["properties"]) == {"period", "works", "authors", "topics"}
    preference = _resolve(schema, _ok(schema, "/api/v1/collaboration-preferences/"))
    assert set(preference["properties"]) == {"accept_from"}
    assert "200" in schema["paths"]["/api/v1/collaboration-preferences/"]["post"]["responses"]
    suggestions = _ok(schema, "/api/v1/claims/suggestions/")
    assert suggestions["type"] == "array"


def test_fields_that_may_be_empty_or_null_say_so(schema):
    claim = schema["components"]["schemas"]["Claim"]["properties"]["email"]
    assert "format" not in claim
    conversation = schema["components"]["schemas"]["Conversation"]["properties"]
    assert conversation["last_message_at"]["nullable"] is True


@pytest.mark.parametrize(
    "method, url",
    [("get", "/api/v1/notifications/"), ("get", "/api/v1/claims/"),
     ("post", "/api/v1/follows/"), ("get", "/api/v1/collaboration-preferences/")],
)  # fmt: skip
def test_an_anonymous_caller_of_a_signed_in_endpoint_gets_401(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_options_is_not_part_of_the_api(researcher_client):
    assert researcher_client.options("/api/v1/curation/1/add-work/").status_code == 405

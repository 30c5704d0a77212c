"""OpenAPI schema hooks (drf-spectacular's POSTPROCESSING_HOOKS)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

# Every refusal an operation can answer with (apps.core.errors and DRF's own), and what it
# means. Each is documented on every operation, with the one error body they all share.
REFUSALS = {
    "400": "Invalid input: the body names each field at fault, or gives detail, code, field.",
    "401": "Not signed in: send a session cookie or an `Authorization: Token …` header.",
    "403": "Not allowed for this account.",
    "404": "Nothing this account may see goes by that id.",
    "409": "The thing is no longer, or already, in the state the request needs.",
    "413": "The request body is larger than the site accepts.",
    "429": "Too many requests: wait the seconds in Retry-After.",
    "503": "A part of the site is not answering: try again after Retry-After.",
}
ERROR = {
    "type": "object",
    "description": "A refusal: detail, code and field; a validation error lists its fields.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string", "nullable": True},
    },
    "additionalProperties": True,
}


def document_refusals(result: dict, generator, request, public) -> dict:
    """Add the refusal statuses to every operation that does not document them already."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in REFUSALS.items():
                responses.setdefault(status, {"description": description, "content": body})
    return result


class OneObjectSchema(AutoSchema):
    """For a viewset whose `list` answers one object (a summary, a setting), not a list."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

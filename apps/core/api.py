"""API plumbing shared by every app: the one exception handler and keyset pagination."""

from __future__ import annotations

from django.utils.http import urlencode
from rest_framework import permissions, serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from .converters import ID_PATTERN
from .errors import DomainError, as_domain_error, error_body
from .keyset import NEWEST_FIRST, InvalidCursor, Key, paginate


def reason_field(**kwargs) -> serializers.CharField:
    """A reason in a request body. No length limit or blank check here: the service's
    reason_clean (apps.core.reasons) refuses a missing or too-long reason with its message,
    so the API answers as the pages do (400, field "reason")."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: a domain error becomes its class's status with
    `errors.error_body` (and Retry-After when the error knows it); anything else is DRF's, with the
    same three keys when it is not a field-by-field validation error."""
    exc = as_domain_error(exc) or exc
    if not isinstance(exc, DomainError):
        response = drf_exception_handler(exc, context)
        if response is not None and isinstance(response.data, dict) and "code" not in response.data:
            detail = response.data.get("detail")
            if detail is not None and len(response.data) == 1:
                code = detail.code if hasattr(detail, "code") else APIException.default_code
                response.data = error_body(str(detail), code)
        return response
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return Response(exc.body(), status=exc.status, headers=headers)


class Router(DefaultRouter):
    """DRF's router with one difference: a detail route's id is ID_PATTERN unless the viewset
    names its own `lookup_value_regex`, so "abc", "1e5" or an id no bigint holds is a 404
    from the URL resolver (apps.core.middleware.not_found answers it in JSON)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._default_value_pattern = ID_PATTERN


class KeysetPagination(BasePagination):
    """Cursor pagination over the view's `keyset_keys` (see apps.core.keyset): constant cost
    at any depth. Responses are {"next": url|null, "previous": url|null, "results": [...]}."""

    page_size = 25
    max_page_size = 100
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        keys: list[Key] = view.keyset_keys()
        self.request = request
        size = self._page_size(request)
        try:
            self.page = paginate(queryset, keys, request.query_params.get("cursor"), size)
        except InvalidCursor as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
        return self.page.items

    def _page_size(self, request) -> int:
        raw = request.query_params.get("page_size")
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({"page_size": [f"a whole number from 1 to {self.max_page_size}"]})
        return int(raw)

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        params = {k: v for k, v in self.request.query_params.items() if k != "cursor"}
        params["cursor"] = cursor
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(params)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "Opaque cursor from a previous response's next/previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": f"Results per page, 1 to {self.max_page_size}.",
                "schema": {"type": "integer"},
            },
        ]


class NewestFirstMixin:
    """A viewset over rows a signed-in person may see, newest first, a keyset page at a time
    (set `keyset` for another order)."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = KeysetPagination
    keyset: list[Key] = NEWEST_FIRST

    def keyset_keys(self) -> list[Key]:
        return self.keyset

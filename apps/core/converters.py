"""Path converters every route uses, so a malformed path is a 404 before any view runs.

`<id:pk>` is a row id: digits only, and few enough that PostgreSQL's bigint holds it
("abc", "1e5", "-1" and twenty nines never reach a query). Slugs use Django's own `<slug:…>`,
which already refuses control characters and NUL. API routers use ID_PATTERN for the same rule
(apps.core.api.Router). `<token:…>` is a token carried in a link."""

from __future__ import annotations

from django.urls import register_converter

ID_PATTERN = "[0-9]{1,18}"  # 10**18 - 1 < 2**63 - 1, the largest bigint
SLUG_PATTERN = "[-a-zA-Z0-9_]+"


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


class TokenConverter:
    """A token in a link (a signed value or a random key): URL-safe base64 and the signer's
    separators only, so a NUL or a control character is a 404, never a query."""

    regex = "[-A-Za-z0-9_:.]{1,512}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

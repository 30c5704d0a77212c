"""Personal API tokens: django-rest-knox keeps them hashed (SHA-512) with an optional expiry;
this module adds what a token may do. A read token may only read; moderation endpoints need
a token made with the moderation scope, whoever holds it; each token has its own request
rate (API_TOKEN_RATE)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from apps.audit.services import audit_record
from apps.core.errors import NotAllowed, Refused

from .models import ApiToken
from .moderators import is_moderator

READ_ONLY = "This token may only read: make a read and write token to change things."
NO_MODERATION = "This token may not call moderation endpoints: make one with that scope."
EXPIRY_DAYS = [7, 30, 90, 365]


def is_moderation_endpoint(view) -> bool:
    """The workspace's API and the moderators' decisions on claims, disputes and merges."""
    module = type(view).__module__
    return module.startswith("apps.moderation") or getattr(view, "action", None) == "decide"


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token, whatever the user's other sessions and tokens do."""

    scope = "token"

    def get_rate(self) -> str:
        return settings.API_TOKEN_RATE

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        return f"throttle_token_{token.token_key}" if isinstance(token, ApiToken) else None


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token pgr_…`. Scope and rate are checked here, so they hold for every
    view, whatever its own permission and throttle classes."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        token = result[1]
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if view is not None and is_moderation_endpoint(view) and not token.moderation:
            raise exceptions.PermissionDenied(NO_MODERATION)
        if request.method not in SAFE_METHODS and token.scope != ApiToken.Scope.WRITE:
            raise exceptions.PermissionDenied(READ_ONLY)
        request.auth = token  # the throttle reads it before DRF sets it
        throttle = TokenRateThrottle()
        if not throttle.allow_request(request, view):
            raise exceptions.Throttled(throttle.wait())
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.accounts.tokens.ApiTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token from Settings → API tokens: `Token pgr_…`.",
        }


def api_tokens_of(user):
    """The user's tokens that have not expired, newest first."""
    live = ApiToken.objects.filter(user=user)
    return live.exclude(expiry__lt=timezone.now())


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str, expires_in_days: int | None = None, moderation: bool = False
) -> tuple[ApiToken, str]:
    """A new token and its plaintext, which is never stored and never shown again."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Refused("Give the token a name of 1 to 100 characters.", field="name")
    if moderation and not is_moderator(user):
        raise NotAllowed("Only moderators can make tokens with the moderation scope.")
    if api_tokens_of(user).count() >= settings.API_TOKENS_PER_USER:
        raise Refused("You have as many tokens as allowed: revoke one first.")
    expiry = datetime.timedelta(days=expires_in_days) if expires_in_days else None
    token, plaintext = ApiToken.objects.create(
        user=user, expiry=expiry, name=name, scope=scope, moderation=moderation
    )
    after = {"name": name, "scope": scope, "moderation": moderation, "key": token.token_key}
    audit_record(actor=user, action="api_token.create", target=user, subject_user=user,
                 after=after)  # fmt: skip
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, user, token_key: str) -> bool:
    """Revoke the user's token that starts with `token_key`; False when there is none."""
    token = ApiToken.objects.filter(user=user, token_key=token_key).first()
    if token is None:
        return False
    audit_record(actor=user, action="api_token.revoke", target=user, subject_user=user,
                 before={"name": token.name, "key": token.token_key})  # fmt: skip
    token.delete()
    return True

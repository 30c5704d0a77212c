"""Authentication backends that load the signed-in person's moderator role in the same query
as the person, so asking `user.is_moderator` on any page (the header's Moderation link, the
workspace's doors) costs no query of its own and is never stale: each request reads it fresh,
so there is nothing to invalidate when a moderator is added or removed."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User


class RoleWithUserMixin:
    def get_user(self, user_id):
        """The session's user with `moderator_role` annotated (see User.is_moderator)."""
        try:
            user = User.objects.with_role().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(RoleWithUserMixin, DjangoModelBackend):
    """Django's backend (used by force_login and the admin), loading the role with the user."""


class AuthenticationBackend(RoleWithUserMixin, AllauthBackend):
    """allauth's email backend, loading the role with the user."""

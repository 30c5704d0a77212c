"""Who is a moderator: an active account in the "moderators" group. Every app asks here (the
workspace's doors, the services' checks, whom to notify), so the rule is written once."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.errors import NotAllowed

from .models import MODERATORS_GROUP, User

MODERATORS_ONLY = "Only moderators can do this."


def moderators() -> QuerySet[User]:
    """Every moderator (active accounts in the group)."""
    return User.objects.filter(groups__name=MODERATORS_GROUP, is_active=True)


def is_moderator(user) -> bool:
    """Whether `user` moderates; False for a visitor (or no one)."""
    return bool(user is not None and user.is_authenticated and user.is_moderator)


def require_moderator(user, message: str = MODERATORS_ONLY) -> None:
    """Refuse (NotAllowed, a 403) anyone who is not a moderator."""
    if not is_moderator(user):
        raise NotAllowed(message)

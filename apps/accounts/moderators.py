"""Who is a moderator: an active account in the "moderators" group. Every app asks here (the
workspace's doors, the services' checks, whom to notify), so the rule is written once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from apps.core.errors import NotAllowed
from apps.core.reasons import reason_clean, reason_fits

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


def moderator_decision(
    actor,
    reason: str,
    involved: Iterable[int | None],
    refusal: str,
    *,
    outcome: tuple[str, str] | None = None,
) -> str:
    """What every moderator's decision starts with: `actor` moderates, is none of the people
    it involves (user ids; refused with `refusal`), and gives a reason; with `outcome` (kind,
    outcome), not one written for another outcome (apps.core.reasons.reason_fits). Returns
    the reason as stored (apps.core.reasons.reason_clean)."""
    require_moderator(actor)
    if actor.pk in set(involved):
        raise NotAllowed(refusal)
    reason = reason_clean(reason)
    if outcome:
        reason_fits(*outcome, reason)
    return reason

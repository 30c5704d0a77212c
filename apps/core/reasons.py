"""The one rule for a reason someone writes for others to read (a moderator's decision, a
suspension, a declined invitation, a merge request): trimmed, given where the people affected
need it, and at most its limit. A reason that is too long is refused with a message that
says so, by the service, so a page, a form and the API all answer alike; it is never cut.
(Forms and serializers therefore put no length limit of their own on a reason.)"""

from __future__ import annotations

from .errors import Refused

REASON_MAX = 2000


def reason_clean(reason: str | None, *, required: bool = True, limit: int = REASON_MAX) -> str:
    """The reason as stored, or Refused (on the field "reason") when it is missing and
    `required`, or longer than `limit` characters."""
    reason = (reason or "").strip()
    if required and not reason:
        raise Refused("Give a reason: the people affected will read it.", field="reason")
    if len(reason) > limit:
        raise Refused(
            f"Keep the reason to {limit} characters or fewer (it has {len(reason)}).",
            field="reason",
        )
    return reason

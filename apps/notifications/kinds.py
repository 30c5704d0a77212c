"""The kinds of notification, registered by the apps that send them.

    from apps.notifications.kinds import register_kind
    register_kind("claim.decided", "Decisions on my claims", email=True)

Each kind has a label (shown on the preferences page) and whether email is on by default;
a user's own choice (EmailPreference) overrides the default.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    email: bool  # the default for users who have not chosen


_kinds: dict[str, Kind] = {}


def register_kind(code: str, label: str, *, email: bool = True) -> Kind:
    kind = Kind(code, label, email)
    _kinds[code] = kind
    return kind


def get_kind(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"unknown notification kind {code!r}; register it first") from None


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.label)


register_kind("system", "Announcements from the moderators", email=True)

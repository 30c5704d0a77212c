"""How a person appears to anyone else: one answer for pages, the API, mail and audit rows.

Others see the name of the record a person holds when they hold one, otherwise the public
name they chose (or the neutral stand-in until they choose). The email address is never part
of it: only its owner (account pages) and moderators (the workspace) ever see it.

`accounts` sits below `claims`, which knows who holds what, so claims plugs in that fact in
its AppConfig.ready():

    from apps.accounts.identity import held_records

    @held_records
    def held_record_names(user_ids) -> dict[int, tuple[int, str]]:   # user id: (record id, name)
        ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

HeldRecords = Callable[[list[int]], dict[int, tuple[int, str]]]
_providers: list[HeldRecords] = []
CACHE_ATTR = "_public_identity"


@dataclass(frozen=True)
class PublicIdentity:
    name: str
    handle: str
    record_id: int | None = None

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict:
        return {"name": self.name, "handle": self.handle, "record": self.record_id}


def held_records(func: HeldRecords) -> HeldRecords:
    if func not in _providers:
        _providers.append(func)
    return func


def public_identities(users: Iterable) -> dict[int, PublicIdentity]:
    """The public identity of each user (by id), in one query per provider, remembered on
    each user object so later calls cost nothing."""
    users = [u for u in users if u is not None]
    missing = [u for u in users if not hasattr(u, CACHE_ATTR)]
    if missing:
        records: dict[int, tuple[int, str]] = {}
        ids = sorted({u.pk for u in missing})
        for provider in _providers:
            records.update(provider(ids))
        for user in missing:
            record_id, name = records.get(user.pk, (None, user.public_name))
            setattr(user, CACHE_ATTR, PublicIdentity(name, user.handle, record_id))
    return {u.pk: getattr(u, CACHE_ATTR) for u in users}


def public_identity(user) -> PublicIdentity | None:
    """How `user` appears to everyone else (None for no one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return public_identities([user])[user.pk]

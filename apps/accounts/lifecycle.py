"""A user's own data across apps: export it all, or delete the account.

`accounts` sits below the apps that hold a user's data, so each of them registers what it
keeps, in its AppConfig.ready():

    from apps.accounts.lifecycle import user_data

    @user_data("follows")
    def follows_data(user) -> dict:           # JSON-safe; part of the export
        return {...}

and, where deleting an account must do more than the database's cascades (release a claim
so the public record becomes unclaimed again), a hook that runs first, inside the deletion's
transaction:

    from apps.accounts.lifecycle import before_account_delete

    @before_account_delete
    def release_claims(user) -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable

_exporters: dict[str, Callable] = {}
_before_delete: list[Callable] = []


def user_data(section: str) -> Callable:
    def register(func: Callable) -> Callable:
        _exporters[section] = func
        return func

    return register


def before_account_delete(func: Callable) -> Callable:
    if func not in _before_delete:
        _before_delete.append(func)
    return func


def exporters() -> dict[str, Callable]:
    return dict(sorted(_exporters.items()))


def delete_hooks() -> list[Callable]:
    return list(_before_delete)

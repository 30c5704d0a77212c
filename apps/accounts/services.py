"""Exporting a user's data and deleting their account (SPEC §2)."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_forget_actor, audit_record

from .lifecycle import delete_hooks, exporters

EXPORT_FORMAT = 1


def _account(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        # The proven identities, never the OAuth tokens.
        "linked_accounts": list(
            SocialAccount.objects.filter(user=user).values("provider", "uid", "date_joined")
        ),
    }


def account_export(user) -> dict:
    """Everything Peerage keeps about `user`, as JSON-safe data: the account and each app's
    registered section."""
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": _account(user),
    }
    for section, export in exporters().items():
        data[section] = export(user)
    # Dates, decimals and UUIDs become strings here, so callers get plain JSON data.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def public_name_set(*, user, name: str) -> None:
    """Change the name others see (when `user` holds no record); one audit row."""
    name = name.strip()
    if name == user.display_name:
        return
    before = {"display_name": user.display_name}
    user.display_name = name
    user.save(update_fields=["display_name"])
    audit_record(actor=user, action="account.public_name", target=user, subject_user=user,
                 before=before, after={"display_name": name})  # fmt: skip


@transaction.atomic
def account_delete(*, user, reason: str = "deleted by its owner") -> None:
    """Delete the account. Apps' hooks run first (a held record is released, so it stays
    public and unclaimed), then one audit row, then the cascade removes the user's own rows.
    Public author records are never deleted."""
    for hook in delete_hooks():
        hook(user)
    audit_forget_actor(user)
    audit_record(
        actor=None,
        action="account.delete",
        target=user,
        reason=reason,
        before={"user_id": user.pk},
    )
    user.delete()

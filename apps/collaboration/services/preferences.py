"""Whom a researcher accepts invitations from."""

from __future__ import annotations

from django.db import transaction

from apps.audit.services import audit_record
from apps.core.errors import Refused

from ..models import Preference


def preference_of(user) -> str:
    found = Preference.objects.filter(user=user).values_list("accept_from", flat=True)
    return next(iter(found), Preference.AcceptFrom.ANYONE)


@transaction.atomic
def preference_set(*, user, accept_from: str) -> Preference:
    if accept_from not in Preference.AcceptFrom.values:
        raise Refused("Choose one of the listed options.", field="accept_from")
    before = preference_of(user)
    pref, _ = Preference.objects.update_or_create(user=user, defaults={"accept_from": accept_from})
    audit_record(
        actor=user,
        action="collaboration.preference",
        target=pref,
        before={"accept_from": before},
        after={"accept_from": accept_from},
        subject_user=user,
    )
    return pref

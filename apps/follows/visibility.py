"""Who may see whom a researcher follows and who follows their record (SPEC §5: counts are
public, the lists follow the person's choice)."""

from __future__ import annotations

from apps.accounts.identity import public_identity
from apps.records.models import Author, VerificationLevel

from .models import Audience, Follow


def audience_admits(audience: str, *, owner, viewer, record: Author) -> bool:
    """Whether `viewer` (maybe a visitor) is in `owner`'s chosen `audience` for `record`."""
    if viewer.is_authenticated and owner is not None and viewer.pk == owner.pk:
        return True
    if audience == Audience.EVERYONE:
        return True
    if not viewer.is_authenticated or audience == Audience.NOBODY:
        return False
    if audience == Audience.FOLLOWERS:
        return Follow.objects.filter(follower=viewer, author=record).exists()
    if audience == Audience.VERIFIED:
        held = public_identity(viewer).record_id
        level = VerificationLevel.L2
        return bool(held) and Author.objects.filter(pk=held, verification_level__gte=level).exists()
    return audience == Audience.SIGNED_IN

"""Who may see whom a researcher follows, who follows their record and their institutional
email badge (SPEC §3, §5: counts are public, the lists and the badge follow the person's
choice). Pages, the API and feeds ask here."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.accounts.identity import holder_of_record, public_identities, public_identity
from apps.records.models import Author, VerificationLevel

from .models import Audience, Follow, FollowSettings


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


LIST_SIZE = 200  # the newest names a followers or following list shows


@dataclass(frozen=True)
class Followers:
    """Who follows a record, as one viewer may see it: the count always; the people only
    when the holder's audience admits the viewer, and of them only those who show whom they
    follow."""

    count: int
    allowed: bool
    people: list = field(default_factory=list)  # users, with their public identity attached
    held: bool = False


@dataclass(frozen=True)
class Following:
    """Whom a record's holder follows, if they show it (or to themself)."""

    shown: bool
    follows: list = field(default_factory=list)


def followers_for(author: Author, viewer) -> Followers:
    """The followers list of `author` as `viewer` (maybe a visitor) may see it."""
    holder = holder_of_record(author.pk)
    audience = follow_settings_for(holder).followers_audience if holder else Audience.EVERYONE
    follows = Follow.objects.filter(author=author)
    allowed = audience_admits(audience, owner=holder, viewer=viewer, record=author)
    people = []
    if allowed:
        public = follows.filter(follower__follow_settings__follows_public=True)
        people = [f.follower for f in public.select_related("follower").order_by("-id")[:LIST_SIZE]]
        public_identities(people)
    return Followers(follows.count(), allowed, people, holder is not None)


def following_for(author: Author, viewer) -> Following | None:
    """Whom the holder of `author` follows, as `viewer` may see it; None when nobody holds
    the record."""
    holder = holder_of_record(author.pk)
    if holder is None:
        return None
    if not (follow_settings_for(holder).follows_public or viewer.pk == holder.pk):
        return Following(shown=False)
    follows = Follow.objects.by(holder).select_related("author", "topic").order_by("-id")
    return Following(shown=True, follows=list(follows[:LIST_SIZE]))


def follow_settings_for(user) -> FollowSettings:
    """The user's settings, or the unsaved defaults (private follows, no digest)."""
    return FollowSettings.objects.filter(user=user).first() or FollowSettings(user=user)

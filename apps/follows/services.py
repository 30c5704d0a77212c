"""Writes: follow, unfollow, upvote, settings, merged-record repointing and new-work
notifications. HTML views and the API call the same functions."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.identity import public_identity
from apps.audit.services import audit_record
from apps.core.pagecache import record_changed
from apps.ingest.models import Priority
from apps.ingest.services import refresh_priority_drop, refresh_priority_raise
from apps.notifications.services import notification_send
from apps.records.models import Author, Authorship, Topic, Work

from .models import FeedToken, Follow, FollowSettings, Upvote
from .visibility import follow_settings_for

MAX_MERGE_HOPS = 10


def _survivor(author: Author) -> Author:
    """The record a (possibly merged) author record now stands for."""
    hops = 0
    while author.merged_into_id and hops < MAX_MERGE_HOPS:
        author = Author.objects.get(pk=author.merged_into_id)
        hops += 1
    return author


def _target(author: Author | None, topic: Topic | None) -> dict:
    if (author is None) == (topic is None):
        raise ValueError("follow exactly one author record or one topic")
    return {"author": _survivor(author)} if author is not None else {"topic": topic}


@transaction.atomic
def follow_create(*, follower, author: Author | None = None, topic: Topic | None = None):
    """Follow an author record (a merged one means its survivor) or a topic. Following twice
    is one follow: the unique constraint decides, get_or_create re-reads on a race. A followed
    record is refreshed from its sources more often."""
    target = _target(author, topic)
    follow, made = Follow.objects.get_or_create(follower=follower, **target)
    if made:
        _follower_count_changed(target)
    if made and follow.author_id:
        refresh_priority_raise(follow.author_id, Priority.FOLLOWED)
    return follow


def _follower_count_changed(target: dict) -> None:
    """The followed page shows its follower count: cached copies are out of date."""
    if "author" in target:
        record_changed("author", target["author"].pk)
    else:
        record_changed("topic", target["topic"].slug)


@transaction.atomic
def follow_delete(*, follower, author: Author | None = None, topic: Topic | None = None) -> bool:
    """Unfollow; True if a follow was removed. Unfollowing what you do not follow is a no-op."""
    target = _target(author, topic)
    deleted, _ = Follow.objects.filter(follower=follower, **target).delete()
    if deleted:
        _follower_count_changed(target)
    if deleted and "author" in target and not Follow.objects.filter(**target).exists():
        refresh_priority_drop(target["author"].pk, Priority.FOLLOWED)
    return deleted > 0


@transaction.atomic
def upvote_toggle(*, user, work: Work) -> tuple[bool, int]:
    """Upvote `work`, or take the upvote back; returns (upvoted now, the work's upvotes)."""
    removed, _ = Upvote.objects.filter(user=user, work=work).delete()
    if not removed:
        Upvote.objects.get_or_create(user=user, work=work)
    record_changed("work", work.pk)
    record_changed("works", 0)  # listings show upvote counts; trending ranks by them
    return not removed, Upvote.objects.filter(work=work).count()


AUDIENCES = ("followers_audience", "badge_audience")


@transaction.atomic
def follow_settings_set(
    user,
    *,
    follows_public: bool,
    digest: str,
    followers_audience: str | None = None,
    badge_audience: str | None = None,
) -> FollowSettings:
    """Store the user's privacy and digest choices (audited: a privacy change matters). An
    audience left out keeps its current choice."""
    before = follow_settings_for(user)
    given = {"followers_audience": followers_audience, "badge_audience": badge_audience}
    after = {"follows_public": follows_public, "digest": digest}
    after |= {name: given[name] or getattr(before, name) for name in AUDIENCES}
    settings, _ = FollowSettings.objects.update_or_create(user=user, defaults=after)
    audit_record(
        actor=user,
        action="follows.settings_changed",
        target=settings,
        before={name: getattr(before, name) for name in after},
        after=after,
        subject_user=user,
    )
    if after["badge_audience"] != before.badge_audience:
        _held_record_changed(user)  # the badge shows on the record's cached page
    return settings


def _held_record_changed(user) -> None:
    held = public_identity(user).record_id
    if held:
        record_changed("author", held)


def digest_unsubscribe(user) -> None:
    """Turn the user's digest off (the unsubscribe link); their privacy choice stays."""
    current = follow_settings_for(user)
    if current.digest != "off":
        follow_settings_set(user, follows_public=current.follows_public, digest="off")


def feed_token_for(user) -> FeedToken:
    """The user's personal feed token, made on first use (a race re-reads the winner's)."""
    token, _ = FeedToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def feed_token_reset(user) -> FeedToken:
    """A new secret for the user's feed URL; the old URL stops working at once (audited)."""
    row = feed_token_for(user)
    row.token, row.created_at = secrets.token_urlsafe(32), timezone.now()
    row.save(update_fields=["token", "created_at"])
    audit_record(actor=user, action="follows.feed_token_reset", target=row, subject_user=user)
    return row


@transaction.atomic
def follows_repoint_merged() -> int:
    """Move follows of merged author records onto their survivors (a follower of both keeps
    one follow). Idempotent; the feed already reads through merges, this keeps counts right."""
    moved = 0
    merged = Follow.objects.of_authors().filter(author__merged_into__isnull=False)
    for follow in merged.select_related("author").iterator():
        survivor = _survivor(follow.author)
        if Follow.objects.filter(follower_id=follow.follower_id, author=survivor).exists():
            follow.delete()
        else:
            Follow.objects.filter(pk=follow.pk).update(author=survivor)
        moved += 1
    return moved


def new_work_notify(work_ids: Iterable[int]) -> int:
    """Tell the followers of each work's authors (authorships not disowned, follows of
    merged records included) about it. One notification per follower and work however many
    of its authors they follow; the dedupe key makes a re-import or a rerun a no-op."""
    work_ids = list(work_ids)
    authorships = Authorship.objects.visible().filter(work_id__in=work_ids)
    pairs = authorships.values_list("work_id", "author_id")
    by_author: dict[int, set[int]] = defaultdict(set)
    for work_id, author_id in pairs:
        by_author[author_id].add(work_id)
    merged = dict(
        Author.objects.filter(merged_into__in=list(by_author)).values_list("id", "merged_into")
    )
    follows = Follow.objects.filter(Q(author_id__in=list(by_author)) | Q(author_id__in=merged))
    to_notify: dict[int, set[int]] = defaultdict(set)
    for follower_id, author_id in follows.values_list("follower_id", "author_id"):
        to_notify[follower_id] |= by_author[merged.get(author_id, author_id)]
    return _notify(to_notify)


def _notify(to_notify: dict[int, set[int]]) -> int:
    from apps.accounts.models import User

    works = Work.objects.in_bulk({pk for ids in to_notify.values() for pk in ids})
    sent = 0
    for user in User.objects.filter(pk__in=list(to_notify), is_active=True):
        for work_id in sorted(to_notify[user.pk]):
            note = notification_send(
                recipient=user,
                kind="follows.new_work",
                title=f"New work: {works[work_id].title}",
                body="By an author you follow.",
                url=f"/works/{work_id}/",
                dedupe_key=f"follows.new_work:{work_id}",
            )
            sent += note is not None
    return sent

"""The demo researchers follow a few author records and topics and upvote some of the newest
works. Picks are by fixed orderings (not ctx.random, whose state depends on earlier steps),
and every row is get_or_create on its unique key, so a second run adds nothing."""

from __future__ import annotations

from apps.accounts.models import User
from apps.follows.models import Follow, FollowSettings, Upvote
from apps.records.models import Author, Topic, Work

from .accounts import DEMO_USERS
from .context import DemoContext

AUTHORS_EACH, TOPICS_EACH, NEWEST = 6, 2, 12


def seed_follows(ctx: DemoContext) -> None:
    emails = [email for role, email, _ in DEMO_USERS if role == "researcher"]
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    authors = list(Author.objects.active().order_by("-works_count", "id")[:40])
    topics = list(Topic.objects.order_by("slug"))
    newest = list(Work.objects.newest_first()[:NEWEST])
    for i, user in enumerate(users):
        for author in authors[i * AUTHORS_EACH : (i + 1) * AUTHORS_EACH]:
            ctx.got("follows", Follow.objects.get_or_create(follower=user, author=author))
        for topic in topics[i * TOPICS_EACH : (i + 1) * TOPICS_EACH]:
            ctx.got("follows", Follow.objects.get_or_create(follower=user, topic=topic))
        for j, work in enumerate(newest):
            if (i + j) % 3 != 2:
                ctx.got("upvotes", Upvote.objects.get_or_create(user=user, work=work))
        if i == 0:  # one researcher shares whom they follow
            FollowSettings.objects.get_or_create(user=user, defaults={"follows_public": True})

"""The follows app's parts of the record pages (registered in apps.py): the follower count in
the author's trust snapshot, follow buttons on author and topic pages, an upvote button on
each row of a works list, and the day's most upvoted works on /recent/<day>/."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from apps.accounts.identity import public_identity
from apps.records.panels import (
    attach_work_panels,
    author_page_annotation,
    author_panel,
    page_panel,
    work_panel,
)

from .feed import feed_works, followers_count, top_of_day, trending, upvotes_for
from .models import Follow


def _followers_subquery():
    counted = (
        Follow.objects.filter(author=OuterRef("pk"))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# The author page's one author query carries the follower count (no COUNT query of its own).
author_page_annotation("followers_total", _followers_subquery)


def follow_state(request, *, author=None, topic=None) -> dict:
    """The follow button's context: one COUNT, plus one EXISTS when signed in. Cached on the
    request, so the snapshot count and the button share it."""
    key = ("author", author.pk) if author is not None else ("topic", topic.pk)
    cache = request.__dict__.setdefault("_follow_state", {})
    if key not in cache:
        user = request.user
        target = {"author": author} if author is not None else {"topic": topic}
        # The holder does not follow their own record: no button, and no EXISTS for them.
        own = author is not None and _holds(user, author)
        following = (
            user.is_authenticated
            and not own
            and Follow.objects.filter(follower=user, **target).exists()
        )
        url = (
            reverse("follows:author", args=[author.pk])
            if author is not None
            else reverse("follows:topic", args=[topic.slug])
        )
        cache[key] = {
            "kind": key[0],
            "target_id": key[1],
            "count": (
                author.followers_total
                if hasattr(author, "followers_total")
                else followers_count(**target)
            ),
            "following": following,
            "url": url,
            "next": request.get_full_path(),
            "signed_in": user.is_authenticated,
            "own": own,
        }
    return cache[key]


def _holds(user, author) -> bool:
    if hasattr(author, "holder_user_id"):  # the author page's query brings it (claims.panels)
        return user.is_authenticated and author.holder_user_id == user.pk
    identity = public_identity(user)  # remembered on the user: one query a request at most
    return identity is not None and identity.record_id == author.pk


@author_panel(slot="counts", template="follows/_followers_count.html")
def snapshot_followers(request, author) -> dict:
    return follow_state(request, author=author)


@author_panel(slot="actions", template="follows/_follow_button.html")
def author_follow_button(request, author) -> dict:
    return follow_state(request, author=author)


@page_panel(page="topic", template="follows/_follow_button.html")
def topic_follow_button(request, *, topic, **context) -> dict:
    return follow_state(request, topic=topic)


@page_panel(page="recent", template="follows/_top_of_day.html")
def most_upvoted_of_day(request, *, day=None, **context) -> dict | None:
    return {"day": day, "works": top_of_day(day)} if day else None


@work_panel(template="follows/_upvote.html")
def upvote_buttons(request, works) -> dict[int, dict]:
    """One grouped query for the whole page of works."""
    next_url = request.get_full_path()
    signed_in = request.user.is_authenticated
    return {
        pk: {"work_id": pk, "count": n, "upvoted": mine, "next": next_url, "signed_in": signed_in}
        for pk, (n, mine) in upvotes_for(works, request.user).items()
    }


HOME_LIST = 5


@page_panel(page="home", template="follows/_home_trending.html", order=20)
def home_trending(request, **context) -> dict | None:
    """For visitors: what is rising this week."""
    if request.user.is_authenticated:
        return None
    return {"trending": trending("week", limit=HOME_LIST)}


@page_panel(page="home", template="follows/_home_feed.html", order=90)
def home_feed(request, **context) -> dict | None:
    """For a signed-in person: the newest works of what they follow, with upvotes."""
    if not request.user.is_authenticated:
        return None
    works = list(feed_works(request.user).newest_first().for_listing()[:HOME_LIST])
    return {"works": attach_work_panels(request, works)}

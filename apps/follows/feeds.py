"""The personal Atom feed: what the feed page shows, at a URL whose secret token stands in
for signing in (feed readers cannot). The token is the user's to reset. And a record holder's
following list as a feed, as visible as the list."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from apps.accounts.identity import holder_of_record
from apps.records.feeds import WorksFeed
from apps.records.models import Author

from .feed import feed_works
from .models import FeedToken
from .visibility import following_for


class PersonalFeed(WorksFeed):
    title = f"Your feed · {settings.SITE_NAME}"
    subtitle = "New works from the authors and topics you follow."

    def get_object(self, request, token: str):
        row = FeedToken.objects.select_related("user").filter(token=token).first()
        if row is None or not row.user.is_active:
            raise Http404("no such feed")
        return row.user

    def link(self, user) -> str:
        return reverse("follows:feed")

    def works(self, user):
        return feed_works(user)


@dataclass(frozen=True)
class Followed:
    author: Author
    holder: object


class FollowingFeed(WorksFeed):
    """New works from what a record's holder follows: their following list as a feed, there
    only when they show whom they follow (else a 404, as for a record nobody holds)."""

    subtitle = "New works from the authors and topics the holder of this record follows."

    def get_object(self, request, pk: int) -> Followed:
        author = get_object_or_404(Author.objects.active(), pk=pk)
        following = following_for(author, request.user)
        if following is None or not following.shown:
            raise Http404("No such feed.")
        return Followed(author, holder_of_record(author.pk))

    def title(self, obj: Followed) -> str:
        return f"Followed by {obj.author.display_name} · {settings.SITE_NAME}"

    def link(self, obj: Followed) -> str:
        return reverse("follows:following", args=[obj.author.pk])

    def works(self, obj: Followed):
        return feed_works(obj.holder)

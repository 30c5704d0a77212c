"""The personal Atom feed: what the feed page shows, at a URL whose secret token stands in
for signing in (feed readers cannot). The token is the user's to reset."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from apps.records.feeds import WorksFeed

from .feed import feed_works
from .models import FeedToken


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

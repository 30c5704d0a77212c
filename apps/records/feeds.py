"""Atom feeds of works (Django's syndication framework): the recent works, a topic's and an
author record's. Each entry links to the work's page and says who wrote it and how many
authors it has; `WorksFeed` is the base the follows app's personal feed uses too."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_GET

from .models import Author, Topic, Work

FEED_SIZE = 50


def byline_text(work: Work) -> str:
    """ "Zoë Müller, Łukasz Dvořák and 4 more · 6 authors" from a for_listing() work."""
    names = [authorship.raw_name for authorship in work.byline]
    count = max(work.authors_count, len(names))
    shown = ", ".join(names)
    if count > len(names) and names:
        shown += f" and {count - len(names)} more"
    return f"{shown} · {count} author{'s' if count != 1 else ''}" if names else ""


class WorksFeed(Feed):
    feed_type = Atom1Feed
    author_name = settings.SITE_NAME

    def works(self, obj):
        raise NotImplementedError

    def items(self, obj):
        return self.works(obj).for_listing().newest_first()[:FEED_SIZE]

    def item_title(self, work: Work) -> str:
        return str(work)  # the plain title, or "Untitled work (DOI …)"

    def item_link(self, work: Work) -> str:
        return reverse("records:work", args=[work.pk])

    def item_description(self, work: Work) -> str:
        parts = [byline_text(work), work.venue.name if work.venue_id else ""]
        return escape(" · ".join(part for part in parts if part))

    def item_pubdate(self, work: Work) -> datetime.datetime | None:
        if work.publication_date is None:
            return None
        return datetime.datetime.combine(work.publication_date, datetime.time(), datetime.UTC)

    def item_updateddate(self, work: Work) -> datetime.datetime:
        return work.updated_at


class RecentFeed(WorksFeed):
    title = f"New works · {settings.SITE_NAME}"
    subtitle = "Works dated to the day, newest first."

    def link(self):
        return reverse("records:recent")

    def works(self, obj):
        return Work.objects.filter(publication_date__isnull=False, date_precision="day")


class RecordFeed(WorksFeed):
    """The works on one record's page: `model` found by its URL's `key`, linked to `page`."""

    model: type
    page = ""
    key = "pk"

    def get_object(self, request, **kwargs):
        return get_object_or_404(self.model, **{self.key: kwargs[self.key]})

    def title(self, obj) -> str:
        return f"{self.heading(obj)} · {settings.SITE_NAME}"

    def link(self, obj) -> str:
        return reverse(self.page, args=[getattr(obj, self.key)])


class TopicFeed(RecordFeed):
    model, page, key = Topic, "records:topic", "slug"

    def heading(self, topic: Topic) -> str:
        return topic.name

    def works(self, topic: Topic):
        return Work.objects.filter(topics=topic)


class AuthorFeed(RecordFeed):
    model, page = Author, "records:author"

    def heading(self, author: Author) -> str:
        return author.display_name

    def works(self, author: Author):
        return Work.objects.visible_on(author)


def feed_view(feed_class: type[Feed], name: str):
    """A named GET view serving `feed_class` (routes and their tests want a named view)."""

    @require_GET
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        return feed_class()(request, **kwargs)

    view.__name__ = view.__qualname__ = name
    return view

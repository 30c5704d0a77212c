"""Reusable reads over public records (STYLE.md rung 3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch

BYLINE_PREVIEW = 4  # authors shown in a list before "et al."


class AuthorQuerySet(models.QuerySet):
    def active(self):
        """Records that stand on their own: not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def upstream(self):
        """Records an upstream source can be asked about: they carry an OpenAlex id or an ORCID
        iD, and were not made up for the demo community (its identifiers exist nowhere)."""
        has_id = models.Q(openalex_id__isnull=False) | models.Q(orcid__isnull=False)
        return self.filter(has_id).exclude(provenance__source="demo")


class AuthorshipQuerySet(models.QuerySet):
    def visible(self):
        """Authorships the claimant has not disowned."""
        return self.filter(status="active")


class WorkQuerySet(models.QuerySet):
    def visible_on(self, author):
        """The works an author's record shows: linked by an authorship that is not disowned."""
        return self.filter(authorships__author=author, authorships__status="active")

    def newest_first(self):
        return self.order_by(models.F("publication_date").desc(nulls_last=True), "-id")

    def for_listing(self):
        """What a list row shows: venue, topics, and the first few authors (a 3,000-author
        paper costs the same as a 3-author one). Leaves out search_vector, which no list
        shows."""
        from .models import Authorship

        byline = Authorship.objects.filter(position__lt=BYLINE_PREVIEW).select_related("author")
        return (
            self.defer("search_vector")
            .select_related("venue")
            .prefetch_related(
                Prefetch("authorships", queryset=byline.order_by("position"), to_attr="byline"),
                "topics",
            )
        )

    def filtered(self, *, year: int | None = None, type: str | None = None, topic=None):
        """Apply the list filters every works listing offers (year, type, topic)."""
        qs = self
        if year:
            qs = qs.filter(publication_year=year)
        if type:
            qs = qs.filter(type=type)
        if topic is not None:
            qs = qs.filter(topics=topic)
        return qs

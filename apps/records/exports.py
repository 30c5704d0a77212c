"""Citation files of works, for the export pages and the API alike (formats in citations.py)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse

from .citations import FORMATS, MAX_AUTHORS, Citation, citation_of
from .models import Authorship, Work

EXPORT_LIMIT = 2000  # works in one file, newest first


def work_citations(works) -> list[Citation]:
    """Citations of `works` (a Work queryset), newest first, in two queries: the works with
    their venues, then the visible bylines, each cut after MAX_AUTHORS."""
    byline = Authorship.objects.visible().filter(position__lte=MAX_AUTHORS).order_by("position")
    works = (
        works.defer("search_vector")
        .select_related("venue")
        .prefetch_related(Prefetch("authorships", queryset=byline, to_attr="export_byline"))
        .newest_first()[:EXPORT_LIMIT]
    )
    return [citation_of(work, work.export_byline) for work in works]


def author_works_export(author, filters: dict):
    """The works an author's page lists under `filters` (what the claimant disowned stays out)."""
    return Work.objects.visible_on(author).filtered(**filters)


def export_response(works, fmt: str, name: str) -> HttpResponse:
    """The citation file of `works` in format `fmt` (a key of FORMATS), as a download."""
    found = FORMATS[fmt]
    response = HttpResponse(found.render(work_citations(works)), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{found.extension}"'
    return response

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from apps.core.keyset import paginate
from apps.core.pagecache import cached_public_page
from apps.core.routes import Routes

from . import search as record_search
from .forms import SearchForm, WorkFilterForm
from .models import Author, Topic, Work
from .pages import (
    WORKS_PAGE_SIZE,
    author_page_context,
    listing_keys,
    recent_days,
    work_page_context,
)
from .panels import attach_work_panels, author_page_queryset, author_panels, page_panels

route = Routes()  # this module's pages (apps.core.routes)


def get_author_or_404(pk: int) -> Author:
    return get_object_or_404(Author.objects.select_related("merged_into"), pk=pk)


@route("authors/<int:pk>/", name="author")
@require_GET
@cached_public_page(lambda kw: [("author", kw["pk"])])
def author_detail(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(author_page_queryset(), pk=pk)
    if author.merged_into_id:
        return redirect("records:author", pk=author.merged_into_id, permanent=True)
    form = WorkFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text())
    context = {**author_page_context(author, form), "panels": author_panels(request, author)}
    return render(request, "records/author_detail.html", context)


@route("works/<int:pk>/", name="work")
@require_GET
@cached_public_page(lambda kw: [("work", kw["pk"]), ("works", 0)])
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_object_or_404(Work.objects.select_related("venue"), pk=pk)
    attach_work_panels(request, [work])
    return render(request, "records/work_detail.html", work_page_context(work))


@route("search/", name="search")
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    filters = WorkFilterForm(request.GET)
    if not (form.is_valid() and filters.is_valid()):
        return render(
            request, "records/search.html", {"form": form, "filters": filters}, status=400
        )
    query, kind = form.cleaned_data["q"], form.cleaned_data["kind"] or "authors"
    context = {"form": form, "filters": filters, "query": query, "kind": kind}
    if query and kind == "authors":
        context["authors"] = record_search.author_search(query, limit=30)
    elif query:
        works = record_search.work_search(query, Work.objects.filtered(**filters.filters()))
        context["works"] = list(works.for_listing()[:WORKS_PAGE_SIZE])
    return render(request, "records/search.html", context)


@route("recent/", name="recent")
@route("recent/<str:day>/", name="recent_day")
@require_GET
@cached_public_page(lambda kw: [("works", 0)])
def recent(request: HttpRequest, day: str | None = None) -> HttpResponse:
    """A day's new works, newest day first (like a daily papers page)."""
    days = recent_days()
    if day is None:
        if not days:
            return render(request, "records/recent.html", {"days": []})
        return redirect("records:recent_day", day=days[0].isoformat())
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404("not a date") from exc
    works = Work.objects.filter(publication_date=date, date_precision="day").for_listing()
    page = paginate(works, listing_keys(), request.GET.get("cursor"), WORKS_PAGE_SIZE)
    attach_work_panels(request, page.items)
    context = {"day": date, "days": days, "page": page}
    context["page_panels"] = page_panels(request, "recent", **context)
    return render(request, "records/recent.html", context)


@route("topics/", name="topics")
@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.order_by("code", "name")
    return render(request, "records/topic_list.html", {"topics": topics})


@route("topics/<slug:slug>/", name="topic")
@require_GET
@cached_public_page(lambda kw: [("topic", kw["slug"]), ("works", 0)])
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    works = Work.objects.filter(topics=topic).for_listing()
    page = paginate(works, listing_keys(), request.GET.get("cursor"), WORKS_PAGE_SIZE)
    attach_work_panels(request, page.items)
    context = {"topic": topic, "page": page}
    context["page_panels"] = page_panels(request, "topic", **context)
    return render(request, "records/topic_detail.html", context)

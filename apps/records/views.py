from __future__ import annotations

import datetime

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from apps.core.keyset import paginate
from apps.core.pagecache import cached_public_page
from apps.core.routes import Routes
from apps.core.throttles import throttled

from . import search as record_search
from .cards import attach_cards
from .exports import author_works_export, export_response
from .feeds import AuthorFeed, RecentFeed, TopicFeed, feed_view
from .forms import ExportForm, GraphFilterForm, SearchForm, WorkFilterForm
from .graph import author_network, radial_layout
from .identifiers import recognise
from .models import Author, AuthorTopic, Topic, Work
from .pages import (
    WORKS_PAGE_SIZE,
    author_page_context,
    listing_keys,
    newest_day_works,
    recent_days,
    site_counts,
    work_page_context,
)
from .panels import attach_work_panels, author_page_queryset, author_panels, page_panels

route = Routes()  # this module's pages (apps.core.routes)


HOME_PARTS = ("home_you", "home_waiting", "home", "home_counts")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front page (config.urls names it "home"). A visitor reads what Peerage is, a search
    box, the newest day's works and the figures; a signed-in person their record, what waits
    on them and their feed. Apps above records fill in their parts as page panels."""
    context = {"counts": site_counts()}
    if not request.user.is_authenticated:
        context.update(newest_day_works())
        attach_work_panels(request, context["works"])
    context["parts"] = {part: page_panels(request, part, **context) for part in HOME_PARTS}
    return render(request, "records/home.html", context)


def get_author_or_404(pk: int) -> Author:
    return get_object_or_404(Author.objects.select_related("merged_into"), pk=pk)


def _filter_problem(form) -> str:
    """One readable line naming the filters this page could not use."""
    return "These filters could not be used: " + "; ".join(
        f"{field} ({' '.join(errors)})" for field, errors in form.errors.items()
    )


@route("authors/<id:pk>/", name="author")
@require_GET
@cached_public_page(lambda kw: [("author", kw["pk"])])
def author_detail(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(author_page_queryset(), pk=pk)
    if author.merged_into_id:
        return redirect("records:author", pk=author.merged_into_id, permanent=True)
    form = WorkFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest(_filter_problem(form))
    context = {**author_page_context(author, form), "panels": author_panels(request, author)}
    return render(request, "records/author_detail.html", context)


@route("authors/<id:pk>/graph/", name="author_graph")
@require_GET
def author_explorer(request: HttpRequest, pk: int) -> HttpResponse:
    """The research graph around a record: drawn by Cytoscape.js when scripts run, else as
    an SVG drawn here; the same nodes are listed below either way."""
    author = get_author_or_404(pk)
    form = GraphFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest(_filter_problem(form))
    graph = radial_layout(author_network(author, **form.filters()))
    topics = AuthorTopic.objects.filter(author=author).select_related("topic")
    context = {"author": author, "graph": graph, "graph_data": graph.as_dict(), "form": form}
    context["topic_choices"] = [row.topic for row in topics.order_by("-works_count")[:50]]
    context["page_panels"] = page_panels(request, "explorer", author=author)
    return render(request, "records/explorer.html", context)


@route("works/<id:pk>/", name="work")
@require_GET
@cached_public_page(lambda kw: [("work", kw["pk"]), ("works", 0)])
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_object_or_404(Work.objects.select_related("venue"), pk=pk)
    attach_work_panels(request, [work])
    return render(request, "records/work_detail.html", work_page_context(work))


@route("authors/<id:pk>/export/", name="author_export")
@require_GET
def author_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The author page's works, as filtered there, as a citation file."""
    author = get_author_or_404(pk)
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise BadRequest(_filter_problem(form))
    works = author_works_export(author, form.filters())
    return export_response(works, form.cleaned_data["format"], f"peerage-author-{pk}")


@route("works/<id:pk>/export/", name="work_export")
@require_GET
def work_export(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise BadRequest(_filter_problem(form))
    works = Work.objects.filter(pk=get_object_or_404(Work, pk=pk).pk)
    return export_response(works, form.cleaned_data["format"], f"peerage-work-{pk}")


@route("search/", name="search")
@require_GET
@throttled
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    filters = WorkFilterForm(request.GET)
    if not (form.is_valid() and filters.is_valid()):
        return render(
            request, "records/search.html", {"form": form, "filters": filters}, status=400
        )
    query, kind = form.cleaned_data["q"], form.cleaned_data["kind"] or "authors"
    target = record_search.identified(query)
    if target is not None:  # an ORCID iD, DOI, arXiv or OpenAlex id goes straight there
        return redirect(_page_name(target), target.pk)
    context = {"form": form, "filters": filters, "query": query, "kind": kind}
    context["identifier"] = recognise(query)  # one we know the shape of, but do not hold
    if query and kind == "authors":
        context["authors"] = attach_cards(record_search.author_search(query, limit=30))
    elif query:
        works = record_search.work_search(query, Work.objects.filtered(**filters.filters()))
        context["works"] = list(works.for_listing()[:WORKS_PAGE_SIZE])
    return render(request, "records/search.html", context)


def _page_name(target: Author | Work) -> str:
    return "records:author" if isinstance(target, Author) else "records:work"


# Feeds come before the pages whose paths would swallow theirs ("recent/<day>/").
recent_feed = route("recent/feed/", name="recent_feed")(feed_view(RecentFeed, "recent_feed"))
topic_feed = route("topics/<slug:slug>/feed/", name="topic_feed")(
    feed_view(TopicFeed, "topic_feed")
)
author_feed = route("authors/<id:pk>/feed/", name="author_feed")(
    feed_view(AuthorFeed, "author_feed")
)


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

"""How apps above `records` add to the author page without `records` importing them.

An app registers a provider in its AppConfig.ready():

    from apps.records.panels import author_panel

    @author_panel(slot="status", template="ingest/_refresh_status.html")
    def refresh_status(request, author) -> dict | None:
        return {...}  # the fragment's `panel` context; None to show nothing

Slots, in page order: "status" (under the header), "snapshot" (the trust snapshot's status
lines, before the counts), "counts" (the snapshot's counts, after the works count),
"actions", "identity", "graph". Within a slot, panels show by `order` (lower first, default
50). Each provider should cost at most one or two queries: the page's query budget is
asserted in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from .models import Provenance, Source

SLOTS = ("status", "snapshot", "counts", "actions", "identity", "graph")


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: dict


@dataclass(frozen=True)
class _Provider:
    slot: str
    template: str
    func: Callable
    order: int = 50


_providers: list[_Provider] = []


def author_panel(*, slot: str, template: str, order: int = 50) -> Callable:
    if slot not in SLOTS:
        raise ValueError(f"unknown author page slot {slot!r}")

    def register(func: Callable) -> Callable:
        if not any(p.func is func for p in _providers):
            _providers.append(_Provider(slot, template, func, order))
            _providers.sort(key=lambda p: p.order)  # stable: same order keeps registration
        return func

    return register


# What panels need of the author row itself is fetched with it, in the page's one author
# query, instead of one query per panel: a reverse one-to-one to join (`select_related`) or a
# scalar subquery to annotate. Register in AppConfig.ready():
#
#     author_page_join("trust")                       # Author.trust, a OneToOneField's reverse
#     author_page_annotation("followers_total", lambda: Subquery(...))

_joins: list[str] = []
_annotations: dict[str, Callable] = {}


def author_page_join(related_name: str) -> None:
    if related_name not in _joins:
        _joins.append(related_name)


def author_page_annotation(name: str, expression: Callable) -> None:
    _annotations[name] = expression


def author_page_queryset():
    """The author page's author query, with what the registered panels asked to join."""
    from .models import Author

    qs = Author.objects.select_related("merged_into", *_joins)
    return qs.annotate(**{name: make() for name, make in _annotations.items()})


def _upstream_works_count():
    """How many works OpenAlex lists for the person, from its stored assertion (the author
    object's `works_count`), so the page can say how many are not here yet."""
    counts = (
        Provenance.objects.filter(author=OuterRef("pk"), source=Source.OPENALEX)
        .exclude(fields__works_count=None)
        .order_by("-fetched_at")
        .values(n=Cast(KT("fields__works_count"), IntegerField()))
    )
    return Subquery(counts[:1])


author_page_annotation("upstream_works_count", _upstream_works_count)


def author_panels(request, author) -> dict[str, list[Panel]]:
    """Every registered panel for this author, grouped by slot."""
    panels: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}
    for provider in _providers:
        context = provider.func(request, author)
        if context is not None:
            panels[provider.slot].append(Panel(provider.slot, provider.template, context))
    return panels


# --- Other record pages and works lists --------------------------------------------------
#
# The same idea for the topic page, the recent-works listing and the explorer (its context:
# `author`), and for each row of a works list (and the work page itself). A page provider gets
# the page's own context and returns its fragment's context:
#
#     @page_panel(page="topic", template="follows/_topic_follow.html")
#     def follow_topic(request, *, topic, **context) -> dict | None: ...
#
# A row provider gets every work on the page at once (one query for all of them, never one
# per row) and returns {work id: fragment context}:
#
#     @work_panel(template="follows/_upvote.html")
#     def upvotes(request, works) -> dict[int, dict]: ...

#
# The home page has three: "home_you" (your record, or the way to find it), "home_waiting"
# (one <li> each for what waits on the signed-in person) and "home" (the rest, by `order`:
# visitors' discovery, moderators' queues, the feed). "home_counts" adds <li> figures.

PAGES = ("topic", "recent", "explorer", "home_you", "home_waiting", "home", "home_counts")
_page_providers: dict[str, list[_Provider]] = {page: [] for page in PAGES}
_work_providers: list[_Provider] = []


def page_panel(*, page: str, template: str, order: int = 50) -> Callable:
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")

    def register(func: Callable) -> Callable:
        if not any(p.func is func for p in _page_providers[page]):
            _page_providers[page].append(_Provider(page, template, func, order))
            _page_providers[page].sort(key=lambda p: p.order)  # stable
        return func

    return register


def page_panels(request, name: str, **context) -> list[Panel]:
    """Every registered panel for page `name`, by `order` (then registration order)."""
    panels = []
    for provider in _page_providers[name]:
        found = provider.func(request, **context)
        if found is not None:
            panels.append(Panel(name, provider.template, found))
    return panels


def work_panel(*, template: str) -> Callable:
    def register(func: Callable) -> Callable:
        if not any(p.func is func for p in _work_providers):
            _work_providers.append(_Provider("work", template, func))
        return func

    return register


def attach_work_panels(request, works: list) -> list:
    """Set `work.panels` (a list of Panel) on each work of a list; returns the list."""
    for work in works:
        work.panels = []
    for provider in _work_providers:
        by_work = provider.func(request, works)
        for work in works:
            if work.pk in by_work:
                work.panels.append(Panel("work", provider.template, by_work[work.pk]))
    return works

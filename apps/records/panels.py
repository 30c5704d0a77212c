"""How apps above `records` add to the author page without `records` importing them.

An app registers a provider in its AppConfig.ready():

    from apps.records.panels import author_panel

    @author_panel(slot="status", template="ingest/_refresh_status.html")
    def refresh_status(request, author) -> dict | None:
        return {...}  # the fragment's `panel` context; None to show nothing

Slots, in page order: "snapshot" (inside the trust snapshot), "actions", "identity",
"graph", "status" (under the header). Each provider should cost at most one or two queries:
the page's query budget is asserted in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SLOTS = ("status", "snapshot", "actions", "identity", "graph")


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


_providers: list[_Provider] = []


def author_panel(*, slot: str, template: str) -> Callable:
    if slot not in SLOTS:
        raise ValueError(f"unknown author page slot {slot!r}")

    def register(func: Callable) -> Callable:
        if not any(p.func is func for p in _providers):
            _providers.append(_Provider(slot, template, func))
        return func

    return register


def author_panels(request, author) -> dict[str, list[Panel]]:
    """Every registered panel for this author, grouped by slot."""
    panels: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}
    for provider in _providers:
        context = provider.func(request, author)
        if context is not None:
            panels[provider.slot].append(Panel(provider.slot, provider.template, context))
    return panels

"""A page's URL is declared beside its view, so reading one tells both:

    route = Routes()                      # once, in the app's views.py

    @route("claims/<id:pk>/", name="claim")   # outermost, above the other decorators
    @login_required
    def claim_detail(request, pk): ...

and the app's urls.py says `urlpatterns = views.route.patterns`. Django tries the patterns
in the order the views are defined (a view with two routes: the lower one first), so a
route that would swallow another's path comes after it in the module. Row ids are
`<id:pk>` (apps.core.converters): a malformed or out-of-range id is a 404, never a query."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import URLPattern, path


class Routes:
    """The URL patterns of one views module, in the order its views are defined."""

    def __init__(self) -> None:
        self.patterns: list[URLPattern] = []

    def __call__(self, route: str, *, name: str, kwargs: dict | None = None) -> Callable:
        def add(view: Callable) -> Callable:
            self.patterns.append(path(route, view, kwargs, name=name))
            return view

        return add

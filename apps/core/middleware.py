"""The HTML side of the error model (apps.core.errors): what a person sees when a page's view
lets a domain error through.

- A refused posted action (400, 409, 429, 503) becomes a message on the page it came from:
  the form's safe `next`, else the page the view names with `@returns_to`, else the
  referring page of this site.
- Not allowed (403), not found (404), or a refusal with nowhere to go back to, is an error
  page with the class's status (and Retry-After when known), inside the site's layout.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError, NotFound, Refused, unavailable

# Statuses a person cannot fix by trying again from the same page: shown as a page.
_PAGE_ONLY = {403, 404}
TITLES = {403: "Not allowed", 404: "Not found", 409: "Already changed",
          429: "Too many requests", 503: "Try again later"}  # fmt: skip


def returns_to(url_name: str | Callable[..., str], *kwarg_names: str) -> Callable:
    """Name the page a refused POST to this view goes back to: `url_name`, reversed with the
    view's own URL arguments in `kwarg_names` (@returns_to("claims:claim", "pk")), or a
    function of the view's URL arguments that returns the URL."""

    def mark(view: Callable) -> Callable:
        view.returns_to = (url_name, kwarg_names)
        return view

    return mark


def _safe(request: HttpRequest, url: str) -> str | None:
    ok = url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if ok else None


def back_url(request: HttpRequest, fallback: str | None = None) -> str | None:
    """Where a posted action returns: the form's `next` when it is on this site, else
    `fallback`."""
    return _safe(request, request.POST.get("next", "")) or fallback


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the posted `next` (on this site), else to `fallback` (a URL or URL name)."""
    return redirect(back_url(request) or fallback)


def _declared_back(request: HttpRequest) -> str | None:
    match = request.resolver_match
    view = match and match.func
    while view is not None and not hasattr(view, "returns_to"):
        view = getattr(view, "__wrapped__", None)
    if view is None:
        return None
    target, names = view.returns_to
    if callable(target):
        return target(**match.kwargs)
    return reverse(target, kwargs={k: match.kwargs[k] for k in names})


def _return_page(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    return back_url(request, _declared_back(request)) or _safe(
        request, request.headers.get("referer", "")
    )


def error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """The error page for `exc`: its message, its status, a way on."""
    context = {
        "error": exc,
        "title": TITLES.get(exc.status, "Not done"),
        "back": _safe(request, request.headers.get("referer", "")),
    }
    response = render(request, "core/error.html", context, status=exc.status)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


class DomainErrorMiddleware:
    """Maps a domain error a page's view raised to a message and a redirect back, or to an
    error page (see the module docstring). API views never reach here: DRF hands their
    errors to apps.core.api.exception_handler first."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        exc = unavailable(exc) or exc
        if not isinstance(exc, DomainError):
            return None
        back = None if exc.status in _PAGE_ONLY else _return_page(request)
        if back is None:
            return error_page(request, exc)
        messages.error(request, exc.message)
        return redirect(back)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """`exc` answered outside any view: JSON (apps.core.api.error_body) under /api/, the error
    page elsewhere."""
    if not is_api(request):
        return error_page(request, exc)
    from .api import error_body

    response = JsonResponse(error_body(exc), status=exc.status)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: no route matched (a malformed id included) or a view raised Http404."""
    return refusal(request, NotFound("Nothing here goes by that address."))


class RefuseNulMiddleware:
    """A NUL byte in the query string is refused with a 400 before any view runs: no column
    can hold one (PostgreSQL rejects it in a query), so no honest request sends it."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in "".join([k, *vs]) for k, vs in request.GET.lists()):
            return refusal(request, Refused("A search or filter cannot contain a NUL byte."))
        return self.get_response(request)

"""The HTML side of the error model (apps.core.errors): what a person sees when a page's view
lets a domain error through.

- A refused posted action (400, 409, 503) becomes a message on the page it came from:
  the form's safe `next`, else the page the view names with `@returns_to`, else the
  referring page of this site.
- Not allowed (403), not found (404), too many requests (429), or a refusal with nowhere to
  go back to, is an error page with the class's status (and Retry-After when known), inside
  the site's layout.
- A request Django itself calls bad (`BadRequest`, e.g. an unreadable cursor) or a view's
  `Http404` gets the same pages even with DEBUG on, so `make run` shows what a visitor sees;
  under /api/ they are JSON in the API's error body instead.

config.urls names the handlers in apps.core.views for what never reaches a view (no such
URL, a crash): the same templates, JSON under /api/.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError, NotFound, Refused, as_domain_error, error_body

# Statuses a person cannot fix by trying again from the same page: shown as a page.
_PAGE_ONLY = {403, 404, 429}
TITLES = {400: "That request did not make sense", 403: "Not allowed", 404: "Not found",
          409: "Already changed", 429: "Too many requests", 500: "Something went wrong on our side",
          503: "Try again later"}  # fmt: skip
# What each status says when nothing more precise is known (the handlers in apps.core.views).
PLAIN = {
    400: "Something in the address or the form was not in a shape this page accepts.",
    403: "You may not see this page.",
    404: "There is no page at this address. The link may be mistyped, or what it showed has gone.",
    500: "We could not show this page. The error has been logged; trying again later may work.",
}
API_CODES = {400: "invalid", 403: "not_allowed", 404: "not_found", 500: "server_error"}


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


def is_api(request: HttpRequest) -> bool:
    """Whether `request` is for the JSON API (errors answer in its body, not as pages)."""
    return request.path_info.startswith("/api/")


def status_page(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    """The page (or, under /api/, the JSON body) for `status`: `message` or the plain line
    for that status, and a way on. Templates: `<status>.html`, else core/error.html."""
    message = message or PLAIN.get(status, "")
    if is_api(request):
        return JsonResponse(error_body(message, API_CODES.get(status, "invalid")), status=status)
    context = {
        "status": status,
        "message": message,
        "title": TITLES.get(status, "Not done"),
        "back": _safe(request, request.headers.get("referer", "")),
    }
    return render(request, [f"{status}.html", "core/error.html"], context, status=status)


def error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """The error page for `exc`: its message, its status, a way on."""
    response = status_page(request, exc.status, exc.message)
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
        exc = as_domain_error(exc) or exc
        if isinstance(exc, BadRequest):
            exc = Refused(str(exc) or PLAIN[400])
        elif isinstance(exc, Http404):
            exc = NotFound(PLAIN[404])
        if not isinstance(exc, DomainError):
            return None
        back = None if exc.status in _PAGE_ONLY else _return_page(request)
        if back is None:
            return error_page(request, exc)
        messages.error(request, exc.message)
        return redirect(back)


def refusal(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """`exc` answered outside any view: JSON (errors.error_body) under /api/, the error page
    elsewhere."""
    if not is_api(request):
        return error_page(request, exc)
    response = JsonResponse(exc.body(), status=exc.status)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: no route matched (a malformed id included) or a view raised Http404."""
    return refusal(request, NotFound(PLAIN[404]))


class RefuseNulMiddleware:
    """A NUL byte in the query string is refused with a 400 before any view runs: no column
    can hold one (PostgreSQL rejects it in a query), so no honest request sends it."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in "".join([k, *vs]) for k, vs in request.GET.lists()):
            return refusal(request, Refused("A search or filter cannot contain a NUL byte."))
        return self.get_response(request)

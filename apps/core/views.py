import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report
from .middleware import status_page

logger = logging.getLogger(__name__)
BARE_500 = (
    '<!DOCTYPE html><html lang="en"><title>Something went wrong</title>'
    "<h1>Something went wrong on our side</h1><p>Try again later, or go to "
    '<a href="/">the home page</a>.</p></html>'
)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Status of the database, cache, broker and worker heartbeat; 503 when a required part
    is down. Unauthenticated on purpose: load balancers and compose healthchecks call it.
    Which hosts, vendors and latencies are behind it is for staff and this machine only."""
    healthy, checks = health_report()
    body = {"status": "ok" if healthy else "unavailable"}
    if _may_see_health_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)


LOOPBACK = {"127.0.0.1", "::1"}


def _may_see_health_details(request: HttpRequest) -> bool:
    # Behind a reverse proxy every request arrives from loopback; the proxy's forwarding
    # header says it came from elsewhere.
    forwarded = "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META
    local = request.META.get("REMOTE_ADDR") in LOOPBACK and not forwarded
    return local or (request.user.is_authenticated and request.user.is_staff)


# Django's error handlers (config.urls): what never reached a view, or crashed in one.
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return status_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return status_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return status_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout; if the layout itself fails (the database is down,
    say), a bare page that needs nothing."""
    try:
        return status_page(request, 500)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(BARE_500, content_type="text/html")

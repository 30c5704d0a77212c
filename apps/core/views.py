from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


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

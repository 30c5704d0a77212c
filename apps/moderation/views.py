"""The moderators' workspace: queues oldest first, decisions with reason templates, account
suspensions, claim revocations and the audit log. Each view checks the role, calls one
service and redirects (POST/redirect/GET)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.audit.models import AuditEvent
from apps.claims.models import Claim
from apps.claims.services import ClaimError, NotAllowed
from apps.core.keyset import Key, paginate

from .access import moderator_required
from .decisions import action_for, decision_for
from .forms import AuditFilterForm
from .models import Suspension
from .queues import decisions_per_day, queue_figures, queue_page
from .reasons import REASONS, reason_from

AUDIT_PAGE = 50
NEWEST = [Key("created_at", descending=True), Key("id", descending=True)]


def _done(request, call, back: str) -> HttpResponse:
    try:
        call()
    except NotAllowed as exc:
        return HttpResponse(exc.message, status=403)
    except ClaimError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Done. The people affected were notified.")
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(back)


@moderator_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {"figures": queue_figures(), "per_day": decisions_per_day()}
    return render(request, "moderation/dashboard.html", context)


@moderator_required
@require_GET
def queue(request: HttpRequest, key: str) -> HttpResponse:
    context = {**queue_page(key, request.user), "reasons": REASONS}
    return render(request, f"moderation/queue_{key}.html", context)


@moderator_required
@require_POST
def decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    decision, obj = decision_for(kind, pk)
    yes = request.POST.get("decision") == "yes"
    reason = reason_from(decision.reasons, request.POST.get("template", ""),
                         request.POST.get("reason", ""))  # fmt: skip
    return _done(request, lambda: decision.call(obj, request.user, yes, reason), decision.back)


@moderator_required
@require_POST
def act(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    reasons, call, obj = action_for(name, pk)
    reason = reason_from(reasons, request.POST.get("template", ""), request.POST.get("reason", ""))
    return _done(request, lambda: call(obj, request.user, reason), "moderation:dashboard")


@moderator_required
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    context = {
        "person": person,
        "claims": list(Claim.objects.filter(user=person).select_related("author")[:50]),
        "suspensions": list(Suspension.objects.filter(user=person).order_by("-created_at")[:20]),
        "events": list(AuditEvent.objects.filter(subject_user=person).newest_first()[:30]),
        "reasons": REASONS,
    }
    return render(request, "moderation/user_detail.html", context)


@moderator_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "moderation/audit.html", {"form": form}, status=400)
    events = form.apply(AuditEvent.objects.all()).select_related("author")
    page = paginate(events, NEWEST, form.cleaned_data.get("cursor"), AUDIT_PAGE)
    return render(request, "moderation/audit.html", {"form": form, "page": page})

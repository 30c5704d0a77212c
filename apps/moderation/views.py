"""The moderators' workspace: queues oldest first, decisions with reason templates, account
suspensions, claim revocations and the audit log. Each view checks the role, calls one
service and redirects (POST/redirect/GET); a refusal is a message on the page the form came
from (its `next`), else on the dashboard (apps.core.middleware)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.audit.models import AuditEvent
from apps.claims.models import Claim
from apps.claims.services import repair_entry, repair_reverse
from apps.core.forms import form_submit
from apps.core.keyset import NEWEST_FIRST, paginate
from apps.core.middleware import redirect_back, returns_to
from apps.core.reasons import reason_pick
from apps.core.routes import Routes
from apps.records.models import Author

from .access import moderator_required
from .decisions import DECISIONS, action_for, decision_for, offered
from .forms import AuditFilterForm
from .mixups import mixups_scan
from .models import Suspension
from .queues import decisions_per_day, queue_compared, queue_figures, queue_page
from .records import RepairForm, record_page, repair_run

route = Routes()  # this module's pages (apps.core.routes)

AUDIT_PAGE = 50


DONE = "Done. The people affected were notified."


@route("", name="dashboard")
@moderator_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {"figures": queue_figures(), "per_day": decisions_per_day()}
    return render(request, "moderation/dashboard.html", context)


@moderator_required
@require_GET
def queue(request: HttpRequest, key: str) -> HttpResponse:
    context = {**queue_page(key, request.user), "reasons": offered()}
    queue_compared(key, context["items"])
    return render(request, f"moderation/queue_{key}.html", context)


def _queue_of(kind: str, pk: int) -> str:
    return reverse(DECISIONS[kind].back if kind in DECISIONS else "moderation:dashboard")


@route("decide/<str:kind>/<id:pk>/", name="decide")
@moderator_required
@require_POST
@returns_to(_queue_of)
def decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    decision, obj = decision_for(kind, pk)
    post = request.POST
    said = {"yes": True, "no": False}.get(post.get("decision", ""))  # the older yes/no forms
    outcome = decision.outcome(post.get("outcome"), said)
    reason = reason_pick(decision.reasons, outcome, post.get("template"), post.get("reason"))
    works = [int(w) for w in post.getlist("works") if w.isdigit()]
    decision.call(obj, request.user, outcome, reason, works)
    messages.success(request, DONE)
    return redirect_back(request, decision.back)


@route("act/<str:name>/<id:pk>/", name="act")
@moderator_required
@require_POST
@returns_to("moderation:dashboard")
def act(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    reasons, call, obj = action_for(name, pk)
    reason = reason_pick(reasons, "do", request.POST.get("template"), request.POST.get("reason"))
    call(obj, request.user, reason)
    messages.success(request, DONE)
    return redirect_back(request, "moderation:dashboard")


@route("users/<id:pk>/", name="user")
@moderator_required
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    context = {
        "person": person,
        "claims": list(Claim.objects.filter(user=person).select_related("author")[:50]),
        "suspensions": list(Suspension.objects.filter(user=person).order_by("-created_at")[:20]),
        "events": list(AuditEvent.objects.filter(subject_user=person).newest_first()[:30]),
        "reasons": offered(),
    }
    return render(request, "moderation/user_detail.html", context)


@route("audit/", name="audit")
@moderator_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "moderation/audit.html", {"form": form}, status=400)
    events = form.apply(AuditEvent.objects.all()).select_related("author")
    page = paginate(events, NEWEST_FIRST, form.cleaned_data.get("cursor"), AUDIT_PAGE)
    return render(request, "moderation/audit.html", {"form": form, "page": page})


@route("records/<id:pk>/", name="record")
@moderator_required
@require_GET
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """A record's works side by side by group, the repair form and the past repairs."""
    author = get_object_or_404(Author, pk=pk)
    group = request.GET.get("group", "")
    context = record_page(author, RepairForm(author=author),
                          int(group) if group.isdigit() else None)  # fmt: skip
    return render(request, "moderation/record.html", context)


@route("records/<id:pk>/repair/", name="record_repair")
@moderator_required
@require_POST
@returns_to("moderation:record", "pk")
def record_repair(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author, pk=pk)
    form = RepairForm(request.POST, author=author)
    if not form_submit(form, lambda data: repair_run(request.user, author, data)):
        return render(request, "moderation/record.html", record_page(author, form), status=400)
    message, shown = form.result
    mixups_scan([author.pk, shown.pk])
    messages.success(request, message)
    return redirect("moderation:record", shown.pk)


@route("records/<id:pk>/reverse/<id:entry>/", name="record_reverse")
@moderator_required
@require_POST
@returns_to("moderation:record", "pk")
def record_reverse(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    row = repair_entry(entry)
    repair_reverse(actor=request.user, audit_entry=row, reason=request.POST.get("reason", ""))
    messages.success(request, "Reversed. The record is as it was before that repair.")
    return redirect("moderation:record", row.author_id)

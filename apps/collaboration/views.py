"""Inbox, invite, invitation, conversation, preferences and blocks. Each view parses a
form, fetches through an access helper (404 for anyone else), calls one service and
redirects (POST/redirect/GET). A refusal is the form's error (apps.core.forms), else a
message on the page each view `returns_to` (apps.core.middleware)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.identity import public_identity
from apps.accounts.models import User
from apps.core.errors import RateLimited, Refused
from apps.core.forms import form_error_text, form_submit
from apps.core.middleware import returns_to
from apps.core.routes import Routes
from apps.records.models import Author

from . import pages, services
from .access import get_conversation_for_user, get_invitation_for_user, get_message_for_user
from .fit import fit_between
from .forms import BlockForm, DeclineForm, InviteForm, MessageForm, PreferenceForm, ReportForm
from .models import Block
from .panels import connection

route = Routes()  # this module's pages (apps.core.routes)


@route("collaboration/", name="inbox")
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "collaboration/inbox.html", pages.inbox(request.user))


@route("authors/<id:pk>/invite/", name="invite")
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Write an invitation; the page says first whether inviting is possible, and the fit."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    check = services.invite_check(request.user, author)
    if check.retry_after:
        raise RateLimited(check.reason, retry_after=check.retry_after)
    if not check.allowed:
        return render(request, "collaboration/invite.html", {"author": author, "check": check})
    form = InviteForm(request.POST or None, mine=check.sender_author, theirs=author)
    if request.method == "POST" and form_submit(form, lambda data: services.invitation_create(
            sender=request.user, author=author, **data)):  # fmt: skip
        messages.success(request, "Invitation sent.")
        return redirect("collaboration:invitation", form.result.pk)
    fit = fit_between(check.sender_author, author)
    context = {"author": author, "check": check, "form": form, "fit": fit.as_dict()}
    context["connection"] = connection(request.user, author)
    return render(request, "collaboration/invite.html", context)


@route("invitations/<id:pk>/", name="invitation")
@login_required
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk)
    context = {
        "invitation": invitation,
        "is_recipient": invitation.recipient_id == request.user.pk,
        "decline_form": DeclineForm(),
        "report_form": ReportForm(),
    }
    return render(request, "collaboration/invitation.html", context)


@route("invitations/<id:pk>/report/", name="invitation_report")
@login_required
@require_POST
@returns_to("collaboration:invitation", "pk")
def invitation_report(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk)
    _report(request, services.invitation_report, invitation=invitation)
    return redirect("collaboration:invitation", pk)


def _report(request, service, **target) -> None:
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise Refused("Choose a reason for the report.", field="reason")
    service(reporter=request.user, **target, **form.cleaned_data)
    messages.success(request, "Reported. A moderator will look at it.")


# After invitation_report: its <str:action> would take "report" too.
@route("invitations/<id:pk>/<str:action>/", name="invitation_answer")
@login_required
@require_POST
@returns_to("collaboration:invitation", "pk")
def invitation_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk)
    if action == "accept":
        conversation = services.invitation_accept(invitation=invitation, actor=request.user)
        return redirect("collaboration:conversation", conversation.pk)
    if action == "decline":
        form = DeclineForm(request.POST)
        if not form.is_valid():
            raise Refused(form_error_text(form), field="reason")
        services.invitation_decline(invitation=invitation, actor=request.user, **form.cleaned_data)
        messages.success(request, "Invitation declined.")
    elif action == "withdraw":
        services.invitation_withdraw(invitation=invitation, actor=request.user)
        messages.success(request, "Invitation withdrawn.")
    else:
        return HttpResponseBadRequest("unknown action")
    return redirect("collaboration:invitation", pk)


@route("conversations/<id:pk>/", name="conversation")
@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread (newest page, read oldest first) and the reply form; reading marks read."""
    conv = get_conversation_for_user(request.user, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form_submit(form, lambda data: services.message_post(
            conversation=conv, sender=request.user, **data)):  # fmt: skip
        return redirect("collaboration:conversation", pk)
    page = pages.thread(conv, request.user, request.GET.get("cursor"))
    services.conversation_mark_read(conversation=conv, user=request.user)
    other = conv.other(request.user)
    context = {"conversation": conv, "other": other, "page": page, "form": form,
               "report_form": ReportForm()}  # fmt: skip
    return render(request, "collaboration/conversation.html", context)


@route("messages/<id:pk>/report/", name="message_report")
@login_required
@require_POST
@returns_to("collaboration:inbox")  # the report form posts its conversation as `next`
def message_report(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message_for_user(request.user, pk)
    _report(request, services.message_report, message=message)
    return redirect("collaboration:conversation", message.conversation_id)


@route("collaboration/preferences/", name="preferences")
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    initial = {"accept_from": services.preference_of(request.user)}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("collaboration:preferences")
    blocks = Block.objects.filter(blocker=request.user).select_related("blocked").order_by("-id")
    return render(request, "collaboration/preferences.html", {"form": form, "blocks": blocks[:200]})


@route("collaboration/block/", name="block")
@login_required
@require_POST
@returns_to("collaboration:preferences")
def block(request: HttpRequest) -> HttpResponse:
    form = BlockForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("person and action are required")
    other = get_object_or_404(User, handle=form.cleaned_data["person"], is_active=True)
    if form.cleaned_data["action"] == "block":
        services.block_create(blocker=request.user, blocked=other)
        messages.success(request, f"You blocked {public_identity(other)}. They will not be told.")
    else:
        services.block_delete(blocker=request.user, blocked=other)
        messages.success(request, f"You unblocked {public_identity(other)}.")
    return redirect("collaboration:preferences")

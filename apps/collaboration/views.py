"""Inbox, invite, invitation, conversation, preferences and blocks. Each view parses a
form, fetches through an access helper (404 for anyone else), calls one service and
redirects (POST/redirect/GET); a refusal comes back as a message or form error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import User
from apps.records.models import Author

from . import pages, services
from .access import get_conversation_for_user, get_invitation_for_user, get_message_for_user
from .fit import fit_between
from .forms import BlockForm, DeclineForm, InviteForm, MessageForm, PreferenceForm, ReportForm
from .models import Block
from .services import CollaborationError


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "collaboration/inbox.html", pages.inbox(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Write an invitation; the page says first whether inviting is possible, and the fit."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    check = services.invite_check(request.user, author)
    if not check.allowed:
        return render(request, "collaboration/invite.html", {"author": author, "check": check})
    form = InviteForm(request.POST or None, mine=check.sender_author, theirs=author)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                sender=request.user, author=author, **form.cleaned_data
            )
        except CollaborationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Invitation sent.")
            return redirect("collaboration:invitation", invitation.pk)
    fit = fit_between(check.sender_author, author)
    context = {"author": author, "check": check, "form": form, "fit": fit.as_dict()}
    return render(request, "collaboration/invite.html", context)


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


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk)
    form = DeclineForm(request.POST)
    try:
        if action == "accept":
            conversation = services.invitation_accept(invitation=invitation, actor=request.user)
            return redirect("collaboration:conversation", conversation.pk)
        if action == "decline" and form.is_valid():
            reason = form.cleaned_data["reason"]
            services.invitation_decline(invitation=invitation, actor=request.user, reason=reason)
            messages.success(request, "Invitation declined.")
        elif action == "withdraw":
            services.invitation_withdraw(invitation=invitation, actor=request.user)
            messages.success(request, "Invitation withdrawn.")
        else:
            return HttpResponseBadRequest("unknown action or invalid reason")
    except CollaborationError as exc:
        messages.error(request, exc.message)
    return redirect("collaboration:invitation", pk)


@login_required
@require_POST
def invitation_report(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk)
    return _report(request, services.invitation_report, "invitation", invitation,
                   redirect("collaboration:invitation", pk))  # fmt: skip


def _report(request, service, name: str, target, back) -> HttpResponse:
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reason for the report.")
        return back
    try:
        service(reporter=request.user, **{name: target}, **form.cleaned_data)
    except CollaborationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Reported. A moderator will look at it.")
    return back


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread (newest page, read oldest first) and the reply form; reading marks read."""
    conv = get_conversation_for_user(request.user, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(conversation=conv, sender=request.user, **form.cleaned_data)
        except CollaborationError as exc:
            form.add_error("body", exc.message)
        else:
            return redirect("collaboration:conversation", pk)
    page = pages.thread(conv, request.user, request.GET.get("cursor"))
    services.conversation_mark_read(conversation=conv, user=request.user)
    other = conv.other(request.user)
    context = {"conversation": conv, "other": other, "page": page, "form": form,
               "report_form": ReportForm()}  # fmt: skip
    return render(request, "collaboration/conversation.html", context)


@login_required
@require_POST
def message_report(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message_for_user(request.user, pk)
    back = redirect("collaboration:conversation", message.conversation_id)
    return _report(request, services.message_report, "message", message, back)


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


@login_required
@require_POST
def block(request: HttpRequest) -> HttpResponse:
    form = BlockForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("user and action are required")
    other = get_object_or_404(User, pk=form.cleaned_data["user"], is_active=True)
    try:
        if form.cleaned_data["action"] == "block":
            services.block_create(blocker=request.user, blocked=other)
            messages.success(request, f"You blocked {other}. They will not be told.")
        else:
            services.block_delete(blocker=request.user, blocked=other)
            messages.success(request, f"You unblocked {other}.")
    except CollaborationError as exc:
        messages.error(request, exc.message)
    return redirect("collaboration:preferences")

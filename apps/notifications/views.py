from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.keyset import NEWEST_FIRST, paginate
from apps.core.routes import Routes

from .models import Notification
from .services import email_preferences_for, email_preferences_set, notifications_mark_read

route = Routes()  # this module's pages (apps.core.routes)

PAGE_SIZE = 30


@route("notifications/", name="inbox")
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.for_user(request.user)
    page = paginate(rows, NEWEST_FIRST, request.GET.get("cursor"), PAGE_SIZE)
    return render(request, "notifications/inbox.html", {"page": page})


@route("notifications/read/", name="read_all")
@route("notifications/<id:pk>/read/", name="read")
@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one notification read (and follow its link), or all of them."""
    notifications_mark_read(request.user, None if pk is None else [pk])
    if pk is not None:
        target = Notification.objects.for_user(request.user).filter(pk=pk).first()
        if target and target.url.startswith("/") and request.POST.get("open"):
            return redirect(target.url)
    return redirect("notifications:inbox")


class PreferencesForm(forms.Form):
    def __init__(self, *args, choices: list[tuple], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, wanted in choices:
            self.fields[kind.code] = forms.BooleanField(
                label=kind.label, required=False, initial=wanted
            )


@route("notifications/preferences/", name="preferences")
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    choices = email_preferences_for(request.user)
    form = PreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        email_preferences_set(request.user, form.cleaned_data)
        messages.success(request, "Email preferences saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})

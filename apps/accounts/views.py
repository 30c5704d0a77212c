from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.routes import Routes

from .forms import PublicNameForm
from .services import account_delete, account_export, public_name_set

route = Routes()  # this module's pages (apps.core.routes)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput)
    confirm = forms.BooleanField(label="I understand this cannot be undone")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():  # signed up with ORCID only
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


@route("settings/profile/", name="profile")
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The public name: what others see of someone who holds no record."""
    user = request.user
    form = PublicNameForm(request.POST or None, initial={"display_name": user.display_name})
    if request.method == "POST" and form.is_valid():
        public_name_set(user=user, name=form.cleaned_data["display_name"])
        messages.success(request, "Your public name is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@route("settings/data/", name="data")
@login_required
@require_http_methods(["GET", "POST"])
def your_data(request: HttpRequest) -> HttpResponse:
    """Download everything, or delete the account (after the password)."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, "Your account is deleted. Public author records stay public.")
        return redirect("home")
    return render(request, "accounts/your_data.html", {"form": form})


@route("settings/data/export.json", name="export")
@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(account_export(request.user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    name = f"peerage-data-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

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

from apps.core.forms import form_submit
from apps.core.routes import Routes

from .forms import ApiTokenForm, ProfileForm
from .moderators import is_moderator
from .services import account_delete, account_export, profile_set
from .tokens import api_token_create, api_token_revoke, api_tokens_of

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
    """The public name (what others see of someone who holds no record) and search engines."""
    user = request.user
    initial = {
        "display_name": user.display_name,
        "hide_from_search_engines": user.hide_from_search_engines,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile_set(user=user, name=data["display_name"],
                    hide_from_search_engines=data["hide_from_search_engines"])  # fmt: skip
        messages.success(request, "Saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@route("settings/tokens/", name="tokens")
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: make one (its value is on this response only), see and revoke."""
    user = request.user
    form = ApiTokenForm(request.POST or None, moderator=is_moderator(user))
    made = None
    if request.method == "POST" and form_submit(
        form, lambda data: api_token_create(user=user, **data)
    ):
        made, form = form.result, ApiTokenForm(moderator=is_moderator(user))
    context = {"form": form, "tokens": api_tokens_of(user), "made": made}
    response = render(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the new token's value is in this page
    return response


@route("settings/tokens/<token:key>/revoke/", name="token_revoke")
@login_required
@require_http_methods(["POST"])
def token_revoke(request: HttpRequest, key: str) -> HttpResponse:
    if api_token_revoke(user=request.user, token_key=key):
        messages.success(request, "The token is revoked: it no longer works.")
    return redirect("accounts:tokens")


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

"""The admin signs people in through allauth only (its rate limits, its two-factor step), and
a staff account with two-factor authentication opens no admin page until this session has
passed its second factor."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def second_factor_done(request: HttpRequest) -> bool:
    """Whether this session's user either has no second factor or used it to sign in."""
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.utils import is_mfa_enabled

    user = request.user
    if not is_mfa_enabled(user):
        return True
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


class PeerageAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_done(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Never Django's own password form: allauth's sign-in, or its two-factor check for a
        staff member already signed in with a password only."""
        next_url = request.GET.get("next") or reverse("admin:index")
        user = request.user
        if user.is_authenticated and user.is_staff and not second_factor_done(request):
            return redirect_to_login(next_url, login_url=reverse("mfa_reauthenticate"))
        return redirect_to_login(next_url, login_url=reverse("account_login"))

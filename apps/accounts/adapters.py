"""allauth adapters. Where signing in, signing up or linking ORCID lands is not decided
here: LOGIN_REDIRECT_URL names claims' `signed_in` view, which knows whether the person still
has a record to find (accounts sit below claims and ask them nothing)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open; allauth's defaults fit. Kept as the one place to customise account
    behaviour."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_connect_redirect_url(self, request, socialaccount):
        """Linking ORCID lands where signing in does (LOGIN_REDIRECT_URL)."""
        if socialaccount.provider == "orcid":
            return resolve_url(settings.LOGIN_REDIRECT_URL)
        return super().get_connect_redirect_url(request, socialaccount)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The model has no first/last name; keep the name ORCID returned as the display name.
        name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        if name and not user.display_name:
            user.display_name = name
        return user

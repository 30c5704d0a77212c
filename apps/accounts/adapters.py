"""allauth adapters. Where signing in, signing up or linking ORCID lands is not decided
here: LOGIN_REDIRECT_URL names claims' `signed_in` view, which knows whether the person still
has a record to find (accounts sit below claims and ask them nothing)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open; allauth's defaults fit, except where a new account lands."""

    def get_signup_redirect_url(self, request) -> str:
        """A new account (by email, once confirmed, or by a first ORCID sign-in) lands where
        signing in does, marked as new: there "Is this you?" is offered first."""
        return first_landing()

    def get_email_verification_redirect_url(self, email_address) -> str:
        if self.request.user.is_authenticated:
            return first_landing()
        return super().get_email_verification_redirect_url(email_address)


def first_landing() -> str:
    return f"{resolve_url(settings.LOGIN_REDIRECT_URL)}?first=1"


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

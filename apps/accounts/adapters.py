from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open; allauth's defaults fit. Kept as the one place to customise account
    behaviour."""

    def get_login_redirect_url(self, request):
        """After signing in with ORCID, someone who holds no record yet lands on "Is this
        you?" (a `next` the login carried still wins: allauth checks it first)."""
        from apps.claims.models import Claim

        user = request.user
        if user.is_authenticated and Claim.objects.held_by(user) is None and _has_orcid(user):
            return reverse("claims:find")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        """A new account made by ORCID sign-in goes to "Is this you?" too."""
        return self.get_login_redirect_url(request)


def _has_orcid(user) -> bool:
    from allauth.socialaccount.models import SocialAccount

    return SocialAccount.objects.filter(user=user, provider="orcid").exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_connect_redirect_url(self, request, socialaccount):
        """Linking ORCID to an existing account leads to "Is this you?"."""
        if socialaccount.provider == "orcid":
            return reverse("claims:find")
        return super().get_connect_redirect_url(request, socialaccount)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The model has no first/last name; keep the name ORCID returned as the display name.
        name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        if name and not user.display_name:
            user.display_name = name
        return user

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open; allauth's defaults fit. Kept as the one place to customise account
    behaviour (claims will hook post-login suggestions in here)."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The model has no first/last name; keep the name ORCID returned as the display name.
        name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        if name and not user.display_name:
            user.display_name = name
        return user

"""Whether this site can sign people in with ORCID at all: a client id in the settings or an
ORCID app in the admin. Pages offer "Link your ORCID iD" only when it is, so nobody is led to
an empty list of providers."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp
from django.conf import settings


def orcid_configured() -> bool:
    if settings.SOCIALACCOUNT_PROVIDERS.get("orcid", {}).get("APPS"):
        return True
    return SocialApp.objects.filter(provider="orcid").exists()

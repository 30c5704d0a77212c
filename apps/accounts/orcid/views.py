from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from django.conf import settings


class OrcidOAuth2Adapter(OAuth2Adapter):
    """ORCID's `/authenticate` flow against the public API.

    The iD in the token response is the one ORCID authenticated; the record fetched for it must
    carry the same iD, or the login is refused.
    """

    provider_id = "orcid"

    @property
    def authorize_url(self) -> str:
        return f"{settings.ORCID_OAUTH_BASE_URL}/oauth/authorize"

    @property
    def access_token_url(self) -> str:
        return f"{settings.ORCID_API_BASE_URL}/oauth/token"

    @property
    def profile_url(self) -> str:
        return f"{settings.ORCID_API_BASE_URL}/v3.0/%s/record"

    def complete_login(self, request, app, token, **kwargs):
        orcid_id = (kwargs.get("response") or {}).get("orcid")
        if not orcid_id:
            raise OAuth2Error("ORCID token response carried no iD")
        headers = {"accept": "application/orcid+json"}
        with get_adapter().get_requests_session() as session:
            resp = session.get(self.profile_url % orcid_id, headers=headers)
            resp.raise_for_status()
            record = resp.json()
        login = self.get_provider().sociallogin_from_response(request, record)
        if login.account.uid != orcid_id:
            raise OAuth2Error("ORCID record does not match the authenticated iD")
        return login


oauth2_login = OAuth2LoginView.adapter_view(OrcidOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(OrcidOAuth2Adapter)

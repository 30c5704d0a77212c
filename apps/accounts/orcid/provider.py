"""allauth's ORCID provider, pointed at adapters that read their URLs from settings at request
time (allauth's own builds them once, at import). Selected through
SOCIALACCOUNT_PROVIDERS["orcid"]["provider_class"]; the URL patterns come from .views."""

from allauth.socialaccount.providers.orcid.provider import OrcidProvider as AllauthOrcidProvider

from .views import OrcidOAuth2Adapter


class OrcidProvider(AllauthOrcidProvider):
    oauth2_adapter_class = OrcidOAuth2Adapter

from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "apps.trust"
    label = "trust"
    verbose_name = "Verification and trust"

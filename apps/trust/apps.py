from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "apps.trust"
    label = "trust"
    verbose_name = "Verification and trust"

    def ready(self) -> None:
        from apps.claims.hooks import on_level_change, on_record_change
        from apps.ingest.hooks import on_works_created
        from apps.notifications.kinds import register_kind

        from . import (
            panels,  # noqa: F401  (the author page's trust lines and "why")
            userdata,  # noqa: F401  (export and account deletion)
        )
        from .services import VERIFICATION_KIND, record_changed, verification_level_set
        from .tasks import works_created

        register_kind(VERIFICATION_KIND, "Identity verification (L3) requests", email=True)
        on_level_change(verification_level_set)
        on_record_change(record_changed)
        on_works_created(works_created)

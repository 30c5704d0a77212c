from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "apps.trust"
    label = "trust"
    verbose_name = "Verification and trust"

    def ready(self) -> None:
        from apps.ingest.hooks import on_works_created

        from . import (
            panels,  # noqa: F401  (the author page's trust lines and "why")
            userdata,  # noqa: F401  (export and account deletion)
        )
        from .tasks import works_created

        on_works_created(works_created)

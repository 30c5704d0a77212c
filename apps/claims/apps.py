from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "apps.claims"
    label = "claims"
    verbose_name = "Claims and curation"

    def ready(self) -> None:
        from . import (
            panels,  # noqa: F401  (registers the author page's claim panels)
            userdata,  # noqa: F401  (export and account deletion)
        )
        from .notify import register_kinds

        register_kinds()

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "apps.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from apps.ingest.hooks import on_works_created
        from apps.notifications.kinds import register_kind
        from apps.trust.inputs import trust_input

        from . import (
            attribution_panels,  # noqa: F401  (the "wrong person?" links on works)
            panels,  # noqa: F401  (the home page's queue counts)
            userdata,  # noqa: F401  (export and account deletion)
        )
        from .mixups import works_created
        from .queues import upheld_reports

        register_kind("moderation.report", "Outcome of my abuse reports", email=True)
        register_kind("moderation.account", "Moderator decisions about my account", email=True)
        register_kind("moderation.attribution", "Reports of works on the wrong record", email=True)
        trust_input(upheld_reports)
        on_works_created(works_created)

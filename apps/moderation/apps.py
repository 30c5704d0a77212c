from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "apps.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from apps.notifications.kinds import register_kind

        register_kind("moderation.report", "Outcome of my abuse reports", email=True)

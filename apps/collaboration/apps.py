from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "apps.collaboration"
    label = "collaboration"
    verbose_name = "Invitations, conversations, messages and blocks"

    def ready(self) -> None:
        from apps.notifications.kinds import register_kind

        from . import (
            panels,  # noqa: F401  (registers the author page's "Direct collaboration")
            userdata,  # noqa: F401  (export and account deletion)
        )

        register_kind("collaboration.invitation", "Invitations to collaborate", email=True)
        register_kind("collaboration.answer", "Answers to my invitations", email=True)
        # At most one per conversation per hour (dedupe key), however many messages arrive.
        register_kind("collaboration.message", "New messages in my conversations", email=True)

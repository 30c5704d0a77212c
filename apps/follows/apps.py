from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "apps.follows"
    label = "follows"
    verbose_name = "Follows, feed, upvotes and digests"

    def ready(self) -> None:
        from apps.ingest.hooks import on_works_created
        from apps.notifications.kinds import register_kind

        from . import (
            panels,  # noqa: F401  (registers the follow buttons and upvotes)
            userdata,  # noqa: F401  (export and account deletion)
        )
        from .tasks import enqueue_new_work_notifications

        register_kind("follows.new_work", "New works by authors I follow", email=False)
        # The digest email is its own message; this kind is its copy in the inbox.
        register_kind("follows.digest", "My daily or weekly digest, in the inbox", email=False)
        on_works_created(enqueue_new_work_notifications)

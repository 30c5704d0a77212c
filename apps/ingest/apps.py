from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "apps.ingest"
    label = "ingest"
    verbose_name = "Ingest and refresh"

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers the author page's refresh status)

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "apps.records"
    label = "records"
    verbose_name = "Public records"

    def ready(self) -> None:
        from . import targets  # noqa: F401 - registers the describers of audit/report targets

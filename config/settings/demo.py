"""The production shape plus the demo community, for loading it into a production-shaped stack
on purpose (a trial instance, a workshop):

    docker compose run --rm -e DJANGO_SETTINGS_MODULE=config.settings.demo web \
        python manage.py seed_demo

production.py never installs the demo app, so a deploy cannot load it by mistake; the app has
no models, URLs or tasks, so nothing else changes under these settings."""

from .production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "apps.demo"]  # noqa: F405

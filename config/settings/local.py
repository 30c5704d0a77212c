"""Development on a bare machine: `make run`. SQLite and no Redis unless the environment says so."""

from .base import *  # noqa: F403
from .base import SMTP_OPTIONS, env
from .mail import mailer_settings

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# The demo community (`seed_demo`) is for development only; production settings leave it out.
INSTALLED_APPS = [*INSTALLED_APPS, "apps.demo"]  # noqa: F405

# The worker prints each message it delivers, so the verification link shows in the console.
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", default="apps.core.mail.ReadableConsoleBackend"
)
globals().update(mailer_settings(EMAIL_DELIVERY_BACKEND, SMTP_OPTIONS))

# Serve static files from the app folders as they change; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

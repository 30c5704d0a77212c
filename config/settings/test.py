"""pytest settings. PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI sets both);
SQLite and in-memory stand-ins otherwise, so `make test` runs on a bare machine too."""

from .base import *  # noqa: F403
from .base import REDIS_URL, SMTP_OPTIONS, env
from .mail import mailer_settings

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# tests/demo/ seeds the demo community; production settings leave the app out.
INSTALLED_APPS = [*INSTALLED_APPS, "apps.demo"]  # noqa: F405

if not env("DATABASE_URL", default=""):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}

# Tasks run in the calling thread unless a test starts a real worker
# (see tests/core/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Django's test set-up sends every mailer to django.core.mail.outbox; tests/core/test_mail.py puts
# the queueing backend back in front to test it.
globals().update(mailer_settings("django.core.mail.backends.locmem.EmailBackend", SMTP_OPTIONS))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Serve static files from the app folders as they change; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

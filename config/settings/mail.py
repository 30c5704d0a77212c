"""Mail settings for either configuration style Django offers.

Django 6.1 replaced EMAIL_BACKEND/EMAIL_HOST/... with MAILERS; Django 5.2 (the version Python
3.11 gets) only knows the old names. Settings modules call `mailer_settings` and never name
either style themselves.
"""

import django

QUEUE_BACKEND = "apps.core.mail.OutboxEmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailer_settings(delivery_backend: str, smtp_options: dict) -> dict:
    """Settings for a "default" mailer that queues and a "delivery" one that sends."""
    is_smtp = delivery_backend == SMTP_BACKEND
    if django.VERSION >= (6, 1):
        delivery = {"BACKEND": delivery_backend}
        if is_smtp:
            delivery["OPTIONS"] = smtp_options
        return {"MAILERS": {"default": {"BACKEND": QUEUE_BACKEND}, "delivery": delivery}}
    legacy = {"EMAIL_BACKEND": QUEUE_BACKEND, "EMAIL_DELIVERY_BACKEND": delivery_backend}
    if is_smtp:
        legacy.update(
            EMAIL_HOST=smtp_options["host"],
            EMAIL_PORT=smtp_options["port"],
            EMAIL_HOST_USER=smtp_options["username"],
            EMAIL_HOST_PASSWORD=smtp_options["password"],
            EMAIL_USE_TLS=smtp_options["use_tls"],
            EMAIL_TIMEOUT=smtp_options["timeout"],
        )
    return legacy

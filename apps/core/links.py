"""Links that leave the site (in emails): a path made absolute with SITE_URL."""

from __future__ import annotations

from django.conf import settings

LOCAL_SITE = "http://127.0.0.1:8000"  # `make run`'s address, when SITE_URL is unset


def absolute_url(path: str) -> str:
    """`path` on this site as a full URL; a URL that is already absolute is returned as is."""
    if path.startswith(("http://", "https://")):
        return path
    return (settings.SITE_URL or LOCAL_SITE).rstrip("/") + path

"""Links that leave the site (in emails): a path made absolute with SITE_URL."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

LOCAL_SITE = "http://127.0.0.1:8000"  # `make run`'s address, when SITE_URL is unset


def absolute_url(path: str) -> str:
    """`path` on this site as a full URL; a URL that is already absolute is returned as is."""
    if path.startswith(("http://", "https://")):
        return path
    return (settings.SITE_URL or LOCAL_SITE).rstrip("/") + path


def signed_id(salt: str, pk: int) -> str:
    """A link token naming row `pk`, signed with SECRET_KEY under `salt`. No timestamp: the
    same row always gets the same token, so an old email's link keeps working."""
    return signing.Signer(salt=salt).sign_object(pk)


def signed_id_read(salt: str, token: str) -> int | None:
    """The row id a `signed_id` token names, or None for a tampered or malformed one."""
    try:
        value = signing.Signer(salt=salt).unsign_object(token)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None

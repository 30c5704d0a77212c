"""What ORCID tells us about a user: the iD they proved by OAuth, and their public works.

Only an allauth SocialAccount (provider "orcid", uid = iD) counts as proof; an iD typed into
a form never does. Works are fetched through the ingest ORCID client and parser, outside any
transaction, and cached for an hour."""

from __future__ import annotations

import logging

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.cache import cache

from apps.ingest.clients.base import RetryPolicy, UpstreamError
from apps.ingest.clients.orcid import OrcidClient
from apps.ingest.normalized import ParseError
from apps.ingest.parsers import parse

logger = logging.getLogger(__name__)
# A person is waiting on the page: try twice, never sleep long.
INTERACTIVE_RETRY = RetryPolicy(max_attempts=2, max_wait=2.0, backoff_base=0.5)


def proven_orcid(user) -> str | None:
    """The ORCID iD `user` proved by signing in with (or linking) ORCID, else None."""
    if not user.is_authenticated:
        return None
    uids = SocialAccount.objects.filter(user=user, provider="orcid").values_list("uid", flat=True)
    return next(iter(uids[:1]), None)


def work_key(doi: str | None, arxiv_id: str | None) -> list[str]:
    """The identifier keys a work is compared by: "doi:…", "arxiv:…"."""
    return [k for k in (doi and f"doi:{doi}", arxiv_id and f"arxiv:{arxiv_id}") if k]


def orcid_work_keys(orcid: str | None) -> frozenset[str]:
    """Identifier keys of the public works on an ORCID record; empty when there is no iD or
    ORCID cannot be reached (suggestions and scores then rest on the other signals)."""
    if not orcid:
        return frozenset()
    cache_key = f"claims:orcid-works:{orcid}"
    cached = cache.get(cache_key)
    if cached is not None:
        return frozenset(cached)
    try:
        with OrcidClient(retry=INTERACTIVE_RETRY) as client:
            batch = parse("orcid", client.works(orcid).body)
    except (UpstreamError, ParseError) as exc:
        logger.warning("ORCID works for %s unavailable: %s", orcid, exc)
        return frozenset()
    keys = sorted({k for w in batch.works for k in work_key(w.doi, w.arxiv_id)})
    cache.set(cache_key, keys, settings.CLAIMS_ORCID_WORKS_CACHE_SECONDS)
    return frozenset(keys)

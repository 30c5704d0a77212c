"""The trust app's part of the author page: "Trust N · Tier" and "Verification Ln" first in
the snapshot, and "Why this score" (the breakdown) in the identity panel. One query (the
stored TrustRecord, joined to the page's author query), shared through the request. (The
holder's "ask for L3" link is in the claims panel: who holds a record is claims' answer.)"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from apps.records.panels import author_page_join, author_panel

from .models import TrustRecord

# The page's author query joins the stored score (no query of its own).
author_page_join("trust")


def _trust(request, author) -> TrustRecord | None:
    cache = request.__dict__.setdefault("_trust_record", {})
    if author.pk not in cache:
        try:
            cache[author.pk] = author.trust  # joined by the page, else one query
        except ObjectDoesNotExist:
            cache[author.pk] = None
    return cache[author.pk]


@author_panel(slot="snapshot", template="trust/_trust_lines.html", order=0)
def trust_lines(request, author) -> dict:
    return {"trust": _trust(request, author), "level": author.verification_level}


@author_panel(slot="identity", template="trust/_why.html", order=90)
def trust_why(request, author) -> dict:
    return {"trust": _trust(request, author)}

"""The claims app's part of the author page: Claimed/Unclaimed in the trust snapshot, and
the claim panel (claim button, who holds it, the holder's curation link) under identity.
Both read one query, shared through the request."""

from __future__ import annotations

from apps.records.panels import author_panel

from .models import Claim, PinnedWork


def _holder(request, author) -> Claim | None:
    cache = request.__dict__.setdefault("_claims_holder", {})
    if author.pk not in cache:
        cache[author.pk] = (
            Claim.objects.approved().filter(author=author).select_related("user").first()
        )
    return cache[author.pk]


# Other apps' panels read the holder through this (same request cache, no extra query).
page_holder = _holder


@author_panel(slot="snapshot", template="claims/_claim_status.html")
def claim_status(request, author) -> dict:
    return {"holder": _holder(request, author)}


@author_panel(slot="identity", template="claims/_claim_panel.html")
def claim_panel(request, author) -> dict:
    holder = _holder(request, author)
    user = request.user
    # Pins exist only on claimed records, so an unclaimed page pays no query for them.
    pins = PinnedWork.objects.filter(author=author).select_related("work") if holder else []
    return {
        "holder": holder,
        "is_holder": bool(holder and user.is_authenticated and holder.user_id == user.pk),
        "pins": list(pins),
    }

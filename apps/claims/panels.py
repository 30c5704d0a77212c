"""The claims app's part of the author page: Claimed/Unclaimed in the trust snapshot, and
the claim panel (claim button, who holds it, the holder's own links) under identity. Both
read one query, shared through the request."""

from __future__ import annotations

from apps.accounts.moderators import is_moderator
from apps.records.duplicates import likely_same_person
from apps.records.models import VerificationLevel
from apps.records.panels import author_panel

from .models import Claim, PinnedWork


def page_holder(request, author) -> Claim | None:
    """The claim in force on `author` for this request: one query per page, however many
    panels (this app's and others', e.g. collaboration's) ask."""
    cache = request.__dict__.setdefault("_claims_holder", {})
    if author.pk not in cache:
        cache[author.pk] = Claim.objects.holder_of(author)
    return cache[author.pk]


@author_panel(slot="snapshot", template="claims/_claim_status.html")
def claim_status(request, author) -> dict:
    return {"holder": page_holder(request, author)}


@author_panel(slot="identity", template="claims/_claim_panel.html")
def claim_panel(request, author) -> dict:
    holder = page_holder(request, author)
    user = request.user
    is_holder = bool(holder and user.is_authenticated and holder.user_id == user.pk)
    # Pins exist only on claimed records, so an unclaimed page pays no query for them.
    pins = PinnedWork.objects.filter(author=author).select_related("work") if holder else []
    return {
        "holder": holder,
        "is_holder": is_holder,
        "pins": list(pins),
        # The holder of an L2 record may ask a moderator for L3 (apps.trust).
        "can_ask_l3": is_holder and author.verification_level == VerificationLevel.L2,
    }


@author_panel(slot="identity", template="claims/_duplicates.html", order=60)
def likely_duplicates(request, author) -> dict | None:
    """Same-name records that may be this person, for the record's holder (to ask for a
    merge) and for moderators (to merge). Nothing is merged automatically; a visitor or
    another member sees nothing and costs no query."""
    user = request.user
    if not user.is_authenticated:
        return None
    holder = page_holder(request, author)
    is_holder = bool(holder and holder.user_id == user.pk)
    if not (is_holder or is_moderator(user)):
        return None
    candidates = likely_same_person(author)
    return {"candidates": candidates, "is_holder": is_holder} if candidates else None

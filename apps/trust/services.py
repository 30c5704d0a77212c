"""Reading trust for other apps. Recomputing it (from records, claims and moderation inputs)
belongs to the trust issue; until a record has been scored it counts as "New"."""

from __future__ import annotations

from .models import TrustRecord
from .score import tier_for


def trust_tier_of(author_id: int) -> str:
    """The tier label of a record's stored score ("New" when it has none yet)."""
    score = TrustRecord.objects.filter(author_id=author_id).values_list("score", flat=True)
    found = list(score[:1])
    return tier_for(found[0] if found else 0)

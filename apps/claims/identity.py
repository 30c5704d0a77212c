"""Claims' part of how people appear (apps.accounts.identity): a holder goes by their record."""

from __future__ import annotations

from .models import Claim


def held_record_names(user_ids: list[int]) -> dict[int, tuple[int, str]]:
    rows = Claim.objects.approved().filter(user_id__in=user_ids)
    return {
        user_id: (author_id, name)
        for user_id, author_id, name in rows.values_list(
            "user_id", "author_id", "author__display_name"
        )
    }

"""The moderation app's part of a data export: the reports the user filed (reports about
them stay with the moderators)."""

from __future__ import annotations

from apps.accounts.lifecycle import user_data

from .models import Report


@user_data("reports_filed")
def reports_data(user) -> list:
    fields = ["id", "target_type", "target_id", "reason", "note", "status", "created_at"]
    return list(Report.objects.filter(reporter=user).values(*fields))

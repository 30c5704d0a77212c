"""The notifications app's part of a data export."""

from __future__ import annotations

from apps.accounts.lifecycle import user_data

from .models import EmailPreference, Notification


@user_data("notifications")
def notifications_data(user) -> dict:
    return {
        "notifications": list(Notification.objects.filter(recipient=user).values()),
        "email_preferences": list(EmailPreference.objects.filter(user=user).values()),
    }

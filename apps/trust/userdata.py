"""The trust app's part of a data export: the user's identity verification requests."""

from __future__ import annotations

from apps.accounts.lifecycle import user_data

from .models import VerificationRequest


@user_data("verification_requests")
def verification_data(user) -> list:
    return list(VerificationRequest.objects.filter(user=user).values())

"""The claims app's part of a data export, and what deleting an account does to claims:
the held record is released (it stays public, unclaimed) and waiting claims are withdrawn."""

from __future__ import annotations

from apps.accounts.lifecycle import before_account_delete, user_data

from .models import Claim, MergeRequest


@user_data("claims")
def claims_data(user) -> dict:
    return {
        "claims": list(Claim.objects.filter(user=user).values()),
        "merge_requests": list(MergeRequest.objects.filter(requested_by=user).values()),
    }


@before_account_delete
def release_claims(user) -> None:
    from .services import claim_release, claim_withdraw

    if held := Claim.objects.held_by(user):
        claim_release(claim=held, actor=user, reason="account deleted")
    for claim in Claim.objects.pending().filter(user=user):
        claim_withdraw(claim=claim, actor=user)

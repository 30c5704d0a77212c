"""Moderators decide in their workspace (apps.moderation); these admin actions remain for
operators and call the same services (never a bare status update)."""

from __future__ import annotations

from django.contrib import admin, messages

from apps.core.errors import DomainError

from . import services
from .models import Claim, CurationDecision, Dispute, InstitutionDomain, MergeRequest

ADMIN_REASON = "Decided in the admin"


def _decision_actions(decide, approve: str, reject: str) -> list:
    """The two admin actions of a decision: `decide(obj, actor, yes)` on each selected row,
    each refusal reported beside the others."""

    def action(yes: bool, description: str):
        def run(modeladmin, request, queryset) -> None:
            done = 0
            for obj in queryset:
                try:
                    decide(obj, request.user, yes)
                    done += 1
                except DomainError as exc:
                    modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
            if done:
                modeladmin.message_user(request, f"{done} decided.", messages.SUCCESS)

        run.__name__ = "approve" if yes else "reject"
        return admin.action(description=description)(run)

    return [action(True, approve), action(False, reject)]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["author", "user", "kind", "status", "score", "created_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["user", "author", "decided_by"]
    readonly_fields = ["score", "score_components", "decided_at", "decided_by"]
    ordering = ["status", "created_at"]
    actions = _decision_actions(
        lambda c, actor, yes: services.claim_decide(
            claim=c, actor=actor, approve=yes, reason=ADMIN_REASON),
        "Approve selected claims", "Reject selected claims",
    )  # fmt: skip


class DecisionAdmin(admin.ModelAdmin):
    """A decided request, filtered by status; its actions call the deciding service."""

    list_filter = ["status"]


def _decide_dispute(dispute, actor, uphold: bool):
    outcome = "challenger" if uphold else "holder"
    return services.dispute_decide(
        dispute=dispute, actor=actor, outcome=outcome, reason=ADMIN_REASON
    )


def _decide_merge(merge, actor, approve: bool):
    return services.merge_decide(merge=merge, actor=actor, approve=approve, reason=ADMIN_REASON)


@admin.register(Dispute)
class DisputeAdmin(DecisionAdmin):
    list_display = ["author", "status", "created_at"]
    raw_id_fields = ["author", "claim", "held_claim", "decided_by"]
    actions = _decision_actions(
        _decide_dispute, "Uphold: the challenger takes the record", "Reject: the holder keeps it"
    )


@admin.register(MergeRequest)
class MergeRequestAdmin(DecisionAdmin):
    list_display = ["duplicate", "survivor", "requested_by", "status", "created_at"]
    raw_id_fields = ["requested_by", "survivor", "duplicate", "decided_by"]
    actions = _decision_actions(_decide_merge, "Approve: merge the duplicate", "Reject")


@admin.register(CurationDecision)
class CurationDecisionAdmin(admin.ModelAdmin):
    list_display = ["author", "work", "action", "actor", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["author", "work", "actor", "new_author"]


@admin.register(InstitutionDomain)
class InstitutionDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "institution"]
    raw_id_fields = ["institution"]

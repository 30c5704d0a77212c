"""Moderators decide in their workspace (apps.moderation); these admin actions remain for
operators and call the same services (never a bare status update)."""

from __future__ import annotations

from django.contrib import admin, messages

from apps.core.errors import DomainError

from . import services
from .models import Claim, CurationDecision, Dispute, InstitutionDomain, MergeRequest

ADMIN_REASON = "Decided in the admin"


def _run(modeladmin, request, queryset, call) -> None:
    done = 0
    for obj in queryset:
        try:
            call(obj)
            done += 1
        except DomainError as exc:  # the admin reports each refusal beside the others
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} decided.", messages.SUCCESS)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["author", "user", "kind", "status", "score", "created_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["user", "author", "decided_by"]
    readonly_fields = ["score", "score_components", "decided_at", "decided_by"]
    ordering = ["status", "created_at"]
    actions = ["approve", "reject"]

    @admin.action(description="Approve selected claims")
    def approve(self, request, queryset):
        _run(self, request, queryset, lambda c: services.claim_decide(
            claim=c, actor=request.user, approve=True, reason=ADMIN_REASON))  # fmt: skip

    @admin.action(description="Reject selected claims")
    def reject(self, request, queryset):
        _run(self, request, queryset, lambda c: services.claim_decide(
            claim=c, actor=request.user, approve=False, reason=ADMIN_REASON))  # fmt: skip


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["author", "claim", "held_claim", "decided_by"]
    actions = ["uphold", "reject"]

    @admin.action(description="Uphold: the challenger takes the record")
    def uphold(self, request, queryset):
        _run(self, request, queryset, lambda d: services.dispute_decide(
            dispute=d, actor=request.user, uphold=True, reason=ADMIN_REASON))  # fmt: skip

    @admin.action(description="Reject: the holder keeps the record")
    def reject(self, request, queryset):
        _run(self, request, queryset, lambda d: services.dispute_decide(
            dispute=d, actor=request.user, uphold=False, reason=ADMIN_REASON))  # fmt: skip


@admin.register(MergeRequest)
class MergeRequestAdmin(admin.ModelAdmin):
    list_display = ["duplicate", "survivor", "requested_by", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["requested_by", "survivor", "duplicate", "decided_by"]
    actions = ["approve", "reject"]

    @admin.action(description="Approve: merge the duplicate")
    def approve(self, request, queryset):
        _run(self, request, queryset, lambda m: services.merge_decide(
            merge=m, actor=request.user, approve=True, reason=ADMIN_REASON))  # fmt: skip

    @admin.action(description="Reject")
    def reject(self, request, queryset):
        _run(self, request, queryset, lambda m: services.merge_decide(
            merge=m, actor=request.user, approve=False, reason=ADMIN_REASON))  # fmt: skip


@admin.register(CurationDecision)
class CurationDecisionAdmin(admin.ModelAdmin):
    list_display = ["author", "work", "action", "actor", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["author", "work", "actor", "new_author"]


@admin.register(InstitutionDomain)
class InstitutionDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "institution"]
    raw_id_fields = ["institution"]

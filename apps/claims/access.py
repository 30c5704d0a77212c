"""Access helpers: fetch what a person may see or act on, else 404 (STYLE.md)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.accounts.moderators import is_moderator

from .models import Claim, Dispute, MergeRequest, RecordRequest


def get_claim_for_user(user, pk: int) -> Claim:
    """The claimant and moderators see a claim and its evidence; anyone else gets a 404."""
    qs = Claim.objects.visible_to(user).select_related("author", "user", "decided_by")
    return get_object_or_404(qs, pk=pk)


def get_dispute_for_user(user, pk: int) -> Dispute:
    """Both sides of a dispute and moderators see it (each side sees only its own evidence:
    templates show the other side's claim without its evidence)."""
    if not user.is_authenticated:
        raise Http404
    qs = Dispute.objects.select_related("author", "claim__user", "held_claim__user")
    if not is_moderator(user):
        qs = qs.filter(Q(claim__user=user) | Q(held_claim__user=user))
    return get_object_or_404(qs, pk=pk)


def get_merge_for_user(user, pk: int) -> MergeRequest:
    if not user.is_authenticated:
        raise Http404
    qs = MergeRequest.objects.select_related("survivor", "duplicate", "requested_by")
    if not is_moderator(user):
        qs = qs.filter(requested_by=user)
    return get_object_or_404(qs, pk=pk)


def get_record_history_for_user(user, author):
    """A record's audit rows: its holder and moderators see them; anyone else gets a 404."""
    from apps.audit.models import AuditEvent

    if not user.is_authenticated:
        raise Http404
    if not is_moderator(user) and not Claim.objects.holds(user, author):
        raise Http404
    return AuditEvent.objects.about_author(author.pk)


def get_record_request_for_user(user, pk: int) -> RecordRequest:
    """A request for a new record is seen by the person who made it only (else 404)."""
    if not user.is_authenticated:
        raise Http404
    qs = RecordRequest.objects.select_related("author", "duplicate", "claim")
    return get_object_or_404(qs, pk=pk, user=user)

"""Blocks: `blocker` receives nothing more from `blocked`, who is never told."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.errors import Refused

from ..models import Block, Invitation


def blockers_between(a, b) -> set[int]:
    """The ids among `a` and `b` who blocked the other (empty when neither did): one query."""
    pair = Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)
    return set(Block.objects.filter(pair).values_list("blocker_id", flat=True))


@transaction.atomic
def block_create(*, blocker, blocked) -> Block:
    """Block `blocked`: no invitations or messages from them reach `blocker` any more. Their
    open invitations to `blocker` quietly expire (what they would see if ignored)."""
    if blocker.pk == blocked.pk:
        raise Refused("You cannot block yourself.")
    block, made = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if made:
        Invitation.objects.pending().filter(sender=blocked, recipient=blocker).update(
            status=Invitation.Status.EXPIRED, decided_at=timezone.now()
        )
        audit_record(actor=blocker, action="block.create", target=block, subject_user=blocker)
    return block


@transaction.atomic
def block_delete(*, blocker, blocked) -> bool:
    block = Block.objects.filter(blocker=blocker, blocked=blocked).first()
    if block is None:
        return False
    audit_record(actor=blocker, action="block.delete", target=block, subject_user=blocker)
    block.delete()
    return True

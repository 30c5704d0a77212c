"""Background work of the moderators' workspace: rescanning records for likely mix-ups."""

from __future__ import annotations

from celery import shared_task

from .mixups import mixups_scan


@shared_task(name="moderation.mixups_scan")
def mixups_scan_task(author_ids: list[int]) -> int:
    return mixups_scan(author_ids)

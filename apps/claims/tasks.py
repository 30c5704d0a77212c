"""Celery tasks: ids in, a service call, nothing else (STYLE.md)."""

from __future__ import annotations

from celery import shared_task

from .services.newrecord import record_request_run


@shared_task(name="claims.record_create")
def record_request_run_task(request_id: int) -> str:
    """Make the record a researcher asked for ("No record yet?"); on the interactive queue
    (settings' CELERY_TASK_ROUTES), since the person is watching its progress."""
    request = record_request_run(request_id)
    return request.status if request else "skipped"

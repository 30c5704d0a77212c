"""Celery tasks: ids in, a service call, nothing else (STYLE.md).

Each task is its service's name with `_task` added. The registered `name=` is the one the task
was first queued under, kept so that beat's schedule and messages already in a broker still
find it."""

from __future__ import annotations

from celery import shared_task

from .refresh import author_refresh
from .services import refresh_schedule


@shared_task(name="ingest.refresh_author", bind=True)
def author_refresh_task(self, author_id: int) -> int:
    """Refresh one author from every source. acks_late (settings): a task whose worker dies
    is delivered again and, holding the same task id, takes over the author's lock."""
    return len(author_refresh(author_id, task_id=self.request.id or ""))


@shared_task(name="ingest.refresh_author_now", bind=True)
def author_refresh_now_task(self, author_id: int) -> int:
    """The same refresh, asked for by a person ("refresh now"): its own name so that settings
    route it to the interactive queue, ahead of the scheduler's bulk."""
    return len(author_refresh(author_id, task_id=self.request.id or ""))


@shared_task(name="ingest.schedule_refreshes")
def refresh_schedule_task() -> int:
    """Beat runs this: queue the records most due for a refresh."""
    return len(refresh_schedule())

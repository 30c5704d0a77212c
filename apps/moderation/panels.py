"""The moderators' part of the home page: how many items wait in each queue, and the way to
the workspace. One COUNT a queue, for moderators only."""

from __future__ import annotations

from apps.accounts.moderators import is_moderator
from apps.records.panels import page_panel

from .queues import QUEUES


@page_panel(page="home", template="moderation/_home_queues.html", order=30)
def home_queues(request, **context) -> dict | None:
    if not is_moderator(request.user):
        return None
    return {"queues": [(label, find().count()) for label, find in QUEUES.values()]}

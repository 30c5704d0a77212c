"""What an import tells the apps above it, without importing them (arrows point one way).

An app registers a callback in its AppConfig.ready():

    from apps.ingest.hooks import on_works_created

    @on_works_created
    def notify_followers(work_ids: list[int]) -> None: ...  # enqueue a task; return fast

The importer calls every callback after its transaction commits (a rolled-back import tells
nobody) with the ids of the works it created. A callback may be called twice for one work
(two workers importing it at once), so what it starts must be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable

_works_created: list[Callable[[list[int]], None]] = []


def on_works_created(func: Callable[[list[int]], None]) -> Callable[[list[int]], None]:
    if func not in _works_created:
        _works_created.append(func)
    return func


def works_created(work_ids: list[int]) -> None:
    """Tell every registered callback about newly created works."""
    for func in _works_created:
        func(work_ids)

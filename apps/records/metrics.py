"""Pure metric computations over plain numbers."""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Iterable

CLOSE_COLLABORATOR_MIN_SHARED = 2


def h_index(citation_counts: Iterable[int]) -> int:
    """The largest h such that h works have at least h citations each."""
    h = 0
    for rank, cited in enumerate(sorted(citation_counts, reverse=True), start=1):
        if cited < rank:
            break
        h = rank
    return h


RECENT_WORKS = 3  # newest works a recognition card lists


def years_active(years: Iterable[int | None]) -> tuple[int | None, int | None]:
    """The first and last of the years given (undated works left out); (None, None) if none."""
    dated = [y for y in years if y is not None]
    return (min(dated), max(dated)) if dated else (None, None)


def newest_work_ids(works: Iterable[tuple[int, datetime.date | None]]) -> list[int]:
    """The ids of the RECENT_WORKS newest of (work id, publication date) pairs, newest first:
    undated works last, ties by the higher id (Work.objects.newest_first's order)."""

    def age(work: tuple[int, datetime.date | None]) -> tuple[bool, int, int]:
        work_id, date = work
        return (date is None, -date.toordinal() if date else 0, -work_id)

    return [work_id for work_id, _ in heapq.nsmallest(RECENT_WORKS, works, key=age)]

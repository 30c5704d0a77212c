"""Pure metric computations over plain numbers."""

from __future__ import annotations

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

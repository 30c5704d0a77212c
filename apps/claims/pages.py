"""What the curation page shows, in a fixed number of queries."""

from __future__ import annotations

from apps.records.models import Author, Work

from .models import MergeRequest, PinnedWork

CURATION_LIST = 200  # works listed for curation, newest first


def curation_context(author: Author) -> dict:
    visible = Work.objects.visible_on(author).newest_first().select_related("venue")
    disowned = (
        Work.objects.filter(authorships__author=author, authorships__status="disowned")
        .newest_first()
        .select_related("venue")
    )
    return {
        "author": author,
        "works": list(visible[:CURATION_LIST]),
        "disowned": list(disowned[:CURATION_LIST]),
        "pinned": set(PinnedWork.objects.filter(author=author).values_list("work_id", flat=True)),
        "merges": list(
            MergeRequest.objects.filter(survivor=author).select_related("duplicate")[:20]
        ),
    }

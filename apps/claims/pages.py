"""What the curation page shows, in a fixed number of queries: the works, those marked not
mine, pins, merges, and the works grouped "looks like two people" (records.clusters)."""

from __future__ import annotations

from apps.records.clusters import clusters_for
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
    works = list(visible[:CURATION_LIST])
    clusters, by_id = clusters_for(author), {w.pk: w for w in works}
    for group in clusters.groups:
        group.works = [by_id[w] for w in group.work_ids if w in by_id]
    return {
        "author": author,
        "works": works,
        "clusters": clusters,
        "disowned": list(disowned[:CURATION_LIST]),
        "pinned": set(PinnedWork.objects.filter(author=author).values_list("work_id", flat=True)),
        "merges": list(
            MergeRequest.objects.filter(survivor=author).select_related("duplicate")[:20]
        ),
    }

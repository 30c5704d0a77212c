"""The trust app's part of the author page: "Trust N · Tier" and "Verification Ln" first in
the snapshot, and "Why this score" (the breakdown) in the identity panel. One query (the
stored TrustRecord, joined to the page's author query), shared through the request. (The
holder's "ask for L3" link is in the claims panel: who holds a record is claims' answer.)"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import OuterRef
from django.db.models.functions import JSONObject

from apps.records.charts import line_chart
from apps.records.panels import author_page_annotation, author_page_join, author_panel

from .models import TrustHistory, TrustRecord

HISTORY_POINTS = 20

# The page's author query joins the stored score (no query of its own).
author_page_join("trust")


def _recent_history(author_ref):
    return (
        TrustHistory.objects.filter(author=author_ref)
        .order_by("-computed_at", "-id")
        .values(point=JSONObject(score="score", at="computed_at"))[:HISTORY_POINTS]
    )


if connection.vendor == "postgresql":  # the history rides on the author query as an array
    from django.contrib.postgres.expressions import ArraySubquery

    author_page_annotation("trust_points", lambda: ArraySubquery(_recent_history(OuterRef("pk"))))


def _trust(request, author) -> TrustRecord | None:
    cache = request.__dict__.setdefault("_trust_record", {})
    if author.pk not in cache:
        try:
            cache[author.pk] = author.trust  # joined by the page, else one query
        except ObjectDoesNotExist:
            cache[author.pk] = None
    return cache[author.pk]


@author_panel(slot="snapshot", template="trust/_trust_lines.html", order=0)
def trust_lines(request, author) -> dict:
    return {"trust": _trust(request, author), "level": author.verification_level}


def history_chart(author):
    """The score's last changes as a line, oldest first; None with fewer than two."""
    points = getattr(author, "trust_points", None)
    if points is None:  # not annotated (SQLite): one query
        points = [row["point"] for row in _recent_history(author)]
    rows = [(str(point["at"])[:10], point["score"]) for point in reversed(points)]
    return line_chart(
        "trust-history",
        "Trust score history",
        rows,
        top=100,
        noun="scores",
        source=f"The last {HISTORY_POINTS} changes at most, oldest first",
    )


@author_panel(slot="identity", template="trust/_why.html", order=90)
def trust_why(request, author) -> dict:
    return {"trust": _trust(request, author), "history": history_chart(author)}

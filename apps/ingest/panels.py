"""The ingest app's part of the record pages: on the author page, when the record was
refreshed, from where, the last error, and a "refresh now" button for signed-in users; on a
work's page, which source each field came from."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.core.pagecache import cached_fragment
from apps.records.models import Author
from apps.records.panels import (
    author_page_annotation,
    author_page_join,
    author_panel,
    work_panel,
)

from .importer.precedence import winner
from .models import AuthorRefreshState, Outcome, RefreshLog

SOURCE_NAMES = {"openalex": "OpenAlex", "orcid": "ORCID", "crossref": "Crossref", "arxiv": "arXiv"}
RECENT_LOGS = 12
FAILED = (Outcome.TRANSIENT, Outcome.PERMANENT, Outcome.DATABASE)
BACKING_OFF_AFTER = 2  # failed runs in a row before the page says the record is tried less often


@author_panel(slot="status", template="ingest/_refresh_status.html")
def refresh_status(request, author) -> dict:
    """In plain words: when the record was last updated and from where, whether an update is
    running, and, when the last one failed, from which source and when it is tried again.
    What went wrong upstream is for staff only."""
    logs = cached_fragment("refresh-logs", [("author", author.pk)], lambda: _recent_logs(author))
    ok = [log for log in logs if log.outcome == Outcome.OK]
    latest_run = [log for log in logs if log.task_id == logs[0].task_id] if logs else []
    errors = [log for log in latest_run if log.outcome in FAILED]
    facts = _refresh_facts(author) if author.openalex_id or author.orcid else None
    can_refresh = bool(facts and facts["upstream"])
    return {
        "refreshed_at": ok[0].finished_at if ok else None,
        "sources": [
            name for source, name in SOURCE_NAMES.items() if any(log.source == source for log in ok)
        ],
        "failed_source": _source_name(errors[0].source) if errors else "",
        "retry_when": _when(_retry_at(errors, facts)) if errors else "",
        "latest": _latest_result(latest_run) if latest_run else None,
        "running": bool(can_refresh and facts["enqueued_at"]),
        # What went wrong is for staff: it can name hosts, constraints and upstream details.
        "error_detail": _state_error(author) if request.user.is_staff else "",
        "can_request": request.user.is_authenticated and can_refresh,
        "refreshable": can_refresh,
        "demo": bool(facts) and not can_refresh,
        "backoff": facts if can_refresh and facts["failures"] >= BACKING_OFF_AFTER else None,
    }


def _source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, "one of its sources")


def _retry_at(errors: list[RefreshLog], facts: dict | None):
    """When the failed update is tried again: the source's own Retry-After, else the next
    scheduled refresh."""
    asked = [log.retry_at for log in errors if log.retry_at is not None]
    return max(asked) if asked else (facts or {}).get("next_due_at")


def _when(moment) -> str:
    """ "at 14:00" today, "on 8 Dec at 14:00" later, "soon" when unknown or already past."""
    now = timezone.localtime()
    if moment is None or moment <= now:
        return "soon"
    moment = timezone.localtime(moment)
    day = "" if moment.date() == now.date() else f"on {moment.day} {moment:%b} "
    return f"{day}at {moment:%H:%M}"


def _latest_result(run: list[RefreshLog]) -> dict:
    """What the last update did, for "Refresh now" to report when it is done."""
    return {
        "finished_at": max(log.finished_at for log in run),
        "failed": any(log.outcome in FAILED for log in run),
        "new_works": sum(log.created for log in run),
        "changed": sum(log.updated for log in run),
    }


def _recent_logs(author) -> list[RefreshLog]:
    return list(RefreshLog.objects.filter(author=author).order_by("-finished_at")[:RECENT_LOGS])


def _upstream_subquery():
    return Exists(Author.objects.upstream().filter(pk=OuterRef("pk")))


# The page's one author query carries what this panel needs: the refresh state (joined) and
# whether a source may be asked about the record at all (not the demo community's).
author_page_join("refresh_state")
author_page_annotation("refresh_upstream", _upstream_subquery)


def _refresh_facts(author) -> dict:
    """May a source be asked about the record, and how many of its refreshes failed in a row
    (with when the next is due). Free on the author page; two small queries elsewhere."""
    upstream = getattr(author, "refresh_upstream", None)
    if upstream is None:
        upstream = Author.objects.upstream().filter(pk=author.pk).exists()
    try:
        state = author.refresh_state
    except ObjectDoesNotExist:
        state = None
    return {
        "upstream": upstream,
        "failures": state.consecutive_failures if state else 0,
        "next_due_at": state.next_due_at if state else None,
        "enqueued_at": state.enqueued_at if state else None,
    }


def _state_error(author) -> str:
    return (
        AuthorRefreshState.objects.filter(pk=author.pk).values_list("last_error", flat=True).first()
        or ""
    )


# Which source each field of a work page came from, as the importer's precedence chose it.
FIELD_LABELS = (
    ("title", "title"),
    ("byline", "authors"),
    ("publication_date", "date"),
    ("venue", "venue"),
    ("abstract", "abstract"),
    ("citation_count", "citations"),
)


@work_panel(template="ingest/_field_sources.html")
def field_sources(request, works) -> dict[int, dict]:
    """On a work's own page only (one query): "title from Crossref, 3 Dec 2026" for each
    shown field, naming the source whose assertion won and when we last fetched it."""
    match = getattr(request, "resolver_match", None)
    if len(works) != 1 or match is None or match.view_name != "records:work":
        return {}
    work = works[0]
    by_source: dict[str, list[dict]] = {}
    fetched: dict[int, tuple[str, object]] = {}
    for row in work.provenance.order_by("source_key"):
        by_source.setdefault(row.source, []).append(row.fields)
        fetched[id(row.fields)] = (row.source, row.fetched_at)
    lines = []
    for field, label in FIELD_LABELS:
        fields, _ = winner(field, by_source)
        if fields is not None:
            source, when = fetched[id(fields)]
            lines.append({"field": label, "source": SOURCE_NAMES.get(source, source), "at": when})
    return {work.pk: {"lines": lines}} if lines else {}

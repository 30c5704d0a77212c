"""The ingest app's part of the author page: when the record was refreshed, from where, the
last error, and a "refresh now" button for signed-in users."""

from __future__ import annotations

from apps.records.panels import author_panel

from .models import AuthorRefreshState, Outcome, RefreshLog

SOURCE_NAMES = {"openalex": "OpenAlex", "orcid": "ORCID", "crossref": "Crossref", "arxiv": "arXiv"}
RECENT_LOGS = 12
FAILED = (Outcome.TRANSIENT, Outcome.PERMANENT, Outcome.DATABASE)


@author_panel(slot="status", template="ingest/_refresh_status.html")
def refresh_status(request, author) -> dict:
    logs = list(RefreshLog.objects.filter(author=author).order_by("-finished_at")[:RECENT_LOGS])
    ok = [log for log in logs if log.outcome == Outcome.OK]
    latest_run = [log for log in logs if log.task_id == logs[0].task_id] if logs else []
    errors = [log for log in latest_run if log.outcome in FAILED]
    can_refresh = bool(author.openalex_id or author.orcid)
    staff = request.user.is_staff
    return {
        "refreshed_at": ok[0].finished_at if ok else None,
        "sources": [
            name for source, name in SOURCE_NAMES.items() if any(log.source == source for log in ok)
        ],
        "last_error": errors[0] if errors else None,
        # What went wrong is for staff: it can name hosts, constraints and upstream details.
        "error_detail": _state_error(author) if staff else "",
        "can_request": request.user.is_authenticated and can_refresh,
        "refreshable": can_refresh,
    }


def _state_error(author) -> str:
    return (
        AuthorRefreshState.objects.filter(pk=author.pk).values_list("last_error", flat=True).first()
        or ""
    )

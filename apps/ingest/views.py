from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.records.views import get_author_or_404

from .panels import refresh_status as refresh_panel
from .services import RefreshAnswer, RefreshTooSoon, refresh_request, refreshable_authors


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _status_fragment(request: HttpRequest, author, **extra) -> HttpResponse:
    panel = {**refresh_panel(request, author), **extra}
    return render(request, "ingest/_refresh_status.html", {"panel": panel, "author": author})


@login_required
@require_POST
def refresh_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for an update now. With htmx the status panel comes back in place (and polls while
    the update runs); without, the author page says the same after the redirect."""
    author = get_author_or_404(pk)
    failed, text = True, "No source can be asked about this record (no real identifier)."
    if refreshable_authors().filter(pk=author.pk).exists():
        try:
            answer = refresh_request(author, user_id=request.user.pk)
        except RefreshTooSoon as exc:
            text = str(exc)
        else:
            failed, text = answer is RefreshAnswer.NOT_QUEUED, answer.value
    if _is_htmx(request):
        return _status_fragment(request, author, message=text)
    (messages.error if failed else messages.success)(request, text)
    return redirect("records:author", pk=author.pk)


@require_GET
def refresh_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status panel alone, which htmx polls while an update runs; once it is over it
    reports what the update did. Without htmx: the author page."""
    author = get_author_or_404(pk)
    if not _is_htmx(request):
        return redirect("records:author", pk=author.pk)
    return _status_fragment(request, author, done=True)

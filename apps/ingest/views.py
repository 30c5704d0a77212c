from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.records.views import get_author_or_404

from .services import RefreshTooSoon, refresh_request, refreshable_authors


@login_required
@require_POST
def refresh_now(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_author_or_404(pk)
    if not refreshable_authors().filter(pk=author.pk).exists():
        messages.error(request, "No source can be asked about this record (no real identifier).")
    else:
        try:
            queued = refresh_request(author, user_id=request.user.pk)
        except RefreshTooSoon as exc:
            messages.error(request, str(exc))
        else:
            text = "Refresh queued." if queued else "A refresh of this record is already running."
            messages.success(request, text)
    return redirect("records:author", pk=author.pk)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.records.views import get_author_or_404

from .services import RefreshAnswer, RefreshTooSoon, refresh_request, refreshable_authors


@login_required
@require_POST
def refresh_now(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_author_or_404(pk)
    if not refreshable_authors().filter(pk=author.pk).exists():
        messages.error(request, "No source can be asked about this record (no real identifier).")
    else:
        try:
            answer = refresh_request(author, user_id=request.user.pk)
        except RefreshTooSoon as exc:
            messages.error(request, str(exc))
        else:
            failed = answer is RefreshAnswer.NOT_QUEUED
            (messages.error if failed else messages.success)(request, answer.value)
    return redirect("records:author", pk=author.pk)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.records.views import get_author_or_404

from .services import RefreshAnswer, RefreshTooSoon, refresh_request


@login_required
@require_POST
def refresh_now(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_author_or_404(pk)
    if not (author.openalex_id or author.orcid):
        messages.error(request, "This record has no identifier a source could be asked about.")
    else:
        try:
            answer = refresh_request(author, user_id=request.user.pk)
        except RefreshTooSoon as exc:
            messages.error(request, str(exc))
        else:
            failed = answer is RefreshAnswer.NOT_QUEUED
            (messages.error if failed else messages.success)(request, answer.value)
    return redirect("records:author", pk=author.pk)

"""The holder's L3 request and the confirmation link sent to their institutional email."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from apps.core.forms import form_submit
from apps.records.models import Author

from . import services
from .models import VerificationRequest


class VerificationForm(forms.Form):
    email = forms.EmailField(label="Your institutional email (we send a link to it)")
    note = forms.CharField(
        label="A note for the moderators (your role, a staff page that lists you…)",
        required=False,
        max_length=services.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify_request(request: HttpRequest, pk: int) -> HttpResponse:
    author = get_object_or_404(Author.objects.active(), pk=pk)
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form_submit(form, lambda data: services.verification_request(
            user=request.user, author=author, **data)):  # fmt: skip
        messages.success(request, "Check your institutional inbox for the confirmation link.")
        return redirect("trust:verify", author.pk)
    open_requests = VerificationRequest.objects.filter(author=author, user=request.user)
    context = {"author": author, "form": form, "requests": list(open_requests[:10])}
    return render(request, "trust/verify.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def verify_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms (a bad or expired link
    is an error page, apps.core.middleware)."""
    if request.method == "GET":
        return render(request, "trust/verify_confirm.html", {"token": token})
    done = services.verification_confirm(token=token)
    return render(request, "trust/verify_confirm.html", {"done": done})

"""Pages of misattribution reports for everyone signed in: the form that files one (from a
work's "Wrong person?" link) and the report's own page, where its reporter follows it, the
record's holder can say "not mine" and moderators decide (attributions.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.core.forms import form_submit
from apps.core.middleware import returns_to
from apps.core.routes import Routes
from apps.records.models import Author, Work

from .attributions import (
    attribution_for_user,
    attribution_holder_disown,
    attribution_report,
    daily_limit,
)

route = Routes()

FILED = (
    "Thank you. The record's holder and the moderators will look at it; "
    "you will hear what they decide."
)


class AttributionForm(forms.Form):
    """Which record and which work: one of them is fixed by the page the form opens from
    (a work's byline offers its records, a record offers its works)."""

    author = forms.ModelChoiceField(queryset=Author.objects.none(), label="Whose record",
                                    empty_label=None)  # fmt: skip
    work = forms.ModelChoiceField(queryset=Work.objects.none(), label="Which work",
                                  empty_label=None)  # fmt: skip
    reason = forms.CharField(
        label="Why is it not theirs?", widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.URLField(required=False, max_length=500, assume_scheme="https",
                              label="Evidence link (optional)")  # fmt: skip

    def __init__(self, *args, work: Work | None = None, author: Author | None = None, **kw):
        super().__init__(*args, **kw)
        if work is not None:
            self.fields["author"].queryset = Author.objects.filter(
                authorships__work=work, authorships__status="active"
            ).order_by("authorships__position")
            self.fields["work"].queryset = Work.objects.filter(pk=work.pk)
            self.fields["work"].widget = forms.HiddenInput()
            self.initial.setdefault("work", work.pk)
        if author is not None:
            self.fields["work"].queryset = Work.objects.visible_on(author).order_by("title")
            self.fields["author"].queryset = Author.objects.filter(pk=author.pk)
            self.fields["author"].widget = forms.HiddenInput()
            self.initial.setdefault("author", author.pk)


def _file(request, form: AttributionForm, context: dict) -> HttpResponse:
    """File the report when the form is posted and valid, else show the form."""

    def file(data: dict):
        return attribution_report(reporter=request.user, author=data["author"], work=data["work"],
                                  reason=data["reason"], evidence_url=data["evidence"])  # fmt: skip

    if request.method == "POST" and form_submit(form, file):
        messages.success(request, FILED)
        return redirect("reports:attribution", form.result.pk)
    context = {**context, "form": form, "limit": daily_limit(request.user)}
    status = 400 if form.is_bound else 200
    return render(request, "moderation/attribution_new.html", context, status=status)


@route("authors/<id:pk>/report-work/", name="attribution_on_record")
@login_required
def attribution_on_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Report one of a record's works (the record's page links here)."""
    author = get_object_or_404(Author, pk=pk)
    form = AttributionForm(request.POST or None, author=author)
    return _file(request, form, {"author": author})


@route("works/<id:pk>/report-author/", name="attribution_new")
@login_required
def attribution_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a record on a work's byline (the work's page links here)."""
    work = get_object_or_404(Work, pk=pk)
    author = request.GET.get("author", "")
    initial = {"author": int(author)} if author.isdigit() else None
    form = AttributionForm(request.POST or None, work=work, initial=initial)
    return _file(request, form, {"work": work})


@route("reports/works/<id:pk>/", name="attribution")
@login_required
def attribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report, holds = attribution_for_user(pk, request.user)
    return render(request, "moderation/attribution_detail.html", {"report": report, "holds": holds})


@route("reports/works/<id:pk>/not-mine/", name="attribution_disown")
@login_required
@require_POST
@returns_to("reports:attribution", "pk")
def attribution_disown(request: HttpRequest, pk: int) -> HttpResponse:
    report, _ = attribution_for_user(pk, request.user)
    attribution_holder_disown(report=report, user=request.user)
    messages.success(request, 'Marked "not mine". The reporter was told.')
    return redirect("reports:attribution", pk)

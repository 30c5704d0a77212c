"""Claim pages. Each view parses input, fetches through an access helper, calls one service
and redirects (POST/redirect/GET). A refusal is the form's error (apps.core.forms), else a
message on the page each view `returns_to` (apps.core.middleware)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.moderators import is_moderator
from apps.accounts.orcid_setup import orcid_configured
from apps.core.errors import Refused
from apps.core.forms import form_submit
from apps.core.middleware import returns_to
from apps.core.reasons import reason_pick
from apps.core.routes import Routes
from apps.records.cards import attach_cards
from apps.records.models import Author, Work, WorkLink
from apps.records.pages import record_outlines
from apps.trust.models import VerificationRequest

from . import services
from .access import (
    get_claim_for_user,
    get_dispute_for_user,
    get_merge_for_user,
    get_record_history_for_user,
    get_record_request_for_user,
)
from .forms import (
    CURATION_DONE,
    AddWorkForm,
    DisputeDecideForm,
    EvidenceForm,
    FindForm,
    MergeForm,
    NamesForm,
    NewRecordForm,
    PinsForm,
    StatementForm,
    VerificationForm,
    WorkLinkForm,
    WorksForm,
)
from .models import Claim, Dispute, MergeRequest, RecordRequest
from .orcid import proven_orcid
from .pages import curation_context, dispute_context
from .suggestions import suggestions_for

route = Routes()  # this module's pages (apps.core.routes)


def _active_author(pk: int) -> Author:
    return get_object_or_404(Author.objects.active(), pk=pk)


@route("authors/<id:pk>/claim/", name="start")
@login_required
@require_http_methods(["GET", "POST"])
def claim_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The claim page: an ORCID claim when the proven iD matches, else the evidence form
    with the score it would get."""
    author = _active_author(pk)
    form = EvidenceForm(request.POST or None)
    if request.method == "POST" and form_submit(form, lambda data: services.claim_evidence(
            user=request.user, author=author, evidence=form.evidence())):  # fmt: skip
        return redirect("claims:claim", form.result.pk)
    context = {
        "author": author,
        "form": form,
        "orcid": proven_orcid(request.user),
        "orcid_ready": orcid_configured(),
        "holder": Claim.objects.holder_of(author),
        "preview": services.evidence_preview(request.user, author),
    }
    return render(request, "claims/claim_start.html", context, status=400 if form.errors else 200)


@route("authors/<id:pk>/claim/orcid/", name="claim_orcid")
@login_required
@require_POST
@returns_to("claims:start", "pk")
def claim_orcid_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = services.claim_orcid(user=request.user, author=_active_author(pk))
    return redirect("claims:claim", claim.pk)


@route("claims/<id:pk>/", name="claim")
@login_required
@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk)
    dispute = Dispute.objects.filter(claim=claim).first()
    return render(request, "claims/claim_detail.html", {"claim": claim, "dispute": dispute})


@route("claims/<id:pk>/withdraw/", name="withdraw")
@login_required
@require_POST
@returns_to("claims:claim", "pk")
def claim_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk)
    services.claim_withdraw(claim=claim, actor=request.user)
    messages.success(request, "Your claim was withdrawn.")
    return redirect("claims:claim", pk)


@route("claims/<id:pk>/release/", name="release")
@login_required
@require_POST
@returns_to("claims:claim", "pk")
def claim_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk)
    services.claim_release(claim=claim, actor=request.user)
    messages.success(request, f"You released {claim.author}. It is unclaimed again.")
    return redirect("records:author", claim.author_id)


@route("claims/", name="mine")
@login_required
@require_GET
def my_claims(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.of_user(request.user).select_related("author").order_by("-created_at")
    merges = MergeRequest.objects.filter(requested_by=request.user).select_related(
        "survivor", "duplicate"
    )
    context = {"claims": list(claims[:50]), "merges": list(merges.order_by("-created_at")[:50])}
    return render(request, "claims/my_claims.html", context)


@route("disputes/<id:pk>/", name="dispute")
@login_required
@require_GET
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Both parties, their statements and the record's works; a statement form for each
    party and, for a moderator not involved, the decision controls (the emailed link lands
    here)."""
    return _dispute_page(request, get_dispute_for_user(request.user, pk))


def _dispute_page(request, dispute, *, statement=None, decision=None) -> HttpResponse:
    context = {
        **dispute_context(dispute, request.user, moderator=is_moderator(request.user)),
        "statement_form": statement or StatementForm(),
        "decide_form": decision,
    }
    failed = (statement and statement.errors) or (decision and decision.errors)
    return render(request, "claims/dispute_detail.html", context, status=400 if failed else 200)


@route("disputes/<id:pk>/statements/", name="dispute_statement")
@login_required
@require_POST
@returns_to("claims:dispute", "pk")
def dispute_statement(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = get_dispute_for_user(request.user, pk)
    form = StatementForm(request.POST)
    if form_submit(form, lambda d: services.dispute_statement_add(
            dispute=dispute, user=request.user, text=d["text"], links=d["links"],
            work_ids=d["works"])):  # fmt: skip
        messages.success(
            request, "Statement added. The other person and the moderators can read it."
        )
        return redirect("claims:dispute", pk)
    return _dispute_page(request, dispute, statement=form)


@route("disputes/<id:pk>/decide/", name="dispute_decide")
@login_required
@require_POST
@returns_to("claims:dispute", "pk")
def dispute_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator decides from the dispute page (a refusal shows on the form, with a 400)."""
    dispute = get_dispute_for_user(request.user, pk)
    form = DisputeDecideForm(request.POST)
    if form_submit(form, lambda d: services.dispute_decide(
            dispute=dispute, actor=request.user, outcome=d["outcome"], work_ids=d["works"],
            reason=reason_pick("dispute", d["outcome"], d["template"], d["reason"]))):  # fmt: skip
        messages.success(request, "Decided. Both people were told, with your reason.")
        return redirect("claims:dispute", pk)
    return _dispute_page(request, dispute, decision=form)


@route("merges/<id:pk>/", name="merge")
@login_required
@require_GET
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_merge_for_user(request.user, pk)
    outlines = record_outlines([merge.survivor_id, merge.duplicate_id])
    compared = [("Keeps", merge.survivor, outlines[merge.survivor_id]),
                ("Folded in", merge.duplicate, outlines[merge.duplicate_id])]  # fmt: skip
    return render(request, "claims/merge_detail.html", {"merge": merge, "compared": compared})


@route("merges/<id:pk>/withdraw/", name="merge_withdraw")
@login_required
@require_POST
@returns_to("claims:merge", "pk")
def merge_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_merge_for_user(request.user, pk)
    services.merge_withdraw(merge=merge, actor=request.user)
    return redirect("claims:merge", pk)


@route("claims/signed-in/", name="signed_in")
@login_required
@require_GET
def signed_in(request: HttpRequest) -> HttpResponse:
    """Where signing in, signing up and linking ORCID land (LOGIN_REDIRECT_URL; a `next`
    still wins): "Is this you?", already searched for their name, for someone who holds no
    record yet and either has just joined (`first`, from the account adapter: after email
    confirmation or a first ORCID sign-in) or has a proven ORCID iD; else the home page."""
    user = request.user
    first = request.GET.get("first") == "1"
    if (first or proven_orcid(user)) and Claim.objects.held_by(user) is None:
        name = user.display_name.strip()
        return redirect(reverse("claims:find") + (f"?{urlencode({'q': name})}" if name else ""))
    return redirect("home")


def with_cards(candidates: list) -> list:
    attach_cards([c.author for c in candidates])
    return candidates


@route("claims/find/", name="find")
@login_required
@require_GET
def find_my_record(request: HttpRequest) -> HttpResponse:
    """ "Is this you?": ranked candidates with their reasons (also the page after ORCID
    sign-in)."""
    form = FindForm(request.GET)
    if not form.is_valid():
        return render(request, "claims/find.html", {"form": form}, status=400)
    context = {
        "form": form,
        "candidates": with_cards(suggestions_for(request.user, name=form.cleaned_data["q"])),
        "orcid": proven_orcid(request.user),
        "orcid_ready": orcid_configured(),
        "held": Claim.objects.held_by(request.user),
    }
    return render(request, "claims/find.html", context)


@route("claims/new/", name="new_record")
@login_required
@require_http_methods(["GET", "POST"])
def new_record(request: HttpRequest) -> HttpResponse:
    """ "No record yet?": make a record from the proven ORCID iD or from works; the run is
    queued and the person lands on its progress page."""
    form = NewRecordForm(request.POST or None)
    if request.method == "POST" and form_submit(
        form, lambda data: services.record_request_open(user=request.user, **data)
    ):
        return redirect("claims:new_record_status", form.result.pk)
    unfinished = RecordRequest.objects.filter(
        user=request.user, status__in=RecordRequest.UNFINISHED
    ).first()
    context = {
        "form": form,
        "orcid": proven_orcid(request.user),
        "orcid_ready": orcid_configured(),
        "held": Claim.objects.held_by(request.user),
        "unfinished": unfinished,
        "name": request.user.display_name,
    }
    return render(request, "claims/new_record.html", context, status=400 if form.errors else 200)


@route("claims/new/<id:pk>/", name="new_record_status")
@login_required
@require_GET
def new_record_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the new record stands: with htmx the progress panel asks again every two
    seconds; without script, its "Check again" link reloads the page."""
    record_request = get_record_request_for_user(request.user, pk)
    context = {"rr": record_request}
    if request.headers.get("HX-Request") == "true":
        return render(request, "claims/_new_record_progress.html", context)
    return render(request, "claims/new_record_status.html", context)


def _on_works(service):
    return lambda user, author, data: service(user=user, author=author, work_ids=data["works"])


def _add(user, author, data):
    return services.work_add(user=user, author=author, identifier=data["identifier"])


def _names(user, author, data):
    return services.names_set(
        user=user, author=author, display_name=data["display_name"], variants=data["variants"]
    )


def _merge(user, author, data):
    return services.merge_request_create(
        user=user, survivor=author, duplicate=data["duplicate"], reason=data["reason"]
    )


CURATION_FORMS = {
    "disown": (WorksForm, _on_works(services.works_disown)),
    "restore": (WorksForm, _on_works(services.works_restore)),
    "split": (WorksForm, _on_works(services.works_split)),
    "pins": (PinsForm, _on_works(services.pins_set)),
    "add": (AddWorkForm, _add),
    "names": (NamesForm, _names),
    "merge": (MergeForm, _merge),
}


@route("authors/<id:pk>/curate/", name="curate")
@login_required
@require_http_methods(["GET", "POST"])
def curate(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's curation page; each form posts its `action` here."""
    author = _active_author(pk)
    services.require_holder(request.user, author)
    action, form = request.POST.get("action"), None
    if request.method == "POST":
        if action not in CURATION_FORMS:
            raise Refused("Unknown action.")
        form_class, call = CURATION_FORMS[action]
        form = form_class(request.POST)
        if form_submit(form, lambda data: call(request.user, author, data)):
            messages.success(request, CURATION_DONE[action])
            return redirect("claims:curate", author.pk)
    error = " ".join(m for ms in form.errors.values() for m in ms) if form else None
    context = {**curation_context(author), "error": error, "action": action}
    return render(request, "claims/curate.html", context, status=400 if error else 200)


HISTORY_PAGE = 50


@route("authors/<id:pk>/history/", name="history")
@login_required
@require_GET
def record_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything done to a record (claims, curation, decisions), newest first: for its
    holder and moderators."""
    from apps.core.keyset import NEWEST_FIRST, paginate

    author = _active_author(pk)
    events = get_record_history_for_user(request.user, author)
    page = paginate(events, NEWEST_FIRST, request.GET.get("cursor"), HISTORY_PAGE)
    return render(request, "claims/history.html", {"author": author, "page": page})


@route("authors/<id:pk>/verify/", name="verify")
@login_required
@require_http_methods(["GET", "POST"])
def verify_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder asks a moderator for L3 (a confirmation link goes to their email)."""
    author = _active_author(pk)
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form_submit(form, lambda data: services.verification_request(
            user=request.user, author=author, **data)):  # fmt: skip
        messages.success(request, "Check your institutional inbox for the confirmation link.")
        return redirect("claims:verify", author.pk)
    open_requests = VerificationRequest.objects.filter(author=author, user=request.user)
    context = {"author": author, "form": form, "requests": list(open_requests[:10])}
    return render(request, "claims/verify.html", context, status=400 if form.errors else 200)


@route("verify/confirm/<token:token>/", name="verify_confirm")
@require_http_methods(["GET", "POST"])
def verify_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms (a bad or expired link
    is an error page, apps.core.middleware)."""
    if request.method == "GET":
        return render(request, "claims/verify_confirm.html", {"token": token})
    done = services.verification_confirm(token=token)
    return render(request, "claims/verify_confirm.html", {"done": done})


LINK_DONE = {"add": "Link added.", "change": "Link changed.", "remove": "Link removed."}


@route("works/<id:pk>/links/", name="work_links")
@login_required
@require_http_methods(["GET", "POST"])
def work_links(request: HttpRequest, pk: int) -> HttpResponse:
    """The code and data links of a work, for a researcher who holds a record on it: add
    one, or change or remove each (`action` and, for those two, `link`)."""
    work = get_object_or_404(Work, pk=pk)
    services.links_holder(request.user, work)
    action, form = request.POST.get("action"), None
    if request.method == "POST":
        if action not in LINK_DONE:
            raise Refused("Unknown action.")
        link = None
        if action != "add":
            link = get_object_or_404(WorkLink, pk=request.POST.get("link") or 0, work=work)
        if action == "remove":
            services.work_link_remove(user=request.user, link=link)
            messages.success(request, LINK_DONE[action])
            return redirect("claims:work_links", work.pk)
        form = WorkLinkForm(request.POST)
        call = (
            (lambda d: services.work_link_add(user=request.user, work=work, **d))
            if link is None
            else (lambda d: services.work_link_change(user=request.user, link=link, **d))
        )
        if form_submit(form, call):
            messages.success(request, LINK_DONE[action])
            return redirect("claims:work_links", work.pk)
    context = {
        "work": work,
        "links": list(work.links.all()),
        "form": form if action == "add" else WorkLinkForm(),
        "failed": form if form is not None and action != "add" else None,
        "kinds": WorkLinkForm.base_fields["kind"].choices,
    }
    return render(request, "claims/work_links.html", context, status=400 if form else 200)

"""Demo moderation: the demo moderator finds something in every queue (the claims demo already
leaves a claim and a dispute waiting; this adds a merge request, a confirmed L3 request and an
abuse report), and every demo record gets its trust score. Idempotent: each step looks for
what it would make first."""

from __future__ import annotations

import datetime

from apps.accounts.models import User
from apps.claims.models import Claim, MergeRequest
from apps.claims.services import (
    confirmation_token,
    merge_request_create,
    verification_confirm,
    verification_request,
)
from apps.core.demo import DemoContext, demo_step
from apps.records.demo import DOI_PREFIX
from apps.records.models import Author, Authorship, Work, WorkType
from apps.records.services import author_metrics_refresh
from apps.trust.models import VerificationRequest
from apps.trust.services import trust_recompute_many

from .models import Report
from .services import report_file

MERGER = "ada.lindqvist@demo.peerage.test"
DUPLICATE_NAME = "A. Lindqvist"
VERIFIER = "tomas.okafor@demo.peerage.test"
REPORTER = "mei.tanaka@demo.peerage.test"


def _held(email: str) -> Claim | None:
    return (
        Claim.objects.approved().filter(user__email=email).select_related("user", "author").first()
    )


def _merge_request(ctx: DemoContext) -> None:
    held = _held(MERGER)
    if held is None or MergeRequest.objects.filter(requested_by=held.user).exists():
        return
    duplicate = Author.objects.filter(display_name=DUPLICATE_NAME, orcid__isnull=True).first()
    if duplicate is None:
        duplicate = _duplicate_with_a_work()
    merge_request_create(user=held.user, survivor=held.author, duplicate=duplicate,
                         reason="Both are me: the initials form of my name (demo).")  # fmt: skip
    ctx.created("merge requests")


def _duplicate_with_a_work() -> Author:
    """A second, initials-only record of Ada with one workshop paper, as sources make them."""
    duplicate = Author()
    duplicate.set_names(DUPLICATE_NAME, [])
    duplicate.save()
    work = Work.objects.create(
        title="Elastic stream partitioning (workshop version)",
        doi=f"{DOI_PREFIX}moderation.merge.1",
        type=WorkType.PROCEEDINGS,
        publication_date=datetime.date(2023, 6, 12),
        publication_year=2023,
        authors_count=1,
    )
    Authorship.objects.create(work=work, author=duplicate, position=0, raw_name=DUPLICATE_NAME)
    author_metrics_refresh([duplicate.pk])
    return duplicate


def _verification(ctx: DemoContext) -> None:
    held = _held(VERIFIER)
    if held is None or VerificationRequest.objects.filter(user=held.user).exists():
        return
    request = verification_request(
        user=held.user,
        author=held.author,
        email="t.okafor@university.demo.peerage.test",
        note="I lead the systems group; my staff page lists me (demo).",
    )
    verification_confirm(token=confirmation_token(request))
    ctx.created("verification requests")


def _report(ctx: DemoContext) -> None:
    reporter = User.objects.filter(email=REPORTER).first()
    held = _held(VERIFIER)
    if reporter is None or held is None or Report.objects.filter(reporter=reporter).exists():
        return
    report_file(reporter=reporter, target=held.author, reason="spam", reported_user=held.user,
                note="Sent me the same invitation five times (demo).")  # fmt: skip
    ctx.created("reports")


@demo_step(order=40)
def seed_moderation(ctx: DemoContext) -> None:
    _merge_request(ctx)
    _verification(ctx)
    _report(ctx)
    changed = trust_recompute_many(Author.objects.active().values_list("id", flat=True),
                                   cause="demo")  # fmt: skip
    if changed:
        ctx.created("trust scores", changed)

"""Demo moderation: the demo moderator finds something in every queue (the claims demo already
leaves a claim and a dispute waiting; this adds a merge request, a confirmed L3 request, an
abuse report, and flags the records mixing two people), and every demo record gets its trust
score. Idempotent: each step looks for what it would make first."""

from __future__ import annotations

import datetime

from apps.accounts.models import User
from apps.claims import services as claims
from apps.claims.models import MergeRequest
from apps.moderation import services as moderation
from apps.moderation.attributions import attribution_report
from apps.moderation.mixups import mixups_scan
from apps.moderation.models import Report
from apps.records import services as records
from apps.records.clusters import clusters_for
from apps.records.models import Author, Authorship, Work, WorkType
from apps.trust import services as trust
from apps.trust.models import VerificationRequest

from .accounts import ADA, MEI, TOMAS
from .claims import held
from .context import DemoContext
from .records import DOI_PREFIX, MIXED_RECORDS

DUPLICATE_NAME = "A. Lindqvist"


def _merge_request(ctx: DemoContext) -> None:
    ada = held(ADA)
    if ada is None or MergeRequest.objects.filter(requested_by=ada.user).exists():
        return
    duplicate = Author.objects.filter(display_name=DUPLICATE_NAME, orcid__isnull=True).first()
    if duplicate is None:
        duplicate = _duplicate_with_a_work()
    reason = "Both are me: the initials form of my name (demo)."
    claims.merge_request_create(
        user=ada.user, survivor=ada.author, duplicate=duplicate, reason=reason
    )
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
    records.author_metrics_refresh([duplicate.pk])
    return duplicate


def _verification(ctx: DemoContext) -> None:
    tomas = held(TOMAS)
    if tomas is None or VerificationRequest.objects.filter(user=tomas.user).exists():
        return
    request = claims.verification_request(
        user=tomas.user,
        author=tomas.author,
        email="t.okafor@university.demo.peerage.test",
        note="I lead the systems group; my staff page lists me (demo).",
    )
    claims.verification_confirm(token=claims.confirmation_token(request))
    ctx.created("verification requests")


def _report(ctx: DemoContext) -> None:
    """Mei reports Tomás."""
    reporter, tomas = User.objects.filter(email=MEI).first(), held(TOMAS)
    reports = Report.objects.abuse().filter(reporter=reporter)
    if reporter is None or tomas is None or reports.exists():
        return
    note = "Sent me the same invitation five times (demo)."
    moderation.report_file(
        reporter=reporter, target=tomas.author, reason="spam", reported_user=tomas.user, note=note
    )
    ctx.created("reports")


def _mixups(ctx: DemoContext) -> None:
    """The mixed records wait in "Likely mix-ups" (Li Wang's, which nobody holds, among them),
    and Ada reports one of the works on Li Wang's record that is not theirs."""
    mixed = Author.objects.filter(openalex_id__in=[m.openalex_id for m in MIXED_RECORDS])
    ctx.created("likely mix-ups", mixups_scan(mixed.values_list("id", flat=True)))
    reporter = User.objects.filter(email=ADA).first()
    li_wang = mixed.filter(display_name="Li Wang").first()
    if reporter is None or li_wang is None or Report.objects.misattributions().exists():
        return
    groups = clusters_for(li_wang).groups
    if len(groups) > 1:
        work = Work.objects.get(pk=groups[1].work_ids[0])
        why = "Its co-authors and topic match none of Li Wang's other papers (demo)."
        attribution_report(reporter=reporter, author=li_wang, work=work, reason=why)
        ctx.created("misattribution reports")


def seed_moderation(ctx: DemoContext) -> None:
    _merge_request(ctx)
    _verification(ctx)
    _report(ctx)
    _mixups(ctx)
    authors = Author.objects.active().values_list("id", flat=True)
    ctx.created("trust scores", trust.trust_recompute_many(authors, cause="demo"))

"""Reports of a misattributed work: any signed-in person says a work on a record (claimed or
not) is not that person's, with a reason and, if they have one, an evidence link. The report
goes to the record's holder and to the moderators' queue ("Misattributed works"). A
moderator detaches the work (apps.claims.services.repair) or dismisses the report; the
holder can settle it with "not mine". The reporter hears the outcome either way.

A report is a moderation.Report (reason "misattributed", its `authorship` the record's place
on the work), so the one-open-report-per-person constraint and the decision fields are the
abuse reports'. How many a person may file a day depends on the trust tier of the record
they hold (New if none)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.moderators import moderator_decision, moderators
from apps.audit.services import audit_record
from apps.claims.models import Claim
from apps.claims.services import repair, require_holder, works_disown
from apps.core.errors import Conflict, NotFound, RateLimited, Refused
from apps.notifications.services import notification_send, notifications_send
from apps.records.models import Author, Authorship, Work
from apps.trust.services import trust_tier_of

from .models import Report

KIND = "moderation.attribution"
DAILY = {"New": 3, "Emerging": 5, "Established": 10, "Trusted": 20, "Highly trusted": 30}
REASON_MIN, REASON_MAX, URL_MAX = 10, 2000, 500
TARGET = "records.authorship"


def daily_limit(user) -> int:
    """Reports of misattributed works `user` may file in any 24 hours."""
    held = Claim.objects.held_by(user)
    return DAILY.get(trust_tier_of(held.author_id) if held else "New", DAILY["New"])


def _check_rate(user) -> None:
    now, limit = timezone.now(), daily_limit(user)
    recent = Report.objects.misattributions().filter(
        reporter=user, created_at__gte=now - datetime.timedelta(days=1)
    )
    if recent.count() >= limit:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        wait = int((oldest + datetime.timedelta(days=1) - now).total_seconds()) + 1
        raise RateLimited(
            f"You can report at most {limit} works a day; try again tomorrow.", retry_after=wait
        )


def _clean(reason: str, evidence_url: str) -> tuple[str, str]:
    reason, evidence_url = (reason or "").strip(), (evidence_url or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise Refused(
            f"Say in {REASON_MIN} to {REASON_MAX} characters why the work is not theirs.",
            field="reason",
        )
    if evidence_url and (
        len(evidence_url) > URL_MAX or not evidence_url.startswith(("https://", "http://"))
    ):
        raise Refused("The evidence link must be a web address (http or https).", field="evidence")
    return reason, evidence_url


def _place(author: Author, work: Work) -> Authorship:
    found = Authorship.objects.filter(author=author, work=work, status="active").first()
    if found is None:
        raise NotFound("That work is not shown on that record.")
    return found


def report_url(report: Report) -> str:
    return reverse("reports:attribution", args=[report.pk])


@transaction.atomic
def attribution_report(
    *, reporter, author: Author, work: Work, reason: str, evidence_url: str = ""
) -> Report:
    """File a report that `work` is not the person of `author`'s (see the module docstring).
    Reporting the same work again while the first report is open returns that report."""
    reason, evidence_url = _clean(reason, evidence_url)
    place = _place(author, work)
    holder = Claim.objects.holder_of(author)
    if holder and holder.user_id == reporter.pk:
        raise Refused('This is your record: mark the work "not mine" on your curation page.')
    existing = Report.objects.open().filter(reporter=reporter, target_type=TARGET,
                                            target_id=str(place.pk))  # fmt: skip
    if found := existing.first():
        return found
    _check_rate(reporter)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, target_type=TARGET, target_id=str(place.pk),
                authorship=place, reason=Report.Reason.MISATTRIBUTED, note=reason,
                evidence_url=evidence_url, excerpt=f"{work.title[:500]} (on {author})",
            )  # fmt: skip
    except IntegrityError:  # the same report filed at the same moment
        return existing.get()
    audit_record(actor=reporter, action="attribution.report", target=report, author_id=author.pk,
                 after={"work": work.pk, "author": author.pk})  # fmt: skip
    title = f"Reported: “{work.title[:120]}” may not be {author}'s"
    if holder:
        notification_send(recipient=holder.user, kind=KIND, title=title, body=reason,
                          url=report_url(report))  # fmt: skip
    notifications_send(
        [m for m in moderators() if m.pk != reporter.pk], kind=KIND, title=title,
        url=reverse("moderation:attributions"),
    )  # fmt: skip
    return report


def _settle(report: Report, actor, status: str, reason: str, outcome: str) -> None:
    """Compare-and-set the report to `status`, audit it, and tell the reporter."""
    if not report.move(Report.Status.OPEN, **Report.decided(status, actor, reason)):
        raise Conflict("This report was already decided.")
    audit_record(
        actor=actor, action=f"attribution.{status}", target=report,
        author_id=report.authorship.author_id, reason=reason,
        before={"status": "open"}, after={"status": status},
    )  # fmt: skip
    notification_send(recipient=report.reporter, kind=KIND, body=reason,
                      title=f"Your report about “{report.authorship.work.title[:120]}”: "
                            f"{outcome}", url=report_url(report))  # fmt: skip


@transaction.atomic
def attribution_decide(*, report: Report, actor, detach: bool, reason: str) -> Report:
    """A moderator detaches the reported work from the record (the printed name stays on the
    paper), or dismisses the report."""
    place = report.authorship
    holder = Claim.objects.holder_of(place.author_id)
    involved = [report.reporter_id, holder.user_id if holder else None]
    reason = moderator_decision(actor, reason, involved,
                                "You cannot decide a report that involves you.")  # fmt: skip
    if not detach:
        _settle(report, actor, Report.Status.DISMISSED, reason, "the work stays on the record")
        return report
    _settle(report, actor, Report.Status.UPHELD, reason, "the work was taken off the record")
    place.refresh_from_db()  # the holder may have said "not mine" meanwhile
    if place.status == "active":  # the repair tells the holder, if anyone holds the record
        repair.detach(actor=actor, author=place.author, work_ids=[place.work_id], reason=reason)
    return report


@transaction.atomic
def attribution_holder_disown(*, report: Report, user) -> Report:
    """The holder agrees: the work is marked "not mine" on their record, the report closes."""
    place = report.authorship
    require_holder(user, place.author)
    if report.status != Report.Status.OPEN:
        raise Conflict("This report was already decided.")
    if place.status == "active":
        works_disown(user=user, author=place.author, work_ids=[place.work_id])
    _settle(report, user, Report.Status.UPHELD, "The record's holder marked it not mine.",
            "the holder marked it not theirs")  # fmt: skip
    return report


def attribution_for_user(pk: int, user) -> tuple[Report, bool]:
    """The report `pk` as seen by its reporter, the record's holder or a moderator (404 for
    anyone else); with whether `user` holds the record."""
    report = (
        Report.objects.misattributions()
        .select_related("authorship__work", "authorship__author", "reporter", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if report is None or not user.is_authenticated:
        raise NotFound("No such report.")
    holds = Claim.objects.holds(user, report.authorship.author_id)
    if not (holds or user.pk == report.reporter_id or user.is_moderator):
        raise NotFound("No such report.")
    return report, holds

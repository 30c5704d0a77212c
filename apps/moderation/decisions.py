"""Every decision the workspace (HTML and API) can make, by name: what it acts on and which
service it calls. Views look the decision up here, so each stays a few lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from apps.claims import services as claims
from apps.claims.models import Claim, Dispute, MergeRequest
from apps.records.models import Author
from apps.trust.models import VerificationRequest

from . import services
from .attributions import attribution_decide
from .mixups import mixup_dismiss
from .models import MixupFlag, Report


@dataclass(frozen=True)
class Decision:
    model: type
    reasons: str  # the key of its reason templates (reasons.REASONS)
    call: Callable  # (obj, actor, yes: bool, reason) -> result
    back: str  # the queue page to return to


def _users():
    return get_user_model()


DECISIONS: dict[str, Decision] = {
    "claim": Decision(Claim, "claim", lambda o, a, yes, r: claims.claim_decide(
        claim=o, actor=a, approve=yes, reason=r), "moderation:claims"),
    "dispute": Decision(Dispute, "dispute", lambda o, a, yes, r: claims.dispute_decide(
        dispute=o, actor=a, uphold=yes, reason=r), "moderation:disputes"),
    "merge": Decision(MergeRequest, "merge", lambda o, a, yes, r: claims.merge_decide(
        merge=o, actor=a, approve=yes, reason=r), "moderation:merges"),
    "verification": Decision(VerificationRequest, "verification",
        lambda o, a, yes, r: claims.verification_decide(request=o, actor=a, approve=yes, reason=r),
        "moderation:verifications"),
    "report": Decision(Report, "report", lambda o, a, yes, r: services.report_decide(
        report=o, actor=a, uphold=yes, reason=r), "moderation:reports"),
    # yes: detach the work from the record; no: dismiss the report.
    "attribution": Decision(Report, "attribution", lambda o, a, yes, r: attribution_decide(
        report=o, actor=a, detach=yes, reason=r), "moderation:attributions"),
}  # fmt: skip

# Actions that undo or act outside a queue: (model, reasons key, call(obj, actor, reason)).
ACTIONS: dict[str, tuple[Callable, str, Callable]] = {
    "revoke": (lambda: Claim, "revoke", lambda o, a, r: claims.claim_revoke(
        claim=o, actor=a, reason=r)),
    "reinstate": (lambda: Claim, "reinstate", lambda o, a, r: claims.claim_reinstate(
        claim=o, actor=a, reason=r)),
    "reopen": (lambda: Report, "report", lambda o, a, r: services.report_reopen(
        report=o, actor=a, reason=r)),
    "suspend": (_users, "suspend", lambda o, a, r: services.user_suspend(
        user=o, actor=a, reason=r)),
    "unsuspend": (_users, "unsuspend", lambda o, a, r: services.user_unsuspend(
        user=o, actor=a, reason=r)),
    "unverify": (lambda: Author, "revoke", lambda o, a, r: claims.verification_revoke(
        author=o, actor=a, reason=r)),
    "onlyone": (lambda: MixupFlag, "mixup", lambda o, a, r: mixup_dismiss(
        flag=o, actor=a, reason=r)),
}  # fmt: skip


def decision_for(kind: str, pk: int) -> tuple[Decision, object]:
    decision = DECISIONS.get(kind)
    if decision is None:
        from django.http import Http404

        raise Http404("no such decision")
    return decision, get_object_or_404(decision.model, pk=pk)


def action_for(name: str, pk: int):
    found = ACTIONS.get(name)
    if found is None:
        from django.http import Http404

        raise Http404("no such action")
    model, reasons, call = found
    return reasons, call, get_object_or_404(model(), pk=pk)

"""Every decision the workspace (HTML and API) can make, by name: what it acts on, its
outcomes (each with its own reason templates, apps.core.reasons) and which service it calls.
Views look the decision up here, so each stays a few lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.claims import services as claims
from apps.claims.models import Claim, Dispute, MergeRequest
from apps.core.errors import Refused
from apps.core.reasons import reason_templates
from apps.records.models import Author
from apps.trust.models import VerificationRequest

from . import services
from .attributions import attribution_decide
from .mixups import mixup_dismiss
from .models import MixupFlag, Report


@dataclass(frozen=True)
class Outcome:
    name: str  # what the form and the API send ("approve", "reject", …)
    label: str  # the button
    danger: bool = False  # shown apart, in red, behind a confirmation


@dataclass(frozen=True)
class Decision:
    model: type
    reasons: str  # the kind its reason templates are filed under (apps.core.reasons)
    outcomes: tuple[Outcome, ...]  # the first is "yes", the second "no" (API's `approve`)
    call: Callable  # (obj, actor, outcome: str, reason, works: list[int]) -> result
    back: str  # the queue page to return to

    def outcome(self, name: str | None, approve: bool | None = None) -> str:
        """The outcome asked for by name, else by the older yes/no; refused when neither
        names one of this decision's outcomes."""
        if name is None and approve is not None:
            return self.outcomes[0 if approve else 1].name
        if name in {o.name for o in self.outcomes}:
            return name
        names = ", ".join(o.name for o in self.outcomes)
        raise Refused(f"Choose what to decide: one of {names}.", field="outcome")

    def offered(self) -> list[dict]:
        """Each outcome with the reason templates that belong to it, for the forms."""
        return [{"outcome": o, "options": reason_templates(self.reasons, o.name)}
                for o in self.outcomes]  # fmt: skip


def _users():
    return get_user_model()


def _yes_no(service, obj_name: str, flag: str, yes: str):
    """Call a two-outcome service (approve/reject, uphold/dismiss) by outcome name."""
    return lambda o, a, outcome, r, works: service(
        **{obj_name: o, "actor": a, flag: outcome == yes, "reason": r}
    )


APPROVE, REJECT = Outcome("approve", "Approve"), Outcome("reject", "Reject", danger=True)

DECISIONS: dict[str, Decision] = {
    "claim": Decision(Claim, "claim", (APPROVE, REJECT),
        _yes_no(claims.claim_decide, "claim", "approve", "approve"), "moderation:claims"),
    "dispute": Decision(Dispute, "dispute", (
            Outcome("challenger", "Challenger takes the record", danger=True),
            Outcome("holder", "Holder keeps the record", danger=True),
            Outcome("split", "Split the record", danger=True),
            Outcome("dismiss", "Dismiss", danger=True)),
        lambda o, a, outcome, r, works: claims.dispute_decide(
            dispute=o, actor=a, outcome=outcome, reason=r, work_ids=works),
        "moderation:disputes"),
    "merge": Decision(MergeRequest, "merge", (Outcome("approve", "Merge", danger=True), REJECT),
        _yes_no(claims.merge_decide, "merge", "approve", "approve"), "moderation:merges"),
    "verification": Decision(VerificationRequest, "verification",
        (Outcome("approve", "Verify (L3)"), Outcome("reject", "Decline", danger=True)),
        _yes_no(claims.verification_decide, "request", "approve", "approve"),
        "moderation:verifications"),
    "report": Decision(Report, "report",
        (Outcome("uphold", "Uphold", danger=True), Outcome("dismiss", "Dismiss")),
        _yes_no(services.report_decide, "report", "uphold", "uphold"), "moderation:reports"),
    "attribution": Decision(Report, "attribution",
        (Outcome("detach", "Detach the work from the record", danger=True),
         Outcome("dismiss", "Dismiss the report")),
        _yes_no(attribution_decide, "report", "detach", "detach"), "moderation:attributions"),
}  # fmt: skip

# Actions that undo or act outside a queue: (model, reasons kind, call(obj, actor, reason)).
# Each has one outcome, "do", whose templates are offered.
ACTIONS: dict[str, tuple[Callable, str, Callable]] = {
    "revoke": (lambda: Claim, "revoke", lambda o, a, r: claims.claim_revoke(
        claim=o, actor=a, reason=r)),
    "reinstate": (lambda: Claim, "reinstate", lambda o, a, r: claims.claim_reinstate(
        claim=o, actor=a, reason=r)),
    "reopen": (lambda: Report, "reopen", lambda o, a, r: services.report_reopen(
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
        raise Http404("no such decision")
    return decision, get_object_or_404(decision.model, pk=pk)


def action_for(name: str, pk: int):
    found = ACTIONS.get(name)
    if found is None:
        raise Http404("no such action")
    model, reasons, call = found
    return reasons, call, get_object_or_404(model(), pk=pk)


def offered() -> dict[str, list[dict]]:
    """Every decision's outcomes with their templates, by kind (for the queue pages), plus
    the one-outcome actions' templates under their reasons kind."""
    found = {kind: d.offered() for kind, d in DECISIONS.items()}
    for _, reasons, _ in ACTIONS.values():
        found.setdefault(reasons, reason_templates(reasons, "do"))
    return found

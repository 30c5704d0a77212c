"""Demo claims: two demo researchers hold their records, one evidence claim waits for the
moderators, and one dispute is open (two people named Wei Zhang want the record that mixes
their works). Idempotent: each step looks for its claim before making it, through the same
services the pages use."""

from __future__ import annotations

from apps.accounts.models import MODERATORS_GROUP, User
from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_decide, claim_evidence
from apps.records.models import Author

from .accounts import demo_user
from .context import DEMO_PASSWORD, DemoContext
from .records import MIXED_RECORDS

HOLDERS = ("ada.lindqvist@demo.peerage.test", "tomas.okafor@demo.peerage.test")
PENDING = "mei.tanaka@demo.peerage.test"
WEI_HOLDER = ("wei.zhang@demo.peerage.test", "Wei Zhang")
WEI_CHALLENGER = ("w.zhang@demo.peerage.test", "Wei Zhang")


def _record_for(user: User) -> Author | None:
    return Author.objects.active().filter(display_name=user.display_name).order_by("pk").first()


def _claim(user, author, note: str) -> Claim:
    existing = Claim.objects.filter(user=user, author=author).first()
    if existing:
        return existing
    return claim_evidence(user=user, author=author, evidence=Evidence(note=note))


def _approve(claim: Claim, moderator: User) -> None:
    if claim.status == Claim.Status.PENDING:
        claim_decide(claim=claim, actor=moderator, approve=True, reason="Demo: identity checked")


def seed_claims(ctx: DemoContext) -> None:
    moderator = User.objects.filter(groups__name=MODERATORS_GROUP).order_by("pk").first()
    if moderator is None:
        return
    before = Claim.objects.count()
    for email in HOLDERS:
        user = User.objects.get(email=email)
        if (author := _record_for(user)) is not None:
            _approve(_claim(user, author, "These are my papers (demo)."), moderator)
    mei = User.objects.get(email=PENDING)
    if (author := _record_for(mei)) is not None:
        _claim(mei, author, "My lab page lists these works (demo).")
    mixed = Author.objects.filter(openalex_id=MIXED_RECORDS[0].openalex_id).first()
    if mixed is not None:
        holder = demo_user(*WEI_HOLDER, ctx)
        challenger = demo_user(*WEI_CHALLENGER, ctx)
        _approve(_claim(holder, mixed, "The cs.DC papers are mine (demo)."), moderator)
        _claim(challenger, mixed, "The q-bio.NC papers here are mine (demo).")
        ctx.logins += [("researcher", WEI_HOLDER[0], DEMO_PASSWORD),
                       ("researcher", WEI_CHALLENGER[0], DEMO_PASSWORD)]  # fmt: skip
    ctx.created(
        "claims", Claim.objects.count() - before
    ) if Claim.objects.count() > before else None

"""Demo claims: two demo researchers hold their records, one evidence claim waits for the
moderators, and one dispute is open (two people named Wei Zhang want the record that mixes
their works). Idempotent: each step looks for its claim before making it, through the same
services the pages use."""

from __future__ import annotations

from apps.accounts.models import MODERATORS_GROUP, User
from apps.claims import services as claims
from apps.claims.models import Claim
from apps.records.models import Author

from .accounts import ADA, MEI, TOMAS, W_ZHANG, WEI, demo_user
from .context import DEMO_PASSWORD, DemoContext
from .records import MIXED_RECORDS


def held(email: str) -> Claim | None:
    """The claim in force of the demo user with this email (record loaded), if any."""
    user = User.objects.filter(email=email).first()
    return Claim.objects.held_by(user) if user else None


def _record_for(user: User) -> Author | None:
    return Author.objects.active().filter(display_name=user.display_name).order_by("pk").first()


def _claim(user, author, note: str) -> Claim:
    existing = Claim.objects.filter(user=user, author=author).first()
    if existing:
        return existing
    return claims.claim_evidence(user=user, author=author, evidence=claims.Evidence(note=note))


def _approve(claim: Claim, moderator: User) -> None:
    if claim.status == Claim.Status.PENDING:
        reason = "Demo: identity checked"
        claims.claim_decide(claim=claim, actor=moderator, approve=True, reason=reason)


def seed_claims(ctx: DemoContext) -> None:
    moderator = User.objects.filter(groups__name=MODERATORS_GROUP).order_by("pk").first()
    if moderator is None:
        return
    before = Claim.objects.count()
    for email in (ADA, TOMAS):
        user = User.objects.get(email=email)
        if (author := _record_for(user)) is not None:
            _approve(_claim(user, author, "These are my papers (demo)."), moderator)
    mei = User.objects.get(email=MEI)
    if (author := _record_for(mei)) is not None:
        _claim(mei, author, "My lab page lists these works (demo).")
    mixed = Author.objects.filter(openalex_id=MIXED_RECORDS[0].openalex_id).first()
    if mixed is not None:
        holder, challenger = demo_user(*WEI, ctx), demo_user(*W_ZHANG, ctx)
        _approve(_claim(holder, mixed, "The cs.DC papers are mine (demo)."), moderator)
        _claim(challenger, mixed, "The q-bio.NC papers here are mine (demo).")
        ctx.logins += [("researcher", user.email, DEMO_PASSWORD) for user in (holder, challenger)]
    ctx.created("claims", Claim.objects.count() - before)

"""The demo community's steps, in the order they run. Each is idempotent (it looks for what it
would make, or uses get_or_create on natural keys) and deterministic (fixed data or
`ctx.random`), so seeding twice leaves exactly one copy of everything."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .accounts import seed_accounts
from .claims import seed_claims
from .collaboration import seed_collaboration
from .context import DemoContext
from .follows import seed_follows
from .moderation import seed_moderation
from .records import seed_records

# Later steps build on earlier ones: claims need the accounts and records, the moderation
# queues need the claims, conversations need two holders.
STEPS: tuple[Callable[[DemoContext], None], ...] = (
    seed_accounts,
    seed_records,
    seed_claims,
    seed_moderation,
    seed_follows,
    seed_collaboration,
)


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    """Run every step in one transaction: an interrupted run leaves nothing half-made."""
    for step in STEPS:
        step(ctx)

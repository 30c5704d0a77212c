"""The demo research community: 22 arXiv categories, 30 synthetic institutions, 20 venues,
about 480 author records in 51 labs, and about 3,600 works with 17,000 authorships. Names and
texts are synthetic and every choice comes from `ctx.random`, so the community is identical on
every machine.

- Dates count back from ANCHOR, the fixed day 2026-11-20 (not today: the data must not change
  between runs). Each of the 30 days up to ANCHOR has several works dated to the day, so the
  daily recent-works listing looks alive.
- Identifiers are well formed and, where we can manage it, name nothing real: DOIs under 10.5555
  (reserved for examples), arXiv numbers from 90000 (above any month's submissions), ORCID iDs
  in 0000-0000-… (a block ORCID does not issue), OpenAlex ids A99…/W99…, PubMed ids from
  90,000,000, dblp keys 9xx/…. ROR ids are random with valid check digits.
- MIXED_RECORDS lists the records that wrongly hold two people's works (for claims, "not mine"
  and splits); DEMO_ACCOUNT_AUTHORS the unclaimed records of the demo accounts.

data.py holds the fixed facts and word lists, text.py composes names, titles and abstracts,
plan.py holds the community in memory as people.py and works.py plan it, and write.py writes it.
"""

from __future__ import annotations

from random import Random

from django.db import transaction

from apps.records.models import Work

from ..context import DemoContext
from .data import (
    ANCHOR,
    DEMO_ACCOUNT_AUTHORS,
    DOI_PREFIX,
    INSTITUTIONS,
    MIXED_RECORDS,
    MixedRecord,
)
from .people import finish_records, plan_people
from .plan import Plan
from .works import finish_works, plan_works
from .write import community_write

__all__ = [
    "ANCHOR",
    "DEMO_ACCOUNT_AUTHORS",
    "DOI_PREFIX",
    "MIXED_RECORDS",
    "MixedRecord",
    "plan_community",
    "seed_records",
]


def plan_community(rng: Random) -> Plan:
    """The whole community as plain data; the same generator state gives the same plan."""
    plan = Plan(rng)
    plan.rors = [plan.ror() for _ in INSTITUTIONS]
    plan_people(plan)
    plan_works(plan)
    finish_works(plan)
    finish_records(plan)
    return plan


@transaction.atomic
def seed_records(ctx: DemoContext) -> None:
    """Write the community once. seed_demo runs every step in one transaction (and this one
    is atomic on its own too), so an interrupted run leaves nothing behind: if any demo work
    exists, the whole community does."""
    if Work.objects.filter(doi__startswith=DOI_PREFIX).exists():
        return
    community_write(plan_community(ctx.random), ctx)

"""The demo community's works: about eight per lab member over the decade, a few on each of
the last days, two consortium papers; then identifiers, links and authorships."""

from __future__ import annotations

import datetime
from random import Random

from .data import (
    ANCHOR,
    BYLINE_WEIGHTS,
    DOI_PREFIX,
    FIXED_VENUE,
    MIXED_SHARE,
    RECENT_DAYS,
    ROLE_WEIGHT,
    SPAN_DAYS,
    TYPE_MIX,
    TYPES,
    VENUE_FOR_TYPE,
    VENUES,
)
from .plan import Group, Plan, Work
from .text import compose, printed

_CODE_AREAS = ("systems", "ml", "security", "hci")


def plan_works(plan: Plan) -> None:
    """About eight works per lab member over the decade, more in recent years, then four to
    nine works on each of the last RECENT_DAYS days, then the consortium papers."""
    rng = plan.rng
    for g, group in enumerate(plan.groups):
        core = sum(plan.people[p].role != "visitor" for p in group.members)
        for _ in range(core * 8 + rng.randint(0, 12)):
            days_ago = RECENT_DAYS + int((SPAN_DAYS - RECENT_DAYS) * rng.random() ** 1.35)
            _add_work(plan, g, days_ago, group.area)
    sizes = [len(g.members) for g in plan.groups]
    for days_ago in range(RECENT_DAYS):
        for _ in range(rng.randint(4, 9)):
            g = rng.choices(range(len(plan.groups)), sizes)[0]
            _add_work(plan, g, days_ago, "recent")
    _plan_consortium_papers(plan)
    _place_everyone(plan)


def _add_work(plan: Plan, g: int, days_ago: int, mix: str) -> None:
    rng, group = plan.rng, plan.groups[g]
    byline = _byline(plan, group, days_ago)
    kind = rng.choices(TYPES, TYPE_MIX[mix])[0]
    topics = [group.topic] + [t for t in group.topics[1:] if rng.random() < 0.3]
    title, abstract = compose(plan.rng, rng.choice(topics), group.area, kind)
    precision = "day"
    if days_ago >= RECENT_DAYS:
        precision = rng.choices(("day", "month", "year"), (85, 11, 4))[0]
    venue = FIXED_VENUE.get(kind)
    if kind in VENUE_FOR_TYPE:
        wanted = (VENUE_FOR_TYPE[kind], group.area)
        venue = rng.choice([name for name, *kind_area in VENUES if tuple(kind_area) == wanted])
    citations = _citations(rng, days_ago)
    plan.works.append(
        Work(title, abstract, kind, days_ago, precision, venue, topics, citations, g, byline)
    )


def _weighted_sample(rng: Random, items: list[int], weights: list[float], k: int) -> list[int]:
    items, weights, chosen = list(items), list(weights), []
    while items and len(chosen) < k:
        i = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(i))
        weights.pop(i)
    return chosen


def _byline(plan: Plan, group: Group, days_ago: int) -> list[int]:
    """Mostly the lab itself, a junior first and the PI last; sometimes partner labs join,
    and always when the lab alone is too small for the byline."""
    rng, people = plan.rng, plan.people
    size = rng.choices(range(1, 13), BYLINE_WEIGHTS)[0]
    pi, *rest = group.members
    juniors = [p for p in rest if people[p].active(days_ago)]
    guests = rng.randint(1, 3) if rng.random() < 0.2 else 0
    guests = min(max(guests, size - 1 - len(juniors)), size - 1)
    partners = [p for g in group.partners for p in plan.groups[g].members]
    pool = [p for p in partners if people[p].active(days_ago)]
    outside = rng.sample(pool, min(len(pool), guests))
    with_pi = rng.random() < 0.85 or not juniors
    weights = [ROLE_WEIGHT[people[p].role] for p in juniors]
    chosen = _weighted_sample(rng, juniors, weights, size - len(outside) - with_pi)
    middle = chosen[1:] + outside
    rng.shuffle(middle)
    return chosen[:1] + middle + ([pi] if with_pi else [])


def _citations(rng: Random, days_ago: int) -> int:
    """Heavy-tailed and growing with age: most works have a few, a handful have hundreds."""
    if days_ago < 60:
        return rng.choice((0, 0, 0, 1, 2))
    age = days_ago / 365
    if age > 2 and rng.random() < 0.012:
        return rng.randint(250, 2400)
    return int(rng.lognormvariate(0.6, 1.25) * min(age, 8) ** 0.9)


def _plan_consortium_papers(plan: Plan) -> None:
    """Two large collaborations across an area's labs, bylines alphabetical as consortia print
    them: a 60-author survey paper and a 24-author shared benchmark."""
    rng = plan.rng
    for area, size, days_ago, title, citations in (
        ("physical", 60, 1255, "The Northvale Deep Field Survey: Data Release 1", 1480),
        ("ml", 24, 627, "A Shared Benchmark for Label-Efficient Learning across Modalities", 611),
    ):
        pool = [
            i
            for i, p in enumerate(plan.people)
            if plan.groups[p.group].area == area and not p.shares_name
        ]
        byline = rng.sample(pool, min(size, len(pool)))
        byline.sort(key=lambda i: plan.people[i].name.split()[-1])
        g = plan.people[byline[0]].group
        _, abstract = compose(plan.rng, plan.groups[g].topic, area, "article")
        journal = next(name for name, *kind_area in VENUES if kind_area == ["journal", area])
        topics = [plan.groups[g].topic]
        work = Work(
            title, abstract, "article", days_ago, "day", journal, topics, citations, g, byline
        )
        plan.works.append(work)


def _place_everyone(plan: Plan) -> None:
    """Give anyone the draw left without a work a place on one of their lab's works."""
    placed = {p for work in plan.works for p in work.byline}
    by_group: dict[int, list[Work]] = {}
    for work in plan.works:
        if len(work.byline) < 12:
            by_group.setdefault(work.group, []).append(work)
    for i, person in enumerate(plan.people):
        if i not in placed:
            byline = plan.rng.choice(by_group[person.group]).byline
            byline.insert(max(1, len(byline) - 1), i)


def finish_works(plan: Plan) -> None:
    """Identifiers, links and authorships, in date order so DOIs follow time."""
    rng = plan.rng
    plan.works.sort(key=lambda w: -w.days_ago)
    sequences: dict[str, int] = {}
    for n, work in enumerate(plan.works, start=1):
        work.doi = f"{DOI_PREFIX}{n}"
        work.openalex_id = plan.openalex("W") if rng.random() < 0.6 else None
        if work.type == "preprint" or (
            work.type in ("article", "proceedings") and rng.random() < 0.35
        ):
            work.arxiv_id = _arxiv_id(plan, work, sequences)
        area = plan.groups[work.group].area
        if (area in _CODE_AREAS and rng.random() < 0.2) or (
            work.type == "dataset" and rng.random() < 0.6
        ):
            slug = "-".join(w.lower().strip(":?,") for w in work.title.split()[:3])
            work.code_url = f"https://github.com/peerage-demo/{slug}-{n}"
        if area == "life" and work.type == "article" and rng.random() < 0.5:
            work.other_ids = {"pmid": str(rng.randint(90_000_000, 99_999_999))}
        work.authorships = _authorships(plan, work)


def _arxiv_id(plan: Plan, work: Work, sequences: dict[str, int]) -> str:
    """New-style and versionless; a published work was posted up to 200 days before. Numbers
    start at 90000, above any month's submissions, so no id names a real paper."""
    lead = 0 if work.type == "preprint" else plan.rng.randint(0, 200)
    yymm = (ANCHOR - datetime.timedelta(days=work.days_ago + lead)).strftime("%y%m")
    sequences[yymm] = sequences.get(yymm, 90000 + plan.rng.randint(0, 300)) + plan.rng.randint(1, 7)
    return f"{yymm}.{sequences[yymm]}"


def _authorships(plan: Plan, work: Work) -> list[tuple[int, str, list[int]]]:
    """(record, name as printed, institutions) per byline place. Person B of a mixed pair
    lands on the shared record MIXED_SHARE of the time."""
    rng, found, records = plan.rng, [], set()
    for i in work.byline:
        person = plan.people[i]
        record = person.record
        if person.mixed_into is not None and rng.random() < MIXED_SHARE:
            record = person.mixed_into
        institutions = person.institutions[: 1 + (rng.random() < 0.3)]
        if record not in records:  # one record appears once per work (a unique constraint)
            records.add(record)
            found.append((record, printed(rng, person.name, person.variants), institutions))
    return found

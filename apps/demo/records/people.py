"""The demo community's labs and people: about fifty labs, each a PI, postdocs, students and
visitors with active windows and affiliations, each person on an author record of their own
unless a MixedRecord puts two people on one."""

from __future__ import annotations

from .data import (
    INSTITUTIONS,
    METHOD_TOPICS,
    MIXED_RECORDS,
    MIXED_VARIANTS,
    NAME_POOLS,
    SPAN_DAYS,
    SPECIAL_PEOPLE,
    TOPICS,
    MixedRecord,
)
from .plan import Group, Person, Plan, Record
from .text import name_variants

# Active windows (days): (earliest start, longest stay). PIs span the whole decade.
_WINDOWS = {"postdoc": (900, 2500), "student": (400, 2200), "visitor": (300, 700)}


def plan_people(plan: Plan) -> None:
    """Labs first, then the people in them."""
    _plan_groups(plan)
    _plan_people(plan)


def _new_name(plan: Plan) -> tuple[str, str]:
    while True:
        tradition = plan.rng.choice(list(NAME_POOLS))
        given, family = (pool.split() for pool in NAME_POOLS[tradition])
        name = f"{plan.rng.choice(given)} {plan.rng.choice(family)}"
        if name not in plan.names_used:
            plan.names_used.add(name)
            return name, tradition


def _plan_groups(plan: Plan) -> None:
    """~50 labs: every topic leads two, the busiest topics a third; partners share an area."""
    rng, codes = plan.rng, [t[0] for t in TOPICS]
    area_of = {t[0]: t[2] for t in TOPICS}
    leads = codes + codes + ["cs.LG", "cs.DC", "cs.CV", "cs.CL", "stat.ML", "cs.CR", "astro-ph.GA"]
    homes = list(range(len(INSTITUTIONS)))
    rng.shuffle(homes)
    for i, code in enumerate(leads):
        area = area_of[code]
        siblings = [c for c in codes if area_of[c] == area and c != code]
        topics = [code, *rng.sample(siblings, min(len(siblings), rng.randint(1, 2)))]
        if area != "ml" and rng.random() < 0.3:
            topics.append(rng.choice(METHOD_TOPICS))
        plan.groups.append(Group(code, area, topics, homes[i % len(homes)]))
    for i, group in enumerate(plan.groups):
        same_area = [j for j, g in enumerate(plan.groups) if g.area == group.area and j != i]
        group.partners = rng.sample(same_area, min(len(same_area), rng.randint(1, 2)))


def _lab(plan: Plan, topic: str, nth: int) -> int:
    return [i for i, g in enumerate(plan.groups) if g.topic == topic][nth]


def _add_record(plan: Plan, name: str, variants, *, orcid: bool, openalex: str | None = None):
    plan.records.append(Record(name, list(variants), openalex_id=openalex))
    if orcid:
        plan.records[-1].orcid = plan.orcid()
    return len(plan.records) - 1


def _add_person(plan: Plan, group: int, role: str, name: str = "", **fields) -> Person:
    """A lab member with an active window and affiliations; a record of their own unless
    `record` is given."""
    rng = plan.rng
    variants = fields.pop("variants", ())
    if not name:
        name, tradition = _new_name(plan)
        variants = name_variants(rng, name, tradition)
    since, until = SPAN_DAYS, 0
    if role in _WINDOWS:
        earliest, stay = _WINDOWS[role]
        since = rng.randint(earliest, SPAN_DAYS)
        until = max(0, since - rng.randint(stay // 2, stay))
    institutions = [plan.groups[group].institution]
    if role == "pi" and rng.random() < 0.25:
        institutions.append(rng.randrange(len(INSTITUTIONS)))
    if "record" not in fields:
        openalex = plan.openalex("A") if rng.random() < 0.75 else None
        fields["record"] = _add_record(
            plan, name, variants, orcid=rng.random() < 0.42, openalex=openalex
        )
    person = Person(name, tuple(variants), group, role, since, until, institutions, **fields)
    plan.people.append(person)
    plan.groups[group].members.append(len(plan.people) - 1)
    _affiliate(plan.records[person.record], institutions)
    return person


def _affiliate(record: Record, institutions: list[int]) -> None:
    record.institutions += [i for i in institutions if i not in record.institutions]


def _plan_people(plan: Plan) -> None:
    """Each lab: a PI, postdocs, students and occasional visitors; the special people of
    SPECIAL_PEOPLE take a slot of their role in their lab; then the mixed-up pairs."""
    rng = plan.rng
    plan.names_used |= {p[0] for p in SPECIAL_PEOPLE} | {m.display_name for m in MIXED_RECORDS}
    special: dict[tuple[int, str], list] = {}
    for name, variants, topic, nth, role, orcid in SPECIAL_PEOPLE:
        record = _add_record(plan, name, variants, orcid=orcid, openalex=plan.openalex("A"))
        special.setdefault((_lab(plan, topic, nth), role), []).append((name, variants, record))
    for g in range(len(plan.groups)):
        roles = ["pi"] + ["postdoc"] * rng.randint(1, 3) + ["student"] * rng.randint(3, 6)
        for role in roles + ["visitor"] * rng.randint(1, 3):
            if special.get((g, role)):
                name, variants, record = special[(g, role)].pop()
                _add_person(plan, g, role, name, variants=variants, record=record)
            else:
                _add_person(plan, g, role)
    for mixed in MIXED_RECORDS:
        _plan_mixed(plan, mixed)


def _plan_mixed(plan: Plan, mixed: MixedRecord) -> None:
    """Person A's record also holds (some of) person B's works: a classic name collision."""
    variants = MIXED_VARIANTS[mixed.display_name]
    shared = _add_record(plan, mixed.display_name, variants, orcid=False)
    plan.records[shared].openalex_id = mixed.openalex_id
    a_lab, b_lab = (_lab(plan, topic, 1) for topic in mixed.topics)
    same = {"variants": variants, "shares_name": True}
    _add_person(plan, a_lab, "postdoc", mixed.display_name, record=shared, **same)
    if mixed.second_openalex_id:
        own = _add_record(plan, mixed.display_name, variants, orcid=True)
        plan.records[own].openalex_id = mixed.second_openalex_id
        b = _add_person(plan, b_lab, "postdoc", mixed.display_name, record=own, **same)
        b.mixed_into = shared
        _affiliate(plan.records[shared], b.institutions)
    else:
        _add_person(plan, b_lab, "postdoc", mixed.display_name, record=shared, **same)


def finish_records(plan: Plan) -> None:
    """dblp ids for some computer scientists (9xx/ keys, a range dblp has not reached)."""
    rng = plan.rng
    for person in plan.people:
        if plan.groups[person.group].area in ("systems", "ml", "security") and rng.random() < 0.3:
            dblp = f"9{rng.randint(10, 99)}/{rng.randint(1000, 9999)}"
            plan.records[person.record].other_ids.setdefault("dblp", dblp)

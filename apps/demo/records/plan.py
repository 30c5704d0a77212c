"""The demo community as plain data, before any row is written: labs, people, the author
records they land on, and works with their bylines. Pure functions over a seeded Random, so
the same generator state always gives the same community."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from random import Random

from apps.records.identifiers import normalize_ror, orcid_checksum

from .data import (
    ANCHOR,
    BYLINE_WEIGHTS,
    DOI_PREFIX,
    FIXED_VENUE,
    INSTITUTIONS,
    METHOD_TOPICS,
    MIXED_RECORDS,
    MIXED_SHARE,
    MIXED_VARIANTS,
    NAME_POOLS,
    RECENT_DAYS,
    ROLE_WEIGHT,
    SPAN_DAYS,
    SPECIAL_PEOPLE,
    TOPICS,
    TYPE_MIX,
    TYPES,
    VENUE_FOR_TYPE,
    VENUES,
    MixedRecord,
)
from .text import compose, name_variants, printed

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
# Active windows (days): (earliest start, longest stay). PIs span the whole decade.
_WINDOWS = {"postdoc": (900, 2500), "student": (400, 2200), "visitor": (300, 700)}
_CODE_AREAS = ("systems", "ml", "security", "hci")


@dataclass
class Record:
    """One Author row to be."""

    name: str
    variants: list[str]
    orcid: str | None = None
    openalex_id: str | None = None
    other_ids: dict = field(default_factory=dict)
    institutions: list[int] = field(default_factory=list)  # indices into INSTITUTIONS


@dataclass
class Person:
    """A synthetic researcher. Usually one record per person; see MixedRecord for the rest."""

    name: str
    variants: tuple[str, ...]
    group: int
    role: str
    since: int  # active from this many days before ANCHOR ...
    until: int  # ... to this many
    institutions: list[int]
    record: int
    mixed_into: int | None = None  # a record that wrongly holds some of their works
    shares_name: bool = False  # one of a MIXED_RECORDS pair: kept off the consortium papers

    def active(self, days_ago: int) -> bool:
        return self.until <= days_ago <= self.since


@dataclass
class Group:
    topic: str
    area: str
    topics: list[str]
    institution: int
    members: list[int] = field(default_factory=list)  # person indices, the PI first
    partners: list[int] = field(default_factory=list)  # labs in the same area


@dataclass
class Work:
    title: str
    abstract: str
    type: str
    days_ago: int
    precision: str
    venue: str | None
    topics: list[str]
    citations: int
    group: int
    byline: list[int]  # person indices, in byline order
    # (record, name as printed, institution indices), in byline order
    authorships: list[tuple[int, str, list[int]]] = field(default_factory=list)
    doi: str = ""
    arxiv_id: str | None = None
    openalex_id: str | None = None
    code_url: str = ""
    other_ids: dict = field(default_factory=dict)

    @property
    def date(self) -> datetime.date:
        day = ANCHOR - datetime.timedelta(days=self.days_ago)
        if self.precision == "month":
            return day.replace(day=1)
        return day.replace(month=1, day=1) if self.precision == "year" else day


@dataclass
class Plan:
    rng: Random
    rors: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    names_used: set[str] = field(default_factory=set)
    ids_used: set[str] = field(default_factory=set)


def plan_community(rng: Random) -> Plan:
    """The whole community as plain data; the same generator state gives the same plan."""
    plan = Plan(rng)
    plan.rors = [_unique(plan, lambda: ror_id(rng)) for _ in INSTITUTIONS]
    _plan_groups(plan)
    _plan_people(plan)
    _plan_works(plan)
    _finish_works(plan)
    _finish_records(plan)
    return plan


# --- Identifiers ------------------------------------------------------------------------------


def _unique(plan: Plan, make) -> str:
    while (value := make()) in plan.ids_used:
        pass
    plan.ids_used.add(value)
    return value


def _orcid(plan: Plan) -> str:
    """Check digit right, and in 0000-0000-…, a block ORCID does not issue."""
    base = _unique(plan, lambda: f"00000000{plan.rng.randint(0, 9_999_999):07d}")
    digits = base + orcid_checksum(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def _openalex(plan: Plan, letter: str) -> str:
    return _unique(plan, lambda: f"{letter}99{plan.rng.randint(10_000_000, 99_999_999)}")


def ror_id(rng: Random) -> str:
    """A random ROR id with the right check digits: "0", 6 Crockford base32 chars, and
    98 - (n * 100 mod 97) over their value n."""
    body = "".join(rng.choice(_CROCKFORD) for _ in range(6))
    number = 0
    for char in body:
        number = number * 32 + _CROCKFORD.index(char)
    return normalize_ror(f"0{body}{98 - (number * 100) % 97:02d}")


# --- Labs and people --------------------------------------------------------------------------


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
        plan.records[-1].orcid = _orcid(plan)
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
        openalex = _openalex(plan, "A") if rng.random() < 0.75 else None
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
        record = _add_record(plan, name, variants, orcid=orcid, openalex=_openalex(plan, "A"))
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


# --- Works ------------------------------------------------------------------------------------


def _plan_works(plan: Plan) -> None:
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


def _finish_works(plan: Plan) -> None:
    """Identifiers, links and authorships, in date order so DOIs follow time."""
    rng = plan.rng
    plan.works.sort(key=lambda w: -w.days_ago)
    sequences: dict[str, int] = {}
    for n, work in enumerate(plan.works, start=1):
        work.doi = f"{DOI_PREFIX}{n}"
        work.openalex_id = _openalex(plan, "W") if rng.random() < 0.6 else None
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


def _finish_records(plan: Plan) -> None:
    """dblp ids for some computer scientists (9xx/ keys, a range dblp has not reached)."""
    rng = plan.rng
    for person in plan.people:
        if plan.groups[person.group].area in ("systems", "ml", "security") and rng.random() < 0.3:
            dblp = f"9{rng.randint(10, 99)}/{rng.randint(1000, 9999)}"
            plan.records[person.record].other_ids.setdefault("dblp", dblp)

"""Looks like two people: a record's works grouped by what ties them together, so a holder
or a moderator can see at a glance whether one record mixes several researchers.

Two works are tied when they share a co-author (by printed name: co-authors are often
name-only records), an institution printed for this author, or, together, enough of the
weaker traits (venue, topic, years close together). Groups are the connected parts of that
graph, largest first; the result depends only on the data (ties broken by work id) and costs
four queries however many works (at most MAX_WORKS are looked at).

A record "splits cleanly" when its two largest groups each hold at least MIN_GROUP works,
together most of the record, and share almost nothing (OVERLAP_MAX of their traits): the
moderators' queue flags it as a likely mix-up."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .models import Author, Authorship, Work
from .names import query_key

MAX_WORKS = 400
MIN_GROUP = 3
COVERAGE_MIN = 0.8  # the two largest groups hold at least this share of the works
OVERLAP_MAX = 0.1  # share of their traits the two largest groups may have in common
CLOSE_YEARS = 3
TIE = 3  # what two works must share to be tied
WEIGHTS = {"coauthor": 3, "institution": 3, "venue": 1, "topic": 1, "years": 1}
SHOWN_TRAITS = 3
COMMON_TOKEN = 40  # a trait shared by more works than this ties nothing (a huge venue)


@dataclass
class Cluster:
    """One group of works and what they have in common."""

    work_ids: list[int]
    coauthors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    years: tuple[int, int] | None = None
    works: list[Work] = field(default_factory=list)  # filled for pages (first few)

    @property
    def size(self) -> int:
        return len(self.work_ids)

    @property
    def year_span(self) -> str:
        if self.years is None:
            return "undated"
        first, last = self.years
        return str(first) if first == last else f"{first}\N{EN DASH}{last}"


@dataclass
class Clusters:
    groups: list[Cluster]  # groups of two works or more, largest first
    loose: list[int]  # works tied to no other
    likely_mixup: bool

    @property
    def several(self) -> bool:
        return len(self.groups) > 1


def _traits(author: Author, work_ids: list[int]) -> dict[int, dict[str, set]]:
    """Per work: its traits as (kind, value) sets, plus its year (four queries)."""
    traits: dict[int, dict[str, set]] = {w: defaultdict(set) for w in work_ids}
    byline = Authorship.objects.filter(work_id__in=work_ids).exclude(author=author)
    for work_id, name in byline.values_list("work_id", "raw_name"):
        if key := query_key(name):
            traits[work_id]["coauthor"].add(key)
    topics = Work.topics.through.objects.filter(work_id__in=work_ids)
    for work_id, name in topics.values_list("work_id", "topic__name"):
        traits[work_id]["topic"].add(name)
    places = Authorship.institutions.through.objects.filter(
        authorship__author=author, authorship__work_id__in=work_ids
    )
    for work_id, name in places.values_list("authorship__work_id", "institution__name"):
        traits[work_id]["institution"].add(name)
    return traits


def _ties(work_ids: list[int], traits, years: dict[int, int | None]) -> dict[tuple, int]:
    """How much each pair of works shares (only pairs that share something)."""
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for w in work_ids:
        for kind, values in traits[w].items():
            for value in values:
                holders[(kind, value)].append(w)
    weight: Counter = Counter()
    for (kind, _), ws in holders.items():
        if len(ws) > COMMON_TOKEN:
            continue
        for pair in combinations(ws, 2):
            weight[pair] += WEIGHTS[kind]
    for a, b in list(weight):
        ya, yb = years.get(a), years.get(b)
        if ya and yb and abs(ya - yb) <= CLOSE_YEARS:
            weight[(a, b)] += WEIGHTS["years"]
    return weight


def _components(work_ids: list[int], weight: dict[tuple, int]) -> list[list[int]]:
    parent = {w: w for w in work_ids}

    def root(w: int) -> int:
        while parent[w] != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for (a, b), n in sorted(weight.items()):
        if n >= TIE:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for w in work_ids:
        groups[root(w)].append(w)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _describe(ids: list[int], traits, years) -> Cluster:
    counts: dict[str, Counter] = defaultdict(Counter)
    for w in ids:
        for kind, values in traits[w].items():
            counts[kind].update(values)
    top = {k: [v for v, _ in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:SHOWN_TRAITS]]
           for k, c in counts.items()}  # fmt: skip
    dated = [years[w] for w in ids if years.get(w)]
    return Cluster(
        work_ids=ids, coauthors=top.get("coauthor", []), topics=top.get("topic", []),
        venues=top.get("venue", []), institutions=top.get("institution", []),
        years=(min(dated), max(dated)) if dated else None,
    )  # fmt: skip


def _pool(ids: list[int], traits) -> set:
    return {(k, v) for w in ids for k, vs in traits[w].items() for v in vs}


def _clean_split(groups: list[list[int]], total: int, traits) -> bool:
    if len(groups) < 2 or len(groups[1]) < MIN_GROUP:
        return False
    first, second = groups[0], groups[1]
    if (len(first) + len(second)) < COVERAGE_MIN * total:
        return False
    a, b = _pool(first, traits), _pool(second, traits)
    return len(a & b) <= OVERLAP_MAX * max(1, min(len(a), len(b)))


def clusters_for(author: Author) -> Clusters:
    """The record's shown works grouped by what ties them (see the module docstring)."""
    rows = list(
        Work.objects.visible_on(author)
        .order_by("id")
        .values_list("id", "publication_year", "venue__name")[:MAX_WORKS]
    )
    ids = [r[0] for r in rows]
    years = {r[0]: r[1] for r in rows}
    traits = _traits(author, ids)
    for work_id, _, venue in rows:
        if venue:
            traits[work_id]["venue"].add(venue)
    groups = _components(ids, _ties(ids, traits, years))
    return Clusters(
        groups=[_describe(g, traits, years) for g in groups if len(g) > 1],
        loose=sorted(g[0] for g in groups if len(g) == 1),
        likely_mixup=_clean_split(groups, len(ids), traits),
    )

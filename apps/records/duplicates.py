"""Likely the same person: records that may stand for one researcher, to suggest as merge
candidates (to the record's holder and to moderators; nothing here merges anything).

arXiv and Crossref name authors without identifiers, so every paper can make a fresh
name-only record ("Tihomir Radev" five times, one per chapter). Two records are suggested
when they have the same normalised name, at least one of them is name-only (two ORCID iDs
are two people), and they share something beyond the name: a co-author (by printed name,
as the co-authors are often name-only too), a topic, an institution or a venue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .models import Author, Authorship, Work
from .names import KEY_SEPARATOR, name_forms, query_key

MAX_CANDIDATES = 50  # same-name records looked at
SHOWN = 5


TRAITS = (
    ("coauthors", "co-author"),
    ("topics", "topic"),
    ("institutions", "institution"),
    ("venues", "venue"),
)


@dataclass
class DuplicateCandidate:
    author: Author
    shared: dict[str, list[str]]  # trait (TRAITS) -> the values both records have

    @property
    def strength(self) -> int:
        return sum(len(values) for values in self.shared.values())

    @property
    def venues(self) -> list[str]:
        return self.shared.get("venues", [])

    @property
    def reasons(self) -> list[str]:
        """What the two records share, in words."""
        said = []
        for trait, label in TRAITS:
            if values := self.shared.get(trait):
                plural = "s" if len(values) > 1 else ""
                said.append(f"{label}{plural} {', '.join(values[:3])}")
        return said


def _same_name(author: Author) -> list[Author]:
    forms = name_forms(author.display_name)
    if not forms:
        return []
    key = forms[0]
    found = (
        Author.objects.active()
        .exclude(pk=author.pk)
        .filter(search_name__startswith=key)
        .order_by("-works_count", "id")[:MAX_CANDIDATES]
    )
    return [
        other
        for other in found
        if other.search_name.split(KEY_SEPARATOR)[0] == key and not (author.orcid and other.orcid)
    ]


def _traits(author_ids: list[int]) -> dict[int, dict[str, set[str]]]:
    """Per record: co-authors' folded printed names, topics, institutions, venues, over its
    visible works (five grouped queries however many records)."""
    traits: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows = Authorship.objects.visible().filter(author_id__in=author_ids)
    works_of: dict[int, set[int]] = defaultdict(set)
    for author_id, work_id in rows.values_list("author_id", "work_id"):
        works_of[work_id].add(author_id)
    work_ids = list(works_of)
    bylines = Authorship.objects.filter(work_id__in=work_ids).exclude(author_id__in=author_ids)
    for work_id, name in bylines.values_list("work_id", "raw_name"):
        for owner in works_of[work_id]:
            traits[owner]["coauthors"].add(query_key(name))
    topics = Work.topics.through.objects.filter(work_id__in=work_ids)
    for work_id, name in topics.values_list("work_id", "topic__name"):
        for owner in works_of[work_id]:
            traits[owner]["topics"].add(name)
    venues = Work.objects.filter(pk__in=work_ids, venue__isnull=False)
    for work_id, name in venues.values_list("pk", "venue__name"):
        for owner in works_of[work_id]:
            traits[owner]["venues"].add(name)
    places = Author.institutions.through.objects.filter(author_id__in=author_ids)
    for author_id, name in places.values_list("author_id", "institution__name"):
        traits[author_id]["institutions"].add(name)
    printed = Authorship.institutions.through.objects.filter(
        authorship__author_id__in=author_ids, authorship__status="active"
    )
    for author_id, name in printed.values_list("authorship__author_id", "institution__name"):
        traits[author_id]["institutions"].add(name)
    return traits


def likely_same_person(author: Author, limit: int = SHOWN) -> list[DuplicateCandidate]:
    """Same-name records sharing something beyond the name with `author`, most shared first."""
    others = _same_name(author)
    if not others:
        return []
    traits = _traits([author.pk, *(o.pk for o in others)])
    mine = traits[author.pk]
    found = []
    for other in others:
        theirs = traits[other.pk]
        shared = {trait: sorted(mine[trait] & theirs[trait]) for trait, _ in TRAITS}
        candidate = DuplicateCandidate(other, {t: v for t, v in shared.items() if v})
        if candidate.strength:
            found.append(candidate)
    found.sort(key=lambda c: (-c.strength, -c.author.works_count, c.author.pk))
    return found[:limit]

""" "Is this you?": candidate records for a user, ranked, each with the reasons it was chosen.

Signals: the ORCID iD the user proved (decisive), works on their public ORCID record whose
DOI or arXiv id the candidate's works share, name similarity, and an institution on the
record whose email domain the user has a verified address on. Fetching ORCID works is a
network call: call `suggestions_for` outside any transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from apps.records.models import Author, Authorship
from apps.records.names import name_match_score
from apps.records.search import author_search

from .evidence import email_on_domain
from .models import Claim, InstitutionDomain
from .orcid import orcid_work_keys, proven_orcid
from .services import works_for_keys

ORCID_POINTS = 100
WORK_POINTS, WORK_POINTS_MAX = 15, 60
NAME_POINTS_MAX = 30
INSTITUTION_POINTS = 10
NAME_CANDIDATES = 30


@dataclass
class Candidate:
    author: Author
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    held: bool = False  # someone holds it already (claiming opens a dispute)


def _work_overlap(keys: frozenset[str]) -> Counter:
    if not keys:
        return Counter()
    mine = works_for_keys(keys).values("id")
    rows = Authorship.objects.visible().filter(work_id__in=mine).values_list("author_id", flat=True)
    return Counter(rows)


def _institution_hits(user, author_ids: list[int]) -> dict[int, str]:
    emails = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    rows = InstitutionDomain.objects.filter(institution__authors__in=author_ids).values_list(
        "institution__authors", "domain", "institution__name"
    )
    hits = {}
    for author_id, domain, name in rows:
        if any(email_on_domain(e, frozenset({domain})) for e in emails):
            hits[author_id] = name
    return hits


def suggestions_for(user, *, name: str = "", limit: int = 10) -> list[Candidate]:
    """Ranked candidates for `user` (best first), from their proven ORCID iD, ORCID works,
    `name` (default: the account's display name) and institutions."""
    orcid = proven_orcid(user)
    keys = orcid_work_keys(orcid)
    name = (name or user.display_name or "").strip()
    overlap = _work_overlap(keys)
    by_name = author_search(name, limit=NAME_CANDIDATES) if name else []
    ids = set(overlap) | {a.pk for a in by_name}
    pool = Author.objects.active().filter(pk__in=ids)
    if orcid:
        pool = pool | Author.objects.active().filter(orcid=orcid)
    authors = list(pool.distinct())
    held = set(Claim.objects.holders_of(authors).values_list("author_id", flat=True))
    institutions = _institution_hits(user, [a.pk for a in authors])
    ranked = [_candidate(a, orcid, keys, overlap, name, institutions, held) for a in authors]
    ranked = [c for c in ranked if c.score > 0]
    ranked.sort(key=lambda c: (-c.score, -c.author.works_count, c.author.pk))
    return ranked[:limit]


def _candidate(author, orcid, keys, overlap, name, institutions, held) -> Candidate:
    c = Candidate(author, held=author.pk in held)
    if orcid and author.orcid == orcid:
        c.score += ORCID_POINTS
        c.reasons.append(f"ORCID iD {orcid} matches the one you signed in with")
    if overlap.get(author.pk):
        n = overlap[author.pk]
        c.score += min(WORK_POINTS_MAX, WORK_POINTS * n)
        c.reasons.append(f"{n} of your {len(keys)} ORCID works are on this record")
    similarity = name_match_score(name, author.search_name) if name else 0.0
    if similarity >= 60:
        c.score += round(NAME_POINTS_MAX * similarity / 100)
        c.reasons.append(f"Name similar to yours ({similarity:.0f}%)")
    if author.pk in institutions:
        c.score += INSTITUTION_POINTS
        c.reasons.append(f"You have a verified email at {institutions[author.pk]}")
    return c

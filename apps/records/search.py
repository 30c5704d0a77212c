"""Author and work search.

PostgreSQL: authors by trigram word similarity over the folded name forms (GIN index on
`search_name`), works by full-text search over a stored tsvector (GIN index), ranked only
within a bounded candidate set so that a common word costs what a rare one does.
SQLite (the bare-machine default): substring candidates, ranked by the same Python scorer.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet

from .models import Author, Work
from .names import fold, name_match_score, query_key

AUTHOR_CANDIDATES = 200  # rows fetched by the index before Python ranks them
WORK_CANDIDATES = 1000  # matches ranked per work search; the rest are not ranked
MIN_NAME_SCORE = 60.0


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def author_search(query: str, *, limit: int = 20) -> list[Author]:
    """Authors whose name matches `query`, best first; tolerant of accents, case, initials,
    "Family, Given" order and small typos."""
    key = query_key(query)
    if not key:
        return []
    candidates = Author.objects.active().only(
        "id",
        "display_name",
        "search_name",
        "works_count",
        "orcid",
        "verification_level",
        "citation_count",
        "h_index",
    )
    if _postgres():
        candidates = (
            candidates.filter(search_name__trigram_word_similar=key)  # GIN-indexed %>
            .annotate(similarity=TrigramWordSimilarity(key, "search_name"))
            .order_by("-similarity", "-works_count")
        )
    else:
        words = [w[:4] for w in key.split() if len(w) > 1] or key.split()
        match = Q()
        for word in words:
            match |= Q(search_name__contains=word)
        candidates = candidates.filter(match).order_by("-works_count")
    scored = [(name_match_score(key, a.search_name), a) for a in candidates[:AUTHOR_CANDIDATES]]
    scored = [pair for pair in scored if pair[0] >= MIN_NAME_SCORE]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].works_count, pair[1].id))
    return [author for _, author in scored[:limit]]


def work_search(query: str, base: QuerySet | None = None) -> QuerySet:
    """Works matching the words of `query`, best first, as a queryset (filters may follow)."""
    base = Work.objects.all() if base is None else base
    if _postgres():
        tsquery = SearchQuery(query, config="english", search_type="websearch")
        candidate_ids = base.filter(search_vector=tsquery).values("id")[:WORK_CANDIDATES]
        return (
            Work.objects.filter(id__in=candidate_ids)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "-citation_count", "-id")
        )
    words = fold(query).split()
    if not words:
        return base.none()
    match = Q()
    for word in words:
        match &= Q(title__icontains=word) | Q(abstract__icontains=word)
    return base.filter(match).order_by("-citation_count", "-id")

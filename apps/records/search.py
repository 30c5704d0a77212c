"""Author and work search.

PostgreSQL: author candidates come out of a GiST trigram index already in word-similarity
order (`key <<-> search_name`), so a common name costs what a rare one does; a bare short
family name ("Li", "Wu"), where trigrams say little, is matched as an exact word instead,
most prolific first. Works by full-text search over a stored tsvector (GIN index), ranked only
within a bounded candidate set so that a common word costs what a rare one does.
SQLite (the bare-machine default): substring candidates, ranked by the same Python scorer.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordDistance
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value

from .identifiers import recognise
from .models import Author, Work
from .names import fold, name_match_score, query_key

AUTHOR_CANDIDATES = 200  # rows fetched by the index before Python ranks them
WORK_CANDIDATES = 1000  # matches ranked per work search; the rest are not ranked
MIN_NAME_SCORE = 60.0
SHORT_NAME = 3  # a one-word query this short is looked up as an exact word
# Fields the search results show (HTML list and AuthorSummarySerializer alike).
AUTHOR_FIELDS = (
    "id",
    "display_name",
    "search_name",
    "works_count",
    "orcid",
    "openalex_id",
    "verification_level",
    "citation_count",
    "h_index",
)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def author_search(query: str, *, limit: int = 20) -> list[Author]:
    """Authors whose name matches `query`, best first; tolerant of accents, case, initials,
    "Family, Given" order and small typos."""
    key = query_key(query)
    if not key:
        return []
    candidates = Author.objects.active().only(*AUTHOR_FIELDS)
    if _postgres():
        found = _postgres_candidates(candidates, key)
    else:
        words = [w[:4] for w in key.split() if len(w) > 1] or key.split()
        match = Q()
        for word in words:
            match |= Q(search_name__contains=word)
        found = list(candidates.filter(match).order_by("-works_count")[:AUTHOR_CANDIDATES])
    scored = [(name_match_score(key, a.search_name), a) for a in found]
    scored = [pair for pair in scored if pair[0] >= MIN_NAME_SCORE]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].works_count, pair[1].id))
    return [author for _, author in scored[:limit]]


def _postgres_candidates(candidates: QuerySet, key: str) -> list[Author]:
    """Up to AUTHOR_CANDIDATES authors for the Python scorer, each query served by an index
    (migration 0004): a short bare name by its exact word (GIN on the words of search_name,
    most works first), topped up, or otherwise found, by trigram KNN (GiST)."""
    found: list[Author] = []
    if " " not in key and len(key) <= SHORT_NAME:
        words = Func(
            F("search_name"),
            Value(" "),
            function="string_to_array",
            output_field=ArrayField(TextField()),
        )
        found = list(
            candidates.alias(words=words)
            .filter(words__contains=[key])
            .order_by("-works_count", "id")[:AUTHOR_CANDIDATES]
        )
        if len(found) == AUTHOR_CANDIDATES:
            return found
    nearest = (
        candidates.filter(search_name__trigram_word_similar=key)  # %>, served by the GiST index
        .exclude(id__in=[a.id for a in found])
        .order_by(TrigramWordDistance(key, "search_name"))  # KNN: nearest first, then stop
    )
    return found + list(nearest[: AUTHOR_CANDIDATES - len(found)])


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


def identified(query: str) -> Author | Work | None:
    """The record or work `query` names by ORCID iD, DOI, arXiv id or OpenAlex id (see
    identifiers.recognise); None when the query is no identifier or nothing here has it. A
    merged record answers with itself: its page sends the visitor on."""
    found = recognise(query)
    if found is None:
        return None
    kind, value = found
    if kind == "orcid":
        return Author.objects.filter(orcid=value).first()
    if kind == "doi":
        return Work.objects.filter(doi=value).first()
    if kind == "arxiv":
        return Work.objects.filter(arxiv_id=value).first()
    model = Author if value[0] == "A" else Work
    return model.objects.filter(openalex_id=value).first()

"""Author and work search.

PostgreSQL: author candidates are the records that carry every word typed ("Li", "wei wang",
"j smith": initials are words of the stored initial form), most prolific first, from a GIN
index on the words; when fewer records than the page shows carry them (a rare name, a typo),
a GIN trigram index adds the nearest spellings. A common name is served by its words and
never reaches the trigram index, where it would match thousands.
Works by full-text search over a stored tsvector, ranked only within WORK_CANDIDATES matches,
so that a common word costs what a rare one does: common words are matched row by row over
the newest works (the newest matches are ranked), rarer ones through the GIN index (the
first matches it returns).
SQLite (the bare-machine default): substring candidates, ranked by the same Python scorer.
"""

from __future__ import annotations

import functools

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordDistance,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Coalesce

from .identifiers import recognise
from .models import Author, Work
from .names import fold, name_match_score, query_key

AUTHOR_CANDIDATES = 200  # rows fetched by the index before Python ranks them
WORK_CANDIDATES = 1000  # matches ranked per work search; the rest are not ranked
# Newest works read row by row before the full-text index is asked: the first, then the rest
# of the second when the first found matches fast enough (_work_candidates).
PROBE_ROWS = (5_000, 20_000)
# ...with this much slack: a rate from a sample of 5,000 rows is not exact ("phase transition"
# is 5.4% of the bench's works, 4.8% of its newest 5,000).
PROBE_SLACK = 0.8
MIN_NAME_SCORE = 60.0
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
        found = _postgres_candidates(candidates, key, limit)
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


def _postgres_candidates(candidates: QuerySet, key: str, limit: int) -> list[Author]:
    """Up to AUTHOR_CANDIDATES authors for the Python scorer, each query served by a GIN index
    (migrations 0004 and 0012): the records that carry every word of the key, most works
    first; then, only when fewer than `limit` do (a rare name, or a typo), the nearest
    spellings by trigram word similarity. A name thousands of records carry is served by its
    words alone: its trigram matches would be thousands too."""
    words = Func(
        F("search_name"),
        Value(" "),
        function="string_to_array",
        output_field=ArrayField(TextField()),
    )
    found = list(
        candidates.alias(words=words)
        .filter(words__contains=key.split())
        .order_by(_most_works_first(key.split()), "id")[:AUTHOR_CANDIDATES]
    )
    if len(found) >= limit:
        return found
    nearest = (
        candidates.filter(search_name__trigram_word_similar=key)  # %>, the GIN trigram index
        .exclude(id__in=[a.id for a in found])
        .order_by(TrigramWordDistance(key, "search_name"))
    )
    return found + list(nearest[: AUTHOR_CANDIDATES - len(found)])


def _most_works_first(words: list[str]) -> OrderBy:
    """Most works first, as author_works_count_idx serves it only for one word so common that
    walking that index and testing each row reads fewer rows than the words index finds
    ("li": 5,869 rows read for 200 kept, against 10,853 matches). For any rarer word, or two
    (their records are few), the planner would still walk, reading tens of thousands of rows
    ("kim"), so the order is an expression the index cannot serve and the words index finds
    the matches at once."""
    if len(words) == 1:
        shares, authors = _word_shares()
        share = shares.get(words[0], 0.0)
        if share * share * authors >= AUTHOR_CANDIDATES:  # walk: 200/share rows, bitmap: N*share
            return F("works_count").desc()
    return ExpressionWrapper(F("works_count") + 0, output_field=IntegerField()).desc()


@functools.cache
def _word_shares() -> tuple[dict[str, float], float]:
    """The commonest words of search_name with the share of records carrying each, and how
    many records there are, as ANALYZE last counted them. Read by the first one-word search
    of a process (one more query, once) and kept: they only choose a plan, never the
    results. Empty before the first ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(WORD_SHARES)
        words, shares, authors = cursor.fetchone() or (None, None, 0)
    return dict(zip(words or [], shares or [], strict=False)), float(authors or 0)


WORD_SHARES = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs,
       (SELECT reltuples FROM pg_class WHERE relname = 'records_author')
FROM (SELECT 1) one LEFT JOIN pg_stats s ON s.tablename = 'author_search_words_gin'
"""


def work_search(query: str, base: QuerySet | None = None) -> QuerySet:
    """Works matching the words of `query`, best first, as a queryset (filters may follow)."""
    base = Work.objects.all() if base is None else base
    if _postgres():
        tsquery = SearchQuery(query, config="english", search_type="websearch")
        return (
            Work.objects.filter(_work_candidates(base, tsquery))
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


def _work_candidates(base: QuerySet, tsquery: SearchQuery) -> Q | RawSQL:
    """The WORK_CANDIDATES matches a search ranks (all of them, when fewer), as a filter.

    Words many works carry are first looked for among the newest works, row by row, newest
    first, which stops at the WORK_CANDIDATES-th match: the GIN index would list every match
    before the first comes out. The probe reads the newest PROBE_ROWS[0] works, then the rest
    of PROBE_ROWS[-1] only if the rate it found would fill the candidates there. Otherwise the
    words are rarer, and the index serves them, as a subquery of the ranking query, in no
    order (an ORDER BY would tempt the planner to walk the primary key and test every row):
    the first WORK_CANDIDATES it returns, in the table's physical order, as before."""
    by_index = Q(id__in=base.filter(search_vector=tsquery).values("id")[:WORK_CANDIDATES])
    newest = Work.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return by_index
    found: list[int] = []
    start = newest
    for rows in PROBE_ROWS:
        found += _probe(base, tsquery, WORK_CANDIDATES - len(found), newest - rows, start)
        if len(found) == WORK_CANDIDATES:  # one array parameter, not a thousand
            return RawSQL('"records_work"."id" = ANY(%s)', (found,), BooleanField())
        if len(found) * PROBE_ROWS[-1] < WORK_CANDIDATES * rows * PROBE_SLACK:
            break  # at this rate the whole probe would not fill the candidates
        start = newest - rows
    return by_index


def _probe(base: QuerySet, tsquery: SearchQuery, n: int, newer_than: int, up_to: int) -> list[int]:
    """Ids of the first `n` matches among the works newer_than < id <= up_to, newest first,
    each row tested on its own (an expression, which the index does not serve)."""
    row_by_row = Coalesce("search_vector", Value("", output_field=SearchVectorField()))
    return list(
        base.filter(id__gt=newer_than, id__lte=up_to)
        .alias(row_vector=row_by_row)
        .filter(row_vector=tsquery)
        .order_by("-id")
        .values_list("id", flat=True)[:n]
    )


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

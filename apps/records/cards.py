"""What lets a person recognise a record in a list ("Is this you?", author search): its
institutions, top topics, three most recent titles, closest co-authors, years active and
identifiers, and (from apps above, through `card_fact`) whether someone holds it.

`attach_cards(authors)` costs the same few queries for one record or thirty: each fact is one
query over all of them, cut to the top few per record by a window function (on PostgreSQL,
co-authors by a LATERAL join on their index). Years active and the newest works are stored on
the record with its metrics (services.author_metrics_refresh), so a card never reads a
record's works: only the three titles it shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import Author, AuthorTopic, CoAuthorship, Work

PER_FACT = 3

_facts: list[Callable] = []


def card_fact(func: Callable) -> Callable:
    """Register `func(author_ids) -> {author id: {name: value}}` (one query for all), merged
    into each card's `extra`. Apps above records register in AppConfig.ready()."""
    if func not in _facts:
        _facts.append(func)
    return func


@dataclass
class Card:
    institutions: list[str] = field(default_factory=list)
    topics: list = field(default_factory=list)
    recent: list[dict] = field(default_factory=list)
    coauthors: list[Author] = field(default_factory=list)
    first_year: int | None = None
    last_year: int | None = None
    extra: dict = field(default_factory=dict)


def _top(queryset, order, partition: str = "author_id"):
    rank = Window(RowNumber(), partition_by=F(partition), order_by=order)
    return queryset.annotate(rank=rank).filter(rank__lte=PER_FACT)


def attach_cards(authors: list[Author]) -> list[Author]:
    """Set `author.card` (a Card) on each author; returns the list."""
    cards = {a.pk: Card() for a in authors}
    for a in authors:
        a.card = cards[a.pk]
    ids = list(cards)
    if not ids:
        return authors
    through = Author.institutions.through.objects.filter(author_id__in=ids)
    for row in _top(through.select_related("institution"), F("institution__name").asc()):
        cards[row.author_id].institutions.append(row.institution.name)
    topics = AuthorTopic.objects.filter(author_id__in=ids).select_related("topic")
    for row in _top(topics, [F("works_count").desc(), F("topic_id").asc()]):
        cards[row.author_id].topics.append(row.topic)
    for author_id, coauthor in _closest_coauthors(ids):
        cards[author_id].coauthors.append(coauthor)
    _attach_works(cards, ids)
    for fact in _facts:
        for pk, values in fact(ids).items():
            cards[pk].extra.update(values)
    return authors


# PostgreSQL: each record's top co-authors straight off coauthorship_rank_idx, a few index
# rows per record; the window function below reads every edge of every record listed first.
CLOSEST_COAUTHORS = f"""
SELECT co.id, co.display_name, e.author_id AS edge_of
FROM unnest(%s::bigint[]) AS listed(id)
CROSS JOIN LATERAL (
    SELECT author_id, coauthor_id, shared_works FROM records_coauthorship
    WHERE author_id = listed.id
    ORDER BY shared_works DESC, coauthor_id LIMIT {PER_FACT}
) e
JOIN records_author co ON co.id = e.coauthor_id
ORDER BY e.author_id, e.shared_works DESC, e.coauthor_id
"""  # noqa: S608 - PER_FACT is a constant


def _closest_coauthors(ids: list[int]) -> list[tuple[int, Author]]:
    """(record id, co-author) for each record's PER_FACT closest co-authors, closest first."""
    if connection.vendor == "postgresql":
        return [(co.edge_of, co) for co in Author.objects.raw(CLOSEST_COAUTHORS, [ids])]
    edges = CoAuthorship.objects.filter(author_id__in=ids).select_related("coauthor")
    order = [F("shared_works").desc(), F("coauthor_id").asc()]
    return [(row.author_id, row.coauthor) for row in _top(edges, order)]


def _attach_works(cards: dict[int, Card], ids: list[int]) -> None:
    """Years active and the three newest titles, as services.author_metrics_refresh stored
    them on each record (reading them from the works costs every work of every record)."""
    stored = Author.objects.filter(id__in=ids).values_list(
        "id", "first_year", "last_year", "recent_work_ids"
    )
    recent = {}
    for pk, first, last, work_ids in stored:
        cards[pk].first_year, cards[pk].last_year = first, last
        recent[pk] = work_ids or []
    wanted = {w for work_ids in recent.values() for w in work_ids}
    titles = dict(Work.objects.filter(id__in=wanted).values_list("id", "title")) if wanted else {}
    for pk, work_ids in recent.items():
        cards[pk].recent = [{"pk": w, "title": titles[w]} for w in work_ids if w in titles]

"""What lets a person recognise a record in a list ("Is this you?", author search): its
institutions, top topics, three most recent titles, closest co-authors, years active and
identifiers, and (from apps above, through `card_fact`) whether someone holds it.

`attach_cards(authors)` costs the same few queries for one record or thirty: each fact is one
query over all of them, cut to the top few per record by a window function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Max, Min, Window
from django.db.models.functions import RowNumber

from .models import Author, Authorship, AuthorTopic, CoAuthorship

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
    edges = CoAuthorship.objects.filter(author_id__in=ids).select_related("coauthor")
    for row in _top(edges, [F("shared_works").desc(), F("coauthor_id").asc()]):
        cards[row.author_id].coauthors.append(row.coauthor)
    _attach_works(cards, ids)
    for fact in _facts:
        for pk, values in fact(ids).items():
            cards[pk].extra.update(values)
    return authors


def _attach_works(cards: dict[int, Card], ids: list[int]) -> None:
    """Three most recent titles and the years active, from the visible authorships."""
    visible = Authorship.objects.visible().filter(author_id__in=ids)
    newest = [F("work__publication_date").desc(nulls_last=True), F("work_id").desc()]
    for row in _top(visible, newest).values("author_id", "work_id", "work__title"):
        cards[row["author_id"]].recent.append({"pk": row["work_id"], "title": row["work__title"]})
    years = visible.values("author_id").annotate(
        first=Min("work__publication_year"), last=Max("work__publication_year")
    )
    for row in years:
        card = cards[row["author_id"]]
        card.first_year, card.last_year = row["first"], row["last"]

"""What lets a person recognise a record in a list ("Is this you?", author search): its
institutions, top topics, three most recent titles, closest co-authors, years active and
identifiers, and (from apps above, through `card_fact`) whether someone holds it.

`attach_cards(authors)` costs the same few queries for one record or thirty: each fact is one
query over all of them, cut to the top few per record by a window function (on PostgreSQL,
topics and co-authors by a LATERAL join on their ranking index). Years active and the newest
works are stored on the record with its metrics (services.author_metrics_refresh), so a card
never reads a record's works: only the three titles it shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import Author, AuthorTopic, CoAuthorship, Topic, Work

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
    for author_id, topic in _top_per_record(TOPICS, ids):
        cards[author_id].topics.append(topic)
    for author_id, coauthor in _top_per_record(COAUTHORS, ids):
        cards[author_id].coauthors.append(coauthor)
    _attach_works(cards, ids)
    for fact in _facts:
        for pk, values in fact(ids).items():
            cards[pk].extra.update(values)
    return authors


@dataclass(frozen=True)
class Ranked:
    """A fact ranked per record: rows of `edges` (author_id, `other`, `weight`) pointing at
    `model`, heaviest first, ties by the lower id; a card shows the related row's `label`."""

    edges: type
    other: str  # the column naming the related row
    weight: str
    model: type
    label: str

    def lateral_sql(self) -> str:
        """PostgreSQL: each record's top rows straight off its (author, -weight) index, a few
        index rows per record; the window function of the portable path reads every row of
        every record listed first (thousands of co-author edges for a prolific record)."""
        edges, target = self.edges._meta.db_table, self.model._meta.db_table
        return f"""
            SELECT x.id, x.{self.label}, e.author_id AS card_of
            FROM unnest(%s::bigint[]) AS listed(id)
            CROSS JOIN LATERAL (
                SELECT author_id, {self.other}, {self.weight} FROM {edges}
                WHERE author_id = listed.id
                ORDER BY {self.weight} DESC, {self.other} LIMIT {PER_FACT}
            ) e
            JOIN {target} x ON x.id = e.{self.other}
            ORDER BY e.author_id, e.{self.weight} DESC, e.{self.other}"""  # noqa: S608 - names


TOPICS = Ranked(AuthorTopic, "topic_id", "works_count", Topic, "name")  # author_topic_rank_idx
COAUTHORS = Ranked(CoAuthorship, "coauthor_id", "shared_works", Author, "display_name")


def _top_per_record(fact: Ranked, ids: list[int]) -> list[tuple[int, models.Model]]:
    """(record id, related row) for each record's PER_FACT top rows of `fact`, top first."""
    if connection.vendor == "postgresql":
        return [(row.card_of, row) for row in fact.model.objects.raw(fact.lateral_sql(), [ids])]
    related = fact.other.removesuffix("_id")
    rows = fact.edges.objects.filter(author_id__in=ids).select_related(related)
    rows = rows.only("author_id", fact.weight, f"{related}__id", f"{related}__{fact.label}")
    order = [F(fact.weight).desc(), F(fact.other).asc()]
    return [(row.author_id, getattr(row, related)) for row in _top(rows, order)]


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

"""Keyset pagination: every row exactly once, in order, forwards and back, nulls included."""

import datetime

import pytest

from apps.core.keyset import InvalidCursor, Key, paginate
from apps.records.models import Work

pytestmark = pytest.mark.django_db
KEYS = [Key("publication_date", descending=True, nulls_last=True), Key("id")]


@pytest.fixture
def works(records):
    dates = [datetime.date(2024, 5, d) for d in (1, 1, 1, 2, 3, 3)] + [None, None, None]
    return [records.work(date=d) for d in dates]


def _walk_forward(size):
    seen, cursor = [], None
    while True:
        page = paginate(Work.objects.all(), KEYS, cursor, size)
        seen.extend(page.items)
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize("size", [1, 2, 4, 50])
def test_walking_forward_visits_every_row_once_in_order(works, size):
    expected = list(
        Work.objects.order_by(*[key.order_expression() for key in KEYS]).values_list(
            "id", flat=True
        )
    )
    assert [w.id for w in _walk_forward(size)] == expected
    assert expected[-3:] == sorted(
        [w.id for w in works if w.publication_date is None], reverse=True
    )


def test_walking_back_returns_the_same_pages(works):
    first = paginate(Work.objects.all(), KEYS, None, 3)
    second = paginate(Work.objects.all(), KEYS, first.next_cursor, 3)
    third = paginate(Work.objects.all(), KEYS, second.next_cursor, 3)
    back_to_second = paginate(Work.objects.all(), KEYS, third.previous_cursor, 3)
    back_to_first = paginate(Work.objects.all(), KEYS, back_to_second.previous_cursor, 3)

    assert back_to_second.items == second.items
    assert back_to_first.items == first.items
    assert back_to_first.previous_cursor is None
    assert first.previous_cursor is None


@pytest.mark.parametrize("cursor", ["garbage", "eyJ2IjpbMV0sImIiOmZhbHNlfQ", "e30"])
def test_an_unreadable_cursor_is_refused(works, cursor):
    with pytest.raises(InvalidCursor):
        paginate(Work.objects.all(), KEYS, cursor, 3)

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


def _walk_back(size, cursor):
    seen = []
    while cursor:
        page = paginate(Work.objects.all(), KEYS, cursor, size)
        seen = page.items + seen
        cursor = page.previous_cursor
    return seen


@pytest.mark.parametrize("size", [3, 5, 6, 7])
def test_pages_crossing_from_dated_to_undated_rows_miss_nothing(works, size):
    # Six dated rows, then three undated: the page ends before, on and after the last dated row.
    forward = _walk_forward(size)
    assert [w.id for w in forward] == [
        w.id for w in sorted(works[:6], key=lambda w: (w.publication_date, w.id), reverse=True)
    ] + sorted([w.id for w in works[6:]], reverse=True)
    last = paginate(Work.objects.all(), KEYS, None, size)
    while last.next_cursor:
        last = paginate(Work.objects.all(), KEYS, last.next_cursor, size)
    assert _walk_back(size, last.previous_cursor) + last.items == forward


def test_the_page_after_the_last_dated_row_holds_only_undated_rows(works):
    first = paginate(Work.objects.all(), KEYS, None, 6)
    second = paginate(Work.objects.all(), KEYS, first.next_cursor, 6)
    assert {w.publication_date for w in first.items} != {None}
    assert [w.publication_date for w in second.items] == [None, None, None]
    assert second.next_cursor is None


def test_a_page_filled_with_dated_rows_runs_one_query(works, django_assert_num_queries):
    first = paginate(Work.objects.all(), KEYS, None, 2)
    with django_assert_num_queries(1):  # 3 dated rows remain beyond the cursor: no NULL query
        paginate(Work.objects.all(), KEYS, first.next_cursor, 2)


def test_an_id_cursor_of_null_is_refused(works):
    from apps.core.keyset import _encode, _resolve, _signer

    signer = _signer(Work, _resolve(KEYS, Work))
    with pytest.raises(InvalidCursor):
        paginate(Work.objects.all(), KEYS, _encode(signer, ["2024-05-01", None], False), 3)


def test_a_cursor_signed_for_another_list_is_refused(works):
    """A cursor is good only for the model and order it was made for."""
    first = paginate(Work.objects.all(), KEYS, None, 2)
    with pytest.raises(InvalidCursor):
        paginate(Work.objects.all(), [Key("id")], first.next_cursor, 2)


def test_an_edited_cursor_is_refused(works):
    first = paginate(Work.objects.all(), KEYS, None, 2)
    payload, signature = first.next_cursor.rsplit(":", 1)
    with pytest.raises(InvalidCursor):
        paginate(Work.objects.all(), KEYS, f"{payload}x:{signature}", 2)

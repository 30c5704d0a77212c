"""Keyset (cursor) pagination over any ordering, nullable columns included.

Page 500 costs what page 1 costs: each page is `WHERE (ordering key) beyond (last row's key)
ORDER BY ... LIMIT n`, which an index on the ordering serves, instead of OFFSET, which reads
and discards every earlier row. Cursors are opaque URL-safe strings.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import BadRequest
from django.db.models import F, Q, QuerySet


class InvalidCursor(BadRequest, ValueError):
    """A cursor that cannot be read. Django answers it with 400; the API paginator turns it
    into a 400 with a JSON body."""


@dataclass(frozen=True)
class Key:
    """One column of the ordering. The last key must be unique (usually the primary key)."""

    field: str
    descending: bool = True
    nulls_last: bool = True  # only matters for nullable columns

    def order_expression(self):
        nulls = {"nulls_last": True} if self.nulls_last else {"nulls_first": True}
        expression = F(self.field)
        return expression.desc(**nulls) if self.descending else expression.asc(**nulls)

    def reversed(self) -> Key:
        return replace(self, descending=not self.descending, nulls_last=not self.nulls_last)


@dataclass
class Page:
    items: list
    next_cursor: str | None
    previous_cursor: str | None


def _beyond(keys: list[Key], values: list[Any]) -> Q:
    """Rows strictly after `values` in the order `keys` describe."""
    key, value = keys[0], values[0]
    rest = _beyond(keys[1:], values[1:]) if len(keys) > 1 else None
    isnull = Q(**{f"{key.field}__isnull": True})
    if value is None:
        tie = isnull & rest if rest is not None else Q(pk__in=[])
        return tie if key.nulls_last else (~isnull | tie)
    beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
    if key.nulls_last:
        beyond |= isnull
    if rest is None:
        return beyond
    return beyond | (Q(**{key.field: value}) & rest)


def _encode(values: list[Any], backwards: bool) -> str:
    raw = json.dumps({"v": [_plain(v) for v in values], "b": backwards}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _decode(cursor: str, model, keys: list[Key]) -> tuple[list[Any], bool]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values, backwards = data["v"], bool(data["b"])
        if len(values) != len(keys):
            raise InvalidCursor("cursor does not fit this list")
        fields = [model._meta.get_field(key.field) for key in keys]
        return [
            None if v is None else f.to_python(v) for f, v in zip(fields, values, strict=True)
        ], backwards
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        if isinstance(exc, InvalidCursor):
            raise
        raise InvalidCursor("malformed cursor") from exc


def _values_of(item, keys: list[Key]) -> list[Any]:
    return [getattr(item, key.field) for key in keys]


def paginate(queryset: QuerySet, keys: list[Key], cursor: str | None, size: int) -> Page:
    """One page of `queryset` in `keys` order, after (or before) `cursor`.

    Raises InvalidCursor for a cursor that cannot be read."""
    backwards = False
    if cursor:
        values, backwards = _decode(cursor, queryset.model, keys)
    walk = [key.reversed() for key in keys] if backwards else keys
    qs = queryset.order_by(*[key.order_expression() for key in walk])
    if cursor:
        qs = qs.filter(_beyond(walk, values))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        return Page(
            items=rows,
            next_cursor=_encode(_values_of(rows[-1], keys), False) if rows else None,
            previous_cursor=_encode(_values_of(rows[0], keys), True) if rows and more else None,
        )
    return Page(
        items=rows,
        next_cursor=_encode(_values_of(rows[-1], keys), False) if rows and more else None,
        previous_cursor=_encode(_values_of(rows[0], keys), True) if rows and cursor else None,
    )

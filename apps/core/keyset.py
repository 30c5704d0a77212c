"""Keyset (cursor) pagination over any ordering, nullable columns included.

Page 500 costs what page 1 costs: each page is `WHERE (ordering key) beyond (last row's key)
ORDER BY ... LIMIT n`, which an index on the ordering serves, instead of OFFSET, which reads
and discards every earlier row. Cursors are opaque URL-safe strings, signed with SECRET_KEY
for one list (its model and ordering): a forged, edited or borrowed cursor is refused with
InvalidCursor (400) before any of its values reaches a query, and each value is still
converted by its column's own field.

On PostgreSQL, when every key runs the same way and only the first may be NULL, "beyond" is a
row comparison, `(publication_date, id) < (%s, %s)`, which the index takes as an Index Cond
(an OR of comparisons is only a filter, read row by row from the top of the index). A row
comparison never matches a NULL, so NULL-last rows come from a second query, run only when
the first comes up short. Columns that are never NULL are ordered plainly, as indexes are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.core import signing
from django.core.exceptions import BadRequest, ValidationError
from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value


class InvalidCursor(BadRequest, ValueError):
    """A cursor that cannot be read. Django answers it with 400; the API paginator turns it
    into a 400 with a JSON body."""


@dataclass(frozen=True)
class Key:
    """One column of the ordering. The last key must be unique (usually the primary key)."""

    field: str
    descending: bool = True
    nulls_last: bool | None = True  # None: the column is never NULL (paginate works it out)

    def order_expression(self):
        expression = F(self.field)
        if self.nulls_last is None:
            return expression.desc() if self.descending else expression.asc()
        nulls = {"nulls_last": True} if self.nulls_last else {"nulls_first": True}
        return expression.desc(**nulls) if self.descending else expression.asc(**nulls)

    def reversed(self) -> Key:
        nulls_last = None if self.nulls_last is None else not self.nulls_last
        return replace(self, descending=not self.descending, nulls_last=nulls_last)


def _resolve(keys: list[Key], model) -> list[Key]:
    """Mark keys over NOT NULL columns, so they are ordered as their index is (`id DESC`,
    not `id DESC NULLS LAST`)."""
    return [
        key if model._meta.get_field(key.field).null else replace(key, nulls_last=None)
        for key in keys
    ]


class _RowBeyond(Func):
    """`(a, b) < (x, y)` (or `>`): rows after the given values in one index's order."""

    output_field = BooleanField()

    def __init__(self, keys: list[Key], values: list[Any]):
        self.operator = "<" if keys[0].descending else ">"
        super().__init__(*[F(key.field) for key in keys], *[Value(v) for v in values])

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        half = len(parts) // 2
        columns, values = ", ".join(parts[:half]), ", ".join(parts[half:])
        return f"({columns}) {self.operator} ({values})", params


def _row_comparable(queryset: QuerySet, keys: list[Key], values: list[Any]) -> bool:
    return (
        connections[queryset.db].vendor == "postgresql"
        and None not in values
        and len({key.descending for key in keys}) == 1
        and all(key.nulls_last is None for key in keys[1:])
    )


def _rows_beyond(queryset: QuerySet, keys: list[Key], values: list[Any], n: int) -> list:
    """Up to `n` rows after `values` in `keys` order (queryset already ordered by keys)."""
    if not _row_comparable(queryset, keys, values):
        return list(queryset.filter(_beyond(keys, values))[:n])
    rows = list(queryset.filter(_RowBeyond(keys, values))[:n])
    if len(rows) < n and keys[0].nulls_last:  # the NULL rows come after every dated one
        rows += list(queryset.filter(**{f"{keys[0].field}__isnull": True})[: n - len(rows)])
    return rows


@dataclass
class Page:
    items: list
    next_cursor: str | None
    previous_cursor: str | None


def _beyond(keys: list[Key], values: list[Any]) -> Q:
    """Rows strictly after `values` in the order `keys` describe."""
    key, value = keys[0], values[0]
    rest = _beyond(keys[1:], values[1:]) if len(keys) > 1 else None
    if key.nulls_last is None:  # never NULL: a plain comparison
        beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
        return beyond if rest is None else beyond | (Q(**{key.field: value}) & rest)
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


def _signer(model, keys: list[Key]) -> signing.Signer:
    """Signs cursors for one list: a cursor of works' order is no cursor for authors'."""
    order = ",".join(f"{'-' if key.descending else ''}{key.field}" for key in keys)
    return signing.Signer(salt=f"keyset:{model._meta.label}:{order}")


def _encode(signer: signing.Signer, values: list[Any], backwards: bool) -> str:
    return signer.sign_object({"v": [_plain(v) for v in values], "b": backwards}, compress=True)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _decode(cursor: str, model, keys: list[Key]) -> tuple[list[Any], bool]:
    try:
        data = _signer(model, keys).unsign_object(cursor)
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidCursor("The page position in this link (cursor) cannot be read.") from exc
    values, backwards = (data.get("v"), data.get("b")) if isinstance(data, dict) else (0, 0)
    if not isinstance(values, list) or not isinstance(backwards, bool):
        raise InvalidCursor("The page position in this link (cursor) cannot be read.")
    if len(values) != len(keys) or any(
        v is None and key.nulls_last is None for key, v in zip(keys, values, strict=True)
    ):
        raise InvalidCursor("The page position in this link (cursor) belongs to another list.")
    fields = [model._meta.get_field(key.field) for key in keys]
    try:
        typed = [None if v is None else f.to_python(v) for f, v in zip(fields, values, strict=True)]
    except (ValidationError, ValueError, TypeError) as exc:
        raise InvalidCursor("The page position in this link (cursor) cannot be read.") from exc
    return typed, backwards


def _values_of(item, keys: list[Key]) -> list[Any]:
    return [getattr(item, key.field) for key in keys]


# The usual order of a person's own rows (claims, invitations, notifications, audit rows).
NEWEST_FIRST = [Key("created_at"), Key("id")]


def paginate(queryset: QuerySet, keys: list[Key], cursor: str | None, size: int) -> Page:
    """One page of `queryset` in `keys` order, after (or before) `cursor`.

    Raises InvalidCursor for a cursor that cannot be read."""
    keys = _resolve(keys, queryset.model)
    signer = _signer(queryset.model, keys)
    backwards = False
    if cursor:
        values, backwards = _decode(cursor, queryset.model, keys)
    walk = [key.reversed() for key in keys] if backwards else keys
    qs = queryset.order_by(*[key.order_expression() for key in walk])
    rows = _rows_beyond(qs, walk, values, size + 1) if cursor else list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        return Page(
            items=rows,
            next_cursor=_encode(signer, _values_of(rows[-1], keys), False) if rows else None,
            previous_cursor=_encode(signer, _values_of(rows[0], keys), True)
            if rows and more
            else None,
        )
    return Page(
        items=rows,
        next_cursor=_encode(signer, _values_of(rows[-1], keys), False) if rows and more else None,
        previous_cursor=_encode(signer, _values_of(rows[0], keys), True)
        if rows and cursor
        else None,
    )

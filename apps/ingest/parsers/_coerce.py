"""What every parser does to a value it does not trust: a JSON value of the wrong type becomes
an empty one, text has its whitespace runs collapsed, a malformed identifier becomes None.
Pure: no Django, no I/O. One definition each, so the sources cannot drift apart."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from apps.ingest.normalized import ParseError
from apps.records.identifiers import InvalidIdentifier
from apps.records.markup import unescape_entities

_SPACE = re.compile(r"\s+")
# A tag needs a name right after "<", so "x < y > z" in a title is left alone.
TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
ERROR_LENGTH = 200  # a source's error message, as one line, is cut to this

# Names, ids and places repeat across a snapshot's lines, so the short texts are memoised
# per process (a bounded cache, so a long run cannot grow it without end).
_CACHED_LENGTH = 200
CACHE_SIZE = 1 << 17


def as_int(value: object) -> int | None:
    """A JSON integer (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def int_or(value: object, default: int) -> int:
    """An integer or integer text ("2020"), else `default`."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def as_dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list:
    return value if isinstance(value, list) else []


def dicts(value: object) -> list[dict]:
    """The objects in a JSON list; [] for anything else (some sources write null for [])."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def squash(value: object) -> str:
    """Whitespace runs collapsed to one space and the ends stripped; "" for non-strings."""
    return _SPACE.sub(" ", value).strip() if isinstance(value, str) else ""


def _squash_or_none(value: str) -> str | None:
    return _SPACE.sub(" ", value).strip() or None


_cached_squash = functools.lru_cache(maxsize=CACHE_SIZE)(_squash_or_none)


def as_text(value: object) -> str | None:
    """Whitespace-collapsed text, or None for non-strings and blanks."""
    if not isinstance(value, str):
        return None
    return _cached_squash(value) if len(value) <= _CACHED_LENGTH else _squash_or_none(value)


def stripped(value: object) -> str | None:
    """The text with its ends stripped (inner whitespace kept), or None for non-strings and
    blanks."""
    return (value.strip() or None) if isinstance(value, str) else None


def plain(value: object) -> str | None:
    """Text with inline markup (<i>, <sub>, ...) removed and entities decoded (twice-escaped
    ones too: "&amp;gt;" is ">")."""
    if not isinstance(value, str):
        return None
    return as_text(unescape_entities(TAG.sub("", value)))


def one_line(text: str, limit: int = ERROR_LENGTH) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    line = squash(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def as_id(normalize: Callable[..., str | None], value: object, *args: str) -> str | None:
    """`normalize(value, *args)`, or None where the value is not a well-formed identifier."""
    try:
        return normalize(value, *args)
    except InvalidIdentifier:
        return None


def first_id(normalize: Callable[[str], str | None], candidates: Iterable[object]) -> str | None:
    """The first candidate that normalises to an identifier, normalised; else None."""
    for candidate in candidates:
        if found := as_id(normalize, candidate):
            return found
    return None


def decode(body: bytes | str, source: str) -> str:
    """A body as text: UTF-8 (a byte-order mark dropped), or ParseError naming `source`."""
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ParseError(f"{source}: body is not UTF-8 ({exc.reason})") from exc
    if isinstance(body, str):
        return body.removeprefix("\ufeff")
    raise ParseError(f"{source}: expected bytes or text, got {type(body).__name__}")

"""What an audit row or a report is about, in words and with a link: "Ilse Marrowgate"
linked to her record rather than "records.author #3".

Rows name their target by model label and id (`target_type`, `target_id`). An app that can
say more about its models registers a describer in its AppConfig.ready():

    @target_describer("records.author")
    def authors(ids: list[str]) -> dict[str, tuple[str, str]]:   # id: (text, url)
        ...

`targets_describe(rows)` calls each describer once for all rows of its type and sets
`row.target_text` and `row.target_url` (empty when there is no page to link to). A type
nobody describes reads as its model's name and number ("message 12")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps

Describer = Callable[[list[str]], dict[str, tuple[str, str]]]
_describers: dict[str, Describer] = {}


def target_describer(label: str) -> Callable[[Describer], Describer]:
    def register(func: Describer) -> Describer:
        _describers[label] = func
        return func

    return register


def _plain(label: str, pk: str) -> str:
    try:
        name = apps.get_model(label)._meta.verbose_name
    except (LookupError, ValueError):
        name = label.rsplit(".", 1)[-1]
    return f"{name} {pk}"


def targets_describe(rows: Iterable) -> list:
    """Set `target_text` and `target_url` on each row: one query per described type."""
    rows = list(rows)
    by_type: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_type[row.target_type].append(str(row.target_id))
    found = {
        label: _describers[label](sorted(set(ids))) if label in _describers else {}
        for label, ids in by_type.items()
    }
    for row in rows:
        pk = str(row.target_id)
        text, url = found[row.target_type].get(pk, (_plain(row.target_type, pk), ""))
        row.target_text, row.target_url = text, url
    return rows

"""Audit rows and reports as people read them: the target by name with its link
(core.targets), and each change as "status: pending → approved" instead of raw dicts."""

from __future__ import annotations

from django import template

from apps.audit.services import changes_of
from apps.core.targets import targets_describe

register = template.Library()


@register.simple_tag
def described(rows) -> list:
    """`{% described events as events %}`: the rows with `target_text` and `target_url`."""
    return targets_describe(rows)


@register.filter
def changes(event) -> list[dict]:
    return changes_of(event.before or {}, event.after or {})

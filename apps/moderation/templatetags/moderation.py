from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def age(value) -> str:
    """A queue age, short: "3 d 4 h", "5 h 2 min", "12 min"; a datetime counts from now."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.now() - value
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"

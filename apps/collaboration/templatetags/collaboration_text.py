"""Invitation notes read like messages: the same Markdown renderer and sanitiser
(collaboration.render), so one allow-list decides what any member's text may contain."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from apps.collaboration.render import markdown_to_safe_html

register = template.Library()


@register.filter
def member_markdown(text: str) -> SafeString:
    return mark_safe(markdown_to_safe_html(text or ""))  # noqa: S308 - sanitised by nh3

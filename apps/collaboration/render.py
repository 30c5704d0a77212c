"""Message and note bodies: Markdown rendered by markdown-it (raw HTML disabled), then
sanitised by nh3 with a small allow-list, so script, event attributes and `javascript:` links
never reach a page whatever the renderer lets through."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")

TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"}
TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_to_safe_html(text: str) -> str:
    """The sanitised HTML of `text` (Markdown); links get rel="nofollow noopener noreferrer"."""
    return sanitise(_md.render(text))


def sanitise(html: str) -> str:
    """`html` reduced to the allow-list (tags, attributes, URL schemes)."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )

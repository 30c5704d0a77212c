"""Titles as their publishers print them: the little inline markup a title carries (<i>, <sup>,
<sub>: "b<sup>2</sup>", gene names in italics) kept as HTML that is safe to show, and entities
a source escaped twice ("&amp;gt;") decoded. Pure functions; nh3 (Rust's ammonia) sanitises."""

from __future__ import annotations

import html
import re

import nh3

# The only tags a title keeps; no attributes at all, so no links, styles or event handlers.
TITLE_TAGS = frozenset({"i", "em", "b", "strong", "sup", "sub", "sc", "u"})
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w:.-]*)")
MAX_UNESCAPES = 3  # "&amp;amp;gt;" is as deep as sources have been seen to go


def unescape_entities(text: str) -> str:
    """`text` with HTML entities decoded, again while a decoded one leaves another behind
    ("&amp;gt;" -> ">"): upstream data is sometimes escaped twice and never means "&gt;"."""
    for _ in range(MAX_UNESCAPES):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return text


def title_markup(raw: object) -> str | None:
    """The title as safe HTML, or None when it has no markup worth keeping (the plain title
    then says everything). Tags other than TITLE_TAGS are dropped with their text kept;
    script and style elements go whole."""
    if not isinstance(raw, str) or "<" not in raw:
        return None
    if not {t.lower() for t in _TAG.findall(raw)} & TITLE_TAGS:
        return None
    # Escaped markup ("&lt;sup&gt;") is text, not tags; only double escapes are undone.
    once = html.unescape(raw) if "&amp;" in raw else raw
    cleaned = nh3.clean(" ".join(once.split()), tags=set(TITLE_TAGS), attributes={})
    return cleaned.strip() or None


def safe_title(markup: str) -> str:
    """Stored markup cleaned again on the way out: whatever wrote the column, a page only
    ever gets TITLE_TAGS without attributes."""
    return nh3.clean(markup, tags=set(TITLE_TAGS), attributes={})


_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$", re.IGNORECASE)


def looks_like_url(text: str) -> bool:
    """True for an address ("http://www-db.stanford.edu/~backrub/pageranksub.ps"), which a
    source sometimes gives where a venue's name belongs."""
    return bool(_URL.match(text.strip()))

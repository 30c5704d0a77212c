"""One parser module per source; each has `parse(body) -> Batch`."""

from __future__ import annotations

from collections.abc import Callable

from apps.ingest.normalized import SOURCES, Batch

from . import arxiv, crossref, openalex, orcid

PARSERS: dict[str, Callable[[bytes | str], Batch]] = {
    "openalex": openalex.parse,
    "orcid": orcid.parse,
    "arxiv": arxiv.parse,
    "crossref": crossref.parse,
}


def parse(source: str, body: bytes | str) -> Batch:
    """Parse a response body from `source` (raises ParseError for a malformed one)."""
    if source not in PARSERS:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    return PARSERS[source](body)

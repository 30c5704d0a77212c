"""One parser module per source; each has `parse(body) -> Batch`."""

from __future__ import annotations

from importlib import import_module

from apps.ingest.normalized import SOURCES, Batch


def parse(source: str, body: bytes | str) -> Batch:
    """Parse a response body from `source` (raises ParseError for a malformed one)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    return import_module(f"apps.ingest.parsers.{source}").parse(body)

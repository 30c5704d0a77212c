"""Crossref REST API: one work by DOI, and the works that carry an ORCID iD.

Facts (shared/docs/upstream-apis.md section 8): a `mailto` moves us into the polite pool;
lookups and lists have separate limits (the limiter's "crossref" and "crossref_list" rates);
deep paging uses `cursor=*` then `message.next-cursor`, and ends when a page has fewer than
`rows` items. An unknown DOI is a 404 with a plain-text body.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from django.conf import settings

from apps.ingest.clients.base import Fetched, PermanentUpstreamError, UpstreamClient
from apps.records.identifiers import normalize_doi, normalize_orcid

# 1000 is the maximum; 500 halves the number of (tightly limited) list calls against 200
# while keeping one page well inside the read timeout.
DEFAULT_ROWS = 500


class CrossrefClient(UpstreamClient):
    source = "crossref"
    base_url_setting = "CROSSREF_API_URL"
    default_base_url = "https://api.crossref.org"

    def default_params(self) -> dict[str, str]:
        email = getattr(settings, "CONTACT_EMAIL", "")
        return {"mailto": email} if email else {}

    def work(self, doi: str) -> Fetched:
        """`/works/<DOI>`, the DOI percent-encoded except for its slashes (DOIs may hold
        `#`, `?`, `;`, `<` and other characters that would otherwise change the URL)."""
        return self.get(f"/works/{quote(normalize_doi(doi), safe='/')}")

    def works_by_orcid(self, orcid: str, *, rows: int = DEFAULT_ROWS) -> Iterator[Fetched]:
        """Every page of `/works?filter=orcid:<iD>`, cursor-paged."""
        params = {"filter": f"orcid:{normalize_orcid(orcid)}", "rows": rows}
        cursor: str | None = "*"
        while cursor:
            fetched = self.get("/works", {**params, "cursor": cursor}, rate_source="crossref_list")
            yield fetched
            cursor = _next_cursor(fetched, rows)


def _next_cursor(fetched: Fetched, rows: int) -> str | None:
    """The next cursor, or None once a page holds fewer than `rows` items."""
    try:
        message = fetched.json()["message"]
        items, cursor = message["items"], message.get("next-cursor")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PermanentUpstreamError(
            fetched.status, f"not a Crossref list page: {exc!r}", url=fetched.url
        ) from exc
    return cursor if len(items) >= rows else None

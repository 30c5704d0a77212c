"""arXiv export API: Atom feeds for lists of ids and for searches.

Facts (shared/docs/upstream-apis.md section 7): one request every three seconds across all our
machines (the shared limiter's "arxiv" rate); ids are sent 100 to a call. A malformed id makes
the whole call a 400, so pass ids checked with apps.records.identifiers first; ids that do not
exist are silently left out of the feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from apps.ingest.clients.base import Fetched, RetryPolicy, UpstreamClient

ID_LIST_LIMIT = 100
MAX_RESULTS_LIMIT = 2000  # the manual's largest slice per call


class ArxivClient(UpstreamClient):
    source = "arxiv"
    base_url_setting = "ARXIV_API_URL"
    default_base_url = "https://export.arxiv.org"
    body_format = "xml"
    accept = "application/atom+xml"
    # Backoff that starts at the three seconds the terms of use ask between calls.
    retry_policy = RetryPolicy(max_attempts=4, backoff_base=3.0)

    def by_ids(self, arxiv_ids: Iterable[str]) -> Iterator[Fetched]:
        """One feed per 100 ids: `/api/query?id_list=a,b,…`. A version suffix (v2) asks for
        that version; without one arXiv returns the latest."""
        ids = list(dict.fromkeys(value.strip() for value in arxiv_ids))
        for start in range(0, len(ids), ID_LIST_LIMIT):
            chunk = ids[start : start + ID_LIST_LIMIT]
            params = {"id_list": ",".join(chunk), "start": 0, "max_results": len(chunk)}
            yield self.get("/api/query", params)

    def search(
        self,
        search_query: str,
        *,
        start: int = 0,
        max_results: int = 100,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Fetched:
        """One page of `/api/query?search_query=…` (e.g. `au:Curie` or `cat:cs.DC`)."""
        if not 0 < max_results <= MAX_RESULTS_LIMIT:
            raise ValueError(f"max_results must be 1..{MAX_RESULTS_LIMIT}, not {max_results}")
        params: dict[str, str | int] = {
            "search_query": search_query,
            "start": start,
            "max_results": max_results,
        }
        if sort_by:
            params["sortBy"] = sort_by
        if sort_order:
            params["sortOrder"] = sort_order
        return self.get("/api/query", params)

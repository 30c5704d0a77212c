"""OpenAlex: works and authors by id, an author's works, and batches of works by id or DOI.

Facts (shared/docs/upstream-apis.md section 1): singletons are free and never truncate
authorships; list calls cost money, so pages are as large as allowed (200) and ids are OR-ed
50 to a call. A merged entity answers 301 with the surviving id. OpenAlex documents 403 as
"rate limit exceeded; slow down", so 403 is retried here, unlike elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import quote

import httpx
from django.conf import settings

from apps.ingest.clients.base import (
    Fetched,
    PermanentUpstreamError,
    UpstreamClient,
)
from apps.records.identifiers import normalize_doi, normalize_openalex_id, normalize_orcid

PER_PAGE = 200
OR_LIMIT = 50  # values one filter may OR together


def chunked(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def survivor_id(fetched: Fetched) -> str | None:
    """The surviving OpenAlex key when the id asked for was merged away (it redirected), or
    None when the entity answered under the id asked for."""
    if not fetched.redirects:
        return None
    last_segment = httpx.URL(fetched.url).path.rstrip("/").rsplit("/", 1)[-1]
    return normalize_openalex_id(last_segment)


class OpenAlexClient(UpstreamClient):
    source = "openalex"
    base_url_setting = "OPENALEX_API_URL"
    default_base_url = "https://api.openalex.org"
    transient_statuses = frozenset({403, *UpstreamClient.transient_statuses})

    def default_params(self) -> dict[str, str]:
        params = {}
        if key := getattr(settings, "OPENALEX_API_KEY", ""):
            params["api_key"] = key
        if email := getattr(settings, "CONTACT_EMAIL", ""):
            params["mailto"] = email  # the polite pool
        return params

    def work(self, work_id: str) -> Fetched:
        """`/works/W…`. Follows a merge redirect; see `survivor_id()`."""
        return self.get(f"/works/{normalize_openalex_id(work_id, 'work')}")

    def work_by_doi(self, doi: str) -> Fetched:
        """`/works/doi:<DOI>`, a free singleton lookup."""
        return self.get(f"/works/doi:{quote(normalize_doi(doi), safe='/')}")

    def author(self, author_id: str) -> Fetched:
        """`/authors/A…`. Follows a merge redirect; see `survivor_id()`."""
        return self.get(f"/authors/{normalize_openalex_id(author_id, 'author')}")

    def author_by_orcid(self, orcid: str) -> Fetched:
        """`/authors/orcid:<iD>`: the author OpenAlex attaches that ORCID iD to."""
        return self.get(f"/authors/orcid:{normalize_orcid(orcid)}")

    def works_by_author(self, author_id: str, *, per_page: int = PER_PAGE) -> Iterator[Fetched]:
        """Every page of `/works?filter=authorships.author.id:A…`, cursor-paged."""
        key = normalize_openalex_id(author_id, "author")
        return self.pages("/works", {"filter": f"authorships.author.id:{key}"}, per_page)

    def works_by_ids(self, work_ids: Iterable[str]) -> Iterator[Fetched]:
        """One list page per 50 work ids: `/works?filter=ids.openalex:W1|W2|…`."""
        keys = [normalize_openalex_id(value, "work") for value in work_ids]
        return self._works_by_filter("ids.openalex", keys)

    def works_by_dois(self, dois: Iterable[str]) -> Iterator[Fetched]:
        """One list page per 50 DOIs: `/works?filter=doi:10.1/a|10.2/b|…`.

        A DOI containing `,` or `|` cannot be OR-ed (those separate filters and values), so it
        raises ValueError; look such a DOI up alone with `work_by_doi()`.
        """
        keys = [normalize_doi(value) for value in dois]
        if unsafe := [doi for doi in keys if "," in doi or "|" in doi]:
            raise ValueError(f"DOIs that cannot go in an OpenAlex filter: {unsafe}")
        return self._works_by_filter("doi", keys)

    def _works_by_filter(self, field: str, values: list[str]) -> Iterator[Fetched]:
        for chunk in chunked(list(dict.fromkeys(values)), OR_LIMIT):
            # 50 values match at most 50 works, so one page of 200 holds them all.
            yield self.get("/works", {"filter": f"{field}:{'|'.join(chunk)}", "per_page": PER_PAGE})

    def pages(
        self, path: str, params: dict[str, str], per_page: int = PER_PAGE
    ) -> Iterator[Fetched]:
        """Cursor paging: start at `cursor=*`, follow `meta.next_cursor` until it is null or a
        page comes back empty. Yields each page as fetched."""
        cursor: str | None = "*"
        while cursor:
            fetched = self.get(path, {**params, "per_page": per_page, "cursor": cursor})
            yield fetched
            cursor = _next_cursor(fetched)

    def _retry_after(self, response: httpx.Response) -> float | None:
        """Retry-After, or for a 429 with the daily allowance spent, the seconds until it
        resets (x-ratelimit-reset): longer than any retry wait, so the call gives up at once
        and the task can come back tomorrow instead of burning its attempts now."""
        stated = super()._retry_after(response)
        if stated is not None or response.status_code != 429:
            return stated
        headers = response.headers
        spent = (
            headers.get("x-ratelimit-remaining") == "0"
            or _number(headers.get("x-ratelimit-remaining-usd"), 1.0) <= 0
        )
        return _number(headers.get("x-ratelimit-reset"), None) if spent else None


def _next_cursor(fetched: Fetched) -> str | None:
    """The cursor for the next page, or None at the end (null cursor or an empty page)."""
    try:
        data = fetched.json()
        cursor, results = data["meta"]["next_cursor"], data["results"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PermanentUpstreamError(
            fetched.status, f"not an OpenAlex list page: {exc!r}", url=fetched.url
        ) from exc
    return cursor if results else None


def _number(value: str | None, default: float | None) -> float | None:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default

"""Upstream clients against the fake upstream over real HTTP: retries, waits, permanent
failures, paging, chunking and identification. Sleeps are recorded, never slept."""

from __future__ import annotations

import datetime
import email.utils
import random
from pathlib import Path

import pytest

from apps.ingest.clients.arxiv import ArxivClient
from apps.ingest.clients.base import (
    PermanentUpstreamError,
    RetryPolicy,
    TransientUpstreamError,
    UpstreamClient,
    backoff_delay,
    parse_retry_after,
)
from apps.ingest.clients.crossref import CrossrefClient
from apps.ingest.clients.openalex import OpenAlexClient, survivor_id
from apps.ingest.clients.orcid import OrcidClient
from apps.ingest.ratelimit import RateLimitTimeout

SAMPLES = Path("/work/shared/samples")
ORCID_ID = "0000-0002-1825-0097"


class RecordingLimiter:
    """Grants every slot at once and remembers who asked."""

    def __init__(self, refuse: bool = False) -> None:
        self.calls: list[str] = []
        self.refuse = refuse

    def acquire(self, source: str, timeout: float) -> float:
        self.calls.append(source)
        if self.refuse:
            raise RateLimitTimeout(source, wait=5.0, timeout=timeout)
        return 0.0


class Sleeps(list):
    """An injectable sleep that records the requested durations."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def limiter() -> RecordingLimiter:
    return RecordingLimiter()


@pytest.fixture
def upstream_settings(settings, fake_upstream):
    """Every source's base URL pointed at the fake server; no key, no contact address."""
    for name in ("OPENALEX_API_URL", "ORCID_API_BASE_URL", "ARXIV_API_URL", "CROSSREF_API_URL"):
        setattr(settings, name, fake_upstream.url)
    settings.OPENALEX_API_KEY = ""
    settings.CONTACT_EMAIL = ""
    return settings


@pytest.fixture
def make_client(upstream_settings, limiter, sleeps):
    """Clients of any source with the recording limiter and sleep, closed after the test."""
    made: list[UpstreamClient] = []

    def make(cls: type[UpstreamClient] = OpenAlexClient, **kwargs) -> UpstreamClient:
        kwargs.setdefault("limiter", limiter)
        kwargs.setdefault("sleep", sleeps)
        made.append(cls(**kwargs))
        return made[-1]

    yield make
    for client in made:
        client.close()


def work_json(key: str) -> dict:
    return {"id": f"https://openalex.org/{key}", "display_name": key}


# Retries ---------------------------------------------------------------------------------------


def test_429_with_retry_after_waits_as_told_then_returns_the_success_body(
    fake_upstream, make_client, sleeps
):
    fake_upstream.add("GET", "/works/W1", status=429, headers={"Retry-After": "7"})
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"))

    fetched = make_client().work("W1")

    assert sleeps == [7.0]
    assert fetched.json() == work_json("W1")
    assert (fetched.status, fetched.attempts) == (200, 2)
    assert len(fake_upstream.requests_to("GET", "/works/W1")) == 2


def test_retry_after_as_an_http_date_is_honoured(fake_upstream, make_client, sleeps):
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=30)
    fake_upstream.add(
        "GET", "/works/W1", status=503, headers={"Retry-After": email.utils.format_datetime(when)}
    )
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"))

    make_client().work("W1")

    assert len(sleeps) == 1
    assert 28 <= sleeps[0] <= 30


def test_a_retry_after_longer_than_max_wait_gives_up_at_once_and_says_when(
    fake_upstream, make_client, sleeps
):
    fake_upstream.add("GET", "/works/W1", status=429, headers={"Retry-After": "3600"})

    with pytest.raises(TransientUpstreamError) as caught:
        make_client(retry=RetryPolicy(max_wait=60)).work("W1")

    assert (caught.value.status, caught.value.attempts, caught.value.retry_after) == (429, 1, 3600)
    assert sleeps == []
    assert len(fake_upstream.requests) == 1


def test_500_forever_is_transient_after_max_attempts(fake_upstream, make_client, sleeps):
    fake_upstream.add("GET", "/works/W1", status=500, json={"error": "boom"})
    policy = RetryPolicy(max_attempts=4, backoff_base=1.0, max_wait=3.0)

    with pytest.raises(TransientUpstreamError) as caught:
        make_client(retry=policy).work("W1")

    assert (caught.value.status, caught.value.attempts) == (500, 4)
    assert len(fake_upstream.requests_to("GET", "/works/W1")) == 4
    # Full jitter under a doubling ceiling capped at max_wait: 1, 2, then 3 (not 4).
    assert len(sleeps) == 3
    assert all(0 <= wait <= ceiling for wait, ceiling in zip(sleeps, [1, 2, 3], strict=True))


def test_a_timeout_is_retried(fake_upstream, make_client, sleeps):
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"), delay=1.0)
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"))

    fetched = make_client(read_timeout=0.2).work("W1")

    assert fetched.attempts == 2
    assert len(sleeps) == 1


def test_a_connection_refused_is_transient(make_client, sleeps):
    client = make_client(base_url="http://127.0.0.1:9", retry=RetryPolicy(max_attempts=2))

    with pytest.raises(TransientUpstreamError) as caught:
        client.work("W1")

    assert (caught.value.status, caught.value.attempts) == (None, 2)
    assert "ConnectError" in caught.value.message


def test_a_truncated_body_is_retried(fake_upstream, make_client):
    fake_upstream.add_truncated("GET", "/works/W1", json=work_json("W1"))
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"))

    fetched = make_client().work("W1")

    assert fetched.json() == work_json("W1")
    assert fetched.attempts == 2


def test_404_is_permanent_and_not_retried(fake_upstream, make_client, sleeps):
    fake_upstream.add("GET", "/works/W1", status=404, json={"error": "Work W1 not found"})

    with pytest.raises(PermanentUpstreamError) as caught:
        make_client().work("W1")

    assert (caught.value.status, caught.value.attempts) == (404, 1)
    assert caught.value.message == "Work W1 not found"
    assert len(fake_upstream.requests) == 1
    assert sleeps == []


def test_malformed_json_is_permanent(fake_upstream, make_client, sleeps):
    fake_upstream.add_malformed("GET", "/works/W1")

    with pytest.raises(PermanentUpstreamError, match="malformed JSON"):
        make_client().work("W1")

    assert len(fake_upstream.requests) == 1
    assert sleeps == []


def test_every_attempt_takes_a_rate_limit_slot_first(fake_upstream, make_client, limiter):
    fake_upstream.add("GET", "/works/W1", status=502)
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"))

    make_client().work("W1")

    assert limiter.calls == ["openalex", "openalex"]


def test_no_rate_limit_slot_in_time_is_transient_without_a_request(fake_upstream, make_client):
    with pytest.raises(TransientUpstreamError) as caught:
        make_client(limiter=RecordingLimiter(refuse=True)).work("W1")

    assert caught.value.retry_after == 5.0
    assert fake_upstream.requests == []


def test_timing_is_recorded(fake_upstream, make_client):
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"), delay=0.05)

    fetched = make_client().work("W1")

    assert fetched.duration_ms >= 50
    assert fetched.url == f"{fake_upstream.url}/works/W1"
    assert fetched.headers["content-type"] == "application/json"


def test_parse_retry_after_reads_seconds_dates_and_rejects_junk():
    now = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Mon, 02 Mar 2026 12:00:45 GMT", now) == 45
    assert parse_retry_after("Mon, 02 Mar 2026 11:00:00 GMT", now) == 0  # already past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_is_full_jitter_under_a_capped_doubling_ceiling():
    policy = RetryPolicy(backoff_base=0.5, max_wait=4.0)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)]:
        delays = [backoff_delay(attempt, policy, rng) for _ in range(200)]
        assert min(delays) >= 0
        assert max(delays) <= ceiling
        assert max(delays) > ceiling / 2  # spread over the range, not pinned at one end


# OpenAlex --------------------------------------------------------------------------------------


def test_openalex_cursor_paging_follows_next_cursor_over_three_pages(fake_upstream, make_client):
    for cursor in ("c1", "c2", None):
        meta = {"count": 3, "per_page": 200, "next_cursor": cursor}
        fake_upstream.add("GET", "/works", json={"meta": meta, "results": [{"id": "x"}]})

    pages = list(make_client().works_by_author("https://openalex.org/A5023888391"))

    assert len(pages) == 3
    seen = fake_upstream.requests_to("GET", "/works")
    assert [r.query["cursor"] for r in seen] == [["*"], ["c1"], ["c2"]]
    assert {r.query["filter"][0] for r in seen} == {"authorships.author.id:A5023888391"}
    assert {r.query["per_page"][0] for r in seen} == {"200"}


def test_openalex_paging_stops_at_an_empty_page(fake_upstream, make_client):
    page1 = SAMPLES / "openalex/works-list-cursor-page1-next_cursor.json"
    fake_upstream.add_file("GET", "/works", page1)
    fake_upstream.add_file("GET", "/works", SAMPLES / "openalex/works-list-cursor-page2-end.json")

    pages = list(make_client().works_by_author("A5023888391"))

    assert len(pages) == 2
    assert pages[0].body == page1.read_bytes()


def test_openalex_or_filter_sends_120_ids_in_three_calls_of_at_most_50(fake_upstream, make_client):
    fake_upstream.add("GET", "/works", json={"meta": {"next_cursor": None}, "results": []})
    ids = [f"W{n}" for n in range(1, 121)]

    pages = list(make_client().works_by_ids(ids))

    filters = [r.query["filter"][0] for r in fake_upstream.requests_to("GET", "/works")]
    assert len(pages) == len(filters) == 3
    sent = [f.removeprefix("ids.openalex:").split("|") for f in filters]
    assert [len(chunk) for chunk in sent] == [50, 50, 20]
    assert [key for chunk in sent for key in chunk] == ids


def test_openalex_dois_are_or_filtered_normalised(fake_upstream, make_client):
    fake_upstream.add("GET", "/works", json={"meta": {"next_cursor": None}, "results": []})

    list(make_client().works_by_dois(["https://doi.org/10.1234/ABC", "doi:10.5555/x"]))

    assert fake_upstream.requests[0].query["filter"] == ["doi:10.1234/abc|10.5555/x"]


def test_openalex_sends_api_key_mailto_and_user_agent(
    fake_upstream, make_client, upstream_settings
):
    upstream_settings.OPENALEX_API_KEY = "k-123"
    upstream_settings.CONTACT_EMAIL = "ops@example.org"
    upstream_settings.SITE_URL = "https://peerage.example.org"
    fake_upstream.add("GET", "/authors/orcid:0000-0002-1825-0097", json={"id": "A1"})

    make_client().author_by_orcid(f"https://orcid.org/{ORCID_ID}")

    request = fake_upstream.requests[0]
    assert request.query["api_key"] == ["k-123"]
    assert request.query["mailto"] == ["ops@example.org"]
    assert request.headers["user-agent"].startswith("Peerage/")
    assert request.headers["user-agent"].endswith(
        "(+https://peerage.example.org; mailto:ops@example.org)"
    )


def test_openalex_leaves_out_key_and_mailto_when_not_configured(fake_upstream, make_client):
    fake_upstream.add("GET", "/authors/A1", json={"id": "A1"})

    make_client().author("A1")

    assert fake_upstream.requests[0].query == {}


def test_openalex_merged_entity_redirect_is_followed_and_reports_the_survivor(
    fake_upstream, make_client, upstream_settings, limiter
):
    upstream_settings.OPENALEX_API_KEY = "k-123"
    fake_upstream.add("GET", "/works/W111", status=301, headers={"Location": "/works/W222"})
    fake_upstream.add("GET", "/works/W222", json=work_json("W222"))

    fetched = make_client().work("w111")

    assert survivor_id(fetched) == "W222"
    assert fetched.redirects == (f"{fake_upstream.url}/works/W111?api_key=k-123",)
    assert fake_upstream.requests_to("GET", "/works/W222")[0].query == {"api_key": ["k-123"]}
    assert limiter.calls == ["openalex", "openalex"]  # the redirect took its own slot


def test_openalex_unmerged_entity_has_no_survivor(fake_upstream, make_client):
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"))
    assert survivor_id(make_client().work("W1")) is None


def test_openalex_403_is_its_rate_limit_signal_and_is_retried(fake_upstream, make_client):
    fake_upstream.add("GET", "/works/W1", status=403, json={"error": "Rate limit exceeded"})
    fake_upstream.add("GET", "/works/W1", json=work_json("W1"))

    # Even under a policy from settings: the status's meaning belongs to the source.
    assert make_client(retry=RetryPolicy(max_attempts=2)).work("W1").attempts == 2


def test_403_elsewhere_is_permanent(fake_upstream, make_client):
    fake_upstream.add("GET", f"/v3.0/{ORCID_ID}/record", status=403, body="Forbidden")

    with pytest.raises(PermanentUpstreamError):
        make_client(OrcidClient).record(ORCID_ID)


def test_openalex_daily_allowance_spent_gives_up_until_the_reset(fake_upstream, make_client):
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "39959"}
    fake_upstream.add("GET", "/works", status=429, json={"error": "limit"}, headers=headers)

    with pytest.raises(TransientUpstreamError) as caught:
        list(make_client().works_by_ids(["W1"]))

    assert (caught.value.attempts, caught.value.retry_after) == (1, 39959)


def test_openalex_400_is_permanent_with_the_server_message(fake_upstream, make_client):
    body = {"error": "Invalid query parameters error.", "message": "DOESNTEXIST is not valid"}
    fake_upstream.add("GET", "/works", status=400, json=body)

    with pytest.raises(PermanentUpstreamError) as caught:
        list(make_client().works_by_ids(["W1"]))

    assert caught.value.message == "DOESNTEXIST is not valid"


# ORCID, Crossref, arXiv ------------------------------------------------------------------------


def test_orcid_asks_for_orcid_json_under_v3(fake_upstream, make_client):
    path = f"/v3.0/{ORCID_ID}/works"
    fake_upstream.add_file(
        "GET", path, SAMPLES / "orcid/works-v3.0-json-sandbox-0000-0003-4997-3076.json"
    )

    fetched = make_client(OrcidClient).works(ORCID_ID.replace("-", ""))

    request = fake_upstream.requests_to("GET", path)[0]
    assert request.headers["accept"] == "application/vnd.orcid+json"
    assert fetched.json()["group"]


@pytest.mark.parametrize("section", ["person", "employments", "record"])
def test_orcid_sections(fake_upstream, make_client, section):
    fake_upstream.add("GET", f"/v3.0/{ORCID_ID}/{section}", json={})
    getattr(make_client(OrcidClient), section)(ORCID_ID)
    assert fake_upstream.requests[0].path == f"/v3.0/{ORCID_ID}/{section}"


def test_orcid_unknown_id_is_permanent(fake_upstream, make_client):
    body = {"response-code": 404, "developer-message": "404 Not Found: no such iD"}
    fake_upstream.add("GET", f"/v3.0/{ORCID_ID}/record", status=404, json=body)

    with pytest.raises(PermanentUpstreamError, match="no such iD"):
        make_client(OrcidClient).record(ORCID_ID)


def test_crossref_quotes_the_doi_and_sends_mailto(fake_upstream, make_client, upstream_settings):
    upstream_settings.CONTACT_EMAIL = "ops@example.org"
    doi = "10.1002/(SICI)1097-4636(199707)36:1<1::AID-JBM1>3.0.CO;2-T"
    quoted = "/works/10.1002/%28sici%291097-4636%28199707%2936%3A1%3C1%3A%3Aaid-jbm1%3E3.0.co%3B2-t"
    fake_upstream.add("GET", quoted, json={"status": "ok", "message": {}})

    make_client(CrossrefClient).work(doi)

    assert fake_upstream.requests[0].path == quoted
    assert fake_upstream.requests[0].query == {"mailto": ["ops@example.org"]}


def test_crossref_unknown_doi_plain_text_404_is_permanent(fake_upstream, make_client):
    fake_upstream.add_file(
        "GET",
        "/works/10.1234/nope",
        SAMPLES / "crossref/works-notarealdoi-404.body.txt",
        status=404,
    )

    with pytest.raises(PermanentUpstreamError, match="Resource not found"):
        make_client(CrossrefClient).work("10.1234/nope")


def test_crossref_cursor_paging_stops_when_a_page_is_short(fake_upstream, make_client, limiter):
    for cursor, count in (("c1", 2), ("c2", 2), ("c3", 1)):
        message = {"items": [{}] * count, "next-cursor": cursor}
        fake_upstream.add("GET", "/works", json={"status": "ok", "message": message})

    pages = list(make_client(CrossrefClient).works_by_orcid(ORCID_ID, rows=2))

    seen = fake_upstream.requests_to("GET", "/works")
    assert len(pages) == 3
    assert [r.query["cursor"] for r in seen] == [["*"], ["c1"], ["c2"]]
    assert seen[0].query["filter"] == [f"orcid:{ORCID_ID}"] and seen[0].query["rows"] == ["2"]
    assert set(limiter.calls) == {"crossref_list"}


def test_arxiv_id_list_is_sent_in_chunks_of_100(fake_upstream, make_client):
    fake_upstream.add_file(
        "GET", "/api/query", SAMPLES / "arxiv/id_list-two-ids-one-missing.atom.xml"
    )
    ids = [f"2104.{n:05d}" for n in range(250)]

    pages = list(make_client(ArxivClient).by_ids(ids))

    seen = fake_upstream.requests_to("GET", "/api/query")
    assert len(pages) == len(seen) == 3
    chunks = [r.query["id_list"][0].split(",") for r in seen]
    assert [len(chunk) for chunk in chunks] == [100, 100, 50]
    assert [i for chunk in chunks for i in chunk] == ids
    assert [r.query["max_results"] for r in seen] == [["100"], ["100"], ["50"]]


def test_arxiv_search_pages_with_start_and_max_results(fake_upstream, make_client, limiter):
    fake_upstream.add_file(
        "GET", "/api/query", SAMPLES / "arxiv/query-all-testing-start10-max10.atom.xml"
    )

    make_client(ArxivClient).search("all:testing", start=10, max_results=10)

    query = fake_upstream.requests[0].query
    assert query == {"search_query": ["all:testing"], "start": ["10"], "max_results": ["10"]}
    assert limiter.calls == ["arxiv"]


def test_arxiv_body_that_is_not_xml_is_permanent(fake_upstream, make_client):
    fake_upstream.add("GET", "/api/query", body="Rate exceeded.")

    with pytest.raises(PermanentUpstreamError, match="malformed XML"):
        make_client(ArxivClient).search("all:x")


def test_base_urls_default_to_the_real_hosts(settings, limiter):
    for name in ("OPENALEX_API_URL", "ARXIV_API_URL", "CROSSREF_API_URL"):
        if hasattr(settings, name):
            delattr(settings, name)
    settings.ORCID_API_BASE_URL = "https://pub.orcid.org"

    hosts = [cls(limiter=limiter).base_url for cls in (OpenAlexClient, ArxivClient, CrossrefClient)]

    assert hosts == [
        "https://api.openalex.org",
        "https://export.arxiv.org",
        "https://api.crossref.org",
    ]
    assert OrcidClient(limiter=limiter).base_url == "https://pub.orcid.org"

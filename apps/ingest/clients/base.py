"""The HTTP plumbing every upstream client shares: identification, timeouts, the shared rate
limit, retries, and the line between transient and permanent failures.

A client returns what the server sent (`Fetched`: raw body bytes, status, headers, and how long
it took); turning bodies into records is apps/ingest/parsers' job. Don't call a client inside a
database transaction (STYLE.md): a fetch can sleep for a minute between retries.

Retry policy (`RetryPolicy`, per client class, overridable per instance):

* Retried: the client's `transient_statuses` (429, 500, 502, 503, 504; OpenAlex adds 403),
  timeouts and connection failures (including a body cut short), up to `max_attempts`
  attempts in all.
* Waits: the server's `Retry-After` (seconds or an HTTP date) when it sends one; otherwise
  exponential backoff with full jitter, `uniform(0, min(max_wait, backoff_base * 2**(n-1)))`.
  A Retry-After longer than `max_wait` ends the call at once with TransientUpstreamError
  carrying `retry_after`, so a task can reschedule itself instead of holding a worker.
* Not retried: any other status (400, 401, 403, 404, 410, ...) and a 2xx body that is not the
  format the source speaks: PermanentUpstreamError.
* Every attempt, redirects included, first takes a slot from the shared rate limiter, waiting
  up to `acquire_timeout` (or less, as the limiter allows). A slot further away is a
  TransientUpstreamError, or with `slot_busy_raises` the limiter's own RateLimitTimeout, for a
  caller that would rather come back later than wait (the refresh task re-queues itself).

The retry loop is written out rather than built with tenacity: the wait depends on the failed
response (Retry-After), giving up early depends on it too, and the final error must carry the
last status and attempt count. With tenacity all three go through `retry_state.outcome` and a
RetryError to unwrap; the explicit loop is shorter and reads top to bottom.
"""

from __future__ import annotations

import datetime
import functools
import importlib.metadata
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import httpx
from django.conf import settings

from apps.ingest import ratelimit

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class UpstreamError(Exception):
    """A fetch from an upstream source failed."""

    def __init__(
        self, status: int | None, message: str, *, url: str = "", attempts: int = 1
    ) -> None:
        super().__init__(f"{status or 'no response'}: {message}" + (f" ({url})" if url else ""))
        self.status = status
        self.message = message
        self.url = url
        self.attempts = attempts


class PermanentUpstreamError(UpstreamError):
    """Asking again will not help (not found, bad request, malformed body): record it."""


class TransientUpstreamError(UpstreamError):
    """Still failing after the allowed attempts; worth trying again later.

    `retry_after` is the server's requested wait in seconds when it named one.
    """

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Fetched:
    """One successful response, as the server sent it, and what it took to get it."""

    url: str  # the final URL, after any redirect
    status: int
    body: bytes
    headers: Mapping[str, str]  # names lower-cased
    attempts: int  # requests sent, retries and redirects included
    duration_ms: int  # wall time from the first attempt to the body, waits included
    redirects: tuple[str, ...] = ()  # URLs that answered with a redirect, in order

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    max_wait: float = 60.0  # the longest single sleep, Retry-After included
    backoff_base: float = 1.0


@dataclass
class _Failure:
    """Why one attempt failed, and what the server said about when to come back."""

    status: int | None
    message: str
    retry_after: float | None = None


@dataclass
class _Attempts:
    """Running totals for one logical fetch."""

    started: float = field(default_factory=time.monotonic)
    count: int = 0
    redirects: list[str] = field(default_factory=list)

    def elapsed_ms(self) -> int:
        return round((time.monotonic() - self.started) * 1000)


def parse_retry_after(value: str | None, now: datetime.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; obsolete forms may parse without a zone
        when = when.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    return max((when - now).total_seconds(), 0.0)


def backoff_delay(attempt: int, policy: RetryPolicy, rng: random.Random) -> float:
    """Full-jitter exponential backoff after failed attempt number `attempt` (1-based)."""
    ceiling = min(policy.max_wait, policy.backoff_base * 2 ** (attempt - 1))
    return rng.uniform(0, ceiling)


@functools.cache
def _version() -> str:
    try:
        return importlib.metadata.version("peerage")
    except importlib.metadata.PackageNotFoundError:
        return "dev"


def user_agent() -> str:
    """`Peerage/<version> (+<site>; mailto:<contact>)`, leaving out what is not configured.

    The mailto puts us in OpenAlex's and Crossref's polite pools and tells an upstream whom
    to write to before blocking us.
    """
    details = []
    if site := getattr(settings, "SITE_URL", ""):
        details.append(f"+{site}")
    if email := getattr(settings, "CONTACT_EMAIL", ""):
        details.append(f"mailto:{email}")
    suffix = f" ({'; '.join(details)})" if details else ""
    return f"Peerage/{_version()}{suffix}"


class UpstreamClient:
    """Base of the per-source clients. Subclasses set the class attributes and add methods
    that build paths and parameters; they fetch through `get()`."""

    source: ClassVar[str]  # the rate-limit key, e.g. "openalex"
    base_url_setting: ClassVar[str]
    default_base_url: ClassVar[str]
    body_format: ClassVar[str] = "json"  # "json" or "xml": what a 2xx body must look like
    accept: ClassVar[str] = "application/json"
    retry_policy: ClassVar[RetryPolicy] = RetryPolicy()
    # What the source means by a status is a fact about the source, not a tunable: it lives
    # here, apart from the policy, so a policy from settings cannot drop a source's extras.
    transient_statuses: ClassVar[frozenset[int]] = frozenset({429, 500, 502, 503, 504})
    connect_timeout: ClassVar[float] = 5.0
    read_timeout: ClassVar[float] = 30.0
    acquire_timeout: ClassVar[float] = 120.0  # longest wait for a rate-limit slot

    def __init__(
        self,
        *,
        base_url: str | None = None,
        limiter: ratelimit.Limiter | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
        slot_busy_raises: bool = False,
    ) -> None:
        self.base_url = base_url or getattr(settings, self.base_url_setting, self.default_base_url)
        self.limiter = limiter or ratelimit.get_limiter()
        self.retry = retry or self.retry_policy
        self.sleep = sleep
        self.slot_busy_raises = slot_busy_raises
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        timeout = httpx.Timeout(
            read_timeout or self.read_timeout, connect=connect_timeout or self.connect_timeout
        )
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers={"User-Agent": user_agent(), "Accept": self.accept},
            follow_redirects=False,  # followed by hand, so each hop passes the rate limiter
            transport=transport,
        )

    def __enter__(self) -> UpstreamClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def default_params(self) -> dict[str, str]:
        """Query parameters sent with every request (identification, API keys)."""
        return {}

    def get(
        self,
        path: str,
        params: Mapping[str, str | int] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        rate_source: str | None = None,
    ) -> Fetched:
        """GET `path` (relative to the base URL) with retries; the successful response.

        `rate_source` names the rate-limit bucket when it differs from the client's source
        (Crossref limits list queries more tightly than lookups).
        """
        query = {**self.default_params(), **(params or {})}
        url = self._http.build_request("GET", path, params=query).url
        attempts = _Attempts()
        while True:
            outcome = self._attempt(url, headers, rate_source or self.source, attempts)
            if isinstance(outcome, Fetched):
                return outcome
            if isinstance(outcome, httpx.URL):  # a redirect: not a failure, not a retry
                url = outcome
                continue
            self._wait_or_give_up(outcome, str(url), attempts.count)

    def _attempt(
        self,
        url: httpx.URL,
        headers: Mapping[str, str] | None,
        rate_source: str,
        attempts: _Attempts,
    ) -> Fetched | httpx.URL | _Failure:
        """Send one request: the Fetched on success, the next URL on a redirect, or why it
        failed in a way worth retrying. Permanent failures raise."""
        self._acquire(rate_source, str(url), attempts.count)
        attempts.count += 1
        try:
            response = self._http.get(url, headers=headers)
        except httpx.TransportError as exc:  # timeouts, refused/reset connections, cut bodies
            return _Failure(None, f"{type(exc).__name__}: {exc}")
        if response.is_success:
            return self._fetched(response, attempts)
        if response.status_code in REDIRECT_STATUSES:
            return self._redirect_target(response, url, attempts)
        if response.status_code in self.transient_statuses:
            return _Failure(
                response.status_code, error_message(response), self._retry_after(response)
            )
        raise PermanentUpstreamError(
            response.status_code, error_message(response), url=str(url), attempts=attempts.count
        )

    def _acquire(self, rate_source: str, url: str, attempts: int) -> None:
        try:
            self.limiter.acquire(rate_source, timeout=self.acquire_timeout)
        except ratelimit.RateLimitTimeout as exc:
            if self.slot_busy_raises:
                raise
            raise TransientUpstreamError(
                None, str(exc), url=url, attempts=attempts, retry_after=exc.wait
            ) from exc

    def _fetched(self, response: httpx.Response, attempts: _Attempts) -> Fetched:
        problem = self.body_problem(response.content)
        if problem:
            raise PermanentUpstreamError(
                response.status_code, problem, url=str(response.url), attempts=attempts.count
            )
        return Fetched(
            url=str(response.url),
            status=response.status_code,
            body=response.content,
            headers={name.lower(): value for name, value in response.headers.items()},
            attempts=attempts.count,
            duration_ms=attempts.elapsed_ms(),
            redirects=tuple(attempts.redirects),
        )

    def _redirect_target(
        self, response: httpx.Response, url: httpx.URL, attempts: _Attempts
    ) -> httpx.URL:
        location = response.headers.get("Location")
        if not location or len(attempts.redirects) >= MAX_REDIRECTS:
            reason = "redirect without Location" if not location else "too many redirects"
            raise PermanentUpstreamError(
                response.status_code, reason, url=str(url), attempts=attempts.count
            )
        attempts.redirects.append(str(url))
        target = url.join(location)
        # A bare Location would drop our api_key/mailto; carry the query over.
        return target if target.query else target.copy_with(query=url.query)

    def _retry_after(self, response: httpx.Response) -> float | None:
        """Seconds the server asked us to wait; subclasses may read source-specific headers."""
        return parse_retry_after(response.headers.get("Retry-After"))

    def _wait_or_give_up(self, failure: _Failure, url: str, attempts: int) -> None:
        """Sleep before the next attempt, or raise TransientUpstreamError when none is left
        or the server asked for a longer wait than this client will sleep."""
        policy = self.retry
        too_long = failure.retry_after is not None and failure.retry_after > policy.max_wait
        if attempts >= policy.max_attempts or too_long:
            raise TransientUpstreamError(
                failure.status,
                failure.message,
                url=url,
                attempts=attempts,
                retry_after=failure.retry_after,
            )
        delay = failure.retry_after
        if delay is None:
            delay = backoff_delay(attempts, policy, self.rng)
        logger.info(
            "%s: attempt %d failed (%s %s); retrying in %.2fs",
            self.source,
            attempts,
            failure.status or "no response",
            failure.message[:200],
            delay,
        )
        self.sleep(delay)

    def body_problem(self, body: bytes) -> str | None:
        """Why a 2xx body cannot be what this source sends, or None. A sanity check only:
        parsers do the real reading."""
        if self.body_format == "json":
            try:
                json.loads(body)
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
                return f"malformed JSON body: {exc}"
        elif self.body_format == "xml" and not body.lstrip().startswith(b"<"):
            return "malformed XML body: does not start with '<'"
        return None


def error_message(response: httpx.Response) -> str:
    """One line explaining an error response: the JSON `message`/`error` when the source
    sends those (OpenAlex, ORCID), else the start of the body."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("message", "error", "error-desc", "developer-message", "user-message"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return _one_line(value)
            if isinstance(value, dict) and isinstance(value.get("value"), str):
                return _one_line(value["value"])  # ORCID wraps some fields in {"value": ...}
    return _one_line(response.text) or response.reason_phrase


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"

"""Refreshing one author record from every source that knows them.

Fetching happens outside any transaction (a fetch can sleep through retries); each page a
source returns is parsed and imported in its own transaction, so a refresh killed midway has
committed whole pages only, and the next run, importing idempotently, ends where a clean run
would. Every fetch leaves a RefreshLog row.

Each source at its own pace: a refresh runs its fetches one at a time, reading the plan again
after each (so the arXiv preprints that the first fetches just imported are asked about in the
same refresh). Before a fetch it books a turn for the source's rate slot (ratelimit.book); a
turn further away than REFRESH_SLOT_WAIT ends this part of the run with `defer`, and the task
queues itself again for that moment, carrying the logs written so far. So a worker never sleeps
through arXiv's three seconds while OpenAlex could use it. The outcome (AuthorRefreshState) is
recorded once, when the last fetch is done.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection
from django.utils import timezone

from apps.core.pagecache import record_changed
from apps.records.models import Author, Work

from . import ratelimit
from .clients.arxiv import ID_LIST_LIMIT, ArxivClient
from .clients.base import (
    Fetched,
    PermanentUpstreamError,
    RetryPolicy,
    TransientUpstreamError,
    UpstreamClient,
)
from .clients.crossref import CrossrefClient
from .clients.openalex import OpenAlexClient
from .clients.orcid import OrcidClient
from .importer import ImportStats, import_batch
from .models import AuthorRefreshState, Outcome, Priority, RefreshLog
from .normalized import ParseError
from .parsers import parse
from .parsers._coerce import one_line

logger = logging.getLogger(__name__)
# A terminated connection, a deadlock, a race lost on a unique row: worth another attempt.
RETRYABLE_DB_ERRORS = (OperationalError, InterfaceError, IntegrityError)
CLIENTS: dict[str, type[UpstreamClient]] = {
    "openalex": OpenAlexClient,
    "orcid": OrcidClient,
    "crossref": CrossrefClient,
    "arxiv": ArxivClient,
}


@dataclass
class Fetch:
    """One thing to fetch: which source, a label for the log, and how to get its pages.
    `rate_source` is the rate-limit bucket of its first request, when not the source's."""

    source: str
    target: str
    pages: Callable[[UpstreamClient], Iterable[Fetched]]
    rate_source: str = ""

    @property
    def key(self) -> str:
        """Names this fetch within one run, so a run continued later skips what it did."""
        return f"{self.source} {self.target}"

    @property
    def bucket(self) -> str:
        return self.rate_source or self.source


def fetch_plan(author: Author) -> list[Fetch]:
    """What to ask each source about this author, from the identifiers the record holds.
    arXiv comes last and one request to a fetch, so a run never waits for arXiv in the middle
    of a fetch, and it sees the preprints the other sources just brought in."""
    plan = []
    if author.openalex_id:
        oa = author.openalex_id
        plan.append(Fetch("openalex", oa, lambda c: [c.author(oa)]))
        plan.append(Fetch("openalex", f"works of {oa}", lambda c: c.works_by_author(oa)))
    if author.orcid:
        orcid = author.orcid
        plan.append(Fetch("orcid", orcid, lambda c: [c.record(orcid)]))
        plan.append(
            Fetch(
                "crossref",
                f"works of {orcid}",
                lambda c: c.works_by_orcid(orcid),
                rate_source="crossref_list",
            )
        )
    arxiv_ids = list(
        Work.objects.visible_on(author)
        .exclude(arxiv_id=None)
        .order_by("arxiv_id")
        .values_list("arxiv_id", flat=True)
        .distinct()
    )
    chunks = [arxiv_ids[i : i + ID_LIST_LIMIT] for i in range(0, len(arxiv_ids), ID_LIST_LIMIT)]
    for number, chunk in enumerate(chunks, 1):
        part = f" (part {number} of {len(chunks)})" if len(chunks) > 1 else ""
        plan.append(
            Fetch("arxiv", f"{len(chunk)} preprints{part}", lambda c, ids=chunk: c.by_ids(ids))
        )
    return plan


def _owner_token(task_id: str) -> str:
    return f"{task_id}|{socket.gethostname()}|{os.getpid()}"


def _holder_is_dead_self(holder: str | None, token: str) -> bool:
    """The lock belongs to this very task, delivered again after its worker process died on
    this host: safe to take over. A live holder (a duplicate delivery running now) is not."""
    if not holder:
        return False
    task, host, pid = holder.rsplit("|", 2)
    my_task, my_host, _ = token.rsplit("|", 2)
    if not task or task != my_task or host != my_host:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def lock_seconds() -> int:
    """How long an author's refresh lock lives: as long as the task may run (its hard time
    limit kills it then), so the lock of a worker killed outright is gone before the broker
    hands its task to another worker (settings: the visibility timeout is longer)."""
    return settings.CELERY_TASK_TIME_LIMIT


def _lock_key(author_id: int) -> str:
    return f"refresh-lock:{author_id}"


def author_lock_held(author_id: int) -> bool:
    """A refresh of this author is running now (somewhere)."""
    return cache.get(_lock_key(author_id)) is not None


@contextmanager
def author_lock(author_id: int, task_id: str) -> Iterator[bool]:
    """Hold the refresh lock for one author (in the shared cache, so across workers). It
    expires after lock_seconds(), so a holder that vanished on another host frees it then."""
    key, token = _lock_key(author_id), _owner_token(task_id)
    got = cache.add(key, token, lock_seconds())
    if not got and _holder_is_dead_self(cache.get(key), token):
        cache.set(key, token, lock_seconds())
        got = True
    try:
        yield got
    finally:
        if got and cache.get(key) == token:
            cache.delete(key)


class _PacedLimiter:
    """The shared limiter as one fetch uses it: its first request waits in place at most
    REFRESH_SLOT_WAIT (the run booked its turn for then), each later one (the next page of a
    list, a retry) at most one of the source's intervals more. A slot further away raises
    RateLimitTimeout: the fetch ends unlogged and the run continues at a new turn."""

    def __init__(self) -> None:
        self._limiter = ratelimit.get_limiter()
        self._started = False

    def acquire(self, source: str, timeout: float) -> float:
        longest = settings.REFRESH_SLOT_WAIT
        if self._started:
            longest += ratelimit.interval_for(ratelimit.configured_rates()[source])
        self._started = True
        return self._limiter.acquire(source, min(timeout, longest))

    def book(self, source: str, horizon: float) -> float:
        return self._limiter.book(source, horizon)


def _client(fetch: Fetch) -> UpstreamClient:
    policy = settings.UPSTREAM_RETRY
    return CLIENTS[fetch.source](
        retry=RetryPolicy(**policy) if policy else None,
        limiter=_PacedLimiter(),
        slot_busy_raises=True,
    )


def _budget_left(source: str, now: datetime.datetime) -> bool:
    budget = settings.REFRESH_DAILY_BUDGET.get(source)
    if budget is None:
        return True
    since = now - datetime.timedelta(days=1)
    return RefreshLog.objects.filter(source=source, started_at__gte=since).count() < budget


def run_fetch(author: Author, fetch: Fetch, task_id: str) -> RefreshLog:
    """Fetch, parse and import one plan item; never raises for an upstream or a database
    failure (a database one is logged as Outcome.DATABASE, for the task to retry).
    RateLimitTimeout (a rate slot too far away) is raised, unlogged: nothing failed, and
    the fetch is run again, whole, when the run continues."""
    started, clock = timezone.now(), time.monotonic()
    stats, attempts, outcome, error, retry_at = ImportStats(), 0, Outcome.OK, "", None
    try:
        if not _budget_left(fetch.source, started):
            outcome, error = Outcome.SKIPPED, "daily request budget for this source is spent"
        else:
            with _client(fetch) as client:
                for page in fetch.pages(client):
                    attempts += page.attempts
                    stats += import_batch(parse(fetch.source, page.body))
    except TransientUpstreamError as exc:
        outcome, error, attempts = Outcome.TRANSIENT, str(exc), attempts + exc.attempts
        if exc.retry_after is not None:
            retry_at = timezone.now() + datetime.timedelta(seconds=exc.retry_after)
    except (PermanentUpstreamError, ParseError) as exc:
        outcome, error = Outcome.PERMANENT, str(exc)
        attempts += getattr(exc, "attempts", 0)
    except DatabaseError as exc:
        outcome, error = database_failure(exc)
    return RefreshLog.objects.create(
        author=author,
        source=fetch.source,
        target=fetch.target[:500],
        outcome=outcome,
        created=stats.created,
        updated=stats.updated,
        unchanged=stats.unchanged,
        skipped=stats.skipped,
        attempts=attempts,
        error=error[:2000],
        task_id=task_id,
        retry_at=retry_at,
        duration_ms=int((time.monotonic() - clock) * 1000),
        started_at=started,
        finished_at=timezone.now(),
    )


def database_failure(exc: DatabaseError) -> tuple[str, str]:
    """The outcome and one-line error for a database failure, with the connection made usable
    again (a terminated one is closed, so the next query opens a new one)."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    retryable = isinstance(exc, RETRYABLE_DB_ERRORS)
    outcome = Outcome.DATABASE if retryable else Outcome.PERMANENT
    return outcome, f"database error ({type(exc).__name__}): {one_line(str(exc))}"


def _failure_log(author_id: int, exc: DatabaseError, task_id: str) -> RefreshLog:
    """The log of a run the database stopped before it fetched anything."""
    now = timezone.now()
    outcome, error = database_failure(exc)
    return RefreshLog.objects.create(
        author_id=author_id,
        source="database",
        target="the refresh",
        outcome=outcome,
        error=error[:2000],
        task_id=task_id,
        started_at=now,
        finished_at=now,
    )


def refresh_interrupted(author_id: int, exc: DatabaseError, task_id: str) -> None:
    """Log a run the database cut short before it could log itself. Best effort: a database
    that is still away cannot take the log either (the task is retried all the same)."""
    try:
        _record_outcome(author_id, [_failure_log(author_id, exc, task_id)])
    except DatabaseError as again:
        logger.warning("refresh of author %s not logged: %s", author_id, again)


@dataclass
class RefreshPart:
    """What one part of a run did: the logs of the whole run so far, and, when it stopped to
    wait for a source's turn, in how many seconds to continue (`turn`: a turn is booked for
    then, so the continuation goes straight to its fetch)."""

    logs: list[RefreshLog]
    defer: float | None = None
    turn: bool = False


def author_refresh(author_id: int, *, task_id: str = "") -> list[RefreshLog]:
    """Refresh one author from every source that knows them, in this process: waits for each
    source's turn here (the task does not, see tasks.py). [] if another worker holds the
    author's lock. Safe to run twice: imports are idempotent upserts."""
    done: list[int] = []
    turn = False
    while True:
        part = author_refresh_part(author_id, task_id=task_id, done=done, turn=turn)
        if part.defer is None:
            return part.logs
        time.sleep(part.defer)
        done, turn = [log.pk for log in part.logs], part.turn


def author_refresh_part(
    author_id: int, *, task_id: str = "", done: Iterable[int] = (), turn: bool = False
) -> RefreshPart:
    """Run the author's fetches not yet done (`done`: this run's earlier RefreshLog ids) until
    all are done or a source's turn is too far away. Every fetch leaves a RefreshLog, a run
    cut short by the database included; the AuthorRefreshState is written when the run ends.
    While the run waits its record stays queued (enqueued_at), so it is not queued twice."""
    author = Author.objects.active().upstream().filter(pk=author_id).first()
    if author is None:
        return RefreshPart([])
    with author_lock(author_id, task_id) as got:
        if not got:
            return RefreshPart([])
        try:
            part = _run_fetches(author, task_id, list(done), turn)
        except DatabaseError as exc:
            part = RefreshPart([_failure_log(author_id, exc, task_id)])
        if part.defer is None:
            _record_outcome(author_id, part.logs)
        else:
            AuthorRefreshState.objects.filter(pk=author_id).update(enqueued_at=timezone.now())
        return part


def _run_fetches(author: Author, task_id: str, done: list[int], turn: bool) -> RefreshPart:
    logs = list(RefreshLog.objects.filter(pk__in=done, author=author).order_by("pk"))
    finished = {f"{log.source} {log.target}" for log in logs}
    while True:
        pending = [fetch for fetch in fetch_plan(author) if fetch.key not in finished]
        if not pending:
            return RefreshPart(logs)
        fetch = pending[0]
        if not turn:
            wait, turn = _book_turn(fetch)
            if wait > settings.REFRESH_SLOT_WAIT:
                return RefreshPart(logs, defer=_wake_before(wait, turn), turn=turn)
            time.sleep(wait)
        turn = False
        try:
            log = run_fetch(author, fetch, task_id)
        except ratelimit.RateLimitTimeout as busy:
            # The turn came before the slot (the run ahead took it late): keep the turn and
            # come back when the slot is free, rather than queue up behind every other turn.
            if busy.wait <= settings.REFRESH_DEFER_MAX:
                return RefreshPart(logs, defer=_wake_before(busy.wait, True), turn=True)
            wait, turn = _book_turn(fetch)
            return RefreshPart(logs, defer=_wake_before(wait, turn), turn=turn)
        logs.append(log)
        finished.add(fetch.key)


def _wake_before(wait: float, turn: bool) -> float:
    """When to continue for a turn `wait` seconds away: up to REFRESH_SLOT_WAIT early, so a
    worker finishing other work first does not make the source's slot go by unused; the
    fetch's first request waits out the rest in place."""
    return max(wait - settings.REFRESH_SLOT_WAIT, 0.01) if turn else wait


def _book_turn(fetch: Fetch) -> tuple[float, bool]:
    """Seconds until this fetch's turn, and whether one was booked: none is booked beyond
    REFRESH_DEFER_MAX (the run then looks again after that long)."""
    horizon = settings.REFRESH_DEFER_MAX
    try:
        return ratelimit.book(fetch.bucket, horizon), True
    except ratelimit.RateLimitTimeout:
        return horizon, False


def needs_retry(logs: list[RefreshLog]) -> bool:
    """The database cut this run short: the task should run it again."""
    return any(log.outcome == Outcome.DATABASE for log in logs)


def _record_outcome(author_id: int, logs: list[RefreshLog]) -> None:
    now = timezone.now()
    state, _ = AuthorRefreshState.objects.get_or_create(author_id=author_id)
    failed = [log for log in logs if log.outcome in FAILED]
    state.last_attempt_at = now
    # A run the task will retry stays queued, so "Refresh now" does not queue it twice.
    state.enqueued_at = now if needs_retry(logs) else None
    state.last_error = failed[-1].error if failed else ""
    record_changed("author", author_id)  # the page says when it was refreshed, or why not
    if failed:
        state.consecutive_failures += 1
        state.next_due_at = next_try(now, failed, state.consecutive_failures)
    else:
        state.consecutive_failures = 0
        state.last_refreshed_at = now
        state.next_due_at = now + datetime.timedelta(seconds=refresh_interval(state.priority))
    state.save(
        update_fields=[
            "last_attempt_at",
            "enqueued_at",
            "last_error",
            "next_due_at",
            "last_refreshed_at",
            "consecutive_failures",
        ]
    )


FAILED = (Outcome.TRANSIENT, Outcome.PERMANENT, Outcome.DATABASE)


def next_try(now: datetime.datetime, failed: list[RefreshLog], failures: int) -> datetime.datetime:
    """When a failed refresh is due again: when the sources asked us to come back (a daily
    quota's Retry-After), else after a wait that doubles with each failure in a row."""
    asked = [log.retry_at for log in failed if log.retry_at is not None]
    if asked:
        return max(asked)
    return now + retry_after(failures)


def retry_after(failures: int) -> datetime.timedelta:
    """How long a record that failed `failures` runs in a row waits before the next: doubling
    from REFRESH_RETRY_AFTER, capped at REFRESH_RETRY_MAX, so a dead record stops costing a
    worker every scheduler cycle."""
    seconds = settings.REFRESH_RETRY_AFTER * 2 ** min(max(failures, 1) - 1, 20)
    return datetime.timedelta(seconds=min(seconds, settings.REFRESH_RETRY_MAX))


def refresh_interval(priority: int) -> int:
    """Seconds between refreshes: claimed records daily, followed ones every few days."""
    intervals = settings.REFRESH_INTERVALS
    return intervals.get(Priority(priority).label.lower(), intervals["normal"])

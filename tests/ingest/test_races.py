"""Imports and metrics that race each other on PostgreSQL, and refreshes the database cuts
short: the loser of a race uses the winner's row, and every attempt is logged and retried."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from apps.ingest import refresh
from apps.ingest.importer import import_batch
from apps.ingest.models import AuthorRefreshState, Outcome, RefreshLog
from apps.ingest.normalized import (
    AuthorRef,
    Batch,
    InstitutionRecord,
    TopicRecord,
    VenueRecord,
    WorkRecord,
)
from apps.ingest.tasks import author_refresh_task
from apps.records.models import CoAuthorship, Institution, Topic, Venue
from apps.records.services import author_metrics_refresh

ON_POSTGRES = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="races need PostgreSQL's row locks (DATABASE_URL)",
)
HOLD = 0.5  # seconds the first transaction stays open once the second has started


def _work(n: int) -> WorkRecord:
    return WorkRecord(
        source="openalex",
        source_key=f"W90000000{n}",
        openalex_id=f"W90000000{n}",
        title=f"Work {n}",
        venue=VenueRecord(name="Shared Venue", openalex_id="S900000001"),
        topics=[TopicRecord(name="Shared topic", openalex_id="T900000001")],
        authors=[
            AuthorRef(
                raw_name=f"Person {n}",
                position=0,
                institutions=[InstitutionRecord(name="Shared U", ror_id="05ppvf150")],
            )
        ],
    )


def _in_thread(target, errors: list) -> threading.Thread:
    def run():
        try:
            target()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _hold_open_while(first, second) -> list[Exception]:
    """Run `first` in a transaction left open until `second` (in another thread) has had time
    to reach the rows `first` wrote, then commit it; the errors either raised."""
    errors: list[Exception] = []
    written = threading.Event()

    def hold():
        with transaction.atomic():
            first()
            written.set()
            time.sleep(HOLD)

    holder = _in_thread(hold, errors)
    written.wait(10)
    other = _in_thread(second, errors)
    holder.join(30)
    other.join(30)
    return errors


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_imports_creating_the_same_topic_venue_and_institution_share_one_row():
    errors = _hold_open_while(
        lambda: import_batch(Batch(works=[_work(1)])), lambda: import_batch(Batch(works=[_work(2)]))
    )

    assert errors == []
    assert Topic.objects.count() == Venue.objects.count() == Institution.objects.count() == 1
    assert Topic.objects.get().works.count() == 2


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_co_authors_metrics_recomputed_at_once_both_land(records):
    ada, bo = records.author("Ada"), records.author("Bo")
    records.work(ada, bo)

    errors = _hold_open_while(
        lambda: author_metrics_refresh([ada.pk]), lambda: author_metrics_refresh([bo.pk])
    )

    assert errors == []
    edges = set(CoAuthorship.objects.values_list("author_id", "coauthor_id", "shared_works"))
    assert edges == {(ada.pk, bo.pk, 1), (bo.pk, ada.pk, 1)}


@pytest.fixture
def lonely(records, settings, fake_upstream):
    """An author whose only source answers an empty page; imports may be made to fail."""
    settings.OPENALEX_API_URL = fake_upstream.url
    settings.UPSTREAM_RATE_LIMITS = {"openalex": 1000}
    settings.REFRESH_DB_RETRY = {"max_attempts": 3, "max_wait": 0.01, "backoff_base": 0.01}
    fake_upstream.add("GET", "/authors/A900000009", json={"id": "https://openalex.org/A900000009"})
    fake_upstream.add("GET", "/works", json={"meta": {"next_cursor": None}, "results": []})
    return records.author("Lonely Author", openalex_id="A900000009")


@pytest.fixture(autouse=True)
def _eager_retries_run_inline():
    """Run eagerly, a retry is applied inline; with errors propagating it would raise instead."""
    conf = author_refresh_task.app.conf
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = True


@pytest.mark.django_db
def test_a_refresh_the_database_interrupts_is_logged_and_run_again(lonely, monkeypatch):
    failures = iter([OperationalError("terminating connection due to administrator command")])

    def flaky_import(batch):
        exc = next(failures, None)
        if exc is not None:
            raise exc
        return import_batch(batch)

    monkeypatch.setattr(refresh, "import_batch", flaky_import)
    author_refresh_task.apply(args=[lonely.pk], task_id="flaky")

    outcomes = list(RefreshLog.objects.order_by("id").values_list("outcome", "task_id"))
    # The interrupted attempt (its author fetch failed, its works fetch went on), then the
    # retry under the same task id, clean.
    assert outcomes == [
        (Outcome.DATABASE, "flaky"),
        (Outcome.OK, "flaky"),
        (Outcome.OK, "flaky"),
        (Outcome.OK, "flaky"),
    ]
    state = AuthorRefreshState.objects.get(pk=lonely.pk)
    assert state.last_refreshed_at is not None and state.last_error == ""


@pytest.mark.django_db
def test_a_refresh_the_database_keeps_failing_gives_up_with_the_error_kept(lonely, monkeypatch):
    def broken_import(batch):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(refresh, "import_batch", broken_import)
    author_refresh_task.apply(args=[lonely.pk])

    logs = RefreshLog.objects.filter(outcome=Outcome.DATABASE)
    assert logs.count() == 6  # max_attempts runs of two fetches each, every one logged
    state = AuthorRefreshState.objects.get(pk=lonely.pk)
    assert "server closed the connection" in state.last_error
    assert state.last_refreshed_at is None


@pytest.mark.django_db
def test_the_last_error_is_shown_to_staff_only(lonely, client, make_user):
    AuthorRefreshState.objects.create(author=lonely, last_error="database error: boom")
    RefreshLog.objects.create(
        author=lonely,
        source="openalex",
        target="A900000009",
        outcome=Outcome.DATABASE,
        error="database error: boom",
        started_at="2026-01-01T00:00Z",
        finished_at="2026-01-01T00:00Z",
    )
    staff = make_user(is_staff=True)
    client.force_login(make_user())
    assert "boom" not in client.get(f"/authors/{lonely.pk}/").content.decode()
    client.force_login(staff)
    assert "boom" in client.get(f"/authors/{lonely.pk}/").content.decode()

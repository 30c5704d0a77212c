"""Queues by urgency: every task routed by name, the workers of `make run` and of compose
listening where they should, and a verification mail that overtakes a backlog of scheduled
refreshes on a real worker: with the real Redis broker in CI's PostgreSQL pass (strict queue
order), and on the embedded pass with kombu's in-memory broker, which takes queues in turn as
the file-system broker of `make run` without Redis does."""

from __future__ import annotations

import re
from contextlib import ExitStack
from pathlib import Path

import pytest
import yaml
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from apps.ingest.services import refresh_schedule
from apps.records.models import Author
from config.celery import app
from config.settings.mail import mailer_settings
from tests.factories import wait_for
from tests.fakes.upstream import FakeUpstream
from tests.samples import redis_only

ROOT = Path(__file__).resolve().parents[2]
QUEUES = (*django_settings.URGENT_QUEUES, *django_settings.BULK_QUEUES)


def _queues_option(command: str) -> list[str]:
    match = re.search(r"--queues[= ]([\w,]+)", command)
    assert match, f"no --queues in {command!r}"
    return match.group(1).split(",")


def _procfile_queues() -> list[str]:
    line = next(
        line
        for line in (ROOT / "Procfile.dev").read_text().splitlines()
        if line.startswith("worker:")
    )
    return _queues_option(line)


def _compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def _compose_queues(service: str) -> list[str]:
    return _queues_option(" ".join(_compose_services()[service]["command"]))


def _our_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_task_is_routed_by_name_to_a_declared_queue():
    routes = django_settings.CELERY_TASK_ROUTES
    for name in _our_tasks():
        assert name in routes, f"{name} has no route in CELERY_TASK_ROUTES"
        assert routes[name]["queue"] in QUEUES


def test_mail_and_asked_for_work_go_to_urgent_queues_and_bulk_does_not():
    router = app.amqp.router
    queue = {name: router.route({}, name)["queue"].name for name in _our_tasks()}
    assert queue["core.email_deliver"] == "mail"
    assert queue["ingest.refresh_author_now"] == "interactive"
    assert queue["claims.record_create"] == "interactive"  # a person watches its progress
    assert queue["ingest.refresh_author"] == "scheduled"
    assert queue["follows.digest_batch_send"] == "digests"
    assert router.route({}, "ingest.snapshot_load")["queue"].name == "snapshots"


def test_make_run_worker_serves_every_queue_urgent_ones_first():
    queues = _procfile_queues()
    assert sorted(queues) == sorted(QUEUES)
    assert queues[: len(django_settings.URGENT_QUEUES)] == list(django_settings.URGENT_QUEUES)


def test_refreshes_waiting_for_a_turn_are_taken_before_the_scheduled_backlog():
    from apps.ingest.tasks import CONTINUE_ON

    queue = CONTINUE_ON["ingest.refresh_author"]
    for queues in (_procfile_queues(), _compose_queues("worker")):
        assert queues.index(queue) < queues.index("scheduled")


def test_compose_has_an_urgent_worker_and_a_scalable_bulk_worker():
    services = _compose_services()
    assert _compose_queues("worker-urgent") == list(django_settings.URGENT_QUEUES)
    assert _compose_queues("worker") == list(django_settings.BULK_QUEUES)
    for name in ("worker", "worker-urgent"):  # `--scale` needs neither
        assert "container_name" not in services[name]
        assert "ports" not in services[name]


@redis_only("queue order is the Redis transport's `queue_order_strategy`")
def test_redis_takes_a_workers_queues_in_the_order_it_lists_them():
    assert app.conf.broker_transport_options.get("queue_order_strategy") == "priority"


# --- A real worker, a real broker -------------------------------------------------------------

BACKLOG = 500


def _waiting(queue: str) -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue=queue, passive=True).message_count


def _purge() -> None:
    with app.connection_for_write() as conn:
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)


@pytest.fixture
def slow_upstream(settings):
    """OpenAlex that takes a second over each works list (authors are unknown: a quick 404),
    so each scheduled refresh holds a worker for about a second. The retry policy and rate
    limits are the defaults a fresh `make run` has."""
    server = FakeUpstream().start()
    empty = {"meta": {"count": 0, "next_cursor": None}, "results": []}
    server.add("GET", "/openalex/works", json=empty, delay=1.0)
    settings.OPENALEX_API_URL = f"{server.url}/openalex"
    settings.UPSTREAM_RETRY = {}
    settings.UPSTREAM_RATE_LIMITS = {}
    yield server
    server.stop()


@pytest.fixture
def backlog(transactional_db, slow_upstream):
    """BACKLOG scheduled refreshes waiting in the broker, queued by the scheduler itself."""
    _purge()
    authors = [Author(openalex_id=f"A9{i:08d}", display_name=f"R{i}") for i in range(BACKLOG)]
    Author.objects.bulk_create(authors)
    app.conf.task_always_eager = False
    try:
        assert len(refresh_schedule(limit=BACKLOG)) == BACKLOG
        assert _waiting("scheduled") == BACKLOG
        yield
    finally:
        app.conf.task_always_eager = True
        _purge()


@pytest.fixture
def queued_mail(settings):
    """The sign-up's mail leaves through the queue, as outside tests; the worker delivers it
    into the test mailbox."""
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    for name, value in mailer_settings(locmem, django_settings.SMTP_OPTIONS).items():
        setattr(settings, name, value)


# Each configuration's workers, by the queues their command lines name: `make run` has one
# worker for everything; compose runs the urgent worker and the bulk one side by side.
CONFIGURATIONS = {
    "make-run-worker": [_procfile_queues()],
    "compose-workers": [_compose_queues("worker-urgent"), _compose_queues("worker")],
}
DEADLINE = 5.0  # seconds from the sign-up to the mail in the mailbox


@pytest.mark.parametrize("configuration", CONFIGURATIONS)
def test_a_verification_mail_overtakes_500_scheduled_refreshes(
    backlog, queued_mail, client, slow_upstream, configuration
):
    with ExitStack() as workers:
        for queues in CONFIGURATIONS[configuration]:
            workers.enter_context(
                start_worker(
                    app, pool="solo", queues=queues, perform_ping_check=False, shutdown_timeout=30
                )
            )
        # The workers are busy with the backlog before the newcomer signs up.
        assert wait_for(lambda: slow_upstream.requests_to("GET", "/openalex/works"), 10)
        response = client.post(
            reverse("account_signup"),
            {
                "email": "newcomer@example.org",
                "display_name": "Nia Newcomer",
                "password1": "a-long-pass-9",
                "password2": "a-long-pass-9",
            },
        )
        assert response.status_code == 302
        delivered = wait_for(lambda: mail.outbox, DEADLINE)
        assert delivered, f"the verification mail was not delivered within {DEADLINE} s"
        assert mail.outbox[0].to == ["newcomer@example.org"]
        refreshed = len(slow_upstream.requests_to("GET", "/openalex/works"))
    # It went ahead of the backlog, not after it: nearly all refreshes are still waiting, and
    # the worker(s) were working through them all along.
    assert _waiting("scheduled") >= BACKLOG - 50
    assert refreshed >= 1

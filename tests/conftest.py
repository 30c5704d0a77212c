"""Shared fixtures: the network guard, personas, factories and the fake upstream server.

Personas (STYLE.md): `visitor` (no account), `researcher`, `peer`, `moderator`, and an
`outsider` who must see nothing private. `claimed_researcher` is `researcher` holding a
claimed author record (`researcher_record`, ORCID iD RESEARCHER_ORCID proven by OAuth);
`researcher` alone holds nothing, so tests that never claim see no claims rows.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from pytest_socket import socket_allow_hosts

from apps.accounts.models import MODERATORS_GROUP
from tests.factories import UserFactory, claimed_record, link_orcid  # noqa: F401
from tests.fakes.upstream import FakeUpstream
from tests.samples import SAMPLES, samples_required

LOOPBACK = ["127.0.0.0/8", "::1/128", "localhost"]
RESEARCHER_ORCID = "0000-0002-1825-0097"
_resolved: dict[str, set[str]] = {}


def pytest_sessionstart(session):
    """With PEERAGE_REQUIRE_SAMPLES=1 (.ci/run), a run without ../shared/samples is refused at
    once: the tests that read them would otherwise skip and the run would pass without them."""
    if samples_required() and not SAMPLES.is_dir():
        raise pytest.UsageError(f"PEERAGE_REQUIRE_SAMPLES=1 but {SAMPLES} is not present")


@pytest.fixture(autouse=True)
def network_guard():
    """Every test runs with outgoing connections limited to this machine: any other address
    raises pytest_socket.SocketConnectBlockedError. Unix sockets (local PostgreSQL) stay
    allowed. pytest-socket lifts the restriction after each test."""
    socket_allow_hosts(LOOPBACK, allow_unix_socket=True, resolution_cache=_resolved)
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Tests share one cache (Redis in CI): start each from empty so none sees another's keys."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def outbox_mailer(settings):
    """Mail as production sends it: the default mailer writes an outbox item and the delivery
    mailer (here Django's test mailbox) sends it after commit. Django's test set-up otherwise
    points every mailer straight at the mailbox."""
    settings.MAILERS = {
        "default": {"BACKEND": "apps.core.mail.OutboxEmailBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


@pytest.fixture
def fake_upstream():
    """A local HTTP server standing in for OpenAlex, ORCID, arXiv and Crossref."""
    server = FakeUpstream().start()
    yield server
    server.stop()


ORCID_ID = "0000-0003-1415-9269"


@pytest.fixture
def fake_orcid(fake_upstream, settings):
    """The fake upstream server configured as ORCID (OAuth and the public API), with the test
    client app registered with allauth. Tests add the responses they need."""
    settings.ORCID_OAUTH_BASE_URL = settings.ORCID_API_BASE_URL = fake_upstream.url
    # The sign-in form's redirect goes to ORCID's authorize page: the CSP lets forms go there.
    form_action = [*settings.SECURE_CSP["form-action"], fake_upstream.url]
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": form_action}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "orcid": {
            **settings.SOCIALACCOUNT_PROVIDERS["orcid"],
            "APPS": [{"client_id": "APP-TESTCLIENT0001", "secret": "s3cret", "key": ""}],
        }
    }
    return fake_upstream


@pytest.fixture
def record(records):
    """An unclaimed public record (L1) carrying ORCID_ID: the one `peer` goes on to claim."""
    return records.author("Pablo Peer", orcid=ORCID_ID, verification_level=1)


@pytest.fixture
def make_user(db):
    return UserFactory


@pytest.fixture
def researcher(make_user):
    return make_user(email="researcher@example.org", display_name="Rosa Researcher")


@pytest.fixture
def peer(make_user):
    return make_user(email="peer@example.org", display_name="Pablo Peer")


@pytest.fixture
def outsider(make_user):
    return make_user(email="outsider@example.org", display_name="Otto Outsider")


@pytest.fixture
def moderator(make_user):
    user = make_user(email="moderator@example.org", display_name="Mona Moderator")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def visitor(client):
    """An anonymous browser."""
    return client


def _signed_in_as(persona: str):
    """A fixture giving a client signed in as the named persona fixture."""

    @pytest.fixture
    def signed_in(request):
        return _client_for(request.getfixturevalue(persona))

    signed_in.__doc__ = f"A client signed in as `{persona}`."
    return signed_in


researcher_client = _signed_in_as("researcher")
peer_client = _signed_in_as("peer")
outsider_client = _signed_in_as("outsider")
moderator_client = _signed_in_as("moderator")


@pytest.fixture
def records(db):
    """Factories for public records: records.author(...), records.work(...), records.topic(...)."""
    from types import SimpleNamespace

    from tests.factories import make_author, make_topic, make_work

    return SimpleNamespace(author=make_author, work=make_work, topic=make_topic)


@pytest.fixture
def researcher_record(db, researcher):
    """The researcher's own public record, claimed by ORCID match (L2)."""
    return claimed_record(researcher, "Rosa Researcher", RESEARCHER_ORCID)


@pytest.fixture
def claimed_researcher(researcher, researcher_record):
    """The researcher persona holding a claimed record."""
    return researcher

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
from tests.factories import UserFactory
from tests.fakes.upstream import FakeUpstream

LOOPBACK = ["127.0.0.0/8", "::1/128", "localhost"]
RESEARCHER_ORCID = "0000-0002-1825-0097"
_resolved: dict[str, set[str]] = {}


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


@pytest.fixture
def researcher_client(researcher):
    return _client_for(researcher)


@pytest.fixture
def peer_client(peer):
    return _client_for(peer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def moderator_client(moderator):
    return _client_for(moderator)


@pytest.fixture
def records(db):
    """Factories for public records: records.author(...), records.work(...), records.topic(...)."""
    from types import SimpleNamespace

    from tests.factories import make_author, make_topic, make_work

    return SimpleNamespace(author=make_author, work=make_work, topic=make_topic)


def link_orcid(user, orcid: str):
    """Give `user` an ORCID iD proven by OAuth (what allauth stores after sign-in)."""
    from allauth.socialaccount.models import SocialAccount

    return SocialAccount.objects.create(user=user, provider="orcid", uid=orcid)


@pytest.fixture
def researcher_record(records, researcher):
    """The researcher's own public record, claimed by ORCID match (L2)."""
    from apps.claims.services import claim_orcid

    author = records.author("Rosa Researcher", orcid=RESEARCHER_ORCID)
    link_orcid(researcher, RESEARCHER_ORCID)
    claim_orcid(user=researcher, author=author)
    author.refresh_from_db()
    return author


@pytest.fixture
def claimed_researcher(researcher, researcher_record):
    """The researcher persona holding a claimed record."""
    return researcher

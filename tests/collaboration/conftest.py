"""Claimed peers for collaboration tests: `researcher_record` (claims' fixture) is A's,
`peer_record` B's, `outsider_record` C's, each claimed by ORCID match (L2) the same way."""

from __future__ import annotations

import pytest

from apps.collaboration import services
from apps.records.models import CoAuthorship
from tests.factories import claimed_record

PEER_ORCID = "0000-0001-5109-3700"
OUTSIDER_ORCID = "0000-0002-9079-593X"


@pytest.fixture
def peer_record(records, peer):
    return claimed_record(peer, "Pablo Peer", PEER_ORCID)


@pytest.fixture
def outsider_record(records, outsider):
    return claimed_record(outsider, "Otto Outsider", OUTSIDER_ORCID)


def coauthors(a, b, works: int = 1) -> None:
    CoAuthorship.objects.create(author=a, coauthor=b, shared_works=works)
    CoAuthorship.objects.create(author=b, coauthor=a, shared_works=works)


@pytest.fixture
def invite():
    """invite(sender, author, **purpose) with a free-text purpose by default."""

    def send(sender, author, **kwargs):
        kwargs.setdefault("purpose", "text")
        kwargs.setdefault("note", "Shall we write the survey together?")
        return services.invitation_create(sender=sender, author=author, **kwargs)

    return send


@pytest.fixture
def conversation(researcher, researcher_record, peer, peer_record, invite):
    """An accepted invitation from the researcher (A) to the peer (B)."""
    invitation = invite(researcher, peer_record)
    return services.invitation_accept(invitation=invitation, actor=peer)

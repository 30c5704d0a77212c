"""Likely-same-person records are suggested to a record's holder and to moderators, never to
anyone else, and never merged by the suggestion (issue 22, F9)."""

from __future__ import annotations

import pytest

from apps.claims.services import claim_orcid
from apps.ingest.importer import import_batch
from apps.ingest.parsers import parse
from apps.records.models import Author
from tests.conftest import RESEARCHER_ORCID
from tests.factories import link_orcid
from tests.ingest.test_as_published import WIDGETS, body
from tests.samples import needs_samples

pytestmark = [needs_samples, pytest.mark.django_db]


@pytest.fixture
def radevs():
    """Crossref's five chapters of one book, each naming Tihomir Radev without an iD."""
    import_batch(parse("crossref", body(WIDGETS)))
    return list(Author.objects.filter(display_name="Tihomir Radev").order_by("id"))


def _suggests(client, author) -> bool:
    return (
        'data-testid="likely-duplicates"' in client.get(f"/authors/{author.pk}/").content.decode()
    )


def test_the_holder_and_moderators_see_the_suggestions(
    researcher, researcher_client, moderator_client, radevs
):
    mine = radevs[0]
    mine.orcid = RESEARCHER_ORCID
    mine.save(update_fields=["orcid"])
    link_orcid(researcher, RESEARCHER_ORCID)
    claim_orcid(user=researcher, author=mine)

    page = researcher_client.get(f"/authors/{mine.pk}/").content.decode()
    assert "These records may be you too" in page
    assert all(f"(#{other.pk})" in page for other in radevs[1:])
    assert "shares venue Custom Widgets in Android Studio" in page
    assert _suggests(moderator_client, radevs[1])
    assert Author.objects.filter(merged_into__isnull=False).count() == 0


def test_visitors_and_other_members_see_none(client, peer_client, radevs):
    assert not _suggests(client, radevs[0])
    assert not _suggests(peer_client, radevs[0])

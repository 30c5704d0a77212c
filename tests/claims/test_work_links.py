"""The holder of a record on a work keeps its code and data links: each change is one audit
row, and a removed link stays removed when the work is imported again."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from apps.claims.services import claim_orcid
from apps.ingest.importer import import_batch
from apps.ingest.parsers import parse
from apps.records.models import Work, WorkLink
from tests.conftest import RESEARCHER_ORCID
from tests.factories import link_orcid
from tests.ingest.test_as_published import SNOWBALL, body
from tests.samples import needs_samples

pytestmark = [needs_samples, pytest.mark.django_db]


def _import():
    import_batch(parse("openalex", body(SNOWBALL, 5)))


@pytest.fixture
def coci(researcher):
    """OpenCitations' COCI paper, imported from OpenAlex, with the researcher holding the
    record of its author David Shotton."""
    _import()
    work = Work.objects.get(openalex_id="W2938946739")
    shotton = work.authorships.get(raw_name="David Shotton").author
    shotton.orcid = RESEARCHER_ORCID
    shotton.save(update_fields=["orcid"])
    link_orcid(researcher, RESEARCHER_ORCID)
    claim_orcid(user=researcher, author=shotton)
    return work


def _audits(action):
    return AuditEvent.objects.filter(action=action).count()


def test_the_holder_adds_changes_and_removes_a_link_each_audited(researcher_client, coci):
    url = f"/works/{coci.pk}/links/"
    assert researcher_client.get(url).status_code == 200

    response = researcher_client.post(
        url, {"action": "add", "url": "https://github.com/opencitations/coci/", "label": ""}
    )
    assert response.status_code == 302
    link = coci.links.get(url="https://github.com/opencitations/coci")
    assert (link.kind, link.origin, _audits("work.link_add")) == ("code", "claimant", 1)

    researcher_client.post(
        url,
        {"action": "change", "link": link.pk, "url": link.url, "label": "COCI scripts"},
    )
    link.refresh_from_db()
    assert (link.label, _audits("work.link_change")) == ("COCI scripts", 1)

    zenodo = coci.links.get(origin="openalex")
    researcher_client.post(url, {"action": "remove", "link": zenodo.pk})
    assert _audits("work.link_remove") == 1
    page = researcher_client.get(f"/works/{coci.pk}/").content.decode()
    assert "zenodo.org/records/3058122" not in page and "COCI scripts" in page

    _import()  # a refresh brings nothing back
    zenodo.refresh_from_db()
    assert zenodo.removed_at is not None
    assert WorkLink.objects.filter(work=coci).count() == 2


def test_a_bad_address_is_refused_on_the_form(researcher_client, coci):
    response = researcher_client.post(
        f"/works/{coci.pk}/links/", {"action": "add", "url": "javascript:alert(1)"}
    )
    assert response.status_code == 400
    assert "Give a web address starting with https://." in response.content.decode()
    assert not coci.links.filter(origin="claimant").exists()


def test_only_a_holder_on_the_work_may_change_its_links(peer_client, client, coci):
    url = f"/works/{coci.pk}/links/"
    assert peer_client.get(url).status_code == 403
    assert (
        peer_client.post(url, {"action": "add", "url": "https://github.com/a/b"}).status_code == 403
    )
    assert client.get(url).status_code == 302  # a visitor is sent to sign in
    assert not coci.links.filter(origin="claimant").exists()

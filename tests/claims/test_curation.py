"""The holder's curation: not mine (reversible), split, add by DOI/arXiv id, names, pins."""

import pytest

from apps.audit.models import AuditEvent
from apps.claims.models import CurationDecision, PinnedWork
from apps.claims.services import (
    names_set,
    pins_set,
    work_add,
    works_disown,
    works_restore,
    works_split,
)
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.records.models import Author, Authorship, Work
from tests import samples

pytestmark = pytest.mark.django_db
FIXTURES = samples.FIXTURES


@pytest.fixture
def works(records, researcher_record):
    coauthor = records.author("Pablo Peer")
    made = [records.work(researcher_record, coauthor, citation_count=10 + i) for i in range(4)]
    from apps.records.services import author_metrics_refresh

    author_metrics_refresh([researcher_record.pk, coauthor.pk])
    return made


def test_not_mine_hides_uncounts_and_records_who_and_when(
    claimed_researcher, researcher_record, works
):
    assert (
        works_disown(
            user=claimed_researcher, author=researcher_record, work_ids=[works[0].pk, works[1].pk]
        )
        == 2
    )
    researcher_record.refresh_from_db()
    assert researcher_record.works_count == 2
    assert set(Work.objects.visible_on(researcher_record)) == {works[2], works[3]}
    decision = CurationDecision.objects.filter(action="disown").first()
    assert decision.actor == claimed_researcher and decision.created_at
    assert AuditEvent.objects.filter(action="work.disown", author_id=researcher_record.pk).exists()


def test_not_mine_is_reversible(claimed_researcher, researcher_record, works):
    works_disown(user=claimed_researcher, author=researcher_record, work_ids=[works[0].pk])
    works_restore(user=claimed_researcher, author=researcher_record, work_ids=[works[0].pk])
    researcher_record.refresh_from_db()
    assert researcher_record.works_count == 4
    assert list(CurationDecision.objects.values_list("action", flat=True).order_by("id")) == [
        "disown", "restore"]  # fmt: skip


def test_only_the_holder_curates(peer, researcher_record, works):
    with pytest.raises(NotAllowed):
        works_disown(user=peer, author=researcher_record, work_ids=[works[0].pk])


def test_split_moves_disowned_works_to_a_new_unclaimed_record(
    claimed_researcher, researcher_record, works, records
):
    stranger = records.work(records.author("Someone Else"))
    with pytest.raises(Refused, match="on your record"):
        works_split(user=claimed_researcher, author=researcher_record, work_ids=[stranger.pk])
    works_disown(user=claimed_researcher, author=researcher_record, work_ids=[works[0].pk])
    other = works_split(user=claimed_researcher, author=researcher_record, work_ids=[works[0].pk])
    moved = Authorship.objects.get(work=works[0], author=other)
    assert moved.status == "active" and moved.split_from == researcher_record
    assert other.display_name == researcher_record.display_name and not other.claims.exists()
    other.refresh_from_db()
    assert other.works_count == 1


def test_names_are_the_claimants_and_outrank_sources(claimed_researcher, researcher_record):
    names_set(
        user=claimed_researcher,
        author=researcher_record,
        display_name="Rosa M. Researcher",
        variants=["R. Researcher", " "],
    )
    researcher_record.refresh_from_db()
    assert researcher_record.display_name == "Rosa M. Researcher"
    assert researcher_record.name_variants == ["R. Researcher"]
    assert "r researcher" in researcher_record.search_name
    assert (
        researcher_record.provenance.get(source="claimant").fields["display_name"]
        == "Rosa M. Researcher"
    )
    with pytest.raises(Refused):
        names_set(user=claimed_researcher, author=researcher_record, display_name="", variants=[])


def test_pins_up_to_five_visible_works(claimed_researcher, researcher_record, works, records):
    pins_set(user=claimed_researcher, author=researcher_record, work_ids=[works[2].pk, works[0].pk])
    assert list(PinnedWork.objects.values_list("work_id", flat=True)) == [works[2].pk, works[0].pk]
    with pytest.raises(Refused, match="at most 5"):
        pins_set(user=claimed_researcher, author=researcher_record, work_ids=list(range(1, 7)))
    stranger = records.work(records.author("Someone Else"))
    with pytest.raises(Refused, match="only pin works shown"):
        pins_set(user=claimed_researcher, author=researcher_record, work_ids=[stranger.pk])
    works_disown(user=claimed_researcher, author=researcher_record, work_ids=[works[0].pk])
    assert list(PinnedWork.objects.values_list("work_id", flat=True)) == [works[2].pk]


@pytest.fixture
def kofi(make_user, records):
    """A holder whose name is printed on the Crossref fixture's byline."""
    from apps.claims.models import Claim

    user = make_user(display_name="Kofi Delacroix-Amponsah")
    author = records.author("Kofi Delacroix-Amponsah")
    Claim.objects.create(user=user, author=author, kind="evidence", status="approved")
    return user, author


def test_add_a_missing_work_by_doi_through_crossref(kofi, fake_upstream, settings):
    settings.CROSSREF_API_URL = fake_upstream.url
    fake_upstream.add_file(
        "GET",
        "/works/10.5555/peerage.2024.0101",
        FIXTURES / "crossref" / "work-10.5555-peerage.2024.0101.json",
    )
    user, author = kofi
    work = work_add(
        user=user, author=author, identifier="https://doi.org/10.5555/PEERAGE.2024.0101"
    )
    assert work.doi == "10.5555/peerage.2024.0101"
    assert Authorship.objects.get(work=work, author=author).status == "active"
    author.refresh_from_db()
    assert author.works_count == 1
    assert CurationDecision.objects.get(action="add").work == work
    # The importer's stand-in record for the printed name was folded into the holder's.
    assert Author.objects.filter(merged_into=author).count() == 1
    with pytest.raises(Conflict, match="already on your record"):
        work_add(user=user, author=author, identifier="10.5555/peerage.2024.0101")


def test_an_unknown_doi_is_a_clear_error(kofi, fake_upstream, settings):
    settings.CROSSREF_API_URL = fake_upstream.url
    fake_upstream.add("GET", "/works/10.5555/nothing", status=404, body="Resource not found.")
    with pytest.raises(Refused, match=r"Crossref has no work 10\.5555/nothing"):
        work_add(user=kofi[0], author=kofi[1], identifier="10.5555/nothing")
    with pytest.raises(Refused, match="Give a DOI"):
        work_add(user=kofi[0], author=kofi[1], identifier="not an id")


def test_add_by_arxiv_id_through_arxiv(make_user, records, fake_upstream, settings):
    from apps.claims.models import Claim

    settings.ARXIV_API_URL = fake_upstream.url
    fake_upstream.add_file("GET", "/api/query", FIXTURES / "arxiv" / "query-two-entries.atom.xml")
    user = make_user(display_name="Ilse Marrowgate")
    author = records.author("Ilse Marrowgate")
    Claim.objects.create(user=user, author=author, kind="evidence", status="approved")
    work = work_add(user=user, author=author, identifier="arXiv:2301.04567v3")
    assert work.arxiv_id == "2301.04567"
    assert work.authorships.get(author=author).raw_name == "Ilse Marrowgate"
    assert fake_upstream.requests_to("GET", "/api/query")[0].query["id_list"] == ["2301.04567"]


def test_an_arxiv_id_arxiv_does_not_know_is_a_clear_error(kofi, fake_upstream, settings):
    settings.ARXIV_API_URL = fake_upstream.url
    fake_upstream.add_file("GET", "/api/query", FIXTURES / "arxiv" / "query-two-entries.atom.xml")
    with pytest.raises(Refused, match=r"arXiv has no work 2402\.00001"):
        work_add(user=kofi[0], author=kofi[1], identifier="2402.00001")

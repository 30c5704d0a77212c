"""The importer, fed hand-built normalised records: idempotence, cross-source dedupe, field
precedence, and claimant decisions that survive every refresh."""

import datetime
from dataclasses import replace

import pytest

from apps.ingest.importer import import_batch
from apps.ingest.normalized import (
    AuthorRecord,
    AuthorRef,
    Batch,
    TopicRecord,
    VenueRecord,
    WorkRecord,
)
from apps.records.models import Author, Authorship, Provenance, Work
from apps.records.services import author_merge_into
from tests.ingest.content import table_rows

pytestmark = pytest.mark.django_db
ADA_ORCID = "0000-0003-1415-9269"


def openalex_work(**overrides) -> WorkRecord:
    fields = dict(
        source="openalex",
        source_key="W100",
        openalex_id="W100",
        doi="10.5555/shard.1",
        title="Adaptive sharding (OpenAlex title)",
        abstract="OpenAlex abstract.",
        type="article",
        publication_date=datetime.date(2024, 3, 5),
        date_precision="day",
        venue=VenueRecord(name="Journal of Streams", openalex_id="S1"),
        citation_count=7,
        authors=[
            AuthorRef(
                "Ada Lindqvist", 0, orcid=ADA_ORCID, openalex_id="A1", display_name="Ada Lindqvist"
            ),
            AuthorRef("Tomás Okafor", 1, openalex_id="A2", display_name="Tomás Okafor"),
            AuthorRef("Mei Tanaka", 2, openalex_id="A3", display_name="Mei Tanaka"),
        ],
        topics=[TopicRecord("Stream processing", openalex_id="T1")],
    )
    fields.update(overrides)
    return WorkRecord(**fields)


def crossref_work(**overrides) -> WorkRecord:
    fields = dict(
        source="crossref",
        source_key="10.5555/shard.1",
        doi="10.5555/shard.1",
        title="Adaptive Sharding for Streams",
        type="article",
        publication_date=datetime.date(2024, 3, 1),
        date_precision="day",
        citation_count=5,
        authors=[
            AuthorRef("A. Lindqvist", 0, orcid=ADA_ORCID),
            AuthorRef("T. Okafor", 1),
            AuthorRef("M. Tanaka", 2),
        ],
    )
    fields.update(overrides)
    return WorkRecord(**fields)


def snapshot() -> dict:
    """Everything the importer writes, without timestamps, for before/after comparisons."""
    return table_rows()


def test_a_new_work_lands_with_its_byline_authors_and_provenance():
    stats = import_batch(Batch(works=[openalex_work()]))

    assert (stats.created, stats.updated) == (1, 0)
    work = Work.objects.get()
    assert (work.doi, work.openalex_id, work.citation_count, work.venue.name) == (
        "10.5555/shard.1",
        "W100",
        7,
        "Journal of Streams",
    )
    assert list(work.authorships.values_list("raw_name", "position")) == [
        ("Ada Lindqvist", 0),
        ("Tomás Okafor", 1),
        ("Mei Tanaka", 2),
    ]
    assert Author.objects.get(orcid=ADA_ORCID).works_count == 1
    assert Provenance.objects.get(work=work).source == "openalex"


def test_importing_the_same_batch_twice_changes_nothing():
    batch = Batch(works=[openalex_work(), crossref_work()])
    import_batch(batch)
    before = snapshot()
    stats = import_batch(batch)
    assert (stats.created, stats.updated, stats.unchanged) == (0, 0, 2)
    assert snapshot() == before


def test_sources_meet_on_one_row_and_precedence_ignores_arrival_order():
    import_batch(Batch(works=[openalex_work()]))
    import_batch(Batch(works=[crossref_work()]))
    forward = Work.objects.values("title", "abstract", "citation_count", "publication_date").get()
    Work.objects.all().delete()
    Author.objects.all().delete()
    import_batch(Batch(works=[crossref_work()]))
    import_batch(Batch(works=[openalex_work()]))
    backward = Work.objects.values("title", "abstract", "citation_count", "publication_date").get()

    assert (
        forward
        == backward
        == {
            "title": "Adaptive Sharding for Streams",  # Crossref wins the title
            "abstract": "OpenAlex abstract.",  # only OpenAlex has one
            "citation_count": 7,  # OpenAlex wins citations
            "publication_date": datetime.date(2024, 3, 1),  # Crossref wins the date
        }
    )


def test_the_higher_source_orders_the_byline_without_duplicating_people():
    import_batch(Batch(works=[crossref_work()]))
    import_batch(Batch(works=[openalex_work()]))
    work = Work.objects.get()
    assert list(work.authorships.order_by("position").values_list("raw_name", flat=True)) == [
        "Ada Lindqvist",
        "Tomás Okafor",
        "Mei Tanaka",
    ]
    assert Author.objects.count() == 3


def test_an_arxiv_preprint_and_its_openalex_record_are_one_work():
    arxiv = WorkRecord(
        source="arxiv",
        source_key="2401.01234",
        arxiv_id="2401.01234",
        title="Preprint title",
        type="preprint",
        authors=[AuthorRef("Ada Lindqvist", 0)],
    )
    oa = openalex_work(
        doi="10.48550/arxiv.2401.01234",
        arxiv_id="2401.01234",
        openalex_id="W200",
        source_key="W200",
    )
    import_batch(Batch(works=[arxiv]))
    import_batch(Batch(works=[oa]))
    assert Work.objects.count() == 1
    assert Work.objects.get().openalex_id == "W200"


def test_a_disowned_authorship_stays_disowned_through_a_refresh():
    import_batch(Batch(works=[openalex_work()]))
    mei = Authorship.objects.get(raw_name="Mei Tanaka")
    Authorship.objects.filter(pk=mei.pk).update(status="disowned")

    import_batch(Batch(works=[openalex_work(citation_count=99, title="Retitled")]))

    mei.refresh_from_db()
    assert mei.status == "disowned"
    assert Author.objects.get(pk=mei.author_id).works_count == 0


def test_a_split_stays_split_through_a_refresh(records):
    import_batch(Batch(works=[openalex_work()]))
    other_mei = records.author("Mei Tanaka")  # the claimant split this work off to a new record
    Authorship.objects.filter(raw_name="Mei Tanaka").update(author=other_mei)

    import_batch(Batch(works=[openalex_work(citation_count=12)]))

    assert Authorship.objects.get(raw_name="Mei Tanaka").author == other_mei


def test_a_merged_record_stays_merged_and_new_works_go_to_the_survivor(records):
    import_batch(Batch(works=[openalex_work()]))
    duplicate = Author.objects.get(openalex_id="A3")
    survivor = records.author("Mei Tanaka")
    author_merge_into(duplicate, survivor)

    import_batch(
        Batch(works=[openalex_work(openalex_id="W300", source_key="W300", doi="10.5555/other")])
    )

    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    new = Work.objects.get(openalex_id="W300")
    assert new.authorships.get(position=2).author == survivor


def test_a_refresh_never_deletes_authors_a_source_stopped_listing():
    import_batch(Batch(works=[openalex_work()]))
    shorter = openalex_work(authors=openalex_work().authors[:2])
    import_batch(Batch(works=[shorter]))
    assert Work.objects.get().authorships.count() == 3


def test_an_orcid_record_adds_its_owner_only_when_missing():
    import_batch(Batch(works=[openalex_work()]))
    orcid = WorkRecord(
        source="orcid",
        source_key="555",
        doi="10.5555/shard.1",
        title="t",
        authors=[AuthorRef("Ada Lindqvist", None, orcid=ADA_ORCID)],
        complete_byline=False,
    )
    import_batch(Batch(works=[orcid]))
    assert Work.objects.get().authorships.count() == 3

    lone = WorkRecord(
        source="orcid",
        source_key="556",
        doi="10.5555/lone",
        title="Lone work",
        authors=[AuthorRef("Ada Lindqvist", None, orcid=ADA_ORCID)],
        complete_byline=False,
    )
    import_batch(Batch(works=[lone]))
    assert Work.objects.get(doi="10.5555/lone").authorships.get().author.orcid == ADA_ORCID


def test_openalex_merges_fold_a_duplicate_author_into_the_survivor():
    import_batch(Batch(works=[openalex_work()]))
    import_batch(
        Batch(
            works=[
                openalex_work(
                    openalex_id="W400",
                    source_key="W400",
                    doi="10.5555/b",
                    authors=[AuthorRef("Mei Tanaka", 0, openalex_id="A9")],
                )
            ]
        )
    )
    import_batch(Batch(merged=[("A9", "A3")]))
    assert Author.objects.get(openalex_id="A9").merged_into == Author.objects.get(openalex_id="A3")
    assert Author.objects.get(openalex_id="A3").works_count == 2


def test_author_records_take_the_persons_own_name_first():
    import_batch(
        Batch(
            authors=[
                AuthorRecord(
                    source="openalex",
                    source_key="A1",
                    openalex_id="A1",
                    orcid=ADA_ORCID,
                    display_name="A. Lindqvist",
                    name_variants=["Ada L."],
                )
            ]
        )
    )
    import_batch(
        Batch(
            authors=[
                AuthorRecord(
                    source="orcid",
                    source_key=ADA_ORCID,
                    orcid=ADA_ORCID,
                    display_name="Ada Lindqvist",
                )
            ]
        )
    )
    ada = Author.objects.get()
    assert ada.display_name == "Ada Lindqvist"
    assert set(ada.name_variants) == {"A. Lindqvist", "Ada L."}


def test_deleted_author_placeholders_are_skipped():
    stats = import_batch(
        Batch(
            authors=[
                AuthorRecord(
                    source="openalex",
                    source_key="A7",
                    openalex_id="A7",
                    display_name="Deleted Author",
                    deleted=True,
                )
            ]
        )
    )
    assert stats.skipped == 1
    assert not Author.objects.exists()


def test_a_batch_that_fails_midway_writes_nothing(monkeypatch):
    import apps.ingest.importer.run as run

    def explode(ids):
        raise RuntimeError("metrics store down")

    monkeypatch.setattr(run, "author_metrics_refresh", explode)
    with pytest.raises(RuntimeError):
        import_batch(Batch(works=[openalex_work(), crossref_work()]))
    assert not Work.objects.exists()
    assert not Author.objects.exists()


def test_an_older_response_replayed_changes_nothing():
    newer = openalex_work(citation_count=12, source_updated="2025-11-06T03:46:38")
    older = openalex_work(citation_count=7, source_updated="2025-06-11T00:03:37")
    import_batch(Batch(works=[newer]))
    stats = import_batch(Batch(works=[older]))
    assert (stats.updated, stats.unchanged) == (0, 1)
    assert Work.objects.get().citation_count == 12


def test_a_newer_response_replaces_what_it_states():
    import_batch(
        Batch(works=[openalex_work(citation_count=7, source_updated="2025-06-11T00:00:00")])
    )
    stats = import_batch(
        Batch(works=[openalex_work(citation_count=12, source_updated="2025-11-06T00:00:00")])
    )
    assert stats.updated == 1
    assert Work.objects.get().citation_count == 12


def test_a_partial_response_never_blanks_a_field():
    import_batch(Batch(works=[openalex_work(source_updated="2025-06-11T00:00:00")]))
    ids_only = WorkRecord(
        source="openalex",
        source_key="W100",
        openalex_id="W100",
        doi="10.5555/shard.1",
        complete_byline=False,
    )  # like `select=ids`
    import_batch(Batch(works=[ids_only]))
    work = Work.objects.get()
    assert (work.abstract, work.citation_count, work.type) == ("OpenAlex abstract.", 7, "article")
    assert work.publication_date == datetime.date(2024, 3, 5)
    assert work.authorships.count() == 3


def test_author_counts_by_year_are_stored_and_kept_when_a_response_has_none():
    counts = [{"year": 2024, "works": 2, "citations": 7}]
    record = AuthorRecord(
        source="openalex", source_key="A1", openalex_id="A1", display_name="Ada Lindqvist"
    )
    import_batch(Batch(authors=[replace(record, counts_by_year=counts)]))
    author = Author.objects.get(openalex_id="A1")
    assert author.counts_by_year == counts
    import_batch(Batch(authors=[record]))  # no counts in this response
    author.refresh_from_db()
    assert author.counts_by_year == counts
    newer = [*counts, {"year": 2025, "works": 1, "citations": 3}]
    import_batch(Batch(authors=[replace(record, counts_by_year=newer)]))
    author.refresh_from_db()
    assert author.counts_by_year == newer

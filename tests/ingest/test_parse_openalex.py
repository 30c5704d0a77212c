"""OpenAlex parser: every field mapping on our fixtures, and every recorded sample parses.

No database, no network. Fixtures: tests/fixtures/openalex/ (our own, synthetic). Samples:
shared/samples/openalex and openalex-snapshot (real recordings; see their SOURCES.md).
"""

from __future__ import annotations

import copy
import datetime
import gzip
import json
from pathlib import Path

import pytest

from apps.ingest.normalized import AuthorRecord, InstitutionRecord, ParseError, WorkRecord
from apps.ingest.parsers import openalex
from tests import samples
from tests.ingest.cassettes import cassette_responses

FIXTURES = samples.fixture_path("openalex")
SAMPLES = samples.SAMPLES
OA_SAMPLES = SAMPLES / "openalex"
SNAPSHOT_SAMPLES = SAMPLES / "openalex-snapshot"

NORTHMOOR = InstitutionRecord(
    name="Northmoor Institute of Technology",
    ror_id="0pe3r1a06",
    openalex_id="I5100000021",
    country_code="NO",
)
SALTMARSH = InstitutionRecord(
    name="Saltmarsh University", ror_id="0pe3r2b04", openalex_id="I5100000022", country_code="GB"
)


def fixture_json(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def only_work(body: bytes | str | dict) -> WorkRecord:
    if isinstance(body, dict):
        body = json.dumps(body)
    batch = openalex.parse(body)
    assert len(batch.works) == 1 and not batch.authors
    return batch.works[0]


def preprint() -> WorkRecord:
    return only_work((FIXTURES / "work-W5100000001-arxiv-preprint.json").read_bytes())


def journal_work() -> WorkRecord:
    return only_work((FIXTURES / "work-W5100000002-journal-arxiv-location.json").read_bytes())


def gunzip_lines(path: Path) -> list[bytes]:
    return gzip.decompress(path.read_bytes()).splitlines()


def snapshot_lines() -> list[bytes]:
    return gunzip_lines(FIXTURES / "snapshot/works/updated_date=2024-03-18/part_000.gz")


def needs_samples() -> None:
    samples.shared_sample()


# Works: identifiers and text ---------------------------------------------------------------------


def keys(record) -> tuple:
    return (record.source, record.source_key, record.openalex_id)


def test_preprint_keys_and_datacite_doi_give_the_arxiv_id():
    work = preprint()
    assert keys(work) == ("openalex", "W5100000001", "W5100000001")
    assert work.doi == "10.48550/arxiv.2403.01234"
    assert work.arxiv_id == "2403.01234"
    assert work.other_ids == {}


def test_preprint_text_type_date_and_counts():
    work = preprint()
    assert work.title == "Consensus Latency in Sparse Gossip Networks"
    assert work.abstract == (
        "We bound the time to consensus in the sparse gossip networks. We simulate it."
    )
    assert work.type == "preprint"
    assert (work.publication_date, work.date_precision) == (datetime.date(2024, 3, 2), "day")
    assert work.citation_count == 4
    assert work.code_url is None


def test_preprint_venue_and_links_come_from_the_primary_location():
    work = preprint()
    assert work.venue.name == "arXiv (Cornell University)"
    assert (work.venue.openalex_id, work.venue.issn_l, work.venue.kind) == (
        "S4306400194",
        "",
        "repository",
    )
    assert work.landing_url == "http://arxiv.org/abs/2403.01234"
    assert work.pdf_url == "https://arxiv.org/pdf/2403.01234"


def test_authorships_keep_list_order_raw_names_and_skip_the_null_author_id():
    authors = preprint().authors
    assert [a.position for a in authors] == [0, 1, 2]
    assert [a.raw_name for a in authors] == [
        "M. Oyelaran-Fitch",
        "Tobiah Quennell",
        "Ilse Varga-Mbeki",
    ]
    assert [a.display_name for a in authors] == [
        "Maren Oyelaran-Fitch",
        "Tobiah Quennell",
        "Ilse Varga-Mbeki",
    ]
    assert [a.openalex_id for a in authors] == ["A5100000011", None, "A5100000012"]
    assert [a.orcid for a in authors] == ["0000-0002-5555-0101", None, "0000-0003-5555-0301"]


def test_authorship_institutions_are_mapped_with_ror_key_and_country():
    authors = preprint().authors
    assert authors[0].institutions == [NORTHMOOR]
    assert authors[1].institutions == []
    assert authors[2].institutions == [SALTMARSH, NORTHMOOR]


def test_topics_come_from_topics_and_never_from_concepts():
    topics = preprint().topics
    assert [(t.name, t.openalex_id, t.code) for t in topics] == [
        ("Distributed systems and fault tolerance", "T10714", None),
        ("Peer-to-peer overlay protocols", "T11520", None),
    ]
    obj = fixture_json("work-W5100000001-arxiv-preprint.json")
    del obj["topics"]
    assert only_work(obj).topics == []


def test_untruncated_byline_is_complete():
    assert preprint().complete_byline is True


def test_journal_work_other_ids_are_bare_and_pmcid_carries_its_prefix():
    work = journal_work()
    assert work.doi == "10.5555/peerage.2024.0042"
    assert work.other_ids == {"mag": "5100000002", "pmid": "39555501", "pmcid": "PMC11555502"}


def test_arxiv_id_is_recovered_from_a_versioned_abs_url_among_the_locations():
    assert journal_work().arxiv_id == "2311.04567"


def test_arxiv_id_is_recovered_from_an_oai_location_id():
    obj = fixture_json("work-W5100000001-arxiv-preprint.json")
    obj["doi"] = obj["ids"]["doi"] = None
    for location in [obj["primary_location"], obj["best_oa_location"], *obj["locations"]]:
        location["landing_page_url"] = location["pdf_url"] = None
    assert only_work(obj).arxiv_id == "2403.01234"


def test_a_work_without_arxiv_traces_has_no_arxiv_id():
    obj = fixture_json("work-W5100000002-journal-arxiv-location.json")
    obj["locations"] = obj["locations"][:2]
    assert only_work(obj).arxiv_id is None


def test_pdf_url_falls_back_to_the_best_oa_location():
    work = journal_work()
    assert work.landing_url == "https://doi.org/10.5555/peerage.2024.0042"
    assert work.pdf_url == "https://europepmc.org/articles/pmc11555502?pdf=render"


def test_title_markup_is_removed_and_entities_decoded():
    assert journal_work().title == "Tidal forcing of Zostera marina seed dispersal & recruitment"


def test_journal_venue_has_issn_l_and_kind():
    venue = journal_work().venue
    assert (venue.name, venue.openalex_id, venue.issn_l, venue.kind) == (
        "Journal of Coastal Seagrass Ecology",
        "S5100000031",
        "5555-0017",
        "journal",
    )


def test_raw_author_name_is_kept_as_printed_and_missing_ror_or_country_stay_empty():
    authors = journal_work().authors
    assert [(a.raw_name, a.display_name) for a in authors] == [
        ("Achterberg, Rosalind", "Rosalind Achterberg"),
        ("K Delacroix-Amponsah", "Kofi Delacroix-Amponsah"),
    ]
    assert authors[1].institutions == [
        InstitutionRecord(name="Harbourside Marine Laboratory", openalex_id="I5100000024")
    ]


def test_an_invalid_orcid_becomes_none():
    obj = fixture_json("work-W5100000002-journal-arxiv-location.json")
    obj["authorships"][0]["author"]["orcid"] = "https://orcid.org/0000-0002-5555-0102"
    assert only_work(obj).authors[0].orcid is None


def test_abstract_null_gives_none():
    assert journal_work().abstract is None


# Works: the edges --------------------------------------------------------------------------------


def test_null_title_work_with_a_doi_is_kept_with_year_precision():
    work = only_work((FIXTURES / "work-W5100000003-null-title.json").read_bytes())
    assert work.title is None
    assert work.doi == "10.5555/peerage.2023.0007"
    assert (work.publication_date, work.date_precision) == (datetime.date(2023, 1, 1), "year")
    assert work.type == "other"  # paratext
    assert work.venue is None
    assert (work.authors, work.complete_byline) == ([], False)


def test_a_work_with_neither_title_nor_identifier_is_skipped():
    obj = {"id": "https://openalex.org/W5100000099", "title": None, "ids": {}, "type": "other"}
    assert openalex.parse_work(obj) is None
    batch = openalex.parse(json.dumps(obj))
    assert (batch.works, batch.skipped) == ([], 1)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"type": "article"}, "article"),
        ({"type": "review"}, "article"),
        ({"type": "journal-article"}, "article"),
        ({"type": "preprint"}, "preprint"),
        ({"type": "posted-content"}, "preprint"),
        ({"type": "book-chapter"}, "book-chapter"),
        ({"type": "book-part"}, "book-chapter"),
        ({"type": "dataset"}, "dataset"),
        ({"type": "proceedings-article"}, "proceedings"),
        ({"type": "article", "type_crossref": "proceedings-article"}, "proceedings"),
        ({"type": "book"}, "other"),
        ({"type": "dissertation"}, "other"),
        ({"type": "paratext"}, "other"),
        ({"type": "grant"}, "other"),
        ({"type": "letter"}, "other"),
        ({}, None),
    ],
)
def test_type_mapping(fields, expected):
    obj = {"id": "W5100000098", "title": "A title", **fields}
    assert openalex.parse_work(obj).type == expected


def test_an_article_in_a_conference_source_is_a_proceedings_paper():
    page = openalex.parse((FIXTURES / "works-page-cursor.json").read_bytes())
    assert page.works[0].type == "proceedings"
    assert page.works[0].venue.kind == "conference"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"publication_date": "2020-02-29", "publication_year": 2020}, ("2020-02-29", "day")),
        ({"publication_date": "2020-02-30", "publication_year": 2020}, ("2020-01-01", "year")),
        ({"publication_date": None, "publication_year": 1999}, ("1999-01-01", "year")),
        ({"publication_date": None, "publication_year": None}, (None, None)),
    ],
)
def test_publication_date_and_precision(fields, expected):
    work = openalex.parse_work({"id": "W5100000098", "title": "A title", **fields})
    date = work.publication_date.isoformat() if work.publication_date else None
    assert (date, work.date_precision) == expected


def test_rebuild_abstract_orders_positions_and_tolerates_junk():
    assert openalex.rebuild_abstract({"world": [1], "Hello": [0], "again": [3]}) == (
        "Hello world again"
    )
    assert openalex.rebuild_abstract({"x": "not a list", "y": [0, "1"]}) == "y"
    assert openalex.rebuild_abstract({}) is None
    assert openalex.rebuild_abstract(None) is None


def test_a_work_result_without_any_id_is_skipped():
    batch = openalex.parse(json.dumps({"meta": {"count": 1}, "results": [{"title": "Orphan"}]}))
    assert (batch.works, batch.skipped, batch.total) == ([], 1, 1)


# Lists -------------------------------------------------------------------------------------------


def test_works_page_gives_cursor_total_works_and_skipped():
    batch = openalex.parse((FIXTURES / "works-page-cursor.json").read_bytes())
    assert batch.next_cursor.startswith("IlsxNzA5MjUx")
    assert batch.total == 57
    assert [w.source_key for w in batch.works] == ["W5100000004", "W5100000005"]
    assert batch.skipped == 1  # W5100000006: no title, no identifier


def test_truncated_authorships_are_not_a_complete_byline():
    conference, dataset = openalex.parse((FIXTURES / "works-page-cursor.json").read_bytes()).works
    assert conference.complete_byline is False
    assert dataset.complete_byline is True


def test_title_whitespace_is_collapsed():
    conference = openalex.parse((FIXTURES / "works-page-cursor.json").read_bytes()).works[0]
    assert conference.title == "Lock-free queues for heterogeneous memory"


def test_an_unresolved_source_keeps_its_raw_name_as_venue():
    dataset = openalex.parse((FIXTURES / "works-page-cursor.json").read_bytes()).works[1]
    assert dataset.type == "dataset"
    assert (dataset.venue.name, dataset.venue.openalex_id) == ("Example Data Repository", None)


def test_authors_page_detects_authors_by_id_letter():
    batch = openalex.parse((FIXTURES / "authors-page.json").read_bytes())
    assert [a.source_key for a in batch.authors] == ["A5100000012", "A4300000099", "A5100000019"]
    assert (batch.works, batch.total, batch.next_cursor) == ([], 3, None)


def test_a_page_of_institutions_is_refused():
    body = {"meta": {"count": 1}, "results": [{"id": "https://openalex.org/I5100000021"}]}
    with pytest.raises(ParseError, match="institution"):
        openalex.parse(json.dumps(body))


# Authors -----------------------------------------------------------------------------------------


def test_author_fields():
    author = openalex.parse((FIXTURES / "author-A5100000011.json").read_bytes()).authors[0]
    assert keys(author) == ("openalex", "A5100000011", "A5100000011")
    assert author.display_name == "Maren Oyelaran-Fitch"
    assert author.orcid == "0000-0002-5555-0101"
    assert author.deleted is False


def test_author_counts_by_year_oldest_first_in_our_names():
    author = openalex.parse_author(fixture_json("author-A5100000011.json"))
    assert author.counts_by_year == [{"year": 2025, "works": 3, "citations": 40}]
    body = fixture_json("author-A5100000011.json")
    body["counts_by_year"] = [
        {"year": 2024, "works_count": 1, "cited_by_count": 314},
        {"works_count": 9},
        {"year": 2023, "works_count": "6", "cited_by_count": None},
    ]
    assert openalex.parse_author(body).counts_by_year == [
        {"year": 2023, "works": 6, "citations": 0},
        {"year": 2024, "works": 1, "citations": 314},
    ]
    del body["counts_by_year"]
    assert openalex.parse_author(body).counts_by_year is None


def test_author_counts_by_year_of_a_recorded_author():
    needs_samples()
    body = json.loads((SAMPLES / "openalex" / "author-A5023888391-jason-priem.json").read_text())
    counts = openalex.parse_author(body).counts_by_year
    assert counts[0] == {"year": 2012, "works": 10, "citations": 98}
    assert counts[-1]["year"] == 2025 and len(counts) == 14


def test_author_name_variants_are_distinct_and_exclude_the_display_name():
    author = openalex.parse_author(fixture_json("author-A5100000011.json"))
    assert author.name_variants == [
        "M. Oyelaran-Fitch",
        "Oyelaran-Fitch, Maren",
        "M Oyelaran Fitch",
    ]


def test_author_other_ids_exclude_openalex_and_orcid_and_are_bare():
    author = openalex.parse_author(fixture_json("author-A5100000011.json"))
    assert author.other_ids == {
        "scopus": "55550001234",
        "twitter": "maren_gossip",
        "wikipedia": "https://en.wikipedia.org/wiki/Maren_Oyelaran-Fitch",
    }


def test_author_institutions_are_the_last_known_ones():
    assert openalex.parse_author(fixture_json("author-A5100000011.json")).institutions == [
        NORTHMOOR
    ]


def test_author_institutions_fall_back_to_affiliations_most_recent_first():
    first = openalex.parse((FIXTURES / "authors-page.json").read_bytes()).authors[0]
    assert first.institutions == [SALTMARSH, NORTHMOOR]
    assert first.name_variants == ["I. Varga-Mbeki"]


def test_older_author_records_use_the_singular_last_known_institution():
    older = openalex.parse((FIXTURES / "authors-page.json").read_bytes()).authors[1]
    assert older.institutions == [
        InstitutionRecord(
            name="Harbourside Marine Laboratory", openalex_id="I5100000024", country_code="NZ"
        )
    ]
    assert older.other_ids == {"mag": "4300000099"}
    assert older.orcid is None


def test_deleted_author_placeholder_is_flagged():
    deleted = openalex.parse((FIXTURES / "authors-page.json").read_bytes()).authors[2]
    assert (deleted.display_name, deleted.deleted) == ("Deleted Author", True)


def test_a_person_with_an_orcid_is_never_a_deleted_placeholder():
    obj = fixture_json("author-A5100000011.json")
    obj["display_name"] = "Deleted Author"
    assert openalex.parse_author(obj).deleted is False


# Snapshot ----------------------------------------------------------------------------------------


def test_snapshot_manifest_matches_the_partition():
    manifest = json.loads((FIXTURES / "snapshot/works/manifest").read_text())
    partition = FIXTURES / "snapshot/works/updated_date=2024-03-18/part_000.gz"
    (entry,) = manifest["entries"]
    assert entry["url"].endswith("works/updated_date=2024-03-18/part_000.gz")
    assert entry["meta"] == {
        "content_length": partition.stat().st_size,
        "record_count": len(snapshot_lines()),
    }


def test_snapshot_lines_give_works_and_none_for_the_unusable_one():
    records = [openalex.parse_snapshot_line(line) for line in snapshot_lines()]
    assert [r.source_key if r else None for r in records] == ["W5100000007", None, "W5100000009"]
    assert records[0].topics[0].openalex_id == "T10447"
    assert records[0].abstract == "Salinity rises."


def test_older_snapshot_shape_maps_crossref_types_and_ignores_concepts():
    old = openalex.parse_snapshot_line(snapshot_lines()[2].decode())
    assert old.type == "article"
    assert old.topics == []
    assert [(a.raw_name, a.openalex_id) for a in old.authors] == [
        ("H. Lindqvist-Oduya", None),
        ("R. Achterberg", "A5100000013"),
    ]
    assert old.other_ids == {"mag": "5100000009", "pmid": "9555503"}


def test_snapshot_line_edge_cases():
    assert openalex.parse_snapshot_line(b"  \n") is None
    author = openalex.parse_snapshot_line(json.dumps(fixture_json("author-A5100000011.json")))
    assert isinstance(author, AuthorRecord)
    with pytest.raises(ParseError, match="institution"):
        openalex.parse_snapshot_line('{"id": "https://openalex.org/I5100000021"}')
    with pytest.raises(ParseError, match="malformed JSON"):
        openalex.parse_snapshot_line('{"id": "W1",')


def test_merged_ids_accept_urls_and_bare_keys():
    text = gzip.decompress(
        (FIXTURES / "snapshot/merged_ids/works/2024-03-18.csv.gz").read_bytes()
    ).decode()
    assert openalex.parse_merged_ids_csv(text) == [
        ("W5100000091", "W5100000007"),
        ("W5100000092", "W5100000007"),
        ("W5100000093", "W5100000009"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("old,new\nA1,A2\n", "header"),
        ("merge_date,id,merge_into_id\n2024-01-01,A1,not-an-id\n", "line 2"),
        ("merge_date,id,merge_into_id\n2024-01-01,A1,W2\n", "merged into"),
    ],
)
def test_merged_ids_reject_bad_files(text, message):
    with pytest.raises(ParseError, match=message):
        openalex.parse_merged_ids_csv(text)


# Bad bodies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"id": "W1", "title": ', "malformed JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b'"just a string"', "expected a JSON object"),
        (b'{"foo": 1}', "not a work, an author or a list page"),
        (b'{"id": "https://openalex.org/S4306400194"}', "source records are not imported"),
        (b'{"meta": {}, "results": {"id": "W1"}}', "not a list"),
        (b'{"meta": {}, "results": ["W1"]}', "not an object"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"error": "Not found.", "message": "No such work."}', "Not found: No such work"),
    ],
)
def test_bad_bodies_raise_one_readable_line(body, message):
    with pytest.raises(ParseError, match=message) as caught:
        openalex.parse(body)
    assert "\n" not in str(caught.value)


def test_parse_work_refuses_another_entity():
    with pytest.raises(ParseError, match="expected a work"):
        openalex.parse_work(fixture_json("author-A5100000011.json"))


def test_parse_accepts_text_as_well_as_bytes():
    body = (FIXTURES / "work-W5100000003-null-title.json").read_text(encoding="utf-8")
    assert only_work(body).source_key == "W5100000003"


# The recorded samples ----------------------------------------------------------------------------


def sample_json_files() -> list[Path]:
    return sorted(OA_SAMPLES.glob("*.json")) if OA_SAMPLES.is_dir() else []


def sample_cassettes() -> list[Path]:
    return sorted(OA_SAMPLES.glob("*.yml")) if OA_SAMPLES.is_dir() else []


def sample_body(name: str, index: int = 0) -> bytes:
    needs_samples()
    return cassette_responses(OA_SAMPLES / name)[index][2]


@pytest.mark.parametrize("path", sample_json_files(), ids=lambda p: p.name)
def test_every_plain_sample_parses(path):
    batch = openalex.parse(path.read_bytes())
    assert batch.works or batch.authors or batch.total is not None


@pytest.mark.parametrize("path", sample_cassettes(), ids=lambda p: p.name)
def test_every_cassette_success_parses_and_every_error_raises(path):
    for status, _headers, body in cassette_responses(path):
        if 200 <= status < 300:
            batch = openalex.parse(body)
            assert batch.works or batch.authors or batch.total is not None
        else:
            with pytest.raises(ParseError, match="OpenAlex error"):
                openalex.parse(body)


def test_sample_files_are_present():
    needs_samples()
    assert len(sample_json_files()) == 5
    assert len(sample_cassettes()) == 6


def test_state_of_oa_sample_has_nine_authors_in_order_and_its_ids():
    needs_samples()
    path = OA_SAMPLES / "work-W2741809807-state-of-oa-doi-pmid-pmcid.json"
    work = only_work(path.read_bytes())
    assert [(a.position, a.raw_name) for a in work.authors] == list(
        enumerate(
            [
                "Heather Piwowar",
                "Jason Priem",
                "Vincent Larivière",
                "Juan Pablo Alperin",
                "Lisa Matthias",
                "Bree Norlander",
                "Ashley Farley",
                "Jevin West",
                "Stefanie Haustein",
            ]
        )
    )
    assert work.doi == "10.7717/peerj.4375"
    assert work.other_ids == {"mag": "2741809807", "pmid": "29456894", "pmcid": "PMC5815332"}
    assert (work.type, work.venue.name, work.venue.issn_l) == ("article", "PeerJ", "2167-8359")
    assert work.authors[1].orcid == "0000-0001-6187-6610"
    assert work.authors[0].institutions[0].ror_id == "05ppvf150"
    assert work.abstract.startswith("Despite growing interest in Open Access (OA)")
    assert work.topics[0].openalex_id == "T10102"
    assert work.complete_byline is True


def test_author_samples_jason_priem_and_the_deleted_author():
    needs_samples()
    priem = openalex.parse((OA_SAMPLES / "author-A5023888391-jason-priem.json").read_bytes())
    (author,) = priem.authors
    assert (author.orcid, author.other_ids) == ("0000-0001-6187-6610", {"scopus": "36455008000"})
    assert author.name_variants == ["Priem Jason"]
    assert [i.name for i in author.institutions] == ["OurResearch"]
    deleted = openalex.parse(
        (OA_SAMPLES / "author-A5317838346-deleted-author.json").read_bytes()
    ).authors[0]
    assert (deleted.source_key, deleted.deleted, deleted.orcid) == ("A5317838346", True, None)


def test_cursor_page_samples_carry_and_end_the_cursor():
    needs_samples()
    first = openalex.parse((OA_SAMPLES / "works-list-cursor-page1-next_cursor.json").read_bytes())
    last = openalex.parse((OA_SAMPLES / "works-list-cursor-page2-end.json").read_bytes())
    assert (len(first.works), first.total) == (2, 2)
    assert first.next_cursor.startswith("IlsxMDAu")
    assert (last.works, last.next_cursor, last.total) == ([], None, 2)


def test_null_title_sample_keeps_its_doi():
    work = only_work(sample_body("vcr-work-W4234567890-null-title-with-ratelimit-headers.yml"))
    assert (work.source_key, work.title, work.doi) == ("W4234567890", None, "10.4018/jnn.20180101")
    assert work.type == "other"
    assert work.authors[0].openalex_id is None  # the authorship's author id is null


def test_or_cursor_sample_recovers_the_arxiv_preprint():
    name = "vcr-works-filter-openalex-OR-cursor-arxiv-preprint.yml"
    works = {w.source_key: w for w in openalex.parse(sample_body(name, 2)).works}
    arxiv = works["W3045921891"]
    assert (arxiv.arxiv_id, arxiv.doi, arxiv.type) == (
        "2007.14454",
        "10.48550/arxiv.2007.14454",
        "preprint",
    )
    assert works["W3046863325"].venue.name.startswith("Proceedings of the ACM/IEEE Joint")
    assert openalex.parse(sample_body(name, 4)).next_cursor is None


def test_select_ids_sample_gives_keyed_works_without_claims_about_the_rest():
    batch = openalex.parse(sample_body("vcr-list-count-api-key-cost-headers.yml"))
    (work,) = batch.works
    assert (work.source_key, work.doi, work.other_ids["pmid"]) == (
        "W2162348455",
        "10.1038/35002501",
        "10706275",
    )
    assert (work.title, work.type, work.complete_byline, batch.total) == (
        None,
        None,
        False,
        145616,
    )


def test_snowball_sample_holds_48_results_and_a_31_author_byline():
    needs_samples()
    responses = cassette_responses(OA_SAMPLES / "vcr-works-snowball-cites-cited_by-38-works.yml")
    works = [w for _, _, body in responses for w in openalex.parse(body).works]
    assert len(works) == 48
    assert len({w.source_key for w in works}) == 45
    big = next(w for w in works if w.source_key == "W2525778437")
    assert [a.position for a in big.authors] == list(range(31))


def test_snapshot_sample_works_partition_parses_line_by_line():
    needs_samples()
    partition = SNAPSHOT_SAMPLES / "works/updated_date=2023-05-16/part_000.gz"
    records = [openalex.parse_snapshot_line(line) for line in gunzip_lines(partition)]
    assert len(records) == 27
    assert all(isinstance(r, WorkRecord) and r.doi for r in records)
    assert sum(r.title is None for r in records) == 16  # grants without titles, kept by DOI
    assert {r.type for r in records} == {"article", "other"}


def test_snapshot_sample_authors_partition_uses_the_old_singular_institution():
    needs_samples()
    partition = SNAPSHOT_SAMPLES / "authors/updated_date=2023-04-21/part_000.gz"
    (author,) = [openalex.parse_snapshot_line(line) for line in gunzip_lines(partition)]
    assert (author.source_key, author.display_name) == ("A4347464006", "Lucero Molina")
    assert [(i.name, i.ror_id) for i in author.institutions] == [
        ("Stony Brook University", "05qghxh33")
    ]


def test_snapshot_sample_merged_ids():
    needs_samples()
    folder = SNAPSHOT_SAMPLES / "merged_ids/authors"
    parsed = {
        path.name: openalex.parse_merged_ids_csv(gzip.decompress(path.read_bytes()).decode())
        for path in sorted(folder.glob("*.csv.gz"))
    }
    assert parsed["2022-08-03.csv.gz"] == [("A3007116629", "A2090344885")]
    assert len(parsed["2023-04-13.csv.gz"]) == 4
    assert {new for _, new in parsed["2023-04-13.csv.gz"]} == {"A4317838346"}


def test_parsing_never_mutates_the_input():
    obj = fixture_json("work-W5100000002-journal-arxiv-location.json")
    before = copy.deepcopy(obj)
    openalex.parse_work(obj)
    assert obj == before

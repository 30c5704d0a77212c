"""The ORCID parser: our own v3.0 fixtures field by field, then every recorded sample body.

No database and no network: bodies are files under tests/fixtures/orcid and shared/samples.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from pathlib import Path

import pytest

from apps.ingest.normalized import AuthorRef, InstitutionRecord, ParseError, VenueRecord
from apps.ingest.parsers import orcid
from tests import samples
from tests.ingest.cassettes import cassette_responses

OWNER = "0000-0003-1415-9269"
WORK_TYPES = {"preprint", "article", "proceedings", "book-chapter", "dataset", "other"}
FIXTURES = samples.fixture_path("orcid")
SAMPLES = samples.SAMPLES / "orcid"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> dict:
    return json.loads(fixture_bytes(name))


def sample_path(name: str) -> Path:
    return samples.shared_sample("orcid", name)


def owner_only(name: str | None = None) -> list[AuthorRef]:
    return [AuthorRef(raw_name=name or "", position=None, orcid=OWNER, display_name=name)]


def one_group_body(**summary_fields) -> dict:
    """A /works body with one single-summary group, for mapping tests."""
    summary = {
        "put-code": 1,
        "title": {"title": {"value": "A title"}},
        "type": "journal-article",
        "publication-date": None,
        "path": f"/{OWNER}/work/1",
        "display-index": "0",
    }
    summary.update(summary_fields)
    group = {"external-ids": {"external-id": []}, "work-summary": [summary]}
    return {"group": [group], "path": f"/{OWNER}/works"}


def external_id(kind: str, value: str, relationship: str = "self") -> dict:
    return {
        "external-id-type": kind,
        "external-id-value": value,
        "external-id-relationship": relationship,
    }


# /works on our fixture ---------------------------------------------------------------------


@pytest.fixture
def works():
    return orcid.parse(fixture_bytes(f"works-{OWNER}.json"))


def test_works_body_gives_one_record_per_group_and_no_author_record(works):
    assert [w.source_key for w in works.works] == ["9100002", "9100003", "9100004"]
    assert works.authors == []
    assert works.skipped == 0
    assert works.total is None
    assert works.next_cursor is None


def test_every_work_names_only_the_owner_without_a_name_from_a_works_body(works):
    for work in works.works:
        assert work.source == "orcid"
        assert work.authors == owner_only()
        assert work.complete_byline is False
        assert work.citation_count is None
        assert work.topics == []
        assert work.abstract is None
        assert work.openalex_id is None


def test_group_takes_every_field_from_the_owners_preferred_summary(works):
    work = works.works[0]
    # The owner's summary has the higher display-index: its put-code, title and date win.
    assert work.source_key == "9100002"
    assert work.title == "Tidal memory in synthetic estuaries: a model comparison"
    assert work.publication_date == datetime.date(2021, 6, 1)
    assert work.date_precision == "month"
    assert work.type == "article"
    # It has no journal or url, and they stay empty: the Crossref summary's are another
    # version's, and one work never mixes versions (issue 22, F7). Crossref itself, imported
    # as a source, supplies its own.
    assert work.venue is None
    assert work.landing_url is None


def test_group_identifiers_are_normalised_and_part_of_ids_dropped(works):
    work = works.works[0]
    assert work.doi == "10.5555/peerage.2021.0042"
    assert work.arxiv_id is None
    assert work.other_ids == {"pmid": "30000001"}  # the journal's part-of ISSN is not the work


def test_version_of_doi_is_kept_apart_and_invalid_self_doi_dropped(works):
    work = works.works[1]
    assert work.source_key == "9100003"
    assert work.arxiv_id == "2101.01234"
    assert work.doi is None  # "not available" is dropped, the journal version is not this work
    assert work.other_ids == {"version-of:doi": "10.5555/peerage.2022.0117"}
    dated = (work.publication_date, work.date_precision)
    assert (work.type, work.title, dated) == (
        "preprint",
        "Estuaries that remember",
        (datetime.date(2021, 1, 1), "year"),
    )
    assert work.venue == VenueRecord(name="arXiv")
    assert work.landing_url == "https://arxiv.org/abs/2101.01234"


def test_arxiv_datacite_doi_also_gives_the_arxiv_id(works):
    work = works.works[2]
    assert work.doi == "10.48550/arxiv.2203.04567"
    assert work.arxiv_id == "2203.04567"
    assert work.other_ids == {"pmcid": "PMC9000001"}
    assert work.type == "proceedings"
    assert work.title == "Brackish Benchmarks: A Shared Task"  # subtitle joined, translation not
    assert work.publication_date is None
    assert work.date_precision is None
    assert work.landing_url is None
    assert work.venue == VenueRecord(name="Proceedings of the Synthetic Workshop on Brackish Water")


@pytest.mark.parametrize(
    ("orcid_type", "work_type"),
    [
        ("journal-article", "article"),
        ("conference-paper", "proceedings"),
        ("book-chapter", "book-chapter"),
        ("preprint", "preprint"),
        ("data-set", "dataset"),
        ("working-paper", "other"),
        ("book", "other"),
        ("conference-abstract", "other"),
        ("software", "other"),
        (None, "other"),
    ],
)
def test_work_types_map_to_ours(orcid_type, work_type):
    batch = orcid.parse(json.dumps(one_group_body(type=orcid_type)))
    assert batch.works[0].type == work_type


@pytest.mark.parametrize(
    ("parts", "expected", "precision"),
    [
        ({"year": "2020"}, datetime.date(2020, 1, 1), "year"),
        ({"year": "2020", "month": "07"}, datetime.date(2020, 7, 1), "month"),
        ({"year": "2020", "month": "07", "day": "09"}, datetime.date(2020, 7, 9), "day"),
        ({"year": "2021", "month": "02", "day": "30"}, datetime.date(2021, 2, 1), "month"),
        ({"year": "2021", "month": "13"}, datetime.date(2021, 1, 1), "year"),
        ({"month": "05"}, None, None),
        ({"year": "soon"}, None, None),
    ],
)
def test_partial_publication_dates_keep_their_precision(parts, expected, precision):
    date = {key: {"value": value} for key, value in parts.items()}
    work = orcid.parse(json.dumps(one_group_body(**{"publication-date": date}))).works[0]
    assert (work.publication_date, work.date_precision) == (expected, precision)


def test_version_of_arxiv_id_and_unknown_relationships():
    body = one_group_body(
        **{
            "external-ids": {
                "external-id": [
                    external_id("arxiv", "arXiv:2101.01234v1", "version-of"),
                    external_id("doi", "10.5555/peerage.funder", "funded-by"),
                    external_id("wosuid", "WOS:000000000000001"),
                ]
            }
        }
    )
    work = orcid.parse(json.dumps(body)).works[0]
    assert (work.doi, work.arxiv_id) == (None, None)
    assert work.other_ids == {"version-of:arxiv": "2101.01234", "wosuid": "WOS:000000000000001"}


def test_group_with_no_title_and_no_identifier_is_skipped():
    body = one_group_body(title=None)
    batch = orcid.parse(json.dumps(body))
    assert batch.works == []
    assert batch.skipped == 1


def test_display_index_tie_goes_to_the_owners_own_summary():
    body = one_group_body()
    crossref = body["group"][0]["work-summary"][0]
    crossref["source"] = {"source-client-id": {"path": "0000-0001-9884-1913"}}
    own = copy.deepcopy(crossref) | {"put-code": 2, "title": {"title": {"value": "Mine"}}}
    own["source"] = {"source-orcid": {"path": OWNER}}
    body["group"][0]["work-summary"].append(own)
    assert orcid.parse(json.dumps(body)).works[0].source_key == "2"


# /person, /employments and /record on our fixtures -----------------------------------------


def test_person_gives_the_author_with_names_and_ids():
    batch = orcid.parse(fixture_bytes(f"person-{OWNER}.json"))
    assert batch.works == []
    (author,) = batch.authors
    assert author.source == "orcid"
    assert author.source_key == OWNER
    assert author.orcid == OWNER
    assert author.display_name == "I. Marrowgate"
    assert author.name_variants == [
        "Ilse Marrowgate",
        "Ilse M. Marrowgate",
        "Ilse Vance-Marrowgate",
    ]
    assert author.other_ids == {"Scopus Author ID": "99000000001", "ResearcherID": "Z-9999-2099"}
    assert author.institutions == []
    assert author.openalex_id is None
    assert author.deleted is False


def test_person_without_credit_name_is_shown_as_given_and_family_name():
    body = fixture_json(f"person-{OWNER}.json")
    body["name"]["credit-name"] = None
    (author,) = orcid.parse(json.dumps(body)).authors
    assert author.display_name == "Ilse Marrowgate"
    assert author.name_variants == ["Ilse M. Marrowgate", "Ilse Vance-Marrowgate"]


def test_employments_are_most_recent_first_one_per_organisation():
    (author,) = orcid.parse(fixture_bytes(f"employments-{OWNER}.json")).authors
    assert author.orcid == OWNER
    assert author.display_name is None  # the employments section says nothing about names
    assert author.institutions == [
        InstitutionRecord(name="Synthetic Observatory", ror_id=None, country_code="DE"),
        InstitutionRecord(
            name="Institute for Imaginary Data", ror_id="01mag1n55", country_code="NL"
        ),
        InstitutionRecord(
            name="University of Synthetic Studies", ror_id="05ynth116", country_code="GB"
        ),
    ]


def test_only_a_well_formed_ror_from_ror_disambiguation_is_kept():
    body = fixture_json(f"employments-{OWNER}.json")
    org = body["affiliation-group"][0]["summaries"][0]["employment-summary"]["organization"]
    org["disambiguated-organization"]["disambiguated-organization-identifier"] = "05ynth117"
    (author,) = orcid.parse(json.dumps(body)).authors
    assert author.institutions[1] == InstitutionRecord(
        name="Institute for Imaginary Data", ror_id=None, country_code="NL"
    )


def test_record_fixture_gives_the_author_and_no_works():
    batch = orcid.parse(fixture_bytes(f"record-{OWNER}.json"))
    assert batch.works == []
    (author,) = batch.authors
    assert (author.orcid, author.display_name) == (OWNER, "I. Marrowgate")
    assert author.name_variants == ["Ilse Marrowgate"]
    assert author.institutions == []


def test_record_names_the_owner_on_its_works_and_reads_its_employments():
    record = fixture_json(f"record-{OWNER}.json")
    record["activities-summary"]["works"] = fixture_json(f"works-{OWNER}.json")
    record["activities-summary"]["employments"] = fixture_json(f"employments-{OWNER}.json")
    batch = orcid.parse(json.dumps(record))
    assert len(batch.works) == 3
    assert all(work.authors == owner_only("I. Marrowgate") for work in batch.works)
    (author,) = batch.authors
    assert author.institutions[0].name == "Synthetic Observatory"


def test_str_and_bytes_bodies_parse_alike():
    text = (FIXTURES / f"works-{OWNER}.json").read_text(encoding="utf-8")
    assert orcid.parse(text) == orcid.parse(text.encode("utf-8"))


# Errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "ORCID: body is not JSON"),
        (b"\xff\xfe\x00", "ORCID: body is not JSON"),
        (b"[]", "ORCID: expected a JSON object, got list"),
        (b'{"hello": "world"}', "ORCID: unrecognised body"),
        (b'{"group": [], "path": "/not-an-orcid/works"}', "ORCID: 'not-an-orcid' is not"),
        (b'{"group": []}', "ORCID: no ORCID iD in the works body"),
        (b'{"error": "invalid_token", "error_description": "Invalid access token"}', "ORCID error"),
    ],
)
def test_bodies_that_are_not_orcid_records_raise_parse_error(body, message):
    with pytest.raises(ParseError, match="^" + re.escape(message)):
        orcid.parse(body)


def test_educations_share_the_affiliation_shape_but_are_refused():
    body = {"affiliation-group": [], "path": f"/{OWNER}/educations"}
    with pytest.raises(ParseError, match="only the employments section"):
        orcid.parse(json.dumps(body))


def test_parse_error_messages_are_one_line():
    body = {"response-code": 500, "developer-message": "line one\n  line two"}
    with pytest.raises(ParseError) as raised:
        orcid.parse(json.dumps(body))
    assert str(raised.value) == "ORCID error 500: line one line two"


# Recorded samples (shared/samples/orcid) ---------------------------------------------------

PLAIN_SAMPLES = [
    "works-v3.0-json-sandbox-0000-0003-4997-3076.json",
    "record-v3.0-json-sandbox-0000-0003-4997-3076.json",
    "orcid-model-record-full-3.0.json",
]
CASSETTES = [
    "vcr-rorcid-person-and-works-v3.0-production-111-groups.yml",
    "vcr-rorcid-person-and-works-v3.0-mixed-external-ids.yml",
    "vcr-rorcid-single-work-put-code-v3.0.yml",
    "vcr-rorcid-person-404-invalid-orcid.yml",
]


def cassette_bodies(name: str, *, ok: bool) -> list[bytes]:
    responses = cassette_responses(sample_path(name))
    return [body for status, _, body in responses if (200 <= status < 300) == ok]


@pytest.mark.parametrize("name", PLAIN_SAMPLES)
def test_every_plain_v3_sample_parses(name):
    batch = orcid.parse(sample_path(name).read_bytes())
    assert batch.works or batch.authors
    for work in batch.works:
        assert work.source_key.isdigit()
        assert work.type in WORK_TYPES


@pytest.mark.parametrize("name", CASSETTES)
def test_every_2xx_body_in_the_cassettes_parses(name):
    for body in cassette_bodies(name, ok=True):
        batch = orcid.parse(body)
        assert all(author.orcid for author in batch.authors)


def test_sandbox_works_group_with_two_sources_is_one_work():
    batch = orcid.parse(
        sample_path("works-v3.0-json-sandbox-0000-0003-4997-3076.json").read_bytes()
    )
    assert len(batch.works) == 6  # 6 groups, 7 summaries
    (shared,) = [w for w in batch.works if w.doi == "10.25982/1668075"]
    assert shared.source_key == "1489307"  # the owner's own summary, display-index 1
    assert shared.title == "KBase Educators Overview"
    assert shared.type == "dataset"
    # Test-data DOIs ("book1", "123", "foo") are dropped; those works are kept by title.
    assert sorted(w.title for w in batch.works if w.doi is None) == [
        "Some Data Set, yo, bro, whoa",
        "Test Publication",  # identified by an other-id only
        "book1x",
        "foo",
    ]
    assert batch.works[0].other_ids == {"other-id": "67335/259/"}


def test_sandbox_record_gives_author_with_employments_and_named_works():
    path = sample_path("record-v3.0-json-sandbox-0000-0003-4997-3076.json")
    batch = orcid.parse(path.read_bytes())
    (author,) = batch.authors
    assert author.orcid == "0000-0003-4997-3076"
    assert author.display_name == "Erik A Pearson"
    assert [i.name for i in author.institutions] == [
        "Lawrence Berkeley National Laboratory",  # ongoing
        "Test Innovations",  # ended 2022
    ]
    assert author.institutions[0].country_code == "US"
    assert author.institutions[0].ror_id is None  # disambiguated by FundRef, not ROR
    assert len(batch.works) == 6
    assert batch.works[0].authors[0].raw_name == "Erik A Pearson"


def test_full_record_schema_sample_keeps_version_of_doi_out_of_doi():
    batch = orcid.parse(sample_path("orcid-model-record-full-3.0.json").read_bytes())
    (work,) = batch.works
    assert work.doi is None  # its only "self" DOI is the placeholder "work:doi"
    assert work.other_ids == {"version-of:doi": "10.1087/20120404"}
    assert batch.authors[0].other_ids == {"My ID System": "A-0003"}


def test_production_cassette_has_111_works_and_an_empty_works_list():
    works_bodies = [
        orcid.parse(body)
        for body in cassette_bodies(CASSETTES[0], ok=True)
        if b'"group"' in body[:200]
    ]
    assert [len(batch.works) for batch in works_bodies] == [0, 111]
    assert {w.authors[0].orcid for w in works_bodies[1].works} == {"0000-0003-1444-9135"}


def test_production_person_body_gives_credit_name_and_scopus_id():
    people = [orcid.parse(body).authors for body in cassette_bodies(CASSETTES[0], ok=True)]
    people = [authors[0] for authors in people if authors]
    scott = next(a for a in people if a.orcid == "0000-0003-1444-9135")
    assert scott.display_name == "Scott A Chamberlain"
    assert scott.name_variants == ["Scott Chamberlain"]
    assert scott.other_ids == {"Scopus Author ID": "16229564500"}


def test_mixed_external_ids_cassette_yields_pmids_and_pmcids():
    bodies = cassette_bodies(CASSETTES[1], ok=True)
    works = [w for body in bodies for w in orcid.parse(body).works]
    assert len(works) == 74
    assert sum(1 for w in works if "pmid" in w.other_ids) == 40
    assert sum(1 for w in works if "pmcid" in w.other_ids) == 19
    pmcids = [w.other_ids["pmcid"] for w in works if "pmcid" in w.other_ids]
    assert all(pmcid.startswith("PMC") for pmcid in pmcids)


def test_single_work_by_put_code():
    (body,) = cassette_bodies(CASSETTES[2], ok=True)
    (work,) = orcid.parse(body).works
    assert work.source_key == "40038622"
    assert work.title == "Introducing an R package for luminescence dating analysis"
    assert (work.publication_date, work.date_precision) == (datetime.date(2012, 1, 1), "year")
    assert work.authors == [AuthorRef(raw_name="", position=None, orcid="0000-0002-0734-2199")]


def test_404_error_body_raises_parse_error():
    (body,) = cassette_bodies(CASSETTES[3], ok=False)
    with pytest.raises(ParseError, match=r"^ORCID error 404: .*asdfadf not found"):
        orcid.parse(body)


def test_v2_record_with_upper_case_enums_is_refused():
    body = sample_path("django-allauth-orcid-test-mocked-record.json").read_bytes()
    with pytest.raises(ParseError, match=r"v2\.x"):
        orcid.parse(body)

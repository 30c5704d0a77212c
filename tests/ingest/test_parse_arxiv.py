"""The arXiv parser: our own Atom fixtures field by field, then every recorded sample feed.

No database and no network: bodies are files under tests/fixtures/arxiv and shared/samples.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from apps.ingest.normalized import InstitutionRecord, ParseError, TopicRecord, VenueRecord
from apps.ingest.parsers import arxiv
from tests import samples

FIXTURES = samples.fixture_path("arxiv")
SAMPLES = samples.SAMPLES / "arxiv"
REPOSITORY = VenueRecord(name="arXiv", kind="repository")


def sample_path(name: str) -> Path:
    return samples.shared_sample("arxiv", name)


def recorded(name: str) -> tuple[int, bytes]:
    """(status, body) of an arxiv.py fixture: its recorder stored the bytes as latin-1 text."""
    data = json.loads(sample_path(name).read_bytes())
    return data["status_code"], data["body"].encode("latin-1")


def feed(*entries: str, total: str = "1") -> bytes:
    """A minimal Atom feed around the given entry markup."""
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<opensearch:totalResults>{total}</opensearch:totalResults>{''.join(entries)}</feed>"
    ).encode()


# Our fixture: two entries ------------------------------------------------------------------


@pytest.fixture
def batch():
    return arxiv.parse((FIXTURES / "query-two-entries.atom.xml").read_bytes())


def test_feed_total_and_entries(batch):
    assert batch.total == 7
    assert [w.source_key for w in batch.works] == ["2301.04567", "cond-mat/0102536"]
    assert batch.authors == []
    assert batch.skipped == 0
    assert batch.next_cursor is None


def test_new_style_entry_maps_every_field(batch):
    work = batch.works[0]
    assert work.source == "arxiv"
    assert work.arxiv_id == "2301.04567"  # the v3 in <id> is dropped
    assert work.title == "Tidal Memory in Synthetic Estuaries: A Model Comparison"
    assert work.abstract == (
        "We compare three imaginary models of tidal memory in estuaries that do not exist. "
        "Salinity <35 throughout; results hold & generalise."
    )
    assert work.type == "preprint"
    assert work.publication_date == datetime.date(2023, 1, 11)  # <published>, not <updated>
    assert work.date_precision == "day"
    assert work.doi == "10.5555/peerage.2023.0007"  # the journal DOI, lower-cased
    assert work.landing_url == "https://arxiv.org/abs/2301.04567"
    assert work.pdf_url == "https://arxiv.org/pdf/2301.04567v3"
    assert work.venue == VenueRecord(name="J. Imaginary Hydrology 12 (2023) 101-117")
    assert work.code_url is None  # the comment's GitHub link is not taken as the code
    assert work.other_ids == {}
    assert work.openalex_id is None
    assert work.citation_count is None
    assert work.complete_byline is True


def test_authors_in_byline_order_with_their_affiliations(batch):
    first, second = batch.works[0].authors
    assert (first.raw_name, first.position, first.orcid) == ("Ilse Marrowgate", 0, None)
    assert first.institutions == [
        InstitutionRecord(name="Institute for Imaginary Data"),
        InstitutionRecord(name="University of Synthetic Studies"),
    ]
    assert (second.raw_name, second.position, second.institutions) == ("Tomas Quillfeather", 1, [])


def test_primary_category_comes_first_with_official_names(batch):
    assert batch.works[0].topics == [
        TopicRecord(name="Atmospheric and Oceanic Physics", code="physics.ao-ph"),
        TopicRecord(name="Information Retrieval", code="cs.IR"),
        TopicRecord(name="Machine Learning", code="stat.ML"),
    ]


def test_old_style_entry_without_journal_is_an_arxiv_preprint(batch):
    work = batch.works[1]
    assert work.arxiv_id == "cond-mat/0102536"
    assert work.doi is None  # no DataCite 10.48550 DOI is made up
    assert work.venue == REPOSITORY
    assert work.landing_url == "https://arxiv.org/abs/cond-mat/0102536"
    assert work.publication_date == datetime.date(2001, 2, 28)
    assert [a.raw_name for a in work.authors] == ["Wren Oddlestone"]
    # The MSC code 82B20 is listed as a category but is not an arXiv category.
    assert work.topics == [
        TopicRecord(name="Statistical Mechanics", code="cond-mat.stat-mech"),
        TopicRecord(name="Cellular Automata and Lattice Gases", code="nlin.CG"),
    ]


def test_error_feed_raises_with_arxivs_message():
    body = (FIXTURES / "error-bad-start.atom.xml").read_bytes()
    with pytest.raises(ParseError, match=r"^arXiv: start must be a non-negative integer$"):
        arxiv.parse(body)


# Edge cases on small feeds -----------------------------------------------------------------


def test_unknown_category_keeps_its_code_as_name():
    entry = (
        "<entry><id>http://arxiv.org/abs/2402.00001v1</id><title>T</title>"
        '<arxiv:primary_category term="cs.XX"/><category term="cs.XX"/>'
        '<category term="I.2.6"/></entry>'
    )
    (work,) = arxiv.parse(feed(entry)).works
    assert work.topics == [TopicRecord(name="cs.XX", code="cs.XX")]
    assert work.publication_date is None
    assert work.date_precision is None
    assert work.pdf_url is None


def test_entry_without_a_usable_id_is_skipped():
    entries = (
        "<entry><id>http://arxiv.org/abs/not-an-id</id><title>Broken</title></entry>",
        "<entry><id>http://arxiv.org/abs/2402.00001</id><title>Fine</title></entry>",
    )
    batch = arxiv.parse(feed(*entries, total="2"))
    assert [w.source_key for w in batch.works] == ["2402.00001"]
    assert batch.skipped == 1


def test_first_well_formed_doi_is_taken_from_a_doi_list():
    entry = (
        "<entry><id>http://arxiv.org/abs/2402.00001v1</id><title>T</title>"
        "<arxiv:doi>not-a-doi 10.5555/PEERAGE.X 10.5555/peerage.y</arxiv:doi></entry>"
    )
    assert arxiv.parse(feed(entry)).works[0].doi == "10.5555/peerage.x"


def test_str_and_bytes_bodies_parse_alike():
    text = (FIXTURES / "query-two-entries.atom.xml").read_text(encoding="utf-8")
    assert arxiv.parse(text) == arxiv.parse(text.encode("utf-8"))


def test_category_names_cover_every_group():
    prefixes = ("cs.", "stat.", "math.", "eess.", "q-bio.", "q-fin.", "econ.", "physics.")
    for prefix in (*prefixes, "astro-ph.", "cond-mat.", "nlin."):
        assert any(code.startswith(prefix) for code in arxiv.ARXIV_CATEGORY_NAMES), prefix
    assert arxiv.ARXIV_CATEGORY_NAMES["cs.DC"] == "Distributed, Parallel, and Cluster Computing"
    assert len([c for c in arxiv.ARXIV_CATEGORY_NAMES if c.startswith("cs.")]) == 40


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<feed", "^arXiv: malformed XML"),
        (b"", "^arXiv: malformed XML"),
        (b"<html><body>Service unavailable</body></html>", "^arXiv: expected an Atom feed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&a;</title></feed>',
            "^arXiv: body has a DOCTYPE",
        ),
    ],
)
def test_bodies_that_are_not_arxiv_feeds_raise_parse_error(body, message):
    with pytest.raises(ParseError, match=message):
        arxiv.parse(body)


# Recorded samples (shared/samples/arxiv) ---------------------------------------------------

ATOM_SAMPLES = [
    "id_list-0000.0000-zero-results.atom.xml",
    "id_list-2104.12255v1-versioned-title-0.atom.xml",
    "id_list-astro-ph-0601001-old-style-id.atom.xml",
    "id_list-two-ids-one-missing.atom.xml",
    "query-all-testing-start0-max10.atom.xml",
    "query-all-testing-start10-max10.atom.xml",
]
RECORDED = [
    "arxivpy-fixture-id_list-0000.0000-zero-results.json",
    "arxivpy-fixture-id_list-2104.12255v1-versioned-title-0.json",
    "arxivpy-fixture-id_list-abc-error-400.json",
    "arxivpy-fixture-id_list-astro-ph-0601001-old-style-id.json",
    "arxivpy-fixture-id_list-two-ids-one-missing.json",
    "arxivpy-fixture-query-all-testing-start0-max10.json",
    "arxivpy-fixture-query-all-testing-start10-max10.json",
]


def sample(name: str):
    return arxiv.parse(sample_path(name).read_bytes())


@pytest.mark.parametrize("name", ATOM_SAMPLES)
def test_every_atom_sample_parses(name):
    batch = sample(name)
    assert batch.total is not None
    assert batch.skipped == 0
    for work in batch.works:
        assert work.arxiv_id == work.source_key
        assert work.title
        assert work.authors
        assert work.topics


@pytest.mark.parametrize("name", RECORDED)
def test_every_recorded_response_parses_or_raises_by_status(name):
    status, body = recorded(name)
    if status == 200:
        assert arxiv.parse(body).total is not None
    else:
        with pytest.raises(ParseError, match=r"^arXiv: "):
            arxiv.parse(body)


def test_recorded_wrappers_hold_the_same_feeds_as_the_atom_files():
    for atom, wrapper in zip(ATOM_SAMPLES, [r for r in RECORDED if "error" not in r], strict=True):
        assert arxiv.parse(recorded(wrapper)[1]) == sample(atom)


def test_zero_results_feed_is_an_empty_batch():
    batch = sample("id_list-0000.0000-zero-results.atom.xml")
    assert (batch.total, batch.works) == (0, [])


def test_versioned_id_is_stored_without_version_and_title_zero_is_kept():
    (work,) = sample("id_list-2104.12255v1-versioned-title-0.atom.xml").works
    assert work.source_key == "2104.12255"
    assert work.title == "0"
    assert work.topics == [TopicRecord(name="Cryptography and Security", code="cs.CR")]


def test_old_style_id_with_affiliations_and_journal_ref():
    (work,) = sample("id_list-astro-ph-0601001-old-style-id.atom.xml").works
    assert work.arxiv_id == "astro-ph/0601001"
    assert work.venue == VenueRecord(name="ActaAstron.56:1-50,2006")
    assert [a.institutions[0].name for a in work.authors] == [
        "Ohio State",
        "Ohio State",
        "CfA",
        "Warsaw University Observatory",
    ]
    assert work.topics == [TopicRecord(name="Astrophysics", code="astro-ph")]


def test_missing_id_in_an_id_list_is_silently_absent():
    batch = sample("id_list-two-ids-one-missing.atom.xml")
    assert [w.arxiv_id for w in batch.works] == ["1707.08567"]


def test_query_page_has_journal_dois_lower_cased():
    batch = sample("query-all-testing-start0-max10.atom.xml")
    assert (batch.total, len(batch.works)) == (214881, 10)
    first = batch.works[0]
    assert first.arxiv_id == "2202.12139"
    assert first.doi == "10.1109/icstw55395.2022.00035"
    assert sum(1 for w in batch.works if w.doi) == 6
    assert sum(1 for w in batch.works if w.venue == REPOSITORY) == 4


def test_arxiv_400_error_feed_raises():
    with pytest.raises(ParseError, match=r"^arXiv: incorrect id format for abc$"):
        sample("id_list-abc-error-400.atom.xml")

"""Crossref parser: every field mapping on our fixtures, and every recorded sample parses.

No database, no network. Fixtures: tests/fixtures/crossref/ (our own, synthetic). Samples:
shared/samples/crossref (habanero recordings; see SOURCES.md).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from apps.ingest.normalized import InstitutionRecord, ParseError, WorkRecord
from apps.ingest.parsers import crossref
from tests import samples
from tests.ingest.cassettes import cassette_responses

FIXTURES = samples.fixture_path("crossref")
SAMPLES = samples.SAMPLES
CR_SAMPLES = SAMPLES / "crossref"


def fixture_json(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def article() -> WorkRecord:
    batch = crossref.parse((FIXTURES / "work-10.5555-peerage.2024.0101.json").read_bytes())
    assert (len(batch.works), batch.skipped, batch.next_cursor, batch.total) == (1, 0, None, None)
    return batch.works[0]


def listed() -> list[WorkRecord]:
    return crossref.parse((FIXTURES / "works-orcid-cursor.json").read_bytes()).works


def work_from(**fields) -> WorkRecord | None:
    return crossref.parse_work({"DOI": "10.5555/peerage.test.1", **fields})


def needs_samples() -> None:
    samples.shared_sample()


# A journal article ------------------------------------------------------------------------------


def test_article_keys():
    work = article()
    assert (work.source, work.source_key, work.doi) == (
        "crossref",
        "10.5555/peerage.2024.0101",
        "10.5555/peerage.2024.0101",
    )
    assert (work.arxiv_id, work.openalex_id, work.other_ids) == (None, None, {})


def test_article_title_loses_markup_and_extra_whitespace():
    assert article().title == "Seed-raft retention in Zostera marina meadows under shifting tides"


def test_jats_abstract_becomes_paragraphs_without_the_abstract_heading():
    assert article().abstract == (
        "Background\n\n"
        "Seed rafts of Zostera marina drift with the ebb tide; retention was <40 % in "
        "exposed bays.\n\n"
        "Results\n\n"
        "Recruitment rose with CO2 enrichment & shelter."
    )


def test_article_type_date_venue_links_and_count():
    work = article()
    assert work.type == "article"
    assert (work.publication_date, work.date_precision) == (datetime.date(2024, 2, 29), "day")
    assert (work.venue.name, work.venue.issn_l, work.venue.kind, work.venue.openalex_id) == (
        "Journal of Coastal Seagrass Ecology",
        "5555-0017",
        "journal",
        None,
    )
    assert work.landing_url == "https://press.example.org/jcse/article/0101"
    assert (work.pdf_url, work.code_url) == (None, None)
    assert work.citation_count == 6


def test_authors_in_list_order_with_names_orcids_and_affiliations():
    authors = article().authors
    assert [(a.position, a.raw_name) for a in authors] == [
        (0, "Rosalind Achterberg"),
        (1, "Kofi Delacroix-Amponsah Jr."),
        (2, "Ilse Varga-Mbeki"),
        (3, "Coastal Seed Bank Consortium"),  # an organisation: `name`
    ]
    assert [a.orcid for a in authors] == ["0000-0002-5555-0208", None, "0000-0003-5555-0301", None]
    assert {a.openalex_id for a in authors} | {a.display_name for a in authors} == {None}
    assert authors[0].institutions == [
        InstitutionRecord(name="Wadden Coast Research Station", ror_id="0pe3r3c02")
    ]
    assert [i.name for i in authors[1].institutions] == [
        "Harbourside Marine Laboratory",
        "Saltmarsh University",
    ]


def test_editors_are_not_authors_and_subjects_are_not_topics():
    work = article()
    assert "Anneliese Okonkwo-Ruiz" not in [a.raw_name for a in work.authors]
    assert work.topics == []
    assert work.complete_byline is True


def test_an_invalid_orcid_becomes_none():
    message = fixture_json("work-10.5555-peerage.2024.0101.json")["message"]
    message["author"][0]["ORCID"] = "https://orcid.org/0000-0002-5555-0102"
    assert crossref.parse_work(message).authors[0].orcid is None


# A list page ------------------------------------------------------------------------------------


def test_list_page_gives_cursor_total_and_items():
    batch = crossref.parse((FIXTURES / "works-orcid-cursor.json").read_bytes())
    assert batch.next_cursor == "DnF1ZXJ5VGhlbkZldGNoBgAAAAAAAAAFPeerageExampleCursor0001"
    assert (batch.total, batch.skipped) == (7, 0)
    assert [w.doi for w in batch.works] == [
        "10.5555/peerage.conf.2023.118",
        "10.5555/peerage.preprint.2022.55",
        "10.5555/peerage.book.7.ch4",
    ]


def test_list_items_types_and_date_precision():
    assert [(w.type, w.publication_date, w.date_precision) for w in listed()] == [
        ("proceedings", datetime.date(2023, 9, 1), "month"),
        ("preprint", datetime.date(2022, 1, 1), "year"),
        # issued is [[null]]: published-print steps in
        ("book-chapter", datetime.date(2021, 5, 1), "month"),
    ]


def test_list_item_venues():
    conference, preprint, chapter = listed()
    assert (conference.venue.name, conference.venue.kind) == (
        "Proceedings of the Workshop on Example Systems",
        "conference",
    )
    assert preprint.venue is None  # empty container-title
    assert (chapter.venue.name, chapter.venue.issn_l) == ("Methods in Coastal Ecology", "")


def test_a_work_with_only_editors_has_no_byline_to_assert():
    chapter = listed()[2]
    assert (chapter.authors, chapter.complete_byline) == ([], False)


def test_the_cursor_stops_on_a_short_or_empty_page():
    body = fixture_json("works-orcid-cursor.json")
    body["message"]["items"] = body["message"]["items"][:2]
    assert crossref.parse(json.dumps(body)).next_cursor is None
    body["message"]["items"] = []
    assert crossref.parse(json.dumps(body)).next_cursor is None


def test_an_item_without_a_doi_is_skipped():
    body = fixture_json("works-orcid-cursor.json")
    del body["message"]["items"][1]["DOI"]
    batch = crossref.parse(json.dumps(body))
    assert (len(batch.works), batch.skipped) == (2, 1)


# Mappings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"type": "journal-article"}, "article"),
        ({"type": "proceedings-article"}, "proceedings"),
        ({"type": "book-chapter"}, "book-chapter"),
        ({"type": "book-part"}, "book-chapter"),
        ({"type": "posted-content"}, "preprint"),
        ({"type": "posted-content", "subtype": "preprint"}, "preprint"),
        ({"type": "posted-content", "subtype": "other"}, "other"),
        ({"type": "dataset"}, "dataset"),
        ({"type": "report"}, "other"),
        ({"type": "reference-entry"}, "other"),
        ({}, None),
    ],
)
def test_type_mapping(fields, expected):
    assert work_from(**fields).type == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"issued": {"date-parts": [[2012, 3, 21]]}}, ("2012-03-21", "day")),
        ({"issued": {"date-parts": [[2012, 3]]}}, ("2012-03-01", "month")),
        ({"issued": {"date-parts": [[2012]]}}, ("2012-01-01", "year")),
        ({"issued": {"date-parts": [["2012", "7"]]}}, ("2012-07-01", "month")),
        ({"issued": {"date-parts": [[2011, 2, 30]]}}, ("2011-02-01", "month")),
        (
            {"issued": {"date-parts": [[None]]}, "published-online": {"date-parts": [[2010, 5]]}},
            ("2010-05-01", "month"),
        ),
        (
            {
                "published-online": {"date-parts": [[2010, 5]]},
                "published-print": {"date-parts": [[2011]]},
            },
            ("2011-01-01", "year"),
        ),
        ({"created": {"date-parts": [[2004, 6, 22]]}}, (None, None)),
        ({}, (None, None)),
    ],
)
def test_publication_date_and_precision(fields, expected):
    work = work_from(**fields)
    date = work.publication_date.isoformat() if work.publication_date else None
    assert (date, work.date_precision) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"ISSN": ["1932-6203"]}, "1932-6203"),
        ({"ISSN": ["0736-0266", "1554-527X"]}, ""),
        ({"issn-type": [{"value": "1554527x", "type": "electronic"}]}, "1554-527X"),
        (
            {"ISSN": ["1932-6203"], "issn-type": [{"value": "1932-6203", "type": "print"}]},
            "1932-6203",
        ),
        ({"ISSN": ["not an issn"]}, ""),
    ],
)
def test_issn_l_only_when_one_issn_is_listed(fields, expected):
    assert work_from(**{"container-title": ["A Journal"], **fields}).venue.issn_l == expected


def test_landing_url_falls_back_to_the_doi_url():
    work = work_from(URL="https://doi.org/10.5555/peerage.test.1")
    assert work.landing_url == "https://doi.org/10.5555/peerage.test.1"


def test_an_arxiv_datacite_doi_gives_the_arxiv_id():
    work = crossref.parse_work({"DOI": "10.48550/arXiv.2403.01234"})
    assert (work.doi, work.arxiv_id) == ("10.48550/arxiv.2403.01234", "2403.01234")


def test_a_work_without_a_usable_doi_is_none():
    assert crossref.parse_work({"title": ["No DOI"]}) is None
    assert crossref.parse_work({"DOI": "not-a-doi", "title": ["Bad DOI"]}) is None


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (None, None),
        ("", None),
        ("<jats:title>Abstract</jats:title>", None),
        ("Plain text, no tags.", "Plain text, no tags."),
        ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
        ("<jats:p>Line<jats:break/>joined, line<br/>break</jats:p>", "Linejoined, line break"),
        ("<jats:p>x &lt; y and y &gt; z</jats:p>", "x < y and y > z"),
        ("<jats:title>Summary</jats:title><jats:p>Kept</jats:p>", "Summary\n\nKept"),
    ],
)
def test_jats_to_text(markup, expected):
    assert crossref.jats_to_text(markup) == expected


# Bad bodies -------------------------------------------------------------------------------------


def test_the_404_text_body_is_a_parse_error_with_its_text():
    with pytest.raises(ParseError) as caught:
        crossref.parse(b"Resource not found.")
    assert str(caught.value) == "Crossref: Resource not found."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b'{"status": "ok", "message-type": "work", ', "malformed JSON"),
        (b"[]", "expected a JSON object"),
        (
            b'{"status":"failed","message-type":"validation-failure",'
            b'"message":[{"type":"parameter-not-allowed","value":"rows","message":"bad rows"}]}',
            "validation-failure: bad rows",
        ),
        (b'{"status": "ok", "message-type": "member", "message": {}}', "unexpected message-type"),
        (b'{"status": "ok", "message-type": "work-list", "message": {}}', "without an `items`"),
        (b'{"status": "ok", "message-type": "work", "message": []}', "JSON object"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_bodies_raise_one_readable_line(body, message):
    with pytest.raises(ParseError, match=message) as caught:
        crossref.parse(body)
    assert "\n" not in str(caught.value)


def test_a_work_message_without_a_doi_counts_as_skipped():
    body = {"status": "ok", "message-type": "work", "message": {"title": ["No DOI"]}}
    batch = crossref.parse(json.dumps(body))
    assert (batch.works, batch.skipped) == ([], 1)


# The recorded samples ---------------------------------------------------------------------------


def sample_bodies() -> list[Path]:
    return sorted(CR_SAMPLES.glob("*.body.json")) if CR_SAMPLES.is_dir() else []


def sample_cassettes() -> list[Path]:
    return sorted(CR_SAMPLES.glob("*.yaml")) if CR_SAMPLES.is_dir() else []


def sample_work(name: str) -> WorkRecord:
    needs_samples()
    (work,) = crossref.parse((CR_SAMPLES / name).read_bytes()).works
    return work


@pytest.mark.parametrize("path", sample_bodies(), ids=lambda p: p.name)
def test_every_plain_sample_body_parses(path):
    batch = crossref.parse(path.read_bytes())
    assert batch.works and all(w.doi and w.title for w in batch.works)


@pytest.mark.parametrize("path", sample_cassettes(), ids=lambda p: p.name)
def test_every_cassette_success_parses_and_every_error_raises(path):
    for status, _headers, body in cassette_responses(path):
        if 200 <= status < 300:
            assert crossref.parse(body).works
        else:
            with pytest.raises(ParseError, match=r"^Crossref: Resource not found\.$"):
                crossref.parse(body)


def test_sample_files_are_present_and_the_404_text_body_raises():
    needs_samples()
    assert (len(sample_bodies()), len(sample_cassettes())) == (7, 4)
    with pytest.raises(ParseError, match=r"^Crossref: Resource not found\.$"):
        crossref.parse((CR_SAMPLES / "works-notarealdoi-404.body.txt").read_bytes())


def test_cassette_bodies_equal_the_derived_body_files():
    needs_samples()
    (response,) = cassette_responses(
        CR_SAMPLES / "vcr-habanero-works-10.1371-journal.pone.0033693.yaml"
    )
    assert response[2] == (CR_SAMPLES / "works-10.1371-journal.pone.0033693.body.json").read_bytes()


def test_plos_sample():
    work = sample_work("works-10.1371-journal.pone.0033693.body.json")
    assert work.doi == "10.1371/journal.pone.0033693"
    assert [a.raw_name for a in work.authors] == [
        "Shankar Sadasivan",
        "Brooks B. Pond",
        "Amar K. Pani",
        "Chunxu Qu",
        "Yun Jiao",
        "Richard J. Smeyne",
    ]  # the editor, Cesario V. Borlongan, is not among them
    assert (work.publication_date, work.date_precision) == (datetime.date(2012, 3, 21), "day")
    assert (work.venue.name, work.venue.issn_l) == ("PLoS ONE", "1932-6203")
    assert work.landing_url == "https://dx.plos.org/10.1371/journal.pone.0033693"
    assert (work.citation_count, work.type, work.abstract) == (72, "article", None)


def test_polite_pool_samples():
    neuro = sample_work("works-five-dois-polite-pool-1.body.json")
    assert len(neuro.authors) == 11
    assert [a.position for a in neuro.authors] == list(range(11))
    assert (neuro.publication_date, neuro.date_precision) == (datetime.date(2012, 3, 1), "month")
    jor = sample_work("works-five-dois-polite-pool-2.body.json")
    assert jor.abstract.startswith("Twenty\u2010two beagles were divided")  # Wiley's hyphen
    assert "<" not in jor.abstract.split("(p")[0]
    assert jor.venue.issn_l == ""  # print and electronic ISSNs: no way to tell the ISSN-L
    workshop = sample_work("works-five-dois-polite-pool-4.body.json")
    assert workshop.type == "proceedings"
    assert workshop.publication_date is None  # issued [[null]]; `created` is not a date of issue


def test_widget_list_sample():
    needs_samples()
    batch = crossref.parse((CR_SAMPLES / "works-query-widget-cursor.body.json").read_bytes())
    assert (len(batch.works), batch.total, batch.skipped) == (20, 454, 0)
    assert batch.next_cursor.startswith("DnF1ZXJ5VGhlbkZldGNo")
    types = {w.type for w in batch.works}
    assert types == {"book-chapter", "other", "proceedings", "dataset", "article"}
    blog = next(w for w in batch.works if w.doi == "10.59350/7mtwq-q3661")
    assert blog.type == "other"  # posted-content, subtype "other"
    assert blog.authors[0].orcid == "0000-0001-7542-0286"

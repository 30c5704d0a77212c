"""Identifier normalisation (apps/records/identifiers.py): pure functions, no database.

Most cases are literal values, many of them real identifiers copied from the upstream samples.
The tests at the end read the samples themselves and skip when ../shared is absent.
"""

import json
import re
from pathlib import Path

import pytest

from apps.records.identifiers import (
    OPENALEX_KINDS,
    InvalidIdentifier,
    arxiv_id_from_doi,
    arxiv_version,
    is_valid_orcid,
    normalize_arxiv_id,
    normalize_doi,
    normalize_openalex_id,
    normalize_orcid,
    normalize_ror,
    openalex_kind,
    orcid_checksum,
)
from tests.samples import shared_sample

# ORCID -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base15", "check"),
    [
        ("000000021825009", "7"),
        ("000000016796198", "X"),  # r == 10 gives "X"
        ("000900051387729", "5"),  # newer 0009- range
        ("000000016187661", "0"),  # Jason Priem, OpenAlex author sample
    ],
)
def test_orcid_checksum_follows_iso_7064_mod_11_2(base15, check):
    assert orcid_checksum(base15) == check


@pytest.mark.parametrize("base15", ["", "00000002182500", "0000000218250097", "00000002182500a"])
def test_orcid_checksum_needs_exactly_fifteen_digits(base15):
    with pytest.raises(InvalidIdentifier):
        orcid_checksum(base15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("0000000218250097", "0000-0002-1825-0097"),
        ("  0000-0002-1825-0097\n", "0000-0002-1825-0097"),
        ("0000-0001-6796-198x", "0000-0001-6796-198X"),
        ("000000016796198x", "0000-0001-6796-198X"),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://www.orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("HTTPS://ORCID.ORG/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://sandbox.orcid.org/0000-0003-4997-3076", "0000-0003-4997-3076"),
        ("orcid:0000-0003-1613-5981", "0000-0003-1613-5981"),  # OpenAlex's ns:id form
        ("https://orcid.org/0000-0001-6187-6610", "0000-0001-6187-6610"),
        ("0009-0005-1387-7295", "0009-0005-1387-7295"),
    ],
)
def test_normalize_orcid_accepts_bare_and_url_spellings(value, expected):
    assert normalize_orcid(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "0000-0002-1825-0098",  # wrong check digit
        "0000-0002-1825-009X",  # wrong check digit, and X in the wrong place for this iD
        "8888-8888-8888-8888",  # placeholder in ORCID's schema samples: check digit fails
        "0000-0002-1825-009",  # too short
        "0000-0002-1825-00977",  # too long
        "0000-0002-18250097",  # hyphens only partly there
        "0000 0002 1825 0097",
        "X000-0002-1825-0097",
        "0000-0002-1825-0097x",
        "\uff10000-0002-1825-0097",  # full-width digit zero
        "https://example.org/0000-0002-1825-0097",
        "https://orcid.org/",
        "Josiah Carberry",
        None,
    ],
)
def test_normalize_orcid_rejects_malformed_values_and_wrong_check_digits(value):
    with pytest.raises(InvalidIdentifier):
        normalize_orcid(value)


def test_orcid_error_message_names_the_kind_and_the_value():
    with pytest.raises(InvalidIdentifier, match=r"not an ORCID iD: '0000-0002-1825-0098'"):
        normalize_orcid("0000-0002-1825-0098")


def test_invalid_identifier_is_a_value_error():
    with pytest.raises(ValueError):
        normalize_orcid("nope")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0000-0002-1825-0097", True),
        ("https://orcid.org/0000-0001-6796-198X", True),
        ("0000-0002-1825-0098", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_orcid_answers_without_raising(value, valid):
    assert is_valid_orcid(value) is valid


# DOI -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1234/abc", "10.1234/abc"),
        ("https://doi.org/10.1234/ABC", "10.1234/abc"),
        ("http://doi.org/10.1234/abc", "10.1234/abc"),
        ("http://dx.doi.org/10.1234/abc", "10.1234/abc"),
        ("https://dx.doi.org/10.1234/abc", "10.1234/abc"),
        ("https://www.doi.org/10.1234/abc", "10.1234/abc"),
        ("doi.org/10.1234/abc", "10.1234/abc"),
        ("dx.doi.org/10.1234/abc", "10.1234/abc"),
        ("HTTPS://DOI.ORG/10.1234/ABC", "10.1234/abc"),
        ("doi:10.1234/abc", "10.1234/abc"),
        ("DOI:10.1234/abc", "10.1234/abc"),
        ("doi: 10.1234/abc", "10.1234/abc"),
        ("  10.1234/abc \t", "10.1234/abc"),
        ("10.1000%2F182", "10.1000/182"),
        ("https://doi.org/10.1000%2F182", "10.1000/182"),
        ("10.1000/a%2Fb%2Fc", "10.1000/a/b/c"),
        ("10.13039/501100004085", "10.13039/501100004085"),  # 5-digit registrant (funder DOI)
        ("10.1000.10/123", "10.1000.10/123"),  # registrant with a dot sub-part
        ("10.1016/b978-155860802-3/50012-0", "10.1016/b978-155860802-3/50012-0"),  # '/' in suffix
        ("10.1016/S0022-2836(02)00735-0", "10.1016/s0022-2836(02)00735-0"),
        ("10.1109/ICSTW55395.2022.00035", "10.1109/icstw55395.2022.00035"),  # arXiv journal DOI
        ("https://doi.org/10.7717/peerj.4375", "10.7717/peerj.4375"),  # OpenAlex work sample
        (
            "10.1002/(SICI)1097-4547(19960215)43:4<439::AID-JNR5>3.0.CO;2-G",
            "10.1002/(sici)1097-4547(19960215)43:4<439::aid-jnr5>3.0.co;2-g",
        ),
        (
            "10.1002/(SICI)1097-4547(19960215)43:4&amp;lt;439::AID-JNR5&gt;3.0.CO;2-G",
            "10.1002/(sici)1097-4547(19960215)43:4<439::aid-jnr5>3.0.co;2-g",
        ),
    ],
)
def test_normalize_doi_strips_prefixes_and_lowercases(value, expected):
    assert normalize_doi(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "10.1234",
        "10.1234/",
        "10.123/abc",  # registrant needs at least 4 digits
        "10.1234567890/abc",  # and at most 9
        "11.1234/abc",
        "10.12a4/abc",
        "10.1234/ab c",
        "10.1234/ab%20c",  # percent-decoding cannot smuggle in whitespace
        "10.1234/abc\x00",
        "https://example.org/10.1234/abc",
        "https://doi.org/",
        "doi:",
        "notarealdoi",
        "see 10.1234/abc",
        None,
    ],
)
def test_normalize_doi_rejects_what_is_not_a_doi(value):
    with pytest.raises(InvalidIdentifier, match="not a DOI"):
        normalize_doi(value)


def test_resolver_url_and_bare_doi_normalise_equal():
    assert normalize_doi("https://doi.org/10.1234/ABC") == normalize_doi("10.1234/abc")


@pytest.mark.parametrize("value", ["10.1234/abc.", "10.1234/abc,", "10.1234/abc;", "10.1234/a)"])
def test_normalize_doi_keeps_trailing_punctuation_because_suffixes_may_end_with_it(value):
    assert normalize_doi(value) == value
    assert normalize_doi(f"https://doi.org/{value}") == value


def test_normalize_doi_is_idempotent():
    doi = normalize_doi("https://doi.org/10.1371/journal.PONE.0033693")
    assert normalize_doi(doi) == doi == "10.1371/journal.pone.0033693"


# arXiv -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "version"),
    [
        ("2401.01234", "2401.01234", None),
        ("2401.01234v2", "2401.01234", 2),
        ("2401.01234V12", "2401.01234", 12),
        ("arXiv:2401.01234v2", "2401.01234", 2),
        ("arxiv:2401.01234", "2401.01234", None),
        ("ARXIV: 2401.01234", "2401.01234", None),
        ("  arXiv:2104.12255v1 ", "2104.12255", 1),
        ("0704.0001", "0704.0001", None),  # first new-style month, 4-digit sequence
        ("1412.7878", "1412.7878", None),  # last 4-digit month
        ("1501.00001", "1501.00001", None),  # first 5-digit month
        ("https://arxiv.org/abs/2401.01234v2", "2401.01234", 2),
        ("http://arxiv.org/abs/2104.12255v1", "2104.12255", 1),
        ("https://arxiv.org/pdf/2401.01234v2", "2401.01234", 2),
        ("https://arxiv.org/pdf/2401.01234v2.pdf", "2401.01234", 2),
        ("https://arxiv.org/pdf/2401.01234.pdf", "2401.01234", None),
        ("http://export.arxiv.org/abs/2401.01234", "2401.01234", None),
        ("https://www.arxiv.org/abs/2401.01234", "2401.01234", None),
        ("arxiv.org/abs/2401.01234", "2401.01234", None),
        ("oai:arXiv.org:2007.14454", "2007.14454", None),
        ("10.48550/arXiv.2401.01234", "2401.01234", None),
        ("10.48550/arxiv.2401.01234", "2401.01234", None),
        ("10.48550/ARXIV.2401.01234", "2401.01234", None),
        ("https://doi.org/10.48550/arXiv.2401.01234", "2401.01234", None),
        ("doi:10.48550/arXiv.2401.01234", "2401.01234", None),
        ("astro-ph/0601001", "astro-ph/0601001", None),
        ("astro-ph/0601001v1", "astro-ph/0601001", 1),
        ("arXiv:hep-th/9901001", "hep-th/9901001", None),
        ("Astro-Ph/0601001", "astro-ph/0601001", None),
        ("math.GT/0309136", "math/0309136", None),
        ("math.CA/0611800v2", "math/0611800", 2),
        ("math.gt/0309136", "math/0309136", None),
        ("http://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001", 1),
        ("https://arxiv.org/pdf/hep-th/9901001.pdf", "hep-th/9901001", None),
        ("10.48550/arXiv.hep-th/9901001", "hep-th/9901001", None),
        ("alg-geom/9107001", "alg-geom/9107001", None),  # first old-scheme month
        ("cs/0703001", "cs/0703001", None),  # last old month
    ],
)
def test_normalize_arxiv_id_returns_the_versionless_id(value, expected, version):
    assert normalize_arxiv_id(value) == expected
    assert arxiv_version(value) == version


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",  # the arXiv API answers this one with a 400 (sample id_list-abc-error-400)
        "0000.0000",  # month 00 (sample id_list-0000.0000-zero-results)
        "2413.01234",  # month 13
        "2401.0123",  # after 2014 the sequence has 5 digits
        "1412.78780",  # before 2015 it has 4
        "0703.0001",  # new scheme starts in 0704
        "2401.012345",
        "2401.01234v0",  # versions start at v1
        "2401.01234v",
        "2401-01234",
        "astro-ph/060100",  # old numbers have 7 digits
        "astro-ph/0613001",  # month 13
        "astro-ph/0704001",  # old scheme ends in 0703
        "math.GTX/0309136",  # subject classes are two letters
        "astro_ph/0601001",
        "/0601001",
        "https://arxiv.org/list/hep-th/0601",
        "https://example.org/abs/2401.01234",
        "10.1234/arXiv.2401.01234",  # not arXiv's DOI prefix
        "arXiv:",
        None,
    ],
)
def test_normalize_arxiv_id_rejects_malformed_ids(value):
    with pytest.raises(InvalidIdentifier, match="not an arXiv id"):
        normalize_arxiv_id(value)


def test_arxiv_version_rejects_malformed_ids_too():
    with pytest.raises(InvalidIdentifier):
        arxiv_version("abc")


def test_versioned_and_versionless_arxiv_ids_normalise_equal():
    assert normalize_arxiv_id("arXiv:2401.01234v2") == normalize_arxiv_id("2401.01234")


def test_old_style_id_with_and_without_subject_class_normalise_equal():
    assert normalize_arxiv_id("math.GT/0309136v1") == normalize_arxiv_id("arXiv:math/0309136")


@pytest.mark.parametrize(
    ("doi", "expected"),
    [
        ("10.48550/arXiv.2401.01234", "2401.01234"),
        ("10.48550/arxiv.2007.14454", "2007.14454"),
        ("https://doi.org/10.48550/arxiv.1310.4546", "1310.4546"),
        ("10.48550/arXiv.astro-ph/0601001", "astro-ph/0601001"),
        ("10.7717/peerj.4375", None),
        ("10.1109/ICSTW55395.2022.00035", None),
        ("10.48550/zenodo.123", None),
    ],
)
def test_arxiv_id_from_doi_reads_the_datacite_arxiv_prefix(doi, expected):
    assert arxiv_id_from_doi(doi) == expected


@pytest.mark.parametrize("doi", ["not a doi", "10.48550/arxiv.abc", "10.48550/arxiv."])
def test_arxiv_id_from_doi_rejects_non_dois_and_malformed_arxiv_dois(doi):
    with pytest.raises(InvalidIdentifier):
        arxiv_id_from_doi(doi)


# OpenAlex --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "kind"),
    [
        ("W2741809807", "W2741809807", "work"),
        ("w2741809807", "W2741809807", "work"),
        ("https://openalex.org/W2741809807", "W2741809807", "work"),
        ("http://openalex.org/W2741809807", "W2741809807", "work"),
        ("https://api.openalex.org/works/W2741809807", "W2741809807", "work"),
        ("https://openalex.org/works/w2741809807", "W2741809807", "work"),
        ("openalex.org/A5023888391", "A5023888391", "author"),
        ("https://api.openalex.org/authors/A5023888391", "A5023888391", "author"),
        (" A9999999999 ", "A9999999999", "author"),  # the "null author" is well-formed
        ("https://openalex.org/S4306400194", "S4306400194", "source"),  # arXiv as a source
        ("https://openalex.org/I201448701", "I201448701", "institution"),
        ("https://openalex.org/T10102", "T10102", "topic"),
        ("https://openalex.org/F4320334789", "F4320334789", "funder"),
        ("https://openalex.org/P4310320990", "P4310320990", "publisher"),
        ("https://openalex.org/C41008148", "C41008148", "concept"),
    ],
)
def test_normalize_openalex_id_returns_the_bare_upper_case_key(value, expected, kind):
    assert normalize_openalex_id(value) == expected
    assert normalize_openalex_id(value, kind=kind) == expected
    assert openalex_kind(value) == kind


@pytest.mark.parametrize(
    "value",
    [
        "",
        "W",
        "2741809807",
        "X2741809807",  # no such entity letter
        "W0123",
        "W27418O9807",
        "W2741809807x",
        "https://api.openalex.org/authors/W2741809807",  # path says author, key says work
        "https://openalex.org/keywords/machine-learning",
        "https://openalex.org/fields/17",
        "https://example.org/W2741809807",
        "doi:10.7717/peerj.4375",
        None,
    ],
)
def test_normalize_openalex_id_rejects_malformed_ids(value):
    with pytest.raises(InvalidIdentifier, match="not an OpenAlex id"):
        normalize_openalex_id(value)


@pytest.mark.parametrize(
    ("value", "kind"),
    [("W2741809807", "author"), ("A5023888391", "work"), ("https://openalex.org/I1", "source")],
)
def test_normalize_openalex_id_rejects_a_key_of_another_kind(value, kind):
    with pytest.raises(InvalidIdentifier, match=f"not an OpenAlex {kind} id"):
        normalize_openalex_id(value, kind=kind)


def test_normalize_openalex_id_treats_an_unknown_kind_as_a_programming_error():
    with pytest.raises(ValueError, match="unknown OpenAlex kind") as raised:
        normalize_openalex_id("W2741809807", kind="paper")
    assert not isinstance(raised.value, InvalidIdentifier)


def test_every_openalex_kind_has_its_own_letter():
    assert sorted(OPENALEX_KINDS) == list("ACFIPSTW")
    assert len(set(OPENALEX_KINDS.values())) == 8


# ROR -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05ppvf150", "05ppvf150"),  # from the OpenAlex work sample
        ("https://ror.org/05ppvf150", "05ppvf150"),
        ("http://ror.org/0161xgx34", "0161xgx34"),
        ("ror.org/00njsd438", "00njsd438"),
        ("https://www.ror.org/01jf74q70", "01jf74q70"),
        ("ror:02y3ad647", "02y3ad647"),  # University of Florida, OpenAlex docs' ns:id example
        ("HTTPS://ROR.ORG/02Y3AD647", "02y3ad647"),
        ("  002rjbv21\n", "002rjbv21"),
    ],
)
def test_normalize_ror_returns_the_bare_lower_case_id(value, expected):
    assert normalize_ror(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "05ppvf151",  # check digits off by one
        "05ppvf105",  # check digits swapped
        "05ppfv150",  # body characters swapped
        "15ppvf150",  # must start with 0
        "05ppvf15",
        "05ppvf1500",
        "05ppvi150",  # i, l, o and u are not Crockford base32 digits
        "05ppvu150",
        "https://ror.org/",
        "https://example.org/05ppvf150",
        None,
    ],
)
def test_normalize_ror_rejects_malformed_ids_and_bad_check_digits(value):
    with pytest.raises(InvalidIdentifier, match="not a ROR id"):
        normalize_ror(value)


# Every identifier in the real upstream samples -------------------------------------------------


@pytest.fixture
def samples() -> Path:
    return shared_sample()


def _found(pattern: str, files: list[Path]) -> set[str]:
    found = {m for path in files for m in re.findall(pattern, path.read_text(encoding="utf-8"))}
    assert found, f"no match for {pattern} in {[p.name for p in files]}"
    return found


def _values_of(key: str, node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node[key]] if isinstance(node.get(key), str) else []
        return own + [v for child in node.values() for v in _values_of(key, child)]
    if isinstance(node, list):
        return [v for child in node for v in _values_of(key, child)]
    return []


def test_every_ror_id_in_the_openalex_samples_passes_its_checksum(samples):
    ror_ids = _found(r'"https://ror\.org/([0-9a-z]+)"', sorted(samples.glob("openalex/*.json")))
    assert {normalize_ror(f"https://ror.org/{ror_id}") for ror_id in ror_ids} == ror_ids


def test_every_orcid_in_the_openalex_samples_is_valid(samples):
    orcids = _found(r'"https://orcid\.org/([0-9X-]+)"', sorted(samples.glob("openalex/*.json")))
    assert {normalize_orcid(f"https://orcid.org/{orcid}") for orcid in orcids} == orcids


def test_every_openalex_key_in_the_openalex_samples_normalises_to_itself(samples):
    keys = _found(r'"https://openalex\.org/([A-Z][0-9]+)"', sorted(samples.glob("openalex/*.json")))
    assert {normalize_openalex_id(f"https://openalex.org/{key}") for key in keys} == keys
    assert {openalex_kind(key) for key in keys} >= {"work", "author", "institution", "topic"}


def test_every_crossref_doi_normalises_to_its_lower_case_self(samples):
    dois = set()
    for path in sorted(samples.glob("crossref/*.body.json")):
        dois.update(_values_of("DOI", json.loads(path.read_text(encoding="utf-8"))))
    assert len(dois) > 100
    assert all(normalize_doi(doi) == doi.lower() for doi in dois)


def test_every_arxiv_feed_entry_id_is_a_versioned_arxiv_id(samples):
    urls = _found(r"<id>(https?://arxiv\.org/abs/[^<]+)</id>", sorted(samples.glob("arxiv/*.xml")))
    assert all(arxiv_version(url) is not None for url in urls)
    assert "astro-ph/0601001" in {normalize_arxiv_id(url) for url in urls}


def test_openalex_arxiv_dois_match_their_arxiv_repository_locations(samples):
    files = sorted(samples.glob("openalex/*.yml"))
    dois = _found(r'"doi":"(https://doi\.org/10\.48550/[^"]+)"', files)
    locations = _found(r'"pmh:(oai:arXiv\.org:[^"]+)"', files)
    location_ids = {normalize_arxiv_id(location) for location in locations}
    assert {arxiv_id_from_doi(doi) for doi in dois} <= location_ids

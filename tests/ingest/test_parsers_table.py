"""The parser table and the coercions every parser shares (apps/ingest/parsers/_coerce.py)."""

import pytest

from apps.ingest.normalized import SOURCES, ParseError
from apps.ingest.parsers import PARSERS, _coerce, arxiv, crossref, openalex, orcid, parse
from apps.records.identifiers import normalize_doi


def test_every_source_has_its_own_parser():
    assert set(PARSERS) == set(SOURCES)
    assert PARSERS["openalex"] is openalex.parse
    assert PARSERS["orcid"] is orcid.parse
    assert PARSERS["arxiv"] is arxiv.parse
    assert PARSERS["crossref"] is crossref.parse


def test_an_unknown_source_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown source 'dblp'"):
        parse("dblp", b"{}")


def test_values_of_the_wrong_json_type_become_empty_ones():
    assert _coerce.as_int(True) is None
    assert _coerce.as_int("3") is None
    assert _coerce.as_int(3) == 3
    assert _coerce.int_or("2020", 0) == 2020
    assert _coerce.int_or(None, 7) == 7
    assert _coerce.as_dict([1]) == {}
    assert _coerce.as_list({"a": 1}) == []
    assert _coerce.dicts([{"a": 1}, None, "x"]) == [{"a": 1}]


def test_text_is_collapsed_and_blank_text_is_none():
    assert _coerce.as_text("  Deep \n  learning ") == "Deep learning"
    assert _coerce.as_text(" \t") is None
    assert _coerce.as_text(5) is None
    assert _coerce.squash(None) == ""
    assert _coerce.stripped("  a  b ") == "a  b"
    assert _coerce.plain("On <i>E. coli</i> &amp; x < y > z") == "On E. coli & x < y > z"
    assert _coerce.one_line("x" * 300) == "x" * 199 + "…"


def test_a_malformed_identifier_is_none_and_the_first_good_one_wins():
    assert _coerce.as_id(normalize_doi, "not a doi") is None
    assert _coerce.first_id(normalize_doi, ["nope", "10.1234/ABC", "10.5678/x"]) == "10.1234/abc"


def test_a_body_that_is_not_utf8_is_a_parse_error_naming_the_source():
    with pytest.raises(ParseError, match=r"^Crossref: body is not UTF-8"):
        _coerce.decode(b"\xff\xfe", "Crossref")
    assert _coerce.decode("\ufeff{}".encode(), "OpenAlex") == "{}"

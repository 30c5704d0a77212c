import pytest

from apps.records.names import author_search_key, fold, name_match_score, query_key

YONGJI = author_search_key("Yongji Wu")


@pytest.mark.parametrize(
    "typed", ["Yongji Wu", "yongji wu", "Wu, Yongji", "Y. Wu", "Yongjí Wu", "Yongji Wuu"]
)
def test_every_way_of_typing_the_name_matches_well(typed):
    assert name_match_score(typed, YONGJI) >= 90


@pytest.mark.parametrize("typed", ["Ada Lindqvist", "Wei Zhang", "Y. Li"])
def test_other_names_do_not_match(typed):
    assert name_match_score(typed, YONGJI) < 60


def test_fold_strips_accents_case_and_punctuation():
    assert fold("  Tomás  O'Kafor-Ríos ") == "tomas o kafor rios"
    assert fold("Łukasz Søren Straße") == "lukasz soren strasse"


def test_fold_takes_plain_ascii_and_what_lower_cases_to_it_alike():
    assert fold("Ada B. Lindqvist_12, Jr.") == "ada b lindqvist 12 jr"
    assert fold("\u212aim") == "kim"  # KELVIN SIGN lower-cases to an ASCII k
    assert fold("\uff2bim") == "kim"  # a fullwidth K decomposes (NFKD) to one


def test_family_comma_given_is_turned_round():
    assert query_key("Wu, Yongji") == "yongji wu"
    assert query_key("Wu Yongji") == "wu yongji"  # no comma: left as typed


def test_the_search_key_holds_initial_forms_and_variants():
    key = author_search_key("Ada M. Lindqvist", ["Lindqvist, Ada"])
    forms = key.split(" | ")
    assert forms[0] == "ada m lindqvist"
    assert "a m lindqvist" in forms
    assert "ada lindqvist" in forms
    assert "a lindqvist" in forms


def test_initials_must_agree():
    assert name_match_score("Y. Wu", author_search_key("Xiaoming Wu")) < 60

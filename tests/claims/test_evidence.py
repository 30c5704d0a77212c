"""The evidence score is a pure function: no database."""

from apps.claims.evidence import EvidenceInputs, email_on_domain, evidence_score
from apps.records.names import author_search_key

KEY = author_search_key("Ada Lindqvist", ["A. Lindqvist"])


def _score(**kw):
    base = {"claimant_names": ("Ada Lindqvist",), "record_search_name": KEY}
    return evidence_score(EvidenceInputs(**{**base, **kw}))


def _points(score, code):
    return next(c.points for c in score.components if c.code == code)


def test_every_component_is_shown_with_its_maximum_and_a_reason():
    score = _score()
    assert [c.code for c in score.components] == [
        "orcid_works",
        "email_domain",
        "coauthors",
        "name",
    ]
    assert sum(c.max_points for c in score.components) == 100
    assert all(c.detail for c in score.components)
    assert score.total == sum(c.points for c in score.components)


def test_three_shared_orcid_works_give_full_work_points():
    keys = frozenset({"doi:10.1/a", "doi:10.1/b", "arxiv:2101.00001", "doi:10.1/z"})
    score = _score(orcid_work_ids=keys, record_work_ids=keys - {"doi:10.1/z"})
    assert _points(score, "orcid_works") == 40


def test_no_overlap_no_work_points():
    score = _score(
        orcid_work_ids=frozenset({"doi:10.1/a"}), record_work_ids=frozenset({"doi:10.1/b"})
    )
    assert _points(score, "orcid_works") == 0


def test_institutional_email_counts_on_the_domain_and_its_subdomains_only():
    domains = frozenset({"uni.example"})
    assert email_on_domain("ada@uni.example", domains) == "uni.example"
    assert email_on_domain("ada@cs.uni.example", domains) == "uni.example"
    assert email_on_domain("ada@evil-uni.example", domains) is None
    assert (
        _points(
            _score(verified_emails=("ada@cs.uni.example",), institution_domains=domains),
            "email_domain",
        )
        == 25
    )


def test_coauthors_in_common_cap_at_fifteen():
    score = _score(
        claimant_coauthor_ids=frozenset(range(10)), record_coauthor_ids=frozenset(range(10))
    )
    assert _points(score, "coauthors") == 15


def test_name_match_rewards_the_same_name_and_not_a_different_one():
    assert _points(_score(), "name") == 20
    assert _points(_score(claimant_names=("Zoltan Kovacs",)), "name") == 0


def test_a_strong_claim_scores_high_and_an_empty_one_low():
    keys = frozenset({"doi:10.1/a", "doi:10.1/b", "doi:10.1/c"})
    strong = _score(
        orcid_work_ids=keys,
        record_work_ids=keys,
        verified_emails=("a@u.example",),
        institution_domains=frozenset({"u.example"}),
    )
    assert strong.total >= 85
    assert _score(claimant_names=("Someone Else",)).total == 0

"""The trust score as a pure function: bounds, monotonicity, penalties, breakdown, version."""

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.trust.score import (
    FORMULA_HISTORY,
    FORMULA_VERSION,
    WEIGHTS,
    TrustInputs,
    formula_fingerprint,
    score_compute,
    tier_for,
)

count = st.integers(min_value=0, max_value=5000)
year = st.integers(min_value=1950, max_value=2026)


@st.composite
def inputs(draw):
    first = draw(st.one_of(st.none(), year))
    latest = None if first is None else draw(st.integers(min_value=first, max_value=2026))
    total = draw(count)
    return TrustInputs(
        verification_level=draw(st.integers(0, 3)),
        works_count=draw(count),
        citation_count=draw(st.integers(0, 10**6)),
        h_index=draw(st.integers(0, 200)),
        first_year=first,
        latest_year=latest,
        current_year=2026,
        account_age_days=draw(st.one_of(st.none(), st.integers(0, 5000))),
        verified_collaborators=draw(count),
        upheld_reports=draw(st.integers(0, 10)),
        disputes_lost=draw(st.integers(0, 10)),
        disowned_works=draw(st.integers(0, total)),
        authorships_total=total,
    )


@settings(max_examples=400)
@given(inputs())
def test_score_is_within_0_and_100_and_the_breakdown_sums_to_it(i):
    result = score_compute(i)
    assert 0 <= result.score <= 100
    assert sum(c.points for c in result.components) == result.score
    assert result.tier == tier_for(result.score)
    assert result.version == FORMULA_VERSION


EVIDENCE = {
    "verification_level": 1,
    "works_count": 7,
    "citation_count": 90,
    "h_index": 3,
    "verified_collaborators": 2,
}


@settings(max_examples=400)
@given(inputs(), st.sampled_from(sorted(EVIDENCE)))
def test_more_verified_evidence_never_lowers_the_score(i, field):
    more = getattr(i, field) + EVIDENCE[field]
    if field == "verification_level":
        more = min(3, more)
    assert score_compute(dataclasses.replace(i, **{field: more})).score >= score_compute(i).score


@settings(max_examples=200)
@given(inputs(), st.integers(0, 10))
def test_a_newer_latest_work_never_lowers_the_score(i, years):
    if i.latest_year is None:
        return
    newer = dataclasses.replace(i, latest_year=min(2026, i.latest_year + years))
    assert score_compute(newer).score >= score_compute(i).score


@settings(max_examples=400)
@given(inputs())
def test_an_upheld_report_always_lowers_a_positive_score(i):
    before = score_compute(i).score
    after = score_compute(dataclasses.replace(i, upheld_reports=i.upheld_reports + 1)).score
    assert after < before or before == 0


def test_a_lost_dispute_and_mass_disowning_lower_the_score():
    base = TrustInputs(verification_level=2, works_count=40, latest_year=2025, authorships_total=60)
    start = score_compute(base).score
    assert score_compute(dataclasses.replace(base, disputes_lost=1)).score < start
    assert score_compute(dataclasses.replace(base, disowned_works=30)).score < start
    # a few corrections are normal curation, not a signal
    assert score_compute(dataclasses.replace(base, disowned_works=3)).score == start


def test_tiers_follow_the_spec():
    assert [tier_for(s) for s in (0, 19, 20, 39, 40, 59, 60, 79, 80, 100)] == [
        "New",
        "New",
        "Emerging",
        "Emerging",
        "Established",
        "Established",
        "Trusted",
        "Trusted",
        "Highly trusted",
        "Highly trusted",
    ]


def test_an_unclaimed_anchored_record_and_a_full_one():
    anchored = score_compute(TrustInputs(verification_level=1, works_count=12, latest_year=2025))
    assert anchored.tier in {"New", "Emerging"}
    full = score_compute(
        TrustInputs(
            verification_level=3,
            works_count=500,
            citation_count=20000,
            h_index=40,
            first_year=1995,
            latest_year=2026,
            account_age_days=800,
            verified_collaborators=50,
        )
    )
    assert (full.score, full.tier) == (100, "Highly trusted")
    assert {c["key"] for c in full.breakdown()} >= {"verification", "network", "upheld_reports"}


def test_a_changed_formula_needs_a_new_version():
    """Edit WEIGHTS or the scoring code and this fails until FORMULA_VERSION is bumped and the
    new fingerprint recorded in FORMULA_HISTORY (old versions' rows stay explainable)."""
    assert FORMULA_HISTORY[FORMULA_VERSION] == formula_fingerprint()
    assert len(set(FORMULA_HISTORY.values())) == len(FORMULA_HISTORY)
    assert max(FORMULA_HISTORY) == FORMULA_VERSION


def test_the_fingerprint_moves_when_a_weight_does(monkeypatch):
    before = formula_fingerprint()
    monkeypatch.setitem(WEIGHTS, "upheld_report", -16)
    assert formula_fingerprint() != before

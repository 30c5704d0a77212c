"""The score does not punish repair: works split off a record, or detached from it by a
moderator, are not the holder's "mass disowning"; the breakdown says so."""

import pytest

from apps.claims.services import repair, works_disown, works_split
from apps.trust.models import TrustHistory, TrustRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(records, claimed_researcher, researcher_record):
    """The researcher's record with 68 works."""
    from apps.records.services import author_metrics_refresh
    from apps.trust.services import trust_recompute_many

    works = [records.work(researcher_record).pk for _ in range(68)]
    author_metrics_refresh([researcher_record.pk])
    trust_recompute_many([researcher_record.pk], cause="test")
    return claimed_researcher, researcher_record, works


def _disowning(author) -> dict:
    breakdown = TrustRecord.objects.get(author=author).breakdown
    return next(c for c in breakdown if c["key"] == "disowning")


def test_a_split_of_33_of_68_works_costs_nothing(big):
    user, author, works = big
    works_split(user=user, author=author, work_ids=works[:33])
    assert _disowning(author)["points"] == 0
    # No moment of the repair lowered the disowning component.
    for row in TrustHistory.objects.filter(author=author):
        assert next(c for c in row.breakdown if c["key"] == "disowning")["points"] == 0
    assert "split off never count" in _disowning(author)["detail"]


def test_a_moderators_detach_costs_the_holder_nothing_and_says_so(big, moderator):
    _, author, works = big
    repair.detach(actor=moderator, author=author, work_ids=works[:33], reason="Another person.")
    component = _disowning(author)
    assert component["points"] == 0
    assert "33 detached by moderators not counted" in component["detail"]


def test_the_holders_own_mass_disowning_still_costs(big):
    user, author, works = big
    works_disown(user=user, author=author, work_ids=works[:33])
    assert _disowning(author)["points"] == -8  # -15 x 33/68, floored

"""Who holds a record: one answer (ClaimQuerySet) every app asks."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.claims.models import Claim
from apps.claims.services import Evidence, claim_evidence, claim_release

pytestmark = pytest.mark.django_db


def test_the_holder_of_a_record_and_the_record_a_user_holds(
    claimed_researcher, researcher_record, peer, records, django_assert_num_queries
):
    unclaimed = records.author("Pablo Peer")
    with django_assert_num_queries(1):  # the claim joined to its user
        holder = Claim.objects.holder_of(researcher_record)
    assert holder.user == claimed_researcher and holder.status == "approved"
    with django_assert_num_queries(1):  # the claim joined to its record
        assert Claim.objects.held_by(claimed_researcher).author == researcher_record
    assert Claim.objects.holds(claimed_researcher, researcher_record)
    assert not Claim.objects.holds(peer, researcher_record)
    assert Claim.objects.holder_of(unclaimed) is None and Claim.objects.held_by(peer) is None
    ids = [researcher_record.pk, unclaimed.pk]
    assert list(Claim.objects.holders_of(ids).values_list("author_id", flat=True)) == [ids[0]]


def test_a_waiting_or_released_claim_holds_nothing(claimed_researcher, researcher_record, peer,
                                                   records):  # fmt: skip
    waiting = records.author("Pablo Peer")
    claim_evidence(
        user=peer,
        author=waiting,
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    assert Claim.objects.holder_of(waiting) is None and not Claim.objects.holds(peer, waiting)
    claim_release(claim=Claim.objects.held_by(claimed_researcher), actor=claimed_researcher)
    assert Claim.objects.holder_of(researcher_record) is None
    assert Claim.objects.held_by(claimed_researcher) is None


def test_a_visitor_holds_nothing(researcher_record, django_assert_num_queries):
    visitor = AnonymousUser()
    with django_assert_num_queries(0):
        assert Claim.objects.held_by(visitor) is None
        assert Claim.objects.holds(visitor, researcher_record) is False
    holder, *mine = Claim.objects.on_page(researcher_record, visitor)
    assert holder.author == researcher_record and mine == [None, None]


def test_an_author_page_s_claims_come_in_one_query(
    claimed_researcher, researcher_record, peer, records, django_assert_num_queries
):
    """The holder (for every panel), and the reader's held record (the invite check) and open
    claim here (a challenger pointed at their dispute); none leaks in from another record."""
    disputed, other = records.author("Pablo Peer"), records.author("Otto Outsider")
    peer_holds = Claim.objects.create(
        user=peer, author=disputed, kind=Claim.Kind.ORCID, status=Claim.Status.APPROVED
    )
    # Claims opened before their record was approved (the service refuses new ones then).
    waiting, _ = (
        Claim.objects.create(user=claimed_researcher, author=a, kind=Claim.Kind.EVIDENCE)
        for a in (disputed, other)
    )
    with django_assert_num_queries(1):
        holder, held, open_here = Claim.objects.on_page(disputed, claimed_researcher)
        assert holder.user == peer and held.author == researcher_record  # joined, no query
    assert holder == peer_holds and held == Claim.objects.held_by(claimed_researcher)
    assert open_here == waiting
    assert Claim.objects.on_page(records.author("Nobody"), claimed_researcher) == (None, held, None)
    assert Claim.objects.on_page(researcher_record, claimed_researcher) == (held, held, None)

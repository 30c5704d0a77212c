"""The claim pages and the author page with the claims panels run a fixed number of queries,
however many works or claims there are. Each budget names its queries."""

import pytest

from apps.claims.models import Claim, Dispute
from apps.claims.services import Evidence, claim_evidence, dispute_statement_add
from tests.factories import author_page_budget, count_queries, make_author, make_work

pytestmark = pytest.mark.django_db

# Signed-in page: session, user, unread notifications count (the header) = 3.
SIGNED_IN = 3


@pytest.fixture
def grow(records, researcher_record, peer, outsider):
    """Add `n` works to the researcher's record and `n` claims to look at."""

    def add(n):
        for _ in range(n):
            coauthor = records.author()
            records.work(researcher_record, coauthor)
            claim_evidence(
                user=peer,
                author=records.author(),
                evidence=Evidence(note="These are my papers, as my lab page shows."),
            )
            Claim.objects.filter(user=peer).update(created_at="2020-01-01T00:00:00Z")

    return add


def test_author_page_of_a_claimed_record_for_its_holder(
    researcher_client, researcher_record, grow, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # what rendering costs, nothing from the cache
    url = f"/authors/{researcher_record.pk}/"
    one = (grow(1), count_queries(researcher_client, url))[1]
    many = (grow(20), count_queries(researcher_client, url))[1]
    assert one == many
    # records' 10 (tests/records/test_query_budgets.py, claims' holder query included)
    # + the signed-in header + the pinned works (claimed records only)
    # + follows' one: is this the viewer's own record (the holder gets no Follow button, so
    # no "does this user follow it" query; the follower count and trust's stored score ride
    # on the page's author query, see records.panels.author_page_queryset)
    # + the holder's "may be you too" same-name records (claims.panels.likely_duplicates)
    # + the institutional email badge's proven domain (claims.badges; none here, so the
    # holder's audience is not read).
    assert many <= author_page_budget(10) + SIGNED_IN + 1 + 1 + 1 + 1


@pytest.mark.parametrize(
    "name, url, budget",
    [
        # + holder claim, merge requests list, claims list
        ("my claims", lambda r: "/claims/", SIGNED_IN + 2),
        # + record, visible works, disowned works, pins, merges, holder check (2), and the
        # works grouped (records.clusters: works, bylines, topics, institutions)
        ("curate", lambda r: f"/authors/{r.pk}/curate/", SIGNED_IN + 7 + 4),
        # + claims (keyset page)
        ("api claims", lambda r: "/api/v1/claims/", SIGNED_IN + 1),
    ],
)
def test_claim_pages_are_fixed_and_within_budget(
    researcher_client, researcher_record, grow, name, url, budget
):
    one = (grow(1), count_queries(researcher_client, url(researcher_record)))[1]
    many = (grow(20), count_queries(researcher_client, url(researcher_record)))[1]
    print(f"{name}: {many} queries")
    assert one == many, f"{name}: {one} vs {many}"
    assert many <= budget, f"{name}: {many} queries"


def test_claim_start_detail_and_dispute_pages(
    claimed_researcher, researcher_record, outsider_client, outsider
):
    claim = claim_evidence(
        user=outsider, author=researcher_record, evidence=Evidence(note="n: these are my papers.")
    )
    dispute = Dispute.objects.get()
    # + record, proven ORCID iD, holder, evidence inputs (emails, domains, works, co-authors x2,
    #   record works) = 10
    assert (
        count_queries(outsider_client, f"/authors/{researcher_record.pk}/claim/") <= SIGNED_IN + 10
    )
    # + moderator check (visible_to), claim with author/user/decider, its dispute
    assert count_queries(outsider_client, f"/claims/{claim.pk}/") <= SIGNED_IN + 3
    # + moderator check (access helper, template), dispute with both claims and users, the
    # records the two hold (how they appear), the statements, the record's works, and its
    # groups (records.clusters: the works, then co-authors, institutions, topics) = 10,
    # however many statements and works
    url = f"/disputes/{dispute.pk}/"

    def grow(n):
        for i in range(n):
            work = make_work(researcher_record, make_author(), title=f"Paper {i}")
            dispute_statement_add(dispute=dispute, user=outsider, text="Mine.", work_ids=[work.pk])

    few = (grow(1), count_queries(outsider_client, url))[1]
    many = (grow(6), count_queries(outsider_client, url))[1]
    assert few == many and many <= SIGNED_IN + 10, (few, many)

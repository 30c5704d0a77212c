"""Queue pages run a fixed number of queries however long the queues are; each budget names
its queries."""

import pytest

from apps.claims import services as claims
from apps.claims.services import Evidence, claim_evidence, merge_request_create
from apps.moderation.attributions import attribution_report
from apps.moderation.models import MixupFlag
from apps.moderation.services import report_file
from tests.factories import UserFactory, count_queries

pytestmark = pytest.mark.django_db

# Signed-in page: session, user, unread notifications count (the header) = 3; plus the
# moderator check (the user's groups) = 4.
MODERATOR_PAGE = 4


@pytest.fixture
def grow(records, moderator):
    """Add `n` items to every queue (claims, disputes, merges, L3 requests, reports,
    misattributed works, likely mix-ups)."""

    def add(n):
        for _ in range(n):
            holder, challenger, claimant = UserFactory(), UserFactory(), UserFactory()
            held = records.author()
            from apps.claims.services import claim_decide

            note = Evidence(note="These are my papers, as my lab page shows.")
            claim_decide(claim=claim_evidence(user=holder, author=held, evidence=note),
                         actor=moderator, approve=True, reason="ok")  # fmt: skip
            claim_evidence(
                user=challenger, author=held, evidence=Evidence(note="mine: these are my papers.")
            )
            claim_evidence(
                user=claimant,
                author=records.author(),
                evidence=Evidence(note="n: these are my papers."),
            )
            merge_request_create(user=holder, survivor=held, duplicate=records.author(),
                                 reason="dup")  # fmt: skip
            request = claims.verification_request(user=holder, author=held,
                                                  email="h@uni.example.edu", note="")  # fmt: skip
            claims.verification_confirm(token=claims.confirmation_token(request))
            report_file(reporter=claimant, target=held, reason="spam", reported_user=holder)
            attribution_report(reporter=claimant, author=held, work=records.work(held),
                               reason="Not this person's paper at all.")  # fmt: skip
            MixupFlag.objects.create(author=records.author(), groups=[3, 3])

    return add


@pytest.mark.parametrize(
    "url, budget",
    [
        # + the queue's oldest 50 (with their records and users, joined) + how many wait;
        # claims, disputes and merges + the records' outlines side by side (top works,
        # co-authors, topics: one query each for every record on the page)
        ("/moderation/claims/", MODERATOR_PAGE + 2 + 3),
        ("/moderation/disputes/", MODERATOR_PAGE + 2 + 3),
        ("/moderation/merges/", MODERATOR_PAGE + 2 + 3),
        ("/moderation/verifications/", MODERATOR_PAGE + 2),
        ("/moderation/reports/", MODERATOR_PAGE + 2),
        ("/moderation/attributions/", MODERATOR_PAGE + 2),
        ("/moderation/mixups/", MODERATOR_PAGE + 2),
        # + per queue (7): pending count, median row, oldest row; + decisions per day
        ("/moderation/", MODERATOR_PAGE + 7 * 3 + 1),
        # + one page of audit rows
        ("/moderation/audit/", MODERATOR_PAGE + 1),
        # API (no header): session, user, moderator check (IsModerator) = 3; then the queue
        # and its count
        ("/api/v1/moderation/queues/disputes/", 3 + 2),
        ("/api/v1/moderation/stats/", 3 + 7 * 3 + 1),
    ],
)
def test_queue_pages_are_fixed_and_within_budget(moderator_client, grow, url, budget):
    one = (grow(1), count_queries(moderator_client, url))[1]
    many = (grow(12), count_queries(moderator_client, url))[1]
    print(f"{url}: {many} queries")
    assert one == many, f"{url}: {one} vs {many}"
    assert many <= budget, f"{url}: {many} queries"

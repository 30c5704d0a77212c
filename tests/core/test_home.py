"""The home page: for visitors what Peerage is, a search box, the newest day's works with
upvotes, this week's trends, the figures and the way to claim a record; for a signed-in
person their record (or the way to find it), what waits on them and their feed; for
moderators their queues too."""

import datetime

import pytest
from django.urls import reverse

from apps.claims.services import Evidence, claim_evidence
from apps.collaboration import services as collaboration
from apps.follows.services import upvote_toggle
from tests.collaboration.conftest import PEER_ORCID
from tests.factories import claimed_record

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 14)


@pytest.fixture
def community(records, peer, outsider):
    author = records.author("Grace Hopper")
    other = records.author("Alan Turing")
    works = [records.work(author, title=f"Compilers, part {i}", date=DAY) for i in range(3)]
    upvote_toggle(user=outsider, work=works[0])
    claimed_record(peer, "Pablo Peer", PEER_ORCID)
    return {"author": author, "other": other, "works": works}


def test_a_visitor_reads_the_pitch_search_new_works_trends_figures_and_the_way_to_claim(
    visitor, community, django_assert_max_num_queries
):
    # newest day, its works (+ byline, topics), upvotes, trending (3 rankings, works +
    # byline, topics, authors, topics), the three figures (cached after this)
    with django_assert_max_num_queries(16):
        page = visitor.get(reverse("home")).content.decode()
    assert "Your publications, your record." in page
    assert 'id="home-search"' in page and 'action="/search/"' in page
    assert 'data-testid="new-works"' in page and "14 March 2025" in page
    assert "Compilers, part 0" in page and 'class="upvote' in page
    assert 'data-testid="home-trending"' in page and "▲" in page
    assert "<strong>3</strong> author records" in page  # Grace, Alan, Pablo
    assert "<strong>1</strong> claimed by their researchers" in page
    assert "<strong>3</strong> works" in page
    assert 'data-testid="find-and-claim"' in page
    assert 'data-testid="waiting"' not in page and "home-feed" not in page


def test_someone_who_holds_no_record_is_shown_the_way_to_find_it(researcher_client, community):
    page = researcher_client.get(reverse("home")).content.decode()
    assert 'data-testid="find-your-record"' in page
    assert "Nothing is waiting on you." in page
    assert 'data-testid="home-feed"' in page and 'data-testid="home-trending"' not in page
    assert 'data-testid="home-queues"' not in page


def test_a_holder_sees_their_record_trust_and_what_waits_on_them(
    claimed_researcher,
    researcher_record,
    researcher_client,
    peer,
    community,
    django_assert_max_num_queries,
):
    collaboration.invitation_create(
        sender=peer, author=researcher_record, purpose="text", note="Shall we write together?"
    )

    with django_assert_max_num_queries(22):
        page = researcher_client.get(reverse("home")).content.decode()
    assert "Your record" in page and "Rosa Researcher" in page
    assert 'data-testid="trust-score"' in page and "Verification L2" in page
    assert "1 invitation to answer" in page


def test_a_claim_in_review_waits_on_its_claimant(researcher, researcher_client, community):
    claim_evidence(
        user=researcher,
        author=community["other"],
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    page = researcher_client.get(reverse("home")).content.decode()
    assert "1 claim in review" in page and "Nothing is waiting on you." not in page


def test_a_moderator_also_sees_the_queues_and_the_way_to_the_workspace(
    moderator_client, researcher, community
):
    claim_evidence(
        user=researcher,
        author=community["other"],
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    page = moderator_client.get(reverse("home")).content.decode()
    assert 'data-testid="home-queues"' in page
    assert "Claims: <strong>1</strong>" in page
    assert page.count(f'href="{reverse("moderation:dashboard")}"') == 2  # header and queues

""" "Is this you?" ranks candidates by ORCID iD, ORCID works overlap, name and institution,
with the reasons shown."""

import pytest

from apps.claims.models import InstitutionDomain
from apps.claims.suggestions import suggestions_for
from apps.records.models import Institution
from tests import samples
from tests.factories import link_orcid

pytestmark = pytest.mark.django_db
FIXTURES = samples.fixture_path("orcid")
ORCID = "0000-0003-1415-9269"  # the owner of the works fixture


@pytest.fixture
def orcid_works(fake_upstream, settings):
    settings.ORCID_API_BASE_URL = fake_upstream.url
    fake_upstream.add_file("GET", f"/v3.0/{ORCID}/works", FIXTURES / f"works-{ORCID}.json")
    return fake_upstream


@pytest.fixture
def three_wei_zhangs(records):
    """Three same-name records; only the second holds works on the user's ORCID record, and
    the first has more works (a naive ranking would put it first)."""
    first, second, third = (records.author("Wei Zhang") for _ in range(3))
    for i in range(5):
        records.work(first, doi=f"10.5555/other.{i}")
    records.work(second, doi="10.5555/peerage.2021.0042")
    records.work(second, arxiv_id="2101.01234")
    records.work(third)
    from apps.records.services import author_metrics_refresh

    author_metrics_refresh([first.pk, second.pk, third.pk])
    return first, second, third


def test_orcid_works_overlap_ranks_the_right_same_name_record_first(
    make_user, orcid_works, three_wei_zhangs
):
    user = make_user(display_name="Wei Zhang")
    link_orcid(user, ORCID)
    first, second, third = three_wei_zhangs

    ranked = suggestions_for(user)

    assert [c.author for c in ranked[:1]] == [second]
    assert {c.author for c in ranked} == {first, second, third}
    assert any("2 of your" in r and "ORCID works" in r for r in ranked[0].reasons)
    assert any("Name similar" in r for r in ranked[1].reasons)
    assert orcid_works.requests_to("GET", f"/v3.0/{ORCID}/works")


def test_the_proven_orcid_id_beats_everything(make_user, orcid_works, three_wei_zhangs, records):
    user = make_user(display_name="Wei Zhang")
    link_orcid(user, ORCID)
    anchored = records.author("W. Zhang", orcid=ORCID)
    ranked = suggestions_for(user)
    assert ranked[0].author == anchored
    assert "matches the one you signed in with" in ranked[0].reasons[0]


def test_a_typed_orcid_id_is_no_proof(make_user, records):
    """Without an ORCID SocialAccount, a record's iD never makes it a suggestion by itself."""
    user = make_user(display_name="Somebody Unrelated")
    records.author("Another Person", orcid=ORCID)
    assert suggestions_for(user, name="") == []


def test_an_email_at_an_institution_of_the_record_is_a_reason(make_user, records):
    user = make_user(email="wei@cs.uni.example", display_name="Wei Zhang")
    lab = Institution.objects.create(name="University of Examples", ror_id="05ppvf150")
    InstitutionDomain.objects.create(institution=lab, domain="uni.example")
    at_lab, elsewhere = records.author("Wei Zhang"), records.author("Wei Zhang")
    at_lab.institutions.add(lab)
    ranked = suggestions_for(user)
    assert ranked[0].author == at_lab and elsewhere in [c.author for c in ranked]
    assert "verified email at University of Examples" in ranked[0].reasons[-1]


def test_the_find_page_shows_ranked_candidates_with_reasons(
    make_user, orcid_works, three_wei_zhangs, django_assert_max_num_queries
):
    from django.test import Client

    user = make_user(display_name="Wei Zhang")
    link_orcid(user, ORCID)
    client = Client()
    client.force_login(user)
    # + the recognition cards (records.cards): six queries for the whole list
    with django_assert_max_num_queries(20):
        page = client.get("/claims/find/").content.decode()
    assert page.index(f'data-author="{three_wei_zhangs[1].pk}"') < page.index(
        f'data-author="{three_wei_zhangs[0].pk}"'
    )
    assert "ORCID works are on this record" in page
    api = client.get("/api/v1/claims/suggestions/").json()
    assert api[0]["author"] == three_wei_zhangs[1].pk and api[0]["reasons"]

"""Visibility choices (SPEC §3, §5): who sees who follows a record, whom its holder follows,
and whether search engines are asked to stay away; each section for each kind of viewer."""

import pytest
from django.test import Client

from apps.accounts.services import account_export
from apps.follows import services
from apps.follows.models import Audience, FollowSettings
from tests.factories import claimed_record

pytestmark = pytest.mark.django_db
VIEWERS = ["visitor", "signed_in", "follower", "holder_l2"]
# audience: the viewers who see the followers' names
SEES = {
    Audience.EVERYONE: {"visitor", "signed_in", "follower", "holder_l2"},
    Audience.SIGNED_IN: {"signed_in", "follower", "holder_l2"},
    Audience.FOLLOWERS: {"follower"},
    Audience.VERIFIED: {"holder_l2"},
    Audience.NOBODY: set(),
}


@pytest.fixture
def world(researcher, researcher_record, make_user):
    """The researcher holds a record; a follower (who shows whom they follow) follows it; a
    signed-in stranger and another holder (L2) do not."""
    follower = make_user(display_name="Fiona Follower")
    services.follow_create(follower=follower, author=researcher_record)
    FollowSettings.objects.create(user=follower, follows_public=True)
    other = make_user(display_name="Hugo Holder")
    claimed_record(other, "Hugo Holder", "0000-0002-9999-0001")
    viewers = {"visitor": None, "signed_in": make_user(), "follower": follower, "holder_l2": other}
    return researcher_record, viewers


def _main(page: str) -> str:
    """The page without its header (which names whoever is signed in)."""
    return page.split('id="main"', 1)[1]


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("audience", list(SEES))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_followers_names_follow_the_holders_choice(world, researcher, audience, viewer):
    record, viewers = world
    services.follow_settings_set(researcher, follows_public=False, digest="off",
                                 followers_audience=audience)  # fmt: skip

    page = _client(viewers[viewer]).get(f"/authors/{record.pk}/followers/").content.decode()

    assert 'data-testid="followers-count"><strong>1</strong>' in page  # counts stay public
    assert ('data-testid="followers"' in page) == (viewer in SEES[audience])
    assert ("Fiona Follower" in _main(page)) == (viewer in SEES[audience])


def test_the_holder_always_sees_their_followers(world, researcher):
    record, _ = world
    services.follow_settings_set(researcher, follows_public=False, digest="off",
                                 followers_audience=Audience.NOBODY)  # fmt: skip

    page = _client(researcher).get(f"/authors/{record.pk}/followers/").content.decode()

    assert "Fiona Follower" in page


def test_a_follower_who_hides_whom_they_follow_is_only_counted(world):
    record, viewers = world
    FollowSettings.objects.filter(user=viewers["follower"]).update(follows_public=False)

    page = _client(None).get(f"/authors/{record.pk}/followers/").content.decode()

    assert "Fiona Follower" not in page
    assert "<strong>1</strong>" in page


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_whom_the_holder_follows_follows_their_choice(world, researcher, records, public, viewer):
    record, viewers = world
    followed = records.author("Ursula Followed")
    services.follow_create(follower=researcher, author=followed)
    services.follow_settings_set(researcher, follows_public=public, digest="off")

    page = _client(viewers[viewer]).get(f"/authors/{record.pk}/following/").content.decode()
    own = _client(researcher).get(f"/authors/{record.pk}/following/").content.decode()

    assert ("Ursula Followed" in page) == public
    assert "Ursula Followed" in own


def test_an_unheld_record_has_no_following_page(records, client):
    assert client.get(f"/authors/{records.author().pk}/following/").status_code == 404


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_holder_can_keep_their_record_from_search_engines(world, researcher, viewer):
    record, viewers = world
    client = _client(viewers[viewer])
    noindex = '<meta name="robots" content="noindex">'
    assert noindex not in client.get(f"/authors/{record.pk}/").content.decode()

    researcher_client = _client(researcher)
    researcher_client.post("/settings/profile/", {"display_name": "Rosa",
                           "hide_from_search_engines": "on"})  # fmt: skip

    assert noindex in client.get(f"/authors/{record.pk}/").content.decode()


def test_the_export_holds_the_visibility_choices(world, researcher):
    services.follow_settings_set(researcher, follows_public=True, digest="off",
                                 followers_audience=Audience.FOLLOWERS)  # fmt: skip
    researcher.hide_from_search_engines = True
    researcher.save()

    data = account_export(researcher)

    assert data["account"]["hide_from_search_engines"] is True
    assert data["follows"]["settings"][0]["followers_audience"] == "followers"
    assert data["follows"]["settings"][0]["follows_public"] is True


def test_the_settings_page_saves_the_followers_audience(researcher_client, researcher):
    researcher_client.post("/follows/settings/", {"digest": "off", "followers_audience": "nobody"})

    assert FollowSettings.objects.get(user=researcher).followers_audience == "nobody"


# --- The API ----------------------------------------------------------------------------


@pytest.mark.parametrize("audience", list(SEES))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_followers_api_follows_the_holders_choice(world, researcher, audience, viewer):
    record, viewers = world
    services.follow_settings_set(researcher, follows_public=False, digest="off",
                                 followers_audience=audience)  # fmt: skip

    body = _client(viewers[viewer]).get(f"/api/v1/authors/{record.pk}/followers/").json()

    sees = viewer in SEES[audience]
    assert body["count"] == 1 and body["visible"] is sees
    assert [p["name"] for p in body["results"]] == (["Fiona Follower"] if sees else [])


def test_the_followers_api_names_people_never_their_email(world, researcher):
    record, viewers = world

    response = _client(None).get(f"/api/v1/authors/{record.pk}/followers/")

    person = response.json()["results"][0]
    assert set(person) == {"name", "handle", "record"}
    assert viewers["follower"].email not in response.content.decode()


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_following_api_follows_the_holders_choice(world, researcher, records, public, viewer):
    record, viewers = world
    followed = records.author("Ursula Followed")
    services.follow_create(follower=researcher, author=followed)
    services.follow_settings_set(researcher, follows_public=public, digest="off")
    url = f"/api/v1/authors/{record.pk}/following/"

    body = _client(viewers[viewer]).get(url).json()
    own = _client(researcher).get(url).json()

    assert body["visible"] is public
    assert [f["author"] for f in body["results"]] == ([followed.pk] if public else [])
    assert [f["author"] for f in own["results"]] == [followed.pk]


def test_the_following_api_of_an_unheld_record_is_a_404(records, client):
    assert client.get(f"/api/v1/authors/{records.author().pk}/following/").status_code == 404


# --- The institutional email badge --------------------------------------------------------


@pytest.fixture
def proved(world, researcher):
    """The holder's record lists a university whose domain the holder proved an email on."""
    from allauth.account.models import EmailAddress

    from apps.claims.models import InstitutionDomain
    from apps.records.models import Institution

    record, viewers = world
    lab = Institution.objects.create(name="University of Examples", ror_id="05ppvf150")
    InstitutionDomain.objects.create(institution=lab, domain="uni.example")
    record.institutions.add(lab)
    EmailAddress.objects.create(user=researcher, email="rosa@cs.Uni.Example", verified=True)
    return record, viewers


def _badge(client, record) -> tuple[bool, object]:
    page = _main(client.get(f"/authors/{record.pk}/").content.decode())
    api = client.get(f"/api/v1/authors/{record.pk}/badges/").json()
    return 'data-testid="email-badge"' in page, api["institution_email_domain"]


@pytest.mark.parametrize("audience", list(SEES))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_email_badge_follows_the_holders_choice(proved, researcher, audience, viewer):
    record, viewers = proved
    services.follow_settings_set(researcher, follows_public=False, digest="off",
                                 badge_audience=audience)  # fmt: skip

    shown, domain = _badge(_client(viewers[viewer]), record)

    sees = viewer in SEES[audience]
    assert shown is sees
    assert domain == ("uni.example" if sees else None)
    assert _badge(_client(researcher), record) == (True, "uni.example")  # always to themself


def test_the_badge_names_the_domain_never_the_address(proved):
    record, _ = proved
    client = _client(None)
    page = client.get(f"/authors/{record.pk}/").content.decode()
    api = client.get(f"/api/v1/authors/{record.pk}/badges/").content.decode()

    assert "at uni.example" in page and "uni.example" in api
    assert "rosa@" not in page + api and "researcher@example.org" not in page + api


def test_an_unverified_or_unrelated_email_earns_no_badge(proved, researcher):
    from allauth.account.models import EmailAddress

    record, _ = proved
    EmailAddress.objects.filter(email="rosa@cs.Uni.Example").update(verified=False)
    EmailAddress.objects.create(user=researcher, email="rosa@notuni.example", verified=True)

    assert _badge(_client(None), record) == (False, None)


def test_an_email_confirmed_for_l3_earns_the_badge(proved, researcher):
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from apps.trust.models import VerificationRequest

    record, _ = proved
    EmailAddress.objects.filter(email="rosa@cs.Uni.Example").delete()
    request = VerificationRequest.objects.create(
        user=researcher, author=record, email="rosa@uni.example", note=""
    )
    assert _badge(_client(None), record) == (False, None)  # not confirmed yet

    VerificationRequest.objects.filter(pk=request.pk).update(email_confirmed_at=timezone.now())
    from apps.core.pagecache import record_changed

    record_changed("author", record.pk)
    assert _badge(_client(None), record) == (True, "uni.example")


def test_changing_the_badge_audience_renews_the_cached_page(proved, researcher):
    record, _ = proved
    visitor = _client(None)
    assert _badge(visitor, record)[0] is True  # now cached for visitors

    services.follow_settings_set(researcher, follows_public=False, digest="off",
                                 badge_audience=Audience.SIGNED_IN)  # fmt: skip

    assert _badge(visitor, record) == (False, None)


def test_the_settings_page_saves_the_badge_audience(researcher_client, researcher):
    researcher_client.post("/follows/settings/", {"digest": "off", "badge_audience": "followers"})

    saved = FollowSettings.objects.get(user=researcher)
    assert (saved.badge_audience, saved.followers_audience) == ("followers", "everyone")
    assert account_export(researcher)["follows"]["settings"][0]["badge_audience"] == "followers"


# --- Feeds --------------------------------------------------------------------------------


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_following_feed_follows_the_holders_choice(world, researcher, records, public, viewer):
    from xml.etree import ElementTree

    record, viewers = world
    followed = records.author("Ursula Followed")
    records.work(followed, title="Quiet lattices")
    services.follow_create(follower=researcher, author=followed)
    services.follow_settings_set(researcher, follows_public=public, digest="off")
    url = f"/authors/{record.pk}/following/feed/"

    response = _client(viewers[viewer]).get(url)
    own = _client(researcher).get(url)

    assert response.status_code == (200 if public else 404)
    assert own.status_code == 200
    if public:
        atom = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
        titles = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}title")]
        assert "Quiet lattices" in titles


def test_an_unheld_record_has_no_following_feed(records, client):
    assert client.get(f"/authors/{records.author().pk}/following/feed/").status_code == 404

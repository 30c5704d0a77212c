"""The personal Atom feed: readable by its secret URL without signing in, the same works as
the feed page, a token only its owner sees and can reset (audited), the old URL then dead."""

import pytest

from apps.audit.models import AuditEvent
from apps.follows.models import FeedToken
from apps.follows.services import feed_token_for, follow_create
from tests.records.test_feeds import ATOM, entries, parse_atom

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(researcher, records):
    ada = records.author("Ada Lovelace")
    mine = records.work(ada, records.author("Bo Byron"), title="Notes on the engine")
    records.work(records.author("Cy"), title="Not followed")
    follow_create(follower=researcher, author=ada)
    return mine


def test_feed_by_token_lists_followed_works_signed_out(client, researcher, followed):
    token = feed_token_for(researcher).token
    feed = parse_atom(client.get(f"/feed/atom/{token}/"))
    found = entries(feed)
    assert [e["title"] for e in found] == ["Notes on the engine"]
    assert found[0]["link"].endswith(f"/works/{followed.pk}/")
    assert "2 authors" in found[0]["summary"]
    assert any(link.get("href").endswith("/feed/") for link in feed.findall(f"{ATOM}link"))


def test_unknown_token_is_404(client, researcher, followed):
    feed_token_for(researcher)
    assert client.get("/feed/atom/not-a-token/").status_code == 404


def test_settings_show_the_owner_their_feed_url(researcher_client, researcher):
    page = researcher_client.get("/follows/settings/").content.decode()
    token = FeedToken.objects.get(user=researcher).token
    assert f"/feed/atom/{token}/" in page


def test_reset_makes_a_new_url_and_retires_the_old(client, researcher_client, researcher, followed):
    old = feed_token_for(researcher).token
    response = researcher_client.post("/feed/token/reset/")
    assert response.status_code == 302
    new = FeedToken.objects.get(user=researcher).token
    assert new != old
    assert client.get(f"/feed/atom/{old}/").status_code == 404
    parse_atom(client.get(f"/feed/atom/{new}/"))
    event = AuditEvent.objects.get(action="follows.feed_token_reset")
    assert event.actor == researcher


def test_reset_needs_a_signed_in_post(client, researcher_client):
    assert researcher_client.get("/feed/token/reset/").status_code == 405
    response = client.post("/feed/token/reset/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_suspended_user_feed_is_gone(client, researcher, followed):
    token = feed_token_for(researcher).token
    researcher.is_active = False
    researcher.save(update_fields=["is_active"])
    assert client.get(f"/feed/atom/{token}/").status_code == 404

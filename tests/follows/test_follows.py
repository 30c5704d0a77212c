"""Following and unfollowing author records and topics: the constraint, idempotence, merged
records, the no-JS and htmx buttons, public counts and the privacy setting."""

import pytest
from django.db import IntegrityError, transaction

from apps.audit.models import AuditEvent
from apps.follows.models import Follow, FollowSettings
from apps.follows.services import (
    follow_create,
    follow_delete,
    follow_settings_set,
    follows_repoint_merged,
)
from apps.records.services import author_merge_into

pytestmark = pytest.mark.django_db


def test_following_twice_is_one_follow(researcher, records):
    author, topic = records.author("Ada Lindqvist"), records.topic("cs.DC")
    assert follow_create(follower=researcher, author=author) == follow_create(
        follower=researcher, author=author
    )
    follow_create(follower=researcher, topic=topic)
    follow_create(follower=researcher, topic=topic)
    assert Follow.objects.count() == 2


def test_the_database_refuses_a_duplicate_follow(researcher, records):
    author, topic = records.author(), records.topic("cs.LG")
    Follow.objects.create(follower=researcher, author=author)
    Follow.objects.create(follower=researcher, topic=topic)
    for target in ({"author": author}, {"topic": topic}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Follow.objects.create(follower=researcher, **target)


def test_a_follow_has_exactly_one_target(researcher, records):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=researcher)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(
            follower=researcher, author=records.author(), topic=records.topic("cs.AI")
        )
    with pytest.raises(ValueError):
        follow_create(follower=researcher)


def test_unfollow_is_idempotent(researcher, records):
    author = records.author()
    follow_create(follower=researcher, author=author)
    assert follow_delete(follower=researcher, author=author) is True
    assert follow_delete(follower=researcher, author=author) is False
    assert not Follow.objects.exists()


def test_following_a_merged_record_follows_its_survivor(researcher, records):
    survivor, duplicate = records.author("Ada Lindqvist"), records.author("A. Lindqvist")
    author_merge_into(duplicate, survivor)
    duplicate.refresh_from_db()
    assert follow_create(follower=researcher, author=duplicate).author == survivor


def test_follows_of_a_record_merged_later_move_to_the_survivor(researcher, peer, records):
    survivor, duplicate = records.author("Ada Lindqvist"), records.author("A. Lindqvist")
    follow_create(follower=researcher, author=duplicate)
    follow_create(follower=peer, author=duplicate)
    follow_create(follower=peer, author=survivor)  # peer followed both: keeps one
    author_merge_into(duplicate, survivor)
    assert follows_repoint_merged() == 2
    assert follows_repoint_merged() == 0
    assert sorted(Follow.objects.values_list("follower__email", "author_id")) == [
        ("peer@example.org", survivor.pk),
        ("researcher@example.org", survivor.pk),
    ]


def test_follow_button_without_javascript_posts_and_redirects(researcher_client, records):
    author = records.author("Ada Lindqvist")
    page = f"/authors/{author.pk}/"
    response = researcher_client.post(
        f"/follow/authors/{author.pk}/", {"action": "follow", "next": page}
    )
    assert response.status_code == 302 and response.url == page
    html = researcher_client.get(page).content.decode()
    assert "Following · Unfollow" in html and "<strong>1</strong> follower" in html
    researcher_client.post(f"/follow/authors/{author.pk}/", {"action": "unfollow", "next": page})
    researcher_client.post(f"/follow/authors/{author.pk}/", {"action": "unfollow", "next": page})
    assert not Follow.objects.exists()


def test_follow_button_with_htmx_returns_the_fragment(researcher_client, records):
    author = records.author()
    response = researcher_client.post(
        f"/follow/authors/{author.pk}/", {"action": "follow"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="follow-author-{author.pk}"' in html and "<strong>1</strong> follower" in html
    assert 'hx-swap-oob="true"' in html  # the snapshot count updates too


def test_next_must_be_a_path_on_this_site(researcher_client, records):
    author = records.author()
    response = researcher_client.post(
        f"/follow/authors/{author.pk}/", {"action": "follow", "next": "https://evil.example/"}
    )
    assert response.url == f"/authors/{author.pk}/"


def test_a_bad_action_is_refused(researcher_client, records):
    author = records.author()
    assert (
        researcher_client.post(f"/follow/authors/{author.pk}/", {"action": "x"}).status_code == 400
    )


def test_topic_page_follow_and_count(researcher_client, peer, client, records):
    topic = records.topic("cs.DC")
    follow_create(follower=peer, topic=topic)
    response = researcher_client.post(f"/follow/topics/{topic.slug}/", {"action": "follow"})
    assert response.url == f"/topics/{topic.slug}/"
    assert "2 followers" in client.get(f"/topics/{topic.slug}/").content.decode()
    assert "Sign in to follow" in client.get(f"/topics/{topic.slug}/").content.decode()


def test_author_page_shows_public_follower_count_to_visitors(client, researcher, peer, records):
    author = records.author()
    follow_create(follower=researcher, author=author)
    follow_create(follower=peer, author=author)
    html = client.get(f"/authors/{author.pk}/").content.decode()
    assert "<strong>2</strong> followers" in html and "Sign in to follow" in html


def test_follows_are_private_until_the_user_makes_them_public(researcher, peer_client, records):
    follow_create(follower=researcher, author=records.author())
    assert peer_client.get(f"/api/v1/follows/?user={researcher.pk}").json()["results"] == []
    follow_settings_set(researcher, follows_public=True, digest="off")
    assert len(peer_client.get(f"/api/v1/follows/?user={researcher.pk}").json()["results"]) == 1
    event = AuditEvent.objects.get(action="follows.settings_changed")
    assert event.before["follows_public"] is False and event.after["follows_public"] is True


def test_settings_page_saves_privacy_and_digest(researcher_client, researcher):
    assert researcher_client.get("/follows/settings/").status_code == 200
    response = researcher_client.post(
        "/follows/settings/", {"follows_public": "on", "digest": "weekly"}
    )
    assert response.status_code == 302
    settings = FollowSettings.objects.get(user=researcher)
    assert settings.follows_public and settings.digest == "weekly"


def test_digest_is_off_and_follows_private_by_default(researcher):
    from apps.follows.services import follow_settings_for

    settings = follow_settings_for(researcher)
    assert settings.digest == "off" and settings.follows_public is False


def test_a_followed_record_is_refreshed_sooner_and_a_claimed_one_stays_claimed(
    researcher, peer, records
):
    from apps.ingest.models import AuthorRefreshState, Priority

    ada, bo = records.author("Ada"), records.author("Bo")
    AuthorRefreshState.objects.create(author=bo, priority=Priority.CLAIMED)
    follow_create(follower=researcher, author=ada)
    follow_create(follower=peer, author=ada)
    follow_create(follower=researcher, author=bo)

    def priority(author):
        return AuthorRefreshState.objects.get(author=author).priority

    assert priority(ada) == Priority.FOLLOWED and priority(bo) == Priority.CLAIMED
    follow_delete(follower=researcher, author=ada)
    assert priority(ada) == Priority.FOLLOWED  # peer still follows
    follow_delete(follower=peer, author=ada)
    follow_delete(follower=researcher, author=bo)
    assert priority(ada) == Priority.NORMAL and priority(bo) == Priority.CLAIMED

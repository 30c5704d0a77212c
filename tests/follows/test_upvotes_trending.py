"""Upvotes (one per user, toggled) and trending by recency-weighted upvotes and follows."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.follows.feed import trending
from apps.follows.models import Follow, Upvote
from apps.follows.services import upvote_toggle

pytestmark = pytest.mark.django_db


def test_upvote_toggles_and_counts(researcher, peer, records):
    work = records.work(records.author())
    assert upvote_toggle(user=researcher, work=work) == (True, 1)
    assert upvote_toggle(user=peer, work=work) == (True, 2)
    assert upvote_toggle(user=researcher, work=work) == (False, 1)
    assert list(Upvote.objects.values_list("user", flat=True)) == [peer.pk]


def test_the_database_allows_one_upvote_per_user_and_work(researcher, records):
    work = records.work(records.author())
    Upvote.objects.create(user=researcher, work=work)
    with pytest.raises(IntegrityError), transaction.atomic():
        Upvote.objects.create(user=researcher, work=work)


def test_upvote_button_without_javascript_and_with_htmx(researcher_client, records):
    work = records.work(records.author(), date=datetime.date(2025, 6, 1), date_precision="day")
    day = f"/recent/{work.publication_date.isoformat()}/"
    response = researcher_client.post(f"/upvote/{work.pk}/", {"next": day})
    assert response.status_code == 302 and response.url == day
    html = researcher_client.get(day).content.decode()
    assert 'data-testid="upvote-count">1<' in html and "Most upvoted this day" in html
    response = researcher_client.post(f"/upvote/{work.pk}/", headers={"HX-Request": "true"})
    assert 'data-testid="upvote-count">0<' in response.content.decode()


def _at(model, hours_ago, now, **fields):
    return model.objects.create(created_at=now - datetime.timedelta(hours=hours_ago), **fields)


def test_trending_weights_recent_upvotes_more(make_user, records):
    now = timezone.now()
    fresh, steady, old = (
        records.work(records.author(), title=t) for t in ("fresh", "steady", "old")
    )
    users = [make_user() for _ in range(3)]
    _at(Upvote, 1, now, user=users[0], work=fresh)  # newest sixth of the day: weight 3
    _at(Upvote, 20, now, user=users[0], work=steady)  # older half: weight 1 each
    _at(Upvote, 21, now, user=users[1], work=steady)
    _at(Upvote, 30, now, user=users[0], work=old)  # outside the day
    day = trending("day", now=now)
    assert [(w.title, w.score) for w in day.works] == [("fresh", 3), ("steady", 2)]
    week = trending("week", now=now)  # a week's newest sixth is 28 hours: all three count
    assert [(w.title, w.score) for w in week.works] == [("steady", 6), ("fresh", 3), ("old", 2)]


def test_trending_ranks_authors_and_topics_by_new_follows(make_user, records):
    now = timezone.now()
    ada, bo, dc = records.author("Ada"), records.author("Bo"), records.topic("cs.DC")
    for i, user in enumerate(make_user() for _ in range(3)):
        _at(Follow, 2 + i, now, follower=user, author=ada)
    _at(Follow, 2, now, follower=make_user(), author=bo)
    _at(Follow, 2, now, follower=make_user(), topic=dc)
    result = trending("day", now=now)
    assert [a.display_name for a in result.authors] == ["Ada", "Bo"]
    assert [t.slug for t in result.topics] == ["cs-dc"]


def test_trending_page_and_api(client, researcher, records):
    work = records.work(records.author(), title="Rising work")
    upvote_toggle(user=researcher, work=work)
    assert "Rising work" in client.get("/trending/?period=week").content.decode()
    assert client.get("/trending/?period=year").status_code == 400
    data = client.get("/api/v1/trending/?period=day").json()
    assert data["period"] == "day" and data["works"][0]["title"] == "Rising work"
    assert data["works"][0]["score"] == 3


def test_work_page_has_the_upvote_button(researcher_client, client, records):
    work = records.work(records.author())
    researcher_client.post(f"/upvote/{work.pk}/")
    assert 'aria-pressed="true"' in researcher_client.get(f"/works/{work.pk}/").content.decode()
    assert "Sign in to upvote" in client.get(f"/works/{work.pk}/").content.decode()

"""seed_demo's follows step: demo researchers follow authors and topics and upvote works, and
a second run adds nothing."""

import pytest
from django.core.management import call_command

from apps.follows.models import Follow, FollowSettings, Upvote

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Follow.objects.of_authors().count(),
        Follow.objects.of_topics().count(),
        Upvote.objects.count(),
        FollowSettings.objects.count(),
    )


def test_seed_demo_follows_and_upvotes_idempotently(capsys):
    call_command("seed_demo")
    first = _counts()
    assert first[0] >= 12 and first[1] >= 4 and first[2] >= 12 and first[3] == 1
    assert Follow.objects.values("follower").distinct().count() == 3
    call_command("seed_demo")
    assert _counts() == first
    assert "created: nothing new" in capsys.readouterr().out

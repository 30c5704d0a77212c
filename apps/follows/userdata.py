"""The follows app's part of a data export."""

from __future__ import annotations

from apps.accounts.lifecycle import user_data

from .models import Follow, FollowSettings, Upvote


@user_data("follows")
def follows_data(user) -> dict:
    return {
        "follows": list(Follow.objects.filter(follower=user).values()),
        "upvotes": list(Upvote.objects.filter(user=user).values()),
        "settings": list(FollowSettings.objects.filter(user=user).values()),
    }

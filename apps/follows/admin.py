from django.contrib import admin

from .models import DigestSent, Follow, FollowSettings, Upvote


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["created_at", "follower", "author", "topic"]
    raw_id_fields = ["follower", "author", "topic"]


@admin.register(Upvote)
class UpvoteAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "work"]
    raw_id_fields = ["user", "work"]


@admin.register(FollowSettings)
class FollowSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "follows_public", "digest"]
    raw_id_fields = ["user"]


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "period", "works_count"]
    raw_id_fields = ["user"]

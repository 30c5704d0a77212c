from django.urls import path

from . import views

app_name = "follows"

urlpatterns = [
    path("follow/authors/<int:pk>/", views.follow_author, name="author"),
    path("follow/topics/<slug:slug>/", views.follow_topic, name="topic"),
    path("upvote/<int:pk>/", views.upvote, name="upvote"),
    path("feed/", views.feed, name="feed"),
    path("trending/", views.trending_page, name="trending"),
    path("follows/settings/", views.settings_page, name="settings"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

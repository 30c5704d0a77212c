from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("authors/<int:pk>/", views.author_detail, name="author"),
    path("works/<int:pk>/", views.work_detail, name="work"),
    path("search/", views.search, name="search"),
    path("recent/", views.recent, name="recent"),
    path("recent/<str:day>/", views.recent, name="recent_day"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
]

from django.urls import path

from . import views
from .queues import QUEUES

app_name = "moderation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("decide/<str:kind>/<int:pk>/", views.decide, name="decide"),
    path("act/<str:name>/<int:pk>/", views.act, name="act"),
    # One page per queue, named by its key: /moderation/claims/, /moderation/disputes/, …
    *(path(f"{key}/", views.queue, {"key": key}, name=key) for key in QUEUES),
]

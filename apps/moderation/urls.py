from django.urls import path

from . import views
from .queues import QUEUES

app_name = "moderation"

# Each view declares its own route (apps.core.routes); one page per queue, named by its key:
# /moderation/claims/, /moderation/disputes/, …
urlpatterns = [
    *views.route.patterns,
    *(path(f"{key}/", views.queue, {"key": key}, name=key) for key in QUEUES),
]

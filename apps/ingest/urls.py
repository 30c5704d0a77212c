from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("authors/<id:pk>/refresh/", views.refresh_now, name="refresh_now"),
    path("authors/<id:pk>/refresh/status/", views.refresh_status, name="refresh_status"),
]

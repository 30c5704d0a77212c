from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [path("authors/<id:pk>/refresh/", views.refresh_now, name="refresh_now")]

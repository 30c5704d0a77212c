from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("settings/data/", views.your_data, name="data"),
    path("settings/data/export.json", views.export, name="export"),
]

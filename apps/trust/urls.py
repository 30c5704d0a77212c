from django.urls import path

from . import views

app_name = "trust"

urlpatterns = [
    path("authors/<int:pk>/verify/", views.verify_request, name="verify"),
    path("verify/confirm/<str:token>/", views.verify_confirm, name="verify_confirm"),
]
